/**
 * The write side of history, over the document's `history` and `deleted` maps (layout in
 * ../entry-doc.ts). An entry's chain in `history` is both its history and its content
 * (../entry-chain.ts): a write appends one version to it, in the write's transaction, so a write
 * and its version are one Yjs update, and one import is still one update.
 */
import * as Y from 'yjs';
import { appendVersion, planChainWrite, type StoredEntry } from '../entry-chain';
import {
  chainOf,
  DELETED_MAP,
  EntryKey,
  type EntryMap,
  HISTORY_MAP,
  META_MAP,
  snapshotEntry,
} from '../entry-doc';
import type { PreparedEntry } from '../entry-input';
import { isLegacyEntry, LEGACY_CONTENT_KEYS } from '../entry-legacy';
import {
  currentVersionOf,
  readDeletedRecord,
  readStoredVersions,
  type StoredVersion,
} from './read';
import { dayMs, readHistorySettings } from './settings';

/**
 * Makes a new entry (or re-makes a deleted one under its id) with `stored` as its content: its
 * map (name, kind, creation time and device) and the first version of its chain (a restored
 * entry's chain goes on from its old versions). Must run inside a transaction.
 * @example
 * doc.transact(() => createEntry(doc, id, stored, now, deviceId));
 */
export function createEntry(
  doc: Y.Doc,
  id: string,
  entries: Y.Map<unknown>,
  stored: StoredEntry,
  now: number,
  by: string,
): EntryMap {
  const entry = new Y.Map<unknown>();
  entries.set(id, entry);
  entry.set(EntryKey.name, stored.name);
  entry.set(EntryKey.createdAt, now);
  entry.set(EntryKey.kind, stored.kind);
  if (by !== '') entry.set(EntryKey.createdBy, by);
  // Always a new array: a restored entry's chain is a copy of its old one, so that a device
  // purging the old one at the same time (its time was up there) cannot take the restored
  // entry's content with it. The copy costs one write of its versions, once per restore.
  const previous = chainOf(doc, id)?.toArray() ?? [];
  const chain = new Y.Array<unknown>();
  doc.getMap(HISTORY_MAP).set(id, chain);
  if (previous.length > 0) chain.push(previous);
  appendVersion(chain, { at: now, by, entry: stored, set: undefined }, limitOf(doc));
  return entry;
}

/**
 * Writes an entry: `prepared` as its new content (or, without it, its content as it is) under
 * `name`, as one version appended to its chain, plus the `name` and `kind` registers when they
 * change. Returns whether anything changed (a write that changes nothing records nothing). An
 * entry of the older layout is moved to its chain by its first change: the state before is
 * stored first (marked `first` when it had no version) and its map's content keys deleted.
 * Must run inside the write's transaction.
 * @example
 * doc.transact(() => writeVersion(doc, id, entry, prepared, name, now, deviceId));
 */
export function writeVersion(
  doc: Y.Doc,
  id: string,
  entry: EntryMap,
  prepared: PreparedEntry | undefined,
  name: string,
  now: number,
  by: string,
): boolean {
  const renamed = entry.get(EntryKey.name) !== name;
  const legacy = isLegacyEntry(entry);
  const before = legacy ? unrecordedState(doc, id, entry) : undefined;
  const current = snapshotEntry(entry, chainOf(doc, id), name);
  let stored: StoredEntry;
  let set: string[] | undefined;
  if (prepared !== undefined) {
    ({ stored, set } = planChainWrite(current, prepared, name));
    if (set?.length === 0 && !renamed) return false;
  } else {
    if (!renamed) return false;
    if (current === undefined) {
      // Unreadable content: the name changes, and no version is invented.
      entry.set(EntryKey.name, name);
      return true;
    }
    [stored, set] = [current, []];
  }
  if (renamed) entry.set(EntryKey.name, name);
  if (entry.get(EntryKey.kind) !== stored.kind) entry.set(EntryKey.kind, stored.kind);
  const chain = chainFor(doc, id);
  if (legacy) {
    storeFirst(chain, before);
    for (const key of LEGACY_CONTENT_KEYS) if (entry.has(key)) entry.delete(key);
  }
  appendVersion(chain, { at: now, by, entry: stored, set }, limitOf(doc));
  return true;
}

