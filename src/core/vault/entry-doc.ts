/**
 * The layout of a vault's Yjs document, and the only code that reads an entry's keys.
 *
 * ```
 * doc.getMap('meta')     nameStyle: 'default' | 'environment'
 * doc.getMap('entries')  EntryId -> Y.Map {
 *   name: string, kind: 'item' | 'secret' | 'connection', createdAt: number,
 *   createdBy: string   (the creating device's id; written once)
 * }
 * doc.getMap('history')  EntryId -> Y.Array: the entry's chain, oldest first (entry-chain.ts):
 *   { at: number, by: string (device id, or ''), entry: StoredEntry, set?: string[],
 *     first?: true }
 *   the entry's content is resolved from it; it stays after a deletion (Recently deleted)
 * doc.getMap('deleted')  EntryId -> { at: number, by: string, entry: StoredEntry }
 *   StoredEntry: { kind, name, value?: string (the value's canonical JSON text),
 *                  writeOnly?: boolean, type?: string,
 *                  fields?: string (JSON text of { field: { value, secret, writeOnly? } }) }
 * meta: historyVersions?: number (versions kept per entry), deletedDays?: number
 * ```
 *
 * Every write of an entry's content appends ONE version to its chain and writes nothing else,
 * so one device's writes of an entry are contiguous Yjs items that merge, live and pruned
 * alike (storage stays about the retained versions: docs/history.md, "Storage"). The name and
 * the kind are registers of the entry's map (a rename or a change of kind also sets them):
 * devices that rename an entry and change its value apart both keep their change; content keys
 * merge key by key by the versions' `set` (entry-chain.ts).
 *
 * An entry of the older layout keeps its content in its map (`value`: [time, JSON text],
 * `writeOnly`, `type`, `fields`: Y.Map, `updatedAt`; entry-legacy.ts) and reads from there until
 * its first change through this version, which moves it into the chain.
 *
 * A value is kept as JSON text rather than as a Yjs "any" value because lib0's encoding is not
 * faithful to JSON: it turns -0 into 0, decodes a `"__proto__"` key by assignment (changing the
 * prototype instead), and re-encodes unpaired surrogates as U+FFFD. The text round-trips
 * exactly, and what is measured is what is stored.
 */
import * as Y from 'yjs';
import type { EntryId } from '../ids';
import {
  parseFields,
  readChain,
  readChainVersion,
  resolveContent,
  type StoredEntry,
} from './entry-chain';
import { isLegacyEntry, legacyContent, legacyUpdatedAt, readField } from './entry-legacy';
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

export type { StoredEntry } from './entry-chain';

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

/**
 * An entry's chain: its array in `history` (undefined when it has none).
 * @example
 * const chain = chainOf(doc, id);
 */
export function chainOf(doc: Y.Doc, id: string): Y.Array<unknown> | undefined {
  const chain = doc.getMap(HISTORY_MAP).get(id);
  return chain instanceof Y.Array ? (chain as Y.Array<unknown>) : undefined;
}

/**
 * What an entry holds now, from its chain (or, for an entry in the older layout, its map):
 * the content as a version stores it, with the entry's name, and when it last changed; or,
 * when the content is unreadable, which key and why (never the value).
 */
type Current =
  | { stored: StoredEntry; problem?: undefined; createdAt: number; updatedAt: number }
  | { stored?: undefined; problem: [string, string]; createdAt: number; updatedAt: number };

function currentOf(entry: EntryMap, chain: unknown, name: string): Current {
  const createdAt = entry.get(EntryKey.createdAt) as number;
  if (isLegacyEntry(entry)) {
    return {
      ...legacyContent(entry, name),
      createdAt,
      updatedAt: legacyUpdatedAt(entry, createdAt),
    };
  }
  const kind = kindOf(entry);
  const versions = readChain(chain);
  const updatedAt = Math.max(createdAt, versions.at(-1)?.at ?? createdAt);
  const resolved = resolveContent(versions, kind);
  if (resolved === undefined) {
    return {
      problem: [kind === 'connection' ? 'type' : 'value', 'is missing'],
      createdAt,
      updatedAt,
    };
  }
  return { stored: { ...resolved, name }, createdAt, updatedAt };
}

/**
 * When an entry was created and last changed, as `currentOf` tells them, without resolving its
 * content: the last readable version of its chain dates the change. An item's summary needs
 * no more, and resolving 10,000 values was a third of listing a vault after its first sync.
 */
