/**
 * History's part of the entry API, over an entry store and its document: the versions of an
 * entry, a diff of two, the recently deleted, and the settings. Restoring goes through the
 * store (`update`, `restoreDeleted`), so it passes every check a write passes and is recorded
 * as a new version like any write.
 */
import type * as Y from 'yjs';
import type { EntryId } from '../../ids';
import { META_MAP, type StoredEntry } from '../entry-doc';
import type { EntryStore } from '../entry-store';
import type { EntryKind, EntrySummary } from '../entry-types';
import { VersionNotFoundError } from './errors';
import {
  readDeletedRecord,
  readDeletedRecords,
  readIndexedVersions,
  readStoredVersions,
  readVersionAt,
  versionCount,
} from './read';
import { dayMs, type HistorySettings, readHistorySettings } from './settings';
import {
  compareStored,
  contentOf,
  type EntryVersion,
  HiddenValues,
  type VersionDiffLine,
  visibleVersions,
} from './view';

/**
 * An entry in the vault's Recently deleted list (never its value).
 * @example
 * for (const d of await vault.deletedEntries()) console.warn(d.name, new Date(d.expiresAt));
 */
export interface DeletedEntry {
  readonly id: string;
  readonly name: string;
  readonly kind: EntryKind;
  readonly writeOnly: boolean;
  /** When it was deleted, by the deleting device's clock. */
  readonly deletedAt: number;
  /** The device that deleted it ('' if unknown). */
  readonly by: string;
  /** When it will be purged (deletedAt plus the vault's deletedDays). */
  readonly expiresAt: number;
  /** How many versions its history holds. */
  readonly versions: number;
}

function hiddenOf(doc: Y.Doc, id: string): HiddenValues {
  const entries: StoredEntry[] = readStoredVersions(doc, id).map((version) => version.entry);
  const deleted = readDeletedRecord(doc, id);
  if (deleted !== undefined) entries.push(deleted.entry);
  return new HiddenValues(entries);
}

/**
 * The entry's versions, oldest first (write-only values left out).
 * @example
 * entryHistory(doc, id).at(-1)?.changes; // ['value']
 */
export function entryHistory(doc: Y.Doc, id: string): EntryVersion[] {
  return visibleVersions(readIndexedVersions(doc, id), hiddenOf(doc, id));
}

function versionAt(doc: Y.Doc, id: string, index: number) {
  const version = readVersionAt(doc, id, index);
  if (version === undefined) throw new VersionNotFoundError(id, index, versionCount(doc, id));
  return version;
}

/**
 * The differences from version `a` to version `b` of an entry. VersionNotFoundError if either
 * is missing.
 * @example
 * compareEntryVersions(doc, id, 0, 2);
 */
export function compareEntryVersions(
  doc: Y.Doc,
  id: string,
  a: number,
  b: number,
): VersionDiffLine[] {
  return compareStored(versionAt(doc, id, a).entry, versionAt(doc, id, b).entry, hiddenOf(doc, id));
}

/**
 * Writes version `index` of a live entry as its new current content (a new version); the name
 * stays as it is now. A value the history hides comes back write-only, so restoring never
 * makes a write-only value readable. Throws VersionNotFoundError, EntryNotFoundError, and
 * whatever `update` throws (sizes, kinds); nothing changes on error.
 * @example
 * store.transact(() => restoreEntryVersion(store, doc, id, 0));
 */
export function restoreEntryVersion(
  store: EntryStore,
  doc: Y.Doc,
  id: EntryId,
  index: number,
): EntrySummary {
  const version = versionAt(doc, id, index);
  const content = contentOf(version.entry);
  if (content === undefined) throw new VersionNotFoundError(id, index, versionCount(doc, id));
  const hiddenNow = hiddenOf(doc, id).value(version.entry);
  const changes =
    content.kind === 'secret'
      ? { kind: content.kind, value: content.value, writeOnly: content.writeOnly || hiddenNow }
      : { kind: content.kind, value: content.value };
  return store.update(id, changes);
}

/**
 * The vault's recently deleted entries, most recently deleted first (by the order of the
 * deleting devices' clocks; display only). Expired ones that are not purged yet are left out.
 * @example
 * deletedEntries(doc, Date.now());
 */
export function deletedEntries(doc: Y.Doc, now: number): DeletedEntry[] {
  const keep = readHistorySettings(doc.getMap(META_MAP)).deletedDays * dayMs;
  return readDeletedRecords(doc)
    .map(([id, record]) => ({
      id,
      name: record.entry.name,
      kind: record.entry.kind,
      writeOnly: record.entry.kind === 'secret' && record.entry.writeOnly === true,
      deletedAt: record.at,
      by: record.by,
      expiresAt: record.at + keep,
      versions: versionCount(doc, id),
    }))
    .filter((entry) => entry.expiresAt > now)
    .sort((a, b) => b.deletedAt - a.deletedAt || (a.id < b.id ? -1 : 1));
}

/**
 * The vault's retention settings.
 * @example
 * historySettingsOf(doc).deletedDays; // 90
 */
export function historySettingsOf(doc: Y.Doc): HistorySettings {
  return readHistorySettings(doc.getMap(META_MAP));
}
