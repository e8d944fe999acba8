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
 * - Every write is validated first; nothing changes on error. One write is one Yjs update and
 *   one durable row. Keys of an entry are separate, so devices editing different fields of one
 *   entry both keep their change (docs/data-model.md has the merge rules).
 * - A handle works until closed: by `close()`, `await using`, a take-over in another tab, or
 *   locking the profile; then every call rejects with VaultClosedError saying which.
 */
export {
  type ConnectionField,
  type ConnectionValue,
  createEntryStore,
  type DuplicateName,
  type Entry,
  type EntryInput,
  type EntryKind,
  type EntryStore,
  type EntryStoreOptions,
  type EntrySummary,
  type NameStyle,
  type SetEntryOptions,
} from './entry-model';
export {
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
export { asEntryId, type EntryId, isEntryId } from './ids';
export {
  type JsonValue,
  MAX_JSON_DEPTH,
  MAX_VALUE_BYTES,
  parseJsonText,
  validateJsonValue,
} from './json';
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
export {
  type ChangeOrigin,
  type CompactionPolicy,
  defaultCompactionPolicy,
  type EntryReview,
  type LocalChange,
  type OpenVaultOptions,
  type PreparedVault,
  type RemoteApplyResult,
  type RemoteChange,
  type SetOptions,
  VaultClosedError,
  type VaultCloseReason,
  VaultHandle,
} from './vault-handle';