function timesOf(entry: EntryMap, chain: unknown): { createdAt: number; updatedAt: number } {
  const createdAt = entry.get(EntryKey.createdAt) as number;
  if (isLegacyEntry(entry)) return { createdAt, updatedAt: legacyUpdatedAt(entry, createdAt) };
  let last: number | undefined;
  if (chain instanceof Y.Array) {
    for (let i = chain.length - 1; i >= 0 && last === undefined; i--)
      last = readChainVersion(chain.get(i))?.at;
  }
  return { createdAt, updatedAt: Math.max(createdAt, last ?? createdAt) };
}

/** The fields of a stored connection, sorted, each checked; or the first bad one's name. */
function fieldsOf(stored: StoredEntry): [string, ConnectionField | undefined][] {
  const raw = parseFields(stored.fields) ?? {};
  return Object.keys(raw)
    .sort()
    .map((fieldName) => [fieldName, readField(raw[fieldName])]);
}

/**
 * The summary of an indexed entry (no value). Never throws: a list must show every entry even
 * when one is damaged.
 * @example
 * const summary = readSummary(id, entries.get(id) as EntryMap, chainOf(doc, id), name);
 */
export function readSummary(
  id: EntryId,
  entry: EntryMap,
  chain: unknown,
  name: string,
): EntrySummary {
  const kind = kindOf(entry);
  if (kind === 'item') return { id, name, kind, writeOnly: false, ...timesOf(entry, chain) };
  const { stored, createdAt, updatedAt } = currentOf(entry, chain, name);
  const base = {
    id,
    name,
    kind,
    writeOnly: kind === 'secret' && stored?.writeOnly === true,
    createdAt,
    updatedAt,
  };
  if (kind !== 'connection') return base;
  const fields = stored === undefined ? [] : fieldsOf(stored);
  return {
    ...base,
    ...(typeof stored?.type === 'string' ? { connectionType: stored.type } : {}),
    emptyFields: fields
      .filter(([, field]) => field?.value === null)
      .map(([fieldName]) => fieldName),
    fieldNames: fields.map(([fieldName]) => fieldName),
  };
}

/**
 * The whole entry, as a fresh copy. Throws MalformedEntryError when a key its kind needs is
 * missing or unreadable (it names the key, never the stored value).
 * @example
 * const entry = readEntry(id, entries.get(id) as EntryMap, chainOf(doc, id), name);
 */
export function readEntry(id: EntryId, entry: EntryMap, chain: unknown, name: string): Entry {
  const kind = kindOf(entry);
  const { stored, problem, createdAt, updatedAt } = currentOf(entry, chain, name);
  const times = { createdAt, updatedAt };
  if (stored === undefined) throw new MalformedEntryError(id, name, problem[0], problem[1]);
  if (kind === 'connection') {
    const fields: Record<string, ConnectionField> = {};
    for (const [fieldName, field] of fieldsOf(stored)) {
      if (field === undefined) {
        throw new MalformedEntryError(id, name, `fields.${fieldName}`, 'is not { value, secret }');
      }
      Object.defineProperty(fields, fieldName, {
        value: field,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return { id, name, kind, value: { type: stored.type!, fields }, writeOnly: false, ...times };
  }
  let value: JsonValue;
  try {
    value = JSON.parse(stored.value!) as JsonValue;
  } catch {
    // No `cause`: engines quote the text they failed on, and this text is a secret.
    throw new MalformedEntryError(id, name, EntryKey.value, 'is not JSON text');
  }
  if (kind === 'secret') {
    return { id, name, kind, value, writeOnly: stored.writeOnly === true, ...times };
  }
  return { id, name, kind, value, writeOnly: false, ...times };
}

/**
 * The entry's current content as a version records it, or `undefined` when the map is not an
 * entry this version can read (then no version is recorded: nothing is invented).
 * @example
 * const stored = snapshotEntry(entry, chainOf(doc, id), name);
 */
export function snapshotEntry(
  entry: EntryMap,
  chain: unknown,
  name: string,
): StoredEntry | undefined {
  if (!ENTRY_KINDS.includes(entry.get(EntryKey.kind) as EntryKind)) return undefined;
  if (typeof entry.get(EntryKey.createdAt) !== 'number') return undefined;
  return currentOf(entry, chain, name).stored;
}
