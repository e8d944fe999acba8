/**
 * Team operations: their canonical bytes, id and signature (docs/crypto.md, "Team operations",
 * is the normative layout; this header only sketches it).
 *
 *   body      = "CFTM" || 0x01 || kind || vault id (16) || author (32) || u64be(at)
 *               || u16be(k) || k parent ids (32 each, ascending, distinct)
 *               || the kind's fields, each u16be(len) || bytes, in a fixed order
 *   id        = SHA-256(body)
 *   signature = Ed25519 by the author, over "coffer/v1/team-op" || 0x00 || id
 *   wire      = body || signature (64)
 *
 * Never JSON: one operation has one encoding, so its id names exactly one meaning.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { concat, fromBase64url, u64be, utf8 } from '../crypto';
import { type DeviceIdentity, signAs } from '../device';
import {
  type DeviceId,
  type InviteId,
  isDeviceId,
  isInviteId,
  isVaultId,
  publicKeyOfDevice,
  type VaultId,
} from '../ids';
import { TeamOperationError, type TeamOperationProblem } from './errors';
import { isMemberId, isOperationId, type MemberId, type OperationId, operationIdOf } from './ids';
import { type Role, roleCodes } from './roles';

/** The signature domain, as `signAs` takes it (it prefixes "coffer/v1/"). */
export const teamOpDomain = 'team-op';
export const teamOpVersion = 0x01;
export const magic = utf8('CFTM');
export const headerLength = 64; // magic 4, version 1, kind 1, vault 16, author 32, at 8, count 2
export const signatureLength = 64;
/** More parents than devices a team could have written from at once is not an honest op. */
export const maxParents = 256;
/** Names are for display; bounded so an operation stays small. */
export const maxNameBytes = 256;

export type OperationKind =
  | 'genesis'
  | 'add-member'
  | 'add-device'
  | 'set-role'
  | 'remove-member'
  | 'remove-device'
  | 'transfer-ownership'
  | 'leave';

export const kindCodes: Readonly<Record<OperationKind, number>> = {
  genesis: 0x01,
  'add-member': 0x02,
  'add-device': 0x03,
  'set-role': 0x04,
  'remove-member': 0x05,
  'remove-device': 0x06,
  'transfer-ownership': 0x07,
  leave: 0x08,
};

/** What an operation says, by kind. The genesis' owner device is its author. */
export type OperationBody =
  | {
      readonly kind: 'genesis';
      readonly member: MemberId;
      readonly memberName: string;
      readonly deviceName: string;
    }
  | {
      readonly kind: 'add-member';
      readonly member: MemberId;
      readonly role: Role;
      readonly device: DeviceId;
      readonly memberName: string;
      readonly deviceName: string;
      /** The invitation the member came in by, if any (display and audit only). */
      readonly invite?: InviteId;
    }
  | {
      readonly kind: 'add-device';
      readonly member: MemberId;
      readonly device: DeviceId;
      readonly deviceName: string;
    }
  | { readonly kind: 'set-role'; readonly member: MemberId; readonly role: Role }
  | { readonly kind: 'remove-member'; readonly member: MemberId }
  | { readonly kind: 'remove-device'; readonly device: DeviceId }
  | { readonly kind: 'transfer-ownership'; readonly member: MemberId }
  | { readonly kind: 'leave' };

/** Where an operation stands: its vault, when its author says it wrote it, what it knew. */
export interface OperationContext {
  readonly vault: VaultId;
  /** Milliseconds since the epoch by the author's clock: shown, never used to decide. */
  readonly at: number;
  /** The heads of the log as its author knew them; none for the genesis only. */
  readonly parents: readonly OperationId[];
}

/** What a writer fills in; the author is the signing device. */
export type OperationDraft = OperationContext & OperationBody;
export type Operation = OperationDraft & { readonly author: DeviceId };

/**
 * The SignedOperations this module made or verified (createOperation, decodeOperation): frozen,
 * so `deriveTeam` need not verify them again. Any other object is verified from its bytes.
 */
const verified = new WeakSet<object>();

/** Whether `value` is a SignedOperation made or verified here (so its fields can be trusted). */
export const isVerifiedOperation = (value: object): value is SignedOperation => verified.has(value);

export function sealed(id: OperationId, operation: Operation, bytes: Uint8Array): SignedOperation {
  Object.freeze(operation.parents);
  const result = Object.freeze({ id, operation: Object.freeze(operation), bytes });
  verified.add(result);
  return result;
}

/** A decoded, verified operation: `bytes` is what is stored and sent, `id` its name. */
export interface SignedOperation {
  readonly id: OperationId;
  readonly operation: Operation;
  readonly bytes: Uint8Array;
}

export const hex = (bytes: Uint8Array) =>
  Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');

/** Orders ids as their bytes (base64url text does not sort as its bytes do). */
export function compareOperationIds(a: OperationId, b: OperationId): number {
  const x = hex(fromBase64url(a));
  const y = hex(fromBase64url(b));
  return x < y ? -1 : x > y ? 1 : 0;
}

