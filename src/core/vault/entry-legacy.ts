/**
 * Reading an entry written in the layout before one chain per entry (docs/history.md,
 * "Layout"): its content in registers of its own map (`value`: [time, JSON text] for items and
 * secrets, `writeOnly`, `type`, `fields`: Y.Map of connection fields, `updatedAt`). Such an
 * entry reads as it always did until its first change through this version, which moves its
 * content into its chain (history/record.ts) and deletes these keys.
 */
import * as Y from 'yjs';
import type { StoredEntry } from './entry-chain';
import type { ConnectionField } from './entry-types';

/**
 * The keys of an entry's map that hold content in the older layout.
 * @example
 * for (const key of LEGACY_CONTENT_KEYS) entry.delete(key);
 */
export const LEGACY_CONTENT_KEYS = ['value', 'writeOnly', 'type', 'fields', 'updatedAt'] as const;

/**
 * Whether an entry's content is in its map (the older layout) rather than in its chain.
 * @example
 * isLegacyEntry(entries.get(id) as Y.Map<unknown>);
 */
export function isLegacyEntry(entry: Y.Map<unknown>): boolean {
  return entry.has('value') || entry.has('fields');
}

/** The `[time, JSON text]` register of an item or secret, or undefined if unreadable. */
export function readValueRegister(raw: unknown): { at: number; text: string } | undefined {
  if (!Array.isArray(raw) || raw.length !== 2) return undefined;
  const [at, text] = raw as [unknown, unknown];
  if (typeof at !== 'number' || !Number.isFinite(at) || typeof text !== 'string') return undefined;
  return { at, text };
}

/**
 * One connection field as stored (in a legacy map or a version's fields text), or undefined.
 * @example
 * readField({ value: 'h', secret: false });
 */
export function readField(raw: unknown): ConnectionField | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const { value, secret, writeOnly } = raw as {
    value?: unknown;
    secret?: unknown;
    writeOnly?: unknown;
  };
  if ((value !== null && typeof value !== 'string') || typeof secret !== 'boolean')
    return undefined;
  return secret && writeOnly === true ? { value, secret, writeOnly: true } : { value, secret };
}

/** Field names in a fixed order: replicas integrate keys in different orders. */
export function sortedFields(fields: unknown): [string, unknown][] {
  if (!(fields instanceof Y.Map)) return [];
  return [...(fields as Y.Map<unknown>).entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * A legacy entry's last change: the later of `updatedAt` and its value's own time.
 * @example
 * legacyUpdatedAt(entry, createdAt);
 */
export function legacyUpdatedAt(entry: Y.Map<unknown>, createdAt: number): number {
  const updatedAt: unknown = entry.get('updatedAt');
  const valueAt = readValueRegister(entry.get('value'))?.at ?? Number.NEGATIVE_INFINITY;
  const keyAt = typeof updatedAt === 'number' && Number.isFinite(updatedAt) ? updatedAt : createdAt;
  return Math.max(keyAt, valueAt);
}

/**
 * A legacy entry's content as a version holds it, or `undefined` when a key its kind needs is
 * unreadable; `problem` then says which (for MalformedEntryError, never the value).
 * @example
 * const { stored } = legacyContent(entry, 'API_KEY');
 */
export function legacyContent(
  entry: Y.Map<unknown>,
  name: string,
):
  | { stored: StoredEntry; problem?: undefined }
  | { stored?: undefined; problem: [string, string] } {
  const kind: unknown = entry.get('kind');
  if (kind === 'connection') {
    const type: unknown = entry.get('type');
    if (typeof type !== 'string') return { problem: ['type', 'is missing'] };
    const fields: Record<string, ConnectionField> = {};
    for (const [fieldName, raw] of sortedFields(entry.get('fields'))) {
      const field = readField(raw);
      if (field === undefined)
        return { problem: [`fields.${fieldName}`, 'is not { value, secret }'] };
      Object.defineProperty(fields, fieldName, { value: field, enumerable: true });
    }
    return { stored: { kind, name, type, fields: JSON.stringify(fields) } };
  }
  const register = readValueRegister(entry.get('value'));
  if (register === undefined) return { problem: ['value', 'is missing'] };
  if (kind === 'secret') {
    return {
      stored: { kind, name, value: register.text, writeOnly: entry.get('writeOnly') === true },
    };
  }
  return { stored: { kind: 'item', name, value: register.text } };
}
