/**
 * Entry history: the versions of each entry, the recently deleted entries, and how long both
 * are kept. docs/history.md is the reference.
 *
 * Contract:
 * - History lives in the vault's Yjs document (`history`: entry id -> Y.Array of versions;
 *   `deleted`: entry id -> its last state), so it syncs and is sealed like everything else.
 * - An entry's array in `history` is its chain: its versions AND its content (the newest
 *   versions, key by key: ../entry-chain.ts). Every write of an entry (set, setMany, update,
 *   rename, a restore) is ONE version appended to it, with the time and this device's id
 *   (`createEntry`, `writeVersion`); a delete moves the last state to `deleted`
 *   (`recordDeletion`) in the same transaction. A write and its version are one Yjs update.
 * - Versions are in Y.Array order: the same on every replica, never sorted by the untrusted
 *   `at`. An entry keeps `versionsPerEntry` versions (default 50): the oldest are dropped in
 *   the transaction that appends. Deleted entries are purged `deletedDays` (default 90) after
 *   their deletion, by the deleting device's clock, in the transaction of any later write
 *   (never as a write of its own at open, which sync would not yet send), and are hidden from
 *   `deletedEntries` at once.
 * - Write-only values are never given (`EntryVersion.hidden`, `VersionDiffLine.hidden`), nor is
 *   an older readable copy of a value that later became write-only; restoring such a version
 *   restores it write-only.
 * - Restores go through the entry store's checks (names, look-alikes, sizes); a refused restore
 *   changes nothing. Errors: VersionNotFoundError, DeletedEntryNotFoundError,
 *   HistorySettingsError (bad settings; nothing changed).
 */
export { diffJson, type JsonChange, type JsonPath } from './diff';
export { DeletedEntryNotFoundError, HistorySettingsError, VersionNotFoundError } from './errors';
export {
  compareEntryVersions,
  type DeletedEntry,
  deletedEntries,
  entryHistory,
  historySettingsOf,
  restoreEntryVersion,
} from './operations';
export { readDeletedRecord, type StoredVersion } from './read';
export {
  createEntry,
  pruneAll,
  purgeExpired,
  recordDeletion,
  unrecordedState,
  writeVersion,
} from './record';
export {
  checkHistorySettings,
  DEFAULT_HISTORY_SETTINGS,
  type HistorySettings,
  MAX_DELETED_DAYS,
  MAX_VERSIONS_PER_ENTRY,
  writeHistorySettings,
} from './settings';
export { contentOf, type EntryVersion, type VersionChange, type VersionDiffLine } from './view';
