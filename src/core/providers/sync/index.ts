/**
 * Provider sync (issue 16): a vault linked to one remote secret in HashiCorp Vault (KV v1/v2)
 * or AWS Secrets Manager, synced both ways without silent loss. The module's contract is in
 * ../index.ts; this folder's files: merge.ts (the three-way merge), mapping.ts (entries <->
 * keys), link.ts (the stored link), steps.ts (first link, pull and push), engine.ts
 * (ProviderSync, the public class, delegating to engine-core.ts (queues, clients), guards.ts,
 * linking.ts, step-runner.ts, remote-admin.ts, migration-context.ts and auto-sync.ts),
 * migrate.ts, pull-all.ts, records.ts.
 */
export { canonicalJson, digestOf, newSalt, sameValue, type ValueDigest } from './digest';
export {
  AUTO_SAVE_DELAY_MS,
  defaultPath,
  ProviderSync,
  PUSH_ATTEMPTS,
} from './engine';
export { ProviderLinkError, type ProviderLinkProblem } from './errors';
export {
  type DefaultsRecord,
  type LinkMigration,
  type MigrationStage,
  type ProviderLink,
  parseLink,
  parseVaultRecord,
  type VaultProviderRecord,
} from './link';
export { CONNECTIONS_STAY, type SkippedKey } from './mapping';
export {
  conflictsOf,
  type KeyMerge,
  type KeyState,
  localPlan,
  type MergeInput,
  mergeKeys,
  nextBase,
  remotePlan,
} from './merge';
export { PULL_ALL_CONCURRENCY } from './pull-all';
export type {
  AutoSyncReport,
  LinkChoice,
  LinkDiff,
  LinkOptions,
  LinkOutcome,
  MigrateOutcome,
  ProviderSyncDeps,
  PullAllOptions,
  PullAllResult,
  PushOptions,
  SyncOptions,
  SyncOutcome,
  VaultAccess,
  VaultListing,
} from './types';
