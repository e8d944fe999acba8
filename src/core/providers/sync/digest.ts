/**
 * What a link remembers of a value without keeping it: a salted digest.
 *
 *   digest(salt, value) = base64url(SHA-256(salt bytes || UTF-8(canonical JSON of value)))
 *
 * Canonical JSON is JSON.stringify with every object's keys sorted (arrays keep their order),
 * so `{ a, b }` and `{ b, a }` are one value. The salt is per link (16 random bytes), so equal
 * values in two links do not have equal digests.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { fromBase64url, randomBytes, toBase64url, utf8 } from '../../crypto';
import type { JsonValue } from '../../vault';

/** A digest as stored in a link's base. */
export type ValueDigest = string & { readonly __brand: 'ValueDigest' };

function sortKeys(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    // fromEntries defines own properties: a "__proto__" key stays a key.
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, sortKeys(value[key] as JsonValue)]),
    );
  }
  return value;
}

/** The one spelling of a JSON value: object keys sorted, no spaces. */
export function canonicalJson(value: JsonValue): string {
  return JSON.stringify(sortKeys(value));
}

/** True when two values are the same JSON (absent equals only absent). */
export function sameValue(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  // Equal values are the same JSON, and two strings (most values) are only when equal.
  if (a === b) return true;
  if (typeof a === 'string' && typeof b === 'string') return false;
  return canonicalJson(a) === canonicalJson(b);
}

export function newSalt(): string {
  return toBase64url(randomBytes(16));
}

/** The last salt decoded: a link's digests are taken many at a time under one salt. */
let lastSalt: { readonly text: string; readonly bytes: Uint8Array } | undefined;

function saltBytes(salt: string): Uint8Array {
  if (lastSalt?.text !== salt) lastSalt = { text: salt, bytes: fromBase64url(salt) };
  return lastSalt.bytes;
}

/** The digest of `value` under the link's salt; `undefined` for an absent value. */
export function digestOf(salt: string, value: JsonValue | undefined): ValueDigest | undefined {
  if (value === undefined) return undefined;
  return toBase64url(
    sha256
      .create()
      .update(saltBytes(salt))
      .update(utf8(canonicalJson(value)))
      .digest(),
  ) as ValueDigest;
}
