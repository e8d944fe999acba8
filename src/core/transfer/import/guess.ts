/**
 * Which format a chosen file most likely is, from its name and its first bytes, to preselect
 * the format in the import dialog (the user can change it). KDBX is known by its signature
 * (0x9AA2D903 0xB54BFB67), a Bitwarden export by its "encrypted" and "items" keys.
 */
import type { ImportFormat } from '../types';

const kdbxSignature = [0x03, 0xd9, 0xa2, 0x9a, 0x67, 0xfb, 0x4b, 0xb5];

/**
 * Guesses the format of a file from its name and its first bytes (a few KB are enough).
 * @example
 * guessFormat('prod.env', new TextEncoder().encode('A=1')); // 'dotenv'
 */
export function guessFormat(fileName: string, head: Uint8Array): ImportFormat {
  if (kdbxSignature.every((byte, at) => head[at] === byte)) return 'kdbx';
  const name = fileName.toLowerCase();
  const text = new TextDecoder('utf-8', { fatal: false }).decode(head.subarray(0, 4096));
  const start = text.replace(/^\uFEFF/, '').trimStart();
  if (name.endsWith('.kdbx')) return 'kdbx';
  if (name.endsWith('.csv')) return 'csv';
  if (start.startsWith('{') || start.startsWith('[') || name.endsWith('.json')) {
    return /"encrypted"\s*:/.test(text) && /"items"\s*:/.test(text) ? 'bitwarden' : 'json';
  }
  if (name.endsWith('.env') || name.startsWith('.env') || name.includes('.env.')) return 'dotenv';
  const firstLine = start.split(/\r?\n/, 1)[0] ?? '';
  if (/^(export\s+)?[\w.-]+\s*=/.test(firstLine) || firstLine.startsWith('#')) return 'dotenv';
  return firstLine.includes(',') ? 'csv' : 'dotenv';
}
