/**
 * Small byte helpers shared by the crypto module. Everything is a `Uint8Array`; inputs are
 * never modified.
 */
import { concatBytes, equalBytes, randomBytes as nobleRandomBytes } from '@noble/ciphers/utils.js';
import { base64urlnopad } from '@scure/base';
import { InvalidBase64urlError } from './errors';

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

export const utf8 = (text: string): Uint8Array => encoder.encode(text);

/** Decodes UTF-8, rejecting invalid sequences instead of replacing them. */
export const fromUtf8 = (bytes: Uint8Array): string => decoder.decode(bytes);

export const concat = (...parts: Uint8Array[]): Uint8Array => concatBytes(...parts);

/** Constant-time comparison, so key ids and checksums leak nothing through timing. */
export const bytesEqual = (a: Uint8Array, b: Uint8Array): boolean => equalBytes(a, b);

/** Cryptographically secure random bytes (WebCrypto's getRandomValues, in Node and browsers). */
export const randomBytes = (length: number): Uint8Array => nobleRandomBytes(length);

export function u32be(value: number): Uint8Array {
  if (!Number.isInteger(value) || value < 0 || value > 0xffff_ffff) {
    throw new RangeError(`expected an integer from 0 to 2^32-1, got ${value}`);
  }
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, value, false);
  return out;
}

export function u64be(value: number): Uint8Array {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`expected a non-negative safe integer, got ${value}`);
  }
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, BigInt(value), false);
  return out;
}

export function readU32be(bytes: Uint8Array, offset: number): number {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(offset, false);
}

/** What a character that is not base64url is, in words (never the character of a secret). */
function describeCharacter(char: string): string {
  if (char === '=') return "padding ('=')";
  if (char === '+' || char === '/') return "standard base64's '+' or '/', not base64url";
  if (/\s/.test(char)) return 'whitespace';
  return 'not a base64url character';
}

/**
 * Unpadded base64url (RFC 4648 section 5), used for ids. The encoding is `@scure/base`'s
 * `base64urlnopad`; it is the one spelling `fromBase64url` accepts.
 */
export const toBase64url = (bytes: Uint8Array): string => base64urlnopad.encode(bytes);

/**
 * Decodes canonical unpadded base64url: exactly the text `toBase64url` makes, so every byte
 * string has one spelling. Rejects padding, whitespace, '+' and '/', impossible lengths and a
 * last character with non-zero unused bits, with an InvalidBase64urlError (a RangeError) that
 * says where and why but never quotes the text.
 */
export function fromBase64url(text: string): Uint8Array {
  if (typeof text !== 'string') {
    throw new InvalidBase64urlError(
      'not-a-string',
      0,
      undefined,
      `expected a string, got ${text === null ? 'null' : typeof text}`,
    );
  }
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (!/[A-Za-z0-9_-]/.test(char)) {
      throw new InvalidBase64urlError(
        char === '=' ? 'padding' : 'character',
        text.length,
        i + 1,
        `character ${i + 1} of ${text.length} is ${describeCharacter(char)}`,
      );
    }
  }
  if (text.length % 4 === 1) {
    throw new InvalidBase64urlError(
      'length',
      text.length,
      undefined,
      `expected a length that is not 1 more than a multiple of 4, got ${text.length} characters`,
    );
  }
  try {
    return base64urlnopad.decode(text);
  } catch {
    // Alphabet and length are checked above: what remains is a last character whose unused
    // low bits are not zero, another spelling of bytes that have a canonical one. The
    // library's error is not kept as the cause: it quotes those bits.
    throw new InvalidBase64urlError(
      'trailing-bits',
      text.length,
      text.length,
      `the last character (${text.length} of ${text.length}) has non-zero unused bits; expected the canonical spelling`,
    );
  }
}

/** Overwrites key material we no longer need (best effort: JS may have made copies). */
export function wipe(...arrays: Uint8Array[]): void {
  for (const array of arrays) array.fill(0);
}
