/**
 * One instance of every error class core exports, keyed by class name: the error tests check
 * each (its code, its bases, the UI's words for it). A class exported from a core index.ts
 * without a sample here fails tests/unit/errors/errors.test.ts.
 */
import * as audit from '../../../src/core/audit';
import * as backup from '../../../src/core/backup';
import * as connections from '../../../src/core/connections';
import * as crypto from '../../../src/core/crypto';
import * as epochs from '../../../src/core/epochs';
import * as errors from '../../../src/core/errors';
import * as hooks from '../../../src/core/hooks';
import * as ids from '../../../src/core/ids';
import * as integrations from '../../../src/core/integrations';
import * as lock from '../../../src/core/lock';
import * as masking from '../../../src/core/masking';
import * as profile from '../../../src/core/profile';
import * as providers from '../../../src/core/providers';
import * as recovery from '../../../src/core/recovery';
import * as references from '../../../src/core/references';
import * as storage from '../../../src/core/storage';
import * as sync from '../../../src/core/sync';
import * as team from '../../../src/core/team';
import * as transfer from '../../../src/core/transfer';
import * as vault from '../../../src/core/vault';

/** Every core module's exports, by folder. */
export const coreModules: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {
  audit,
  backup,
  connections,
  crypto,
  epochs,
  errors,
  hooks,
  ids,
  integrations,
  lock,
  masking,
  profile,
  providers,
  recovery,
  references,
  storage,
  sync,
  team,
  transfer,
  vault,
};

const vaultId = 'AAAAAAAAAAAAAAAAAAAAAA';
const otherVaultId = 'BBBBBBBBBBBBBBBBBBBBBB';
const deviceId = 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
const otherDeviceId = 'BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB';

