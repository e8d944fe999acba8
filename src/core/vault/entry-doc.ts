/**
 * The layout of a vault's Yjs document, and the only code that reads or writes an entry's keys.
 *
 * ```
 * doc.getMap('meta')     nameStyle: 'default' | 'environment'
 * doc.getMap('entries')  EntryId -> Y.Map {
 *   name: string, kind: 'item' | 'secret' | 'connection', createdAt: number, updatedAt: number,
 *   value: [number, string]  (item, secret: when it was set, and the value's canonical JSON text)
 *   writeOnly: boolean  (secret)
 *   type: string        (connection)
 *   fields: Y.Map       (connection: field name -> { value: string | null, secret: boolean })
 *   createdBy: string   (the creating device's id; written once)
 * }
 * doc.getMap('history')  EntryId -> Y.Array of versions, oldest first (src/core/vault/history):
 *   { at: number, by: string (device id, or ''), entry: StoredEntry, first?: true }
 *   (empty until the entry first changes: the live entry is then its only version)
 * doc.getMap('deleted')  EntryId -> { at: number, by: string, entry: StoredEntry }
 *   StoredEntry: { kind, name, value?: string (the register's JSON text), writeOnly?: boolean,
 *                  type?: string, fields?: string (JSON text of the connection's fields) }
 * meta: historyVersions?: number (versions kept per entry), deletedDays?: number
 * ```
 *
 * Versions hold JSON text for the reason the value register does (below). docs/history.md.
 *
 * Each key is its own last-writer-wins register, so devices that change different keys of one
 * entry (one renames it, the other changes its value; two different connection fields) both
 * keep their change. A value is kept as JSON text rather than as a Yjs "any" value because
 * lib0's encoding is not faithful to JSON: it turns -0 into 0, decodes a `"__proto__"` key by
 * assignment (changing the prototype instead), and re-encodes unpaired surrogates as U+FFFD.
 * The text round-trips exactly, and what is measured is what is stored.
 *
 * The value carries its own time, and changing only the value does not touch `updatedAt`: a
 * change is then one register write, so repeated overwrites of an entry form one chain of
 * items that Yjs merges into a single tombstone. (Writing `value` and `updatedAt` each time
 * interleaves two chains that cannot merge: 10,000 overwrites kept ~200 KB of tombstones.)
 * An entry's updatedAt is the later of `updatedAt` and the value's time.
 */
import * as Y from 'yjs';
import type { EntryId } from '../ids';
import type { PreparedEntry } from './entry-input';
import {
  type ConnectionField,
  ENTRY_KINDS,
  type Entry,
  type EntryKind,
  type EntrySummary,
  type NameStyle,
} from './entry-types';
import { MalformedEntryError } from './errors';
import type { JsonValue } from './json';

/**
 * Name of the top-level map of entries, by id.
 * @example
 * const entries = doc.getMap(ENTRIES_MAP);
 */
export const ENTRIES_MAP = 'entries';

/**
 * Name of the top-level map of vault settings that sync.
 * @example
 * const meta = doc.getMap(META_MAP);
 */
export const META_MAP = 'meta';

/**
 * Name of the top-level map of entries' past versions, by entry id (src/core/vault/history).
 * @example
 * const versions = doc.getMap(HISTORY_MAP).get(id);
 */
export const HISTORY_MAP = 'history';

/**
 * Name of the top-level map of recently deleted entries, by entry id (src/core/vault/history).
 * @example
 * const deleted = doc.getMap(DELETED_MAP);
 */
export const DELETED_MAP = 'deleted';

/**
 * The top-level maps that hold a vault's content (as opposed to its members, team log, key
 * epochs and audit log, which belong to the vault's devices). A backup carries these; a vault
 * restored from one is a new vault whose document holds copies of them. Their values are plain
 * JSON, Y.Map and Y.Array only.
 * @example
 * for (const name of CONTENT_MAPS) copyMap(from.getMap(name), to.getMap(name));
 */
export const CONTENT_MAPS: readonly string[] = [META_MAP, ENTRIES_MAP, HISTORY_MAP, DELETED_MAP];

/**
 * Keys of an entry's Y.Map.
 * @example
 * (entries.get(id) as EntryMap).get(EntryKey.name);
 */
export const EntryKey = {
  name: 'name',
  kind: 'kind',
  value: 'value',
  writeOnly: 'writeOnly',
  type: 'type',
  fields: 'fields',
  createdAt: 'createdAt',
  updatedAt: 'updatedAt',
  /** The creating device's id, written once with the entry (history's first version names it). */
  createdBy: 'createdBy',
} as const;

/**
 * Keys of the `meta` map.
 * @example
 * doc.getMap(META_MAP).get(MetaKey.nameStyle); // 'environment', or undefined for 'default'
 */
export const MetaKey = {
  nameStyle: 'nameStyle',
  historyVersions: 'historyVersions',
  deletedDays: 'deletedDays',
} as const;

/**
 * An entry as the document holds it.
 * @example
 * const entry = doc.getMap(ENTRIES_MAP).get(id) as EntryMap;
 */
export type EntryMap = Y.Map<unknown>;

