/**
 * The read side of history: stored versions and deleted records, checked as they are read.
 * Anything malformed (a damaged or newer peer's write) is skipped rather than thrown, so one bad
 * version never hides the others.
 */
import * as Y from 'yjs';
import type { EntryId } from '../../ids';
import { readChainVersion } from '../entry-chain';
import {
  DELETED_MAP,
  ENTRIES_MAP,
  EntryKey,
  type EntryMap,
  HISTORY_MAP,
  readSummary,
  type StoredEntry,
  snapshotEntry,
} from '../entry-doc';

/**
 * One version as stored: when (the writing device's clock), which device, and the entry.
 * @example
 * const version: StoredVersion = { at: Date.now(), by: deviceId, entry: { kind: 'item', name: 'a', value: '1' } };
 */
export interface StoredVersion {
  readonly at: number;
  readonly by: string;
  readonly entry: StoredEntry;
}

/**
 * One stored version or deleted record, or `undefined` if malformed.
 * @example
 * readStoredVersion(versions.get(0));
 */
export function readStoredVersion(raw: unknown): StoredVersion | undefined {
  const version = readChainVersion(raw);
  return version === undefined
    ? undefined
    : { at: version.at, by: version.by, entry: version.entry };
}

/**
 * The entry as it is now, as a version of its history: when it last changed, the device that
 * made it ('' unless it was never changed since it was created there), and its content. What
 * history shows for an entry that has not changed since it was made. `undefined` for an entry
 * this version cannot read.
 * @example
 * currentVersionOf(entries.get(id) as EntryMap)?.at;
 */
export function currentVersionOf(entry: EntryMap): StoredVersion | undefined {
  const name: unknown = entry.get(EntryKey.name);
  if (typeof name !== 'string') return undefined;
  // Only an entry of the older layout has no version (a chained one is made with its first).
  const stored = snapshotEntry(entry, undefined, name);
  if (stored === undefined) return undefined;
  // The summary's times are the entry's own (its keys and its value's time); the id is unused.
  const { createdAt, updatedAt } = readSummary('' as EntryId, entry, undefined, name);
  const createdBy: unknown = entry.get(EntryKey.createdBy);
  const by = typeof createdBy === 'string' && updatedAt === createdAt ? createdBy : '';
  return { at: updatedAt, by, entry: stored };
}

/**
 * The live entry as its only version, when its history holds none: an entry that has not
 * changed since it was made stores no version (its first change stores both), so that a vault
 * of entries never edited does not keep each one twice.
 */
function unchangedEntry(doc: Y.Doc, id: string): StoredVersion | undefined {
  const versions = doc.getMap(HISTORY_MAP).get(id);
  if (versions instanceof Y.Array && versions.length > 0) return undefined;
  const entry = doc.getMap(ENTRIES_MAP).get(id);
  return entry instanceof Y.Map ? currentVersionOf(entry as EntryMap) : undefined;
}

/**
 * The entry's versions as stored, oldest first, each with its position in the array (what
 * `restoreVersion` takes); for an entry never changed, the entry itself at position 0.
 * Malformed versions are left out but keep their position, and so does a repeat of the
 * state before the entry's first change (two devices that first changed it while apart each
 * stored that state, marked `first`: record.ts).
 * @example
 * for (const { index, version } of readIndexedVersions(doc, id)) console.warn(index, version.at);
 */
export function readIndexedVersions(
  doc: Y.Doc,
  id: string,
): { index: number; version: StoredVersion }[] {
  const unchanged = unchangedEntry(doc, id);
  if (unchanged !== undefined) return [{ index: 0, version: unchanged }];
  const versions = doc.getMap(HISTORY_MAP).get(id);
  if (!(versions instanceof Y.Array)) return [];
  const out: { index: number; version: StoredVersion }[] = [];
  const seen = new Set<string>();
  (versions as Y.Array<unknown>).forEach((raw, index) => {
    const version = readStoredVersion(raw);
    if (version === undefined) return;
    if ((raw as { first?: unknown }).first === true) {
      const text = JSON.stringify([version.at, version.by, version.entry]);
      if (seen.has(text)) return;
      seen.add(text);
    }
    out.push({ index, version });
  });
  return out;
}

/**
 * The entry's readable versions, oldest first.
 * @example
 * readStoredVersions(doc, id).at(-1)?.entry.name;
 */
export function readStoredVersions(doc: Y.Doc, id: string): StoredVersion[] {
  return readIndexedVersions(doc, id).map(({ version }) => version);
}

/**
 * The number of slots in the entry's history (readable or not; 1 for an entry never changed).
 * @example
 * versionCount(doc, id); // 3
 */
export function versionCount(doc: Y.Doc, id: string): number {
  if (unchangedEntry(doc, id) !== undefined) return 1;
  const versions = doc.getMap(HISTORY_MAP).get(id);
  return versions instanceof Y.Array ? versions.length : 0;
}

/**
 * The version at `index` of the entry's history, or `undefined` (none, or malformed).
 * @example
 * readVersionAt(doc, id, 0);
 */
export function readVersionAt(doc: Y.Doc, id: string, index: number): StoredVersion | undefined {
  if (!Number.isInteger(index)) return undefined;
  const unchanged = unchangedEntry(doc, id);
  if (unchanged !== undefined) return index === 0 ? unchanged : undefined;
  const versions = doc.getMap(HISTORY_MAP).get(id);
  if (!(versions instanceof Y.Array)) return undefined;
  if (index < 0 || index >= versions.length) return undefined;
  return readStoredVersion(versions.get(index));
}

/**
 * The deleted record of an entry, or `undefined`.
 * @example
 * readDeletedRecord(doc, id)?.at;
 */
export function readDeletedRecord(doc: Y.Doc, id: string): StoredVersion | undefined {
  return readStoredVersion(doc.getMap(DELETED_MAP).get(id));
}

/**
 * Every readable deleted record, by entry id.
 * @example
 * for (const [id, record] of readDeletedRecords(doc)) console.warn(id, record.entry.name);
 */
export function readDeletedRecords(doc: Y.Doc): [string, StoredVersion][] {
  const out: [string, StoredVersion][] = [];
  for (const id of doc.getMap(DELETED_MAP).keys()) {
    const record = readDeletedRecord(doc, id);
    if (record !== undefined) out.push([id, record]);
  }
  return out;
}
