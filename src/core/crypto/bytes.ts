/**
 * Small byte helpers shared by the crypto module. Everything is a `Uint8Array`; inputs are
 * never modified.
 */
import { concatBytes, equalBytes, randomBytes as nobleRandomBytes } from '@noble/ciphers/utils.js';

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

const base64urlAlphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** Unpadded base64url (RFC 4648 section 5), used for ids. */
export function toBase64url(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const b0 = bytes[i]!;
    const b1 = bytes[i + 1];
    const b2 = bytes[i + 2];
    out += base64urlAlphabet[b0 >> 2];
    out += base64urlAlphabet[((b0 & 3) << 4) | ((b1 ?? 0) >> 4)];
    if (b1 !== undefined) out += base64urlAlphabet[((b1 & 15) << 2) | ((b2 ?? 0) >> 6)];
    if (b2 !== undefined) out += base64urlAlphabet[b2 & 63];
  }
  return out;
}

/** Decodes unpadded base64url; throws a RangeError naming the first bad character. */
export function fromBase64url(text: string): Uint8Array {
  if (text.length % 4 === 1)
    throw new RangeError(`base64url text has an impossible length ${text.length}`);
  const values: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const value = base64urlAlphabet.indexOf(text[i]!);
    if (value < 0)
      throw new RangeError(`character ${i + 1} of the base64url text is not base64url`);
    values.push(value);
  }
  const out = new Uint8Array(Math.floor((values.length * 6) / 8));
  let bits = 0;
  let buffer = 0;
  let index = 0;
  for (const value of values) {
    buffer = (buffer << 6) | value;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[index++] = (buffer >> bits) & 0xff;
    }
  }
  return out;
}

/** Overwrites key material we no longer need (best effort: JS may have made copies). */
export function wipe(...arrays: Uint8Array[]): void {
  for (const array of arrays) array.fill(0);
}
