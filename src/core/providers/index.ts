/**
 * Providers (issue 16): vaults linked to HashiCorp Vault (KV v1/v2, token or AppRole,
 * namespaces) or AWS Secrets Manager, one vault = one remote secret holding a JSON object of
 * KEY: value. `session.providers` is a ProviderSync, loaded on first use.
 *
 * Contract:
 * - Settings: one profile-wide default (`saveDefaults`) and an optional override per vault
 *   (`saveOverride`); `effectiveSettings` says which applies. Settings are checked by their
 *   client (`validateHashicorpSettings`, `validateAwsSettings`: ProviderSettingsError naming the
 *   field) before they are saved, and stored sealed under the profile key with the links: the
 *   `providers` store has one row per id ("defaults" or a vault id), only the id in the clear.
 * - Mapping: items and secrets sync as their exact JSON values (a string stays a string, an
 *   object an object; a write-only secret's flag stays in Coffer); a key new from the remote
 *   becomes a masked `secret`; connections never sync ("connections stay in Coffer"). A remote
 *   key the vault cannot hold (its naming rule refuses the name, it looks like another entry's
 *   name, its value is too large or deep, or it is a connection's name here) is carried through
 *   unchanged on every push and reported in `skipped` with the rule's words.
 * - One sync step reads the remote (values and version), merges key by key against the link's
 *   base digests (SHA-256 of a per-link salt and the value's canonical JSON): a key changed on
 *   one side takes that side (a deletion included), a key changed on both sides is a conflict:
 *   each side keeps its value, the key is listed in `conflicts` and never pushed over until
 *   `resolve` picks 'mine' or 'theirs'. `pull` applies the remote's side in the vault; `push`
 *   also writes the merged object with check-and-set at the version read, and on
 *   RemoteConflictError merges again (PUSH_ATTEMPTS times), so a concurrent writer's change is
 *   kept. A secret deleted at the remote is not a deletion of every key: pull changes nothing
 *   and says `remoteGone`, push refuses unless `recreate`.
 * - Linking never overwrites silently: an empty side takes the other's keys; two sides with
 *   different keys give `needs-choice` and a diff, then `linkWith` writes the union, the chosen
 *   side winning only for keys that differ. If the first write fails, nothing is linked.
 * - A failed step loses nothing already saved: the remote is written before the vault, the
 *   vault before the link record, and each step re-derives what to do from both sides.
 * - Migrating a path copies with 'absent' (never onto an existing secret), verifies, switches,
 *   then soft-deletes the old secret, recording the stage before each step (resume, undo).
 *   `destroyRemote` needs the path typed back; `deleteRemote` is soft, `restoreRemote` undoes it.
 * - Memory-only links keep values out of IndexedDB (with the profile's memory-only vaults) and
 *   are pulled at every unlock; the link keeps the key names so they show before values arrive.
 * - Audit: pull and push hand `provider-pull` / `provider-push` events (path, provider, counts:
 *   never a value) to the caller's `record`.
 * - Errors: ProviderLinkError (code 'provider-link-invalid', `problem` says which), the clients'
 *   ProviderError (`reason`) and RemoteConflictError pass through; a stored record that does
 *   not open is CorruptDataError, one of the wrong shape ProviderLinkError('invalid-record')
 *   naming the field; either concerns only its own vault.
 */
export { ProviderError, ProviderSettingsError, RemoteConflictError } from './errors';
export { type ProviderClientDeps, providerFor, randomUuid } from './factory';
export {
  checkProviderSettings,
  type EffectiveSettings,
  effectiveSettings,
  parseProviderSettings,
} from './settings';
export {
  AUTO_SAVE_DELAY_MS,
  type AutoSyncReport,
  CONNECTIONS_STAY,
  canonicalJson,
  conflictsOf,
  defaultPath,
  digestOf,
  type KeyMerge,
  type KeyState,
  type LinkChoice,
  type LinkDiff,
  type LinkMigration,
  type LinkOptions,
  type LinkOutcome,
  localPlan,
  type MergeInput,
  type MigrateOutcome,
  type MigrationStage,
  mergeKeys,
  nextBase,
  type ProviderLink,
  ProviderLinkError,
  type ProviderLinkProblem,
  ProviderSync,
  type ProviderSyncDeps,
  PULL_ALL_CONCURRENCY,
  PUSH_ATTEMPTS,
  type PullAllOptions,
  type PullAllResult,
  type PushOptions,
  remotePlan,
  type SkippedKey,
  type SyncOptions,
  type SyncOutcome,
  type VaultAccess,
  type VaultListing,
} from './sync';
export {
  type AwsSettings,
  asRemoteVersion,
  type CasStrength,
  type ConnectionReport,
  type DeletedSecret,
  type HashicorpAuth,
  type HashicorpSettings,
  type Progress,
  type ProviderFailure,
  type ProviderKind,
  type ProviderSettings,
  type RemoteSecret,
  type RemoteVersion,
  type SecretsProvider,
} from './types';
