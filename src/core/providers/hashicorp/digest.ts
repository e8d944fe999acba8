import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import type { JsonValue } from '../../vault';

/** JSON with object keys sorted at every depth, so equal data gives equal text. */
export function canonicalJson(value: JsonValue): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const keys = Object.keys(value).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k] as JsonValue)}`).join(',')}}`;
}

/**
 * KV v1 has no versions (api-docs/secret/kv/kv-v1): Coffer's version of a v1 secret is the
 * SHA-256 of its canonical JSON, so any change of content is a change of version.
 */
export function contentDigest(values: Readonly<Record<string, JsonValue>>): string {
  return bytesToHex(sha256(utf8ToBytes(canonicalJson(values as JsonValue))));
}
