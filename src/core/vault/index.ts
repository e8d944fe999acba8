/**
 * Vaults and their entries: the data model inside a vault's Yjs document, its validation, and
 * the handle an opener uses (`Session.openVault` in ../profile gives one).
 *
 * Contract:
 * - Entries are items (any JSON), secrets (JSON, optionally write-only) and connections
 *   (`{ type, fields }`, fields may be empty). Each has an id, a name unique in its vault,
 *   createdAt and updatedAt.
 * - Names: 1 to 255 characters, a letter then letters, digits, `_`, `-`, `.`; or, in a vault
 *   with environment-style names, exactly UPPER_SNAKE (the Kinesis rule). Values: plain JSON,
 *   at most MAX_VALUE_BYTES (1 MiB) serialized. Every rejection says which rule failed and
 *   never contains the value.
 * - Names cannot deceive: vault names refuse invisible and bidirectional formatting characters
 *   (outside emoji); a new entry name (create, rename, setMany) that is confusable with another
 *   entry's name (same UTS #39 skeleton, as given or lowercased: "KEY_1"/"KEY_l", "rn"/"m")
 *   throws ConfusableNameError and changes nothing; look-alikes already in a vault stay usable.
 *   For vault names the caller uses `findConfusable(name, otherNames)`; `nameSkeleton` is the
 *   skeleton itself.
 * - Every write is validated first; nothing changes on error. One write is one Yjs update and
 *   one durable row. Keys of an entry are separate, so devices editing different fields of one
 *   entry both keep their change (docs/data-model.md has the merge rules).
 * - A vault whose stored records are partly damaged opens with what could be read
 *   (`handle.damaged` names the rest); entry writes are then held back (VaultDamagedError) until
 *   `acceptDamage()`, and damaged records are never compacted away.
 * - A handle works until closed: by `close()`, `await using`, a take-over in another tab, or
 *   locking the profile; then every call rejects with VaultClosedError saying which.
 */

export { asEntryId, type EntryId, isEntryId } from '../ids';
export type { VaultAudit } from './audit-store';
export { type CompactionPolicy, defaultCompactionPolicy } from './compaction';
export {
  confusableKeys,
  confusablesLoaded,
  findConfusable,
  loadConfusables,
  nameSkeleton,
} from './confusables';
export {
  type ConnectionField,
  type ConnectionValue,
  createEntryStore,
  type DuplicateName,
  type Entry,
  type EntryChanges,
  type EntryInput,
  type EntryKind,
  type EntryStore,
  type EntryStoreOptions,
  type EntrySummary,
  type NameStyle,
  type SetEntryOptions,
  type VisibleEntry,
} from './entry-model';
export {
  ConfusableNameError,
  EntryNotFoundError,
  InvalidEntryError,
  InvalidEntryIdError,
  InvalidJsonError,
  InvalidNameError,
  InvalidNameStyleError,
  type JsonLocation,
  type JsonProblem,
  MalformedEntryError,
  type NameRule,
  NameTakenError,
  ValueTooLargeError,
} from './errors';
export { VaultClosedError, type VaultCloseReason, VaultDamagedError } from './handle-errors';
export type {
  ChangeOrigin,
  EntryReview,
  LocalChange,
  OpenVaultOptions,
  RemoteApplyResult,
  RemoteChange,
  SetOptions,
} from './handle-types';
export {
  DEFAULT_HISTORY_SETTINGS,
  type DeletedEntry,
  DeletedEntryNotFoundError,
  diffJson,
  type EntryVersion,
  type HistorySettings,
  HistorySettingsError,
  type JsonChange,
  type JsonPath,
  MAX_DELETED_DAYS,
  MAX_VERSIONS_PER_ENTRY,
  type VersionChange,
  type VersionDiffLine,
  VersionNotFoundError,
} from './history';
export { type JsonValue, validateJsonValue } from './json';
export { MAX_JSON_DEPTH, MAX_VALUE_BYTES } from './json-limits';
export { parseJsonText } from './json-text';
export type {
  AuthorStatus,
  DeviceRecord,
  InviteRecord,
  ReviewMark,
} from './members';
export {
  isValidEntryName,
  MAX_ENTRY_NAME_LENGTH,
  MAX_VAULT_NAME_LENGTH,
  suggestEnvironmentName,
  validateEntryName,
  validateVaultName,
} from './names';
export { EPOCHS_MAP, TEAM_MAP, type TeamReader, type TeamRules, type VaultTeam } from './team-log';
export { locate as locateInText } from './text-measure';
export { rootsTouchedBy, type UpdateRoots } from './update-roots';
export { handleOf, type Vault, vaultView } from './vault';
export { type EntryPermissions, VaultHandle, vaultKeyOf } from './vault-handle';
export {
  discardPrepared,
  encodeVaultState,
  type PreparedVault,
  prepareVault,
  type VaultParts,
} from './vault-loader';
export type { MembersReader, VaultMembers } from './vault-members';
