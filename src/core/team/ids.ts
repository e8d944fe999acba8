import { fromBase64url, InvalidBase64urlError, toBase64url } from '../crypto';
import { InvalidMemberIdError } from './errors';

/** A member (a person) of a vault: 16 random bytes as canonical unpadded base64url (22). */
export type MemberId = string & { readonly __brand: 'MemberId' };
/** A team operation's id: the SHA-256 of its body as canonical unpadded base64url (43). */
export type OperationId = string & { readonly __brand: 'OperationId' };

export const memberIdLength = 16;
export const operationIdLength = 32;

/** What is wrong with `value` as the canonical base64url of `bytes` bytes, or undefined. */
function problemWith(value: unknown, bytes: number): InvalidMemberIdError | undefined {
  if (typeof value !== 'string') {
    return new InvalidMemberIdError('not-a-string', `expected a string, got ${typeof value}`);
  }
  const length = Math.ceil((bytes * 4) / 3);
  if (value.length !== length) {
    return new InvalidMemberIdError(
      'length',
      `expected ${length} base64url characters, got ${value.length}`,
    );
  }
  try {
    fromBase64url(value);
  } catch (error) {
    if (!(error instanceof InvalidBase64urlError)) throw error;
    return new InvalidMemberIdError('not-canonical', 'expected canonical unpadded base64url');
  }
  return undefined;
}

export const isMemberId = (value: unknown): value is MemberId =>
  problemWith(value, memberIdLength) === undefined;

/** Checks and brands a member id; InvalidMemberIdError saying what arrived otherwise. */
export function asMemberId(value: unknown): MemberId {
  const problem = problemWith(value, memberIdLength);
  if (problem) throw problem;
  return value as MemberId;
}

/**
 * The member id spelling 16 bytes. The caller draws them from its random source (core takes
 * randomness from the platform, never on its own).
 */
export function memberIdOf(bytes: Uint8Array): MemberId {
  if (!(bytes instanceof Uint8Array) || bytes.length !== memberIdLength) {
    throw new InvalidMemberIdError('length', `expected ${memberIdLength} bytes`);
  }
  return toBase64url(bytes) as MemberId;
}

export const isOperationId = (value: unknown): value is OperationId =>
  problemWith(value, operationIdLength) === undefined;

/** The id spelling a 32-byte SHA-256. */
export const operationIdOf = (hash: Uint8Array): OperationId => toBase64url(hash) as OperationId;