/**
 * What the name index needs of an entry, or `undefined` for an entry this version cannot use
 * (no name, an unknown kind from a newer version, no creation time). Such entries are left
 * alone: not listed, never deleted.
 * @example
 * const record = readIndexRecord(doc.getMap('entries').get(id));
 */
export function readIndexRecord(
  entry: unknown,
): { readonly name: string; readonly createdAt: number } | undefined {
  if (!(entry instanceof Y.Map)) return undefined;
  const name: unknown = entry.get(EntryKey.name);
  const kind: unknown = entry.get(EntryKey.kind);
  const createdAt: unknown = entry.get(EntryKey.createdAt);
  if (typeof name !== 'string' || name.length === 0) return undefined;
  if (!ENTRY_KINDS.includes(kind as EntryKind)) return undefined;
  if (typeof createdAt !== 'number' || !Number.isFinite(createdAt)) return undefined;
  return { name, createdAt };
}

/**
 * The vault's naming style; 'default' when unset or unreadable.
 * @example
 * readNameStyle(doc.getMap('meta')); // 'default'
 */
export function readNameStyle(meta: Y.Map<unknown>): NameStyle {
  return meta.get(MetaKey.nameStyle) === 'environment' ? 'environment' : 'default';
}

const kindOf = (entry: EntryMap) => entry.get(EntryKey.kind) as EntryKind;

/** The `[time, JSON text]` register of an item or secret, or undefined if unreadable. */
function readValueRegister(raw: unknown): { at: number; text: string } | undefined {
  if (!Array.isArray(raw) || raw.length !== 2) return undefined;
  const [at, text] = raw as [unknown, unknown];
  if (typeof at !== 'number' || !Number.isFinite(at) || typeof text !== 'string') return undefined;
  return { at, text };
}

function timesOf(entry: EntryMap): { createdAt: number; updatedAt: number } {
  const createdAt = entry.get(EntryKey.createdAt) as number;
  const updatedAt: unknown = entry.get(EntryKey.updatedAt);
  const valueAt = readValueRegister(entry.get(EntryKey.value))?.at ?? Number.NEGATIVE_INFINITY;
  const keyAt = typeof updatedAt === 'number' && Number.isFinite(updatedAt) ? updatedAt : createdAt;
  return { createdAt, updatedAt: Math.max(keyAt, valueAt) };
}

