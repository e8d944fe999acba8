/**
 * The write side of history, over the document's `history` and `deleted` maps (layout in
 * ../entry-doc.ts). The entry store calls these inside the transaction of the write they
 * record, so a write and its version are one Yjs update, and one import is still one update.
 */
import * as Y from 'yjs';
import {
  DELETED_MAP,
  EntryKey,
  type EntryMap,
  HISTORY_MAP,
  META_MAP,
  snapshotEntry,
} from '../entry-doc';
import {
  currentVersionOf,
  readDeletedRecord,
  readStoredVersions,
  type StoredVersion,
} from './read';
import { dayMs, readHistorySettings } from './settings';

/**
 * Appends the entry's current content to its history and drops the oldest versions beyond the
 * vault's limit. Must run inside the write's transaction. An entry this version cannot read
 * records nothing.
 * @example
 * doc.transact(() => { writeEntry(entry, prepared, now); recordVersion(doc, id, entry, name, now, by); });
 */
export function recordVersion(
  doc: Y.Doc,
  id: string,
  entry: EntryMap,
  name: string,
  now: number,
  by: string,
  before?: StoredVersion,
): void {
  const stored = snapshotEntry(entry, name);
  if (stored === undefined) return;
  const versions = versionsArray(doc, id);
  storeFirst(versions, before);
  versions.push([{ at: now, by, entry: stored } satisfies StoredVersion]);
  // The front is the oldest on every replica (Y.Array order), whatever the peers' clocks say.
  const limit = readHistorySettings(doc.getMap(META_MAP)).versionsPerEntry;
  if (versions.length > limit) versions.delete(0, versions.length - limit);
}

/**
 * An entry's first change (or its deletion) stores the state it changes too: until then none
 * was stored. Marked `first`, so that the same state stored by two devices that first changed
 * the entry while apart reads as one version (read.ts).
 */
function storeFirst(versions: Y.Array<unknown>, before: StoredVersion | undefined): void {
  if (before !== undefined && versions.length === 0) versions.push([{ ...before, first: true }]);
}

/**
 * Gives a new entry its (empty) history array, in the transaction that makes the entry: no
 * version is stored until the entry first changes (the live entry is its own first version
 * until then: read.ts), but devices that then change it apart append to this one array.
 * @example
 * doc.transact(() => { entries.set(id, entry); startHistory(doc, id, entry, deviceId); });
 */
export function startHistory(doc: Y.Doc, id: string, entry: EntryMap, author: string): void {
  if (author !== '') entry.set(EntryKey.createdBy, author);
  versionsArray(doc, id);
}

/**
 * The entry's state before a write, when no version of it is stored yet (it never changed
 * since it was made): what its first change stores first.
 * @example
 * const before = unrecordedState(doc, id, entry);
 */
export function unrecordedState(
  doc: Y.Doc,
  id: string,
  entry: EntryMap,
): StoredVersion | undefined {
  const versions = doc.getMap(HISTORY_MAP).get(id);
  if (versions instanceof Y.Array && versions.length > 0) return undefined;
  return currentVersionOf(entry);
}

/**
 * The entry's history array, made when missing. It is made with the entry (creation is one
 * device's act), so devices that later edit the entry apart append to the same array.
 */
function versionsArray(doc: Y.Doc, id: string): Y.Array<unknown> {
  const history = doc.getMap(HISTORY_MAP);
  const existing = history.get(id);
  if (existing instanceof Y.Array) return existing as Y.Array<unknown>;
  const versions = new Y.Array<unknown>();
  history.set(id, versions);
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
  before?: StoredVersion,
): void {
  storeFirst(versionsArray(doc, id), before);
  const stored = snapshotEntry(entry, name) ?? readStoredVersions(doc, id).at(-1)?.entry;
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