export function fail(problem: TeamOperationProblem, message: string, field?: string): never {
  throw new TeamOperationError(problem, message, field);
}

function u16be(value: number): Uint8Array {
  return new Uint8Array([value >>> 8, value & 0xff]);
}

function field(bytes: Uint8Array): Uint8Array {
  return concat(u16be(bytes.length), bytes);
}

function nameBytes(name: string, which: string): Uint8Array {
  const bytes = typeof name === 'string' ? utf8(name) : fail('invalid-field', 'not text', which);
  if (bytes.length < 1 || bytes.length > maxNameBytes) {
    fail('invalid-field', `a name is 1 to ${maxNameBytes} UTF-8 bytes, got ${bytes.length}`, which);
  }
  return bytes;
}

function fieldsOf(body: OperationBody): Uint8Array[] {
  const codes: Readonly<Record<string, number | undefined>> = roleCodes;
  const role = (r: Role) =>
    new Uint8Array([codes[r] ?? fail('invalid-field', 'unknown role', 'role')]);
  switch (body.kind) {
    case 'genesis':
      return [
        fromBase64url(body.member),
        nameBytes(body.memberName, 'memberName'),
        nameBytes(body.deviceName, 'deviceName'),
      ];
    case 'add-member':
      return [
        fromBase64url(body.member),
        role(body.role),
        publicKeyOfDevice(body.device),
        nameBytes(body.memberName, 'memberName'),
        nameBytes(body.deviceName, 'deviceName'),
        body.invite === undefined ? new Uint8Array(0) : fromBase64url(body.invite),
      ];
    case 'add-device':
      return [
        fromBase64url(body.member),
        publicKeyOfDevice(body.device),
        nameBytes(body.deviceName, 'deviceName'),
      ];
    case 'set-role':
      return [fromBase64url(body.member), role(body.role)];
    case 'remove-member':
    case 'transfer-ownership':
      return [fromBase64url(body.member)];
    case 'remove-device':
      return [publicKeyOfDevice(body.device)];
    case 'leave':
      return [];
  }
}

/** The canonical body of an operation: what is hashed and signed. Checks every field. */
export function encodeOperation(operation: Operation): Uint8Array {
  const kinds: Readonly<Record<string, number | undefined>> = kindCodes;
  const code = kinds[operation.kind] ?? fail('unsupported', 'unknown kind', 'kind');
  const { parents } = operation;
  if (operation.kind === 'genesis' ? parents.length !== 0 : parents.length < 1) {
    fail(
      'invalid-field',
      'the genesis has no parents, every other operation has one or more',
      'parents',
    );
  }
  if (parents.length > maxParents)
    fail('invalid-field', `at most ${maxParents} parents`, 'parents');
  for (let i = 1; i < parents.length; i++) {
    if (compareOperationIds(parents[i - 1]!, parents[i]!) >= 0) {
      fail('invalid-field', 'parents are ascending and distinct', 'parents');
    }
  }
  if (!Number.isSafeInteger(operation.at) || operation.at < 0) {
    fail('invalid-field', 'at is a non-negative safe integer', 'at');
  }
  if (!parents.every(isOperationId)) fail('invalid-field', 'parents are operation ids', 'parents');
  if ('member' in operation && !isMemberId(operation.member)) {
    fail('invalid-field', 'a member id is 16 bytes of canonical base64url', 'member');
  }
  if (!isDeviceId(operation.author) || ('device' in operation && !isDeviceId(operation.device))) {
    fail('invalid-field', 'a device id is a 32-byte public key in canonical base64url', 'device');
  }
  if (!isVaultId(operation.vault)) fail('invalid-field', 'a vault id is 16 bytes', 'vault');
  if ('invite' in operation && operation.invite !== undefined && !isInviteId(operation.invite)) {
    fail('invalid-field', 'an invite id is 16 bytes of canonical base64url', 'invite');
  }
  const vault = fromBase64url(operation.vault);
  return concat(
    magic,
    new Uint8Array([teamOpVersion, code]),
    vault,
    publicKeyOfDevice(operation.author),
    u64be(operation.at),
    u16be(parents.length),
    ...parents.map((p) => fromBase64url(p)),
    ...fieldsOf(operation).map(field),
  );
}

/**
 * Encodes, hashes and signs a draft as `identity`. Parents are sorted and de-duplicated here,
 * so a writer may pass its heads in any order. Throws TeamOperationError for a field out of
 * its rules.
 */
export function createOperation(identity: DeviceIdentity, draft: OperationDraft): SignedOperation {
  if (!Array.isArray(draft.parents) || !draft.parents.every(isOperationId)) {
    fail('invalid-field', 'parents are operation ids (43 base64url characters)', 'parents');
  }
  const parents = [...new Set(draft.parents)].sort(compareOperationIds);
  const operation = { ...draft, parents, author: identity.id } as Operation;
  const body = encodeOperation(operation);
  const hash = sha256(body);
  const signature = signAs(identity, teamOpDomain, hash);
  return sealed(operationIdOf(hash), operation, concat(body, signature));
}