function readField(raw: unknown): ConnectionField | undefined {
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
function sortedFields(fields: unknown): [string, unknown][] {
  if (!(fields instanceof Y.Map)) return [];
  return [...(fields as Y.Map<unknown>).entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * The summary of an indexed entry (no value). Never throws: a list must show every entry even
 * when one is damaged.
 * @example
 * const summary = readSummary(id, entries.get(id) as EntryMap, name);
 */
export function readSummary(id: EntryId, entry: EntryMap, name: string): EntrySummary {
  const kind = kindOf(entry);
  const base = {
    id,
    name,
    kind,
    writeOnly: kind === 'secret' && entry.get(EntryKey.writeOnly) === true,
    ...timesOf(entry),
  };
  if (kind !== 'connection') return base;
  const type: unknown = entry.get(EntryKey.type);
  const fields = sortedFields(entry.get(EntryKey.fields));
  const emptyFields = fields
    .filter(([, raw]) => readField(raw)?.value === null)
    .map(([fieldName]) => fieldName);
  return {
    ...base,
    ...(typeof type === 'string' ? { connectionType: type } : {}),
    emptyFields,
    fieldNames: fields.map(([fieldName]) => fieldName),
  };
}

/**
 * The whole entry, as a fresh copy. Throws MalformedEntryError when a key its kind needs is
 * missing or unreadable (it names the key, never the stored value).
 * @example
 * const entry = readEntry(id, entries.get(id) as EntryMap, name);
 */
export function readEntry(id: EntryId, entry: EntryMap, name: string): Entry {
  const kind = kindOf(entry);
  const times = timesOf(entry);
  const malformed = (key: string, problem: string) =>
    new MalformedEntryError(id, name, key, problem);
  if (kind === 'connection') {
    const type: unknown = entry.get(EntryKey.type);
    if (typeof type !== 'string') throw malformed(EntryKey.type, 'is missing');
    const fields: Record<string, ConnectionField> = {};
    for (const [fieldName, raw] of sortedFields(entry.get(EntryKey.fields))) {
      const field = readField(raw);
      if (field === undefined) throw malformed(`fields.${fieldName}`, 'is not { value, secret }');
      Object.defineProperty(fields, fieldName, {
        value: field,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return { id, name, kind, value: { type, fields }, writeOnly: false, ...times };
  }
  const register = readValueRegister(entry.get(EntryKey.value));
  if (register === undefined) throw malformed(EntryKey.value, 'is missing');
  let value: JsonValue;
  try {
    value = JSON.parse(register.text) as JsonValue;
  } catch {
    // No `cause`: engines quote the text they failed on, and this text is a secret.
    throw malformed(EntryKey.value, 'is not JSON text');
  }
  if (kind === 'secret') {
    return { id, name, kind, value, writeOnly: entry.get(EntryKey.writeOnly) === true, ...times };
  }
  return { id, name, kind, value, writeOnly: false, ...times };
}

/**
 * Writes `prepared` into an entry's map, touching only the keys whose content changes, and
 * `updatedAt` if anything did. Returns whether anything changed. Must run inside a transaction.
 *
 * When the kind changes, every key of the new kind is written even if equal: a device that
 * concurrently changed the kind the other way deletes the keys it saw, and rewritten keys
 * survive that, so whichever kind wins the merge finds its keys.
 * @example
 * doc.transact(() => writeEntry(entry, prepareEntryInput(name, input), clock()));
 */
export function writeEntry(entry: EntryMap, prepared: PreparedEntry, now: number): boolean {
  let changed = false;
  let valueChanged = false;
  const previousKind: unknown = entry.get(EntryKey.kind);
  const kindChanged = previousKind !== prepared.kind;
  const put = (key: string, value: string | boolean) => {
    if (kindChanged || entry.get(key) !== value) {
      entry.set(key, value);
      changed = true;
    }
  };
  const drop = (...keys: string[]) => {
    for (const key of keys) {
      if (entry.has(key)) {
        entry.delete(key);
        changed = true;
      }
    }
  };
  const putValue = (text: string) => {
    if (kindChanged || readValueRegister(entry.get(EntryKey.value))?.text !== text) {
      entry.set(EntryKey.value, [now, text]);
      valueChanged = true;
    }
  };
  put(EntryKey.kind, prepared.kind);
  switch (prepared.kind) {
    case 'item':
      putValue(prepared.text);
      drop(EntryKey.writeOnly, EntryKey.type, EntryKey.fields);
      break;
    case 'secret': {
      putValue(prepared.text);
      const keep = previousKind === 'secret' && entry.get(EntryKey.writeOnly) === true;
      put(EntryKey.writeOnly, prepared.writeOnly ?? keep);
      drop(EntryKey.type, EntryKey.fields);
      break;
    }
    case 'connection': {
      put(EntryKey.type, prepared.type);
      let fields = entry.get(EntryKey.fields);
      if (kindChanged || !(fields instanceof Y.Map)) {
        fields = new Y.Map<unknown>();
        entry.set(EntryKey.fields, fields);
        changed = true;
      }
      if (writeFields(fields as Y.Map<unknown>, prepared.fields)) changed = true;
      drop(EntryKey.value, EntryKey.writeOnly);
      break;
    }
  }
  // A change of the value alone is dated by the value's own register (see the top of the file).
  if (changed) entry.set(EntryKey.updatedAt, now);
  return changed || valueChanged;
}

function writeFields(
  target: Y.Map<unknown>,
  fields: ReadonlyMap<string, ConnectionField>,
): boolean {
  let changed = false;
  for (const [fieldName, field] of fields) {
    const current = readField(target.get(fieldName));
    const writeOnly = field.writeOnly === true;
    if (
      current === undefined ||
      current.value !== field.value ||
      current.secret !== field.secret ||
      (current.writeOnly === true) !== writeOnly
    ) {
      target.set(
        fieldName,
        writeOnly
          ? { value: field.value, secret: field.secret, writeOnly }
          : { value: field.value, secret: field.secret },
      );
      changed = true;
    }
  }
  for (const fieldName of [...target.keys()]) {
    if (!fields.has(fieldName)) {
      target.delete(fieldName);
      changed = true;
    }
  }
  return changed;
}

/**
 * An entry's content as a version holds it (see the layout at the top): plain JSON whose
 * values are JSON text, so lib0's encoding cannot alter them.
 * @example
 * const stored = snapshotEntry(entries.get(id) as EntryMap, 'API_KEY');
 */
export interface StoredEntry {
  readonly kind: EntryKind;
  readonly name: string;
  readonly value?: string;
  readonly writeOnly?: boolean;
  readonly type?: string;
  readonly fields?: string;
}

/**
 * The entry's current content as a version records it, or `undefined` when the map is not an
 * entry this version can read (then no version is recorded: nothing is invented).
 * @example
 * const stored = snapshotEntry(entry, name);
 */
export function snapshotEntry(entry: EntryMap, name: string): StoredEntry | undefined {
  const kind: unknown = entry.get(EntryKey.kind);
  if (kind === 'connection') {
    const type: unknown = entry.get(EntryKey.type);
    if (typeof type !== 'string') return undefined;
    const fields: Record<string, ConnectionField> = {};
    for (const [fieldName, raw] of sortedFields(entry.get(EntryKey.fields))) {
      const field = readField(raw);
      if (field === undefined) return undefined;
      Object.defineProperty(fields, fieldName, { value: field, enumerable: true });
    }
    return { kind, name, type, fields: JSON.stringify(fields) };
  }
  if (kind !== 'item' && kind !== 'secret') return undefined;
  const register = readValueRegister(entry.get(EntryKey.value));
  if (register === undefined) return undefined;
  return kind === 'secret'
    ? { kind, name, value: register.text, writeOnly: entry.get(EntryKey.writeOnly) === true }
    : { kind, name, value: register.text };
}