/**
 * The first change (or the deletion) of an entry of the older layout that never changed stores
 * the state before it first: none was stored. Marked `first`, so that the same state stored by
 * two devices that first changed the entry while apart reads as one version (read.ts), and
 * `set: []`: it decides no key, so a concurrent first change on another device is not undone
 * by this copy of the old state (an entry's content only falls back on it when no retained
 * version set a key).
 */
function storeFirst(chain: Y.Array<unknown>, before: StoredVersion | undefined): void {
  if (before !== undefined) appendVersion(chain, { ...before, set: [], first: true }, Infinity);
}

const limitOf = (doc: Y.Doc) => readHistorySettings(doc.getMap(META_MAP)).versionsPerEntry;

/**
 * The entry's state before a write, when no version of it is stored yet: an entry of the
 * older layout that never changed since it was made. What its first change stores first.
 * @example
 * const before = unrecordedState(doc, id, entry);
 */
export function unrecordedState(
  doc: Y.Doc,
  id: string,
  entry: EntryMap,
): StoredVersion | undefined {
  if (!isLegacyEntry(entry)) return undefined;
  const versions = chainOf(doc, id);
  if (versions !== undefined && versions.length > 0) return undefined;
  return currentVersionOf(entry);
}

/**
 * The entry's chain, made when missing. It is made with the entry (creation is one device's
 * act), so devices that later edit the entry apart append to the same array.
 */
function chainFor(doc: Y.Doc, id: string): Y.Array<unknown> {
  const existing = chainOf(doc, id);
  if (existing !== undefined) return existing;
  const versions = new Y.Array<unknown>();
  doc.getMap(HISTORY_MAP).set(id, versions);
  return versions;
}

/**
 * Moves an entry that is being deleted to `deleted` (its history stays in `history`). An
 * entry that cannot be read is kept as its last readable version, if it has one.
 * @example
 * doc.transact(() => { recordDeletion(doc, id, entry, name, now, by); entries.delete(id); });
 */
export function recordDeletion(
  doc: Y.Doc,
  id: string,
  entry: EntryMap,
  name: string,
  now: number,
  by: string,
): void {
  storeFirst(chainFor(doc, id), unrecordedState(doc, id, entry));
  const stored =
    snapshotEntry(entry, chainOf(doc, id), name) ?? readStoredVersions(doc, id).at(-1)?.entry;
  if (stored === undefined) return;
  doc.getMap(DELETED_MAP).set(id, { at: now, by, entry: stored } satisfies StoredVersion);
}

/**
 * Removes deleted entries (and their history) whose time is up by `now`. Must run inside a
 * transaction. Returns how many were purged.
 *
 * The time is the deleting device's clock: a peer with a clock set ahead makes its deletions
 * expire sooner, but a writer can delete the history outright anyway (docs/history.md).
 * @example
 * doc.transact(() => purgeExpired(doc, Date.now()));
 */
export function purgeExpired(doc: Y.Doc, now: number): number {
  const deleted = doc.getMap(DELETED_MAP);
  if (deleted.size === 0) return 0;
  const keep = readHistorySettings(doc.getMap(META_MAP)).deletedDays * dayMs;
  const expired: string[] = [];
  for (const id of deleted.keys()) {
    const record = readDeletedRecord(doc, id);
    // Unreadable records are left alone, as unknown entries are: a newer version may read them.
    if (record !== undefined && record.at + keep <= now) expired.push(id);
  }
  const history = doc.getMap(HISTORY_MAP);
  for (const id of expired) {
    deleted.delete(id);
    history.delete(id);
  }
  return expired.length;
}

/**
 * Drops every entry's oldest versions beyond `limit` (after the limit was lowered). Must run
 * inside a transaction.
 * @example
 * doc.transact(() => pruneAll(doc, 10));
 */
export function pruneAll(doc: Y.Doc, limit: number): void {
  for (const versions of doc.getMap(HISTORY_MAP).values()) {
    if (versions instanceof Y.Array && versions.length > limit) {
      versions.delete(0, versions.length - limit);
    }
  }
}