/** A sample of each error class, made the way core makes it. */
export const samples: Readonly<Record<string, () => Error>> = {
  // crypto
  UnsupportedFormatError: () => new crypto.UnsupportedFormatError('format', 9),
  MalformedEnvelopeError: () => new crypto.MalformedEnvelopeError(3, 42),
  KeyMismatchError: () => new crypto.KeyMismatchError(),
  AuthenticationError: () => new crypto.AuthenticationError(),
  KdfParamsBelowFloorError: () =>
    new crypto.KdfParamsBelowFloorError(
      { algorithm: 'scrypt', logN: 10, r: 8, p: 1 },
      { logN: 17, r: 8, p: 1 },
    ),
  WrongPassphraseError: () => new crypto.WrongPassphraseError(),
  InvalidPassphraseError: () => new crypto.InvalidPassphraseError('too-long'),
  KeyringDamagedError: () => new crypto.KeyringDamagedError('checksum'),
  InvalidBase64urlError: () =>
    new crypto.InvalidBase64urlError('character', 4, 2, 'character 2 is not base64url'),
  WrongKeyPurposeError: () => new crypto.WrongKeyPurposeError('seal', ['storage'], 'vault'),
  KdfWorkerError: () => new crypto.KdfWorkerError('key derivation failed: out of memory'),
  // ids
  InvalidIdError: () => new ids.InvalidIdError('vault', 'length', 'it has 3 characters, not 22'),
  InvalidEntryIdError: () => new ids.InvalidEntryIdError('character', 'a space at 4'),
  // lock
  VaultBusyError: () => new lock.VaultBusyError('coffer/vault/v1', undefined),
  LockWaitAbortedError: () => new lock.LockWaitAbortedError('coffer/vault/v1', 'left'),
  InvalidLockRequestError: () =>
    new lock.InvalidLockRequestError('lockName', 'a non-empty string', '""'),
  // profile
  NoProfileError: () => new profile.NoProfileError(),
  ProfileExistsError: () => new profile.ProfileExistsError(),
  ProfileLockedError: () => new profile.ProfileLockedError('opening a vault'),
  VaultNotFoundError: () => new profile.VaultNotFoundError({ name: 'Work' }),
  AmbiguousVaultNameError: () => new profile.AmbiguousVaultNameError('Work', ['a', 'b']),
  VaultNameTakenError: () => new profile.VaultNameTakenError('Work'),
  // storage
  CorruptDataError: () =>
    new storage.CorruptDataError({ store: 'updates', vaultId, seq: 3 }, 'authentication'),
  StorageFullError: () => new storage.StorageFullError('saving the entry'),
  StorageUnavailableError: () =>
    new storage.StorageUnavailableError('reading the vault list', 'InvalidStateError'),
  LogClosedError: () => new storage.LogClosedError(vaultId),
  // sync
  EnvelopeRejectedError: () => new sync.EnvelopeRejectedError('bad-signature'),
  InviteError: () => new sync.InviteError('used'),
  FramingError: () => new sync.FramingError('too-large', 'a message of 9 bytes is over 8'),
  CompressedPayloadError: () => new sync.CompressedPayloadError('padding'),
  // vault
  InvalidNameError: () =>
    new vault.InvalidNameError({
      rejectedName: 'api key',
      subject: 'entry',
      style: 'default',
      rule: 'character',
      problem: 'a space is not allowed',
    }),
  ConfusableNameError: () =>
    new vault.ConfusableNameError({
      rejectedName: 'KEY_l',
      existingName: 'KEY_1',
      subject: 'entry',
    }),
  InvalidNameStyleError: () => new vault.InvalidNameStyleError('a string'),
  NameTakenError: () => new vault.NameTakenError('API_KEY'),
  EntryNotFoundError: () => new vault.EntryNotFoundError({ name: 'API_KEY' }),
  InvalidEntryError: () =>
    new vault.InvalidEntryError('db', 'value.type', 'a connection type', 'a number'),
  MalformedEntryError: () => new vault.MalformedEntryError('id1', 'API_KEY', 'kind', 'is missing'),
  InvalidJsonError: () =>
    new vault.InvalidJsonError(
      { line: 2, column: 15, offset: 16 },
      'trailing-comma',
      'a comma before "}"',
    ),
  ValueTooLargeError: () => new vault.ValueTooLargeError('BIG', 2_000_000, 1_048_576),
  VaultClosedError: () => new vault.VaultClosedError('Work', 'taken-over'),
  VaultDamagedError: () =>
    new vault.VaultDamagedError('Work', [{ store: 'updates', vaultId, seq: 1 }]),
  // references
  ReferenceSyntaxError: () =>
    new references.ReferenceSyntaxError({ offset: 8, line: 1, column: 9 }, 'an entry name', '}'),
  ReferencePlacementError: () =>
    new references.ReferencePlacementError(
      'header-value',
      'line-break-in-header',
      'a header value cannot hold a line break (from @{vault.KEY})',
      '@{vault.KEY}',
    ),
  // hooks
  HookError: () => new hooks.HookError('thrown', 'before', 'Error: boom', { line: 3, column: 7 }),
  HookEngineError: () => new hooks.HookEngineError('the WebAssembly module could not be fetched'),
  // integrations
  IntegrationNotFoundError: () => new integrations.IntegrationNotFoundError(vaultId),
  IntegrationNameTakenError: () => new integrations.IntegrationNameTakenError('weather'),
  InvalidIntegrationError: () =>
    new integrations.InvalidIntegrationError('method', 'the method must be one of GET, POST'),
  ReferenceUnresolvedError: () =>
    new integrations.ReferenceUnresolvedError(
      '@{vault.NOPE}',
      'no-entry',
      'vault "Work" has no entry NOPE',
    ),
  GrantMissingError: () =>
    new integrations.GrantMissingError(
      integrations.asIntegrationId(vaultId),
      'weather',
      vaultId as never,
      'Work',
      'read',
    ),
  RequestFailedError: () =>
    new integrations.RequestFailedError('cors', 'https://api.example.com answered, but (CORS)'),
  RunCancelledError: () => new integrations.RunCancelledError('waiting for a vault'),
  // connections
  ConnectionIncompleteError: () =>
    new connections.ConnectionIncompleteError('crm', 'basic-auth', ['password']),
  TokenRequestFailedError: () =>
    new connections.TokenRequestFailedError(
      'crm',
      'invalid_grant',
      'https://auth.example.com',
      400,
      'invalid_grant',
    ),
  // epochs
  EpochRecordMalformedError: () => new epochs.EpochRecordMalformedError('magic', 2),
  EpochRecordUnsupportedError: () => new epochs.EpochRecordUnsupportedError(9),
  EpochWrongVaultError: () =>
    new epochs.EpochWrongVaultError(vaultId as never, otherVaultId as never),
  EpochUnexpectedSignerError: () =>
    new epochs.EpochUnexpectedSignerError(deviceId as never, otherDeviceId as never, 3),
  EpochBadSignatureError: () => new epochs.EpochBadSignatureError(deviceId as never, 3),
  EpochNotForThisDeviceError: () => new epochs.EpochNotForThisDeviceError(deviceId as never, 3),
  EpochRecordDamagedError: () => new epochs.EpochRecordDamagedError('wrapped-key', 3),
  EpochKeyMismatchError: () => new epochs.EpochKeyMismatchError(3),
  EpochChainBrokenError: () => new epochs.EpochChainBrokenError('epoch-out-of-step', 3),
  // team
  TeamOperationError: () =>
    new team.TeamOperationError('invalid-field', 'parents are ascending and distinct', 'parents'),
  TeamPermissionError: () => new team.TeamPermissionError('update', 'role-too-low', 'viewer'),
  InvalidMemberIdError: () =>
    new team.InvalidMemberIdError('length', 'expected 22 base64url characters, got 3'),
  // audit
  AuditInputError: () => new audit.AuditInputError('limit', 'a whole number, at least 1'),
  AuditRecordError: () =>
    new audit.AuditRecordError('signature', "the signature does not verify with its author's key"),
  // providers
  ProviderSettingsError: () =>
    new providers.ProviderSettingsError('address', 'must be an origin without a path'),
  ProviderError: () =>
    new providers.ProviderError('hashicorp', 'forbidden', 'list', {
      status: 403,
      detail: 'permission denied',
      path: 'team/app',
    }),
  RemoteConflictError: () =>
    new providers.RemoteConflictError(
      'aws',
      'payments',
      providers.asRemoteVersion('v1'),
      providers.asRemoteVersion('v2'),
    ),
  ProviderLinkError: () =>
    new providers.ProviderLinkError(
      'confirm-mismatch',
      { vaultId },
      'destroy was not confirmed with the remote path',
    ),
  VersionNotFoundError: () => new vault.VersionNotFoundError('abc', 3, 2),
  DeletedEntryNotFoundError: () => new vault.DeletedEntryNotFoundError('abc'),
  HistorySettingsError: () =>
    new vault.HistorySettingsError('versionsPerEntry', 'a whole number from 1 to 1000', '0'),
  ImportFormatError: () =>
    new transfer.ImportFormatError('dotenv', { line: 12 }, 'a quoted value is never closed'),
  ImportRefusedError: () =>
    new transfer.ImportRefusedError('too-large', 'the file has 61 MB; the limit is 50 MB'),
  KdbxError: () => new transfer.KdbxError('wrong-key'),
  ExportRefusedError: () => new transfer.ExportRefusedError('not-confirmed'),
  BackupInvalidError: () => new backup.BackupInvalidError('chunk', 2),
  BackupWrongPassphraseError: () => new backup.BackupWrongPassphraseError(),
  BackupUnsupportedError: () => new backup.BackupUnsupportedError('version', 2),
  RecoveryCodeInvalidError: () => new recovery.RecoveryCodeInvalidError('check', 2),
  RecoveryCodeWrongError: () => new recovery.RecoveryCodeWrongError(),
  RecoveryNotSetError: () => new recovery.RecoveryNotSetError(),
};

/** Exported abstract bases: each error core throws extends one, and none is thrown itself. */
const abstractBases: ReadonlySet<string> = new Set([
  'CofferError',
  'CofferRangeError',
  'CofferTypeError',
  'EpochError', // epochs: the base of its errors
]);

/** The exported error classes of the core modules, by name (each listed once). */
export function exportedErrorClasses(): Map<string, new (...args: never[]) => Error> {
  const found = new Map<string, new (...args: never[]) => Error>();
  for (const exports of Object.values(coreModules)) {
    for (const [name, value] of Object.entries(exports)) {
      if (typeof value !== 'function' || !(value.prototype instanceof Error)) continue;
      // The abstract bases themselves are not errors core throws.
      if (abstractBases.has(name)) continue;
      found.set(name, value as new (...args: never[]) => Error);
    }
  }
  return found;
}
