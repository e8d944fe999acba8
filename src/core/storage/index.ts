/**
 * Coffer's storage: the Dexie schema and the records kept in it.
 *
 * Contract:
 * - At rest there are only opaque ids, sequence numbers and sealed envelopes (see db.ts).
 * - A write resolves once IndexedDB has committed it: keys and the catalog with `strict`
 *   durability, update rows with `relaxed` (they survive a crash of the tab or browser).
 * - A vault's log is append-only; compaction stores a snapshot, then deletes the rows it covers
 *   (a reader never reads a covered row, so a crash between the two loses nothing and a later
 *   compaction deletes them); writes go on meanwhile. Damaged records are reported as CorruptDataError naming them, and every
 *   other record still loads.
 * - IndexedDB failures are mapped: quota -> StorageFullError (nothing saved is lost), others ->
 *   StorageUnavailableError saying what was being done.
 * - A memory-only vault (memory-vault-log.ts) has only its catalog row at rest, with the flag
 *   sealed in it; its document lives in the session's MemoryVaultStore, behind the same
 *   UpdateLog calls. Moving a vault between the two is one transaction with the flag.
 */
export {
  type CofferDatabase,
  CofferDexie,
  type IndexedDbPlatform,
  type IntegrationRow,
  type KeyringRow,
  openCofferDatabase,
  type ProfileRecordId,
  type ProfileRow,
  type ProviderRow,
  type RunRow,
  type SnapshotRow,
  type StoreName,
  type UpdateRow,
  type VaultRow,
} from './db';
export {
  CorruptDataError,
  type CorruptionReason,
  mapStorageError,
  type RecordRef,
  StorageFullError,
  StorageUnavailableError,
} from './errors';
export {
  appendRunRecord,
  deleteIntegrationRecords,
  deleteRunRecords,
  openIntegrationRecord,
  RUNS_KEPT,
  readGrantsRecord,
  readIntegrationRow,
  readIntegrationRows,
  readRunRecords,
  sealIntegrationRecord,
  writeGrantsRecord,
  writeIntegrationRow,
} from './integration-records';
export {
  moveVaultToMemory,
  moveVaultToStorage,
  sealCatalogRow,
} from './memory-only-records';
export {
  MemoryVaultLog,
  type MemoryVaultLogOptions,
  MemoryVaultStore,
} from './memory-vault-log';
export { addNewVaults, type NewVaultRows } from './new-vault-batch';
export {
  deleteProviderRow,
  openProviderRecord,
  readProviderRow,
  readProviderRows,
  sealProviderRecord,
  writeProviderRow,
} from './provider-records';
export {
  countVaultRecords,
  type DeviceRecordData,
  deleteRecoveryRecord,
  deleteVaultRecords,
  type OpenedVaultRecord,
  openVaultRecord,
  readDeviceRecord,
  readKeyring,
  readProfileSealedRecords,
  readRecoveryRecord,
  readSettings,
  readVaultRows,
  sealVaultRecord,
  type VaultMetadata,
  writeDeviceRecord,
  writeKeyring,
  writeRecoveryRecord,
  writeSettings,
  writeVaultRow,
} from './records';
export {
  createWorkerSnapshotMaker,
  type SnapshotMaker,
  type SnapshotMakerFactory,
  type SnapshotWorkerReply,
  type SnapshotWorkerRequest,
} from './snapshot-maker';
export { createSnapshotReplica, type SnapshotReplica } from './snapshot-replica';
export {
  type LoadedLog,
  LogClosedError,
  type LogRefresh,
  sealSnapshot,
  type UpdateLog,
  VaultLog,
  type VaultLogOptions,
} from './vault-log';
