/**
 * Coffer's errors: one base (CofferError) with a stable code per class. The classes are found
 * from the core modules' exports, so a new error class without a code, or with a code another
 * class has, fails here; the code of each class is pinned, because codes are API.
 */
import { describe, expect, it } from 'vitest';
import {
  CofferError,
  CofferRangeError,
  CofferTypeError,
  type ErrorCode,
  errorCode,
  errorCodes,
  isCofferError,
} from '../../../src/core/errors';
import { exportedErrorClasses, samples } from './samples';

/**
 * The code of every class, as shipped. Never edit a line here: add one for a new class (and
 * its code to `errorCodes`, at the end). docs/api.md, "Error codes", lists the same.
 */
const shipped: Readonly<Record<string, ErrorCode>> = {
  UnsupportedFormatError: 'unsupported-format',
  MalformedEnvelopeError: 'malformed-envelope',
  KeyMismatchError: 'key-mismatch',
  AuthenticationError: 'authentication-failed',
  KdfParamsBelowFloorError: 'kdf-params-below-floor',
  WrongPassphraseError: 'wrong-passphrase',
  InvalidPassphraseError: 'invalid-passphrase',
  KeyringDamagedError: 'keyring-damaged',
  InvalidBase64urlError: 'invalid-base64url',
  WrongKeyPurposeError: 'wrong-key-purpose',
  KdfWorkerError: 'kdf-worker-failed',
  InvalidIdError: 'invalid-id',
  InvalidEntryIdError: 'invalid-entry-id',
  VaultBusyError: 'vault-busy',
  LockWaitAbortedError: 'lock-wait-aborted',
  InvalidLockRequestError: 'invalid-lock-request',
  NoProfileError: 'no-profile',
  ProfileExistsError: 'profile-exists',
  ProfileLockedError: 'profile-locked',
  VaultNotFoundError: 'vault-not-found',
  AmbiguousVaultNameError: 'ambiguous-vault-name',
  VaultNameTakenError: 'vault-name-taken',
  CorruptDataError: 'corrupt-data',
  StorageFullError: 'storage-full',
  StorageUnavailableError: 'storage-unavailable',
  LogClosedError: 'log-closed',
  EnvelopeRejectedError: 'envelope-rejected',
  InviteError: 'invite-failed',
  FramingError: 'framing-violation',
  InvalidNameError: 'invalid-name',
  ConfusableNameError: 'confusable-name',
  InvalidNameStyleError: 'invalid-name-style',
  NameTakenError: 'name-taken',
  EntryNotFoundError: 'entry-not-found',
  InvalidEntryError: 'invalid-entry',
  MalformedEntryError: 'malformed-entry',
  InvalidJsonError: 'invalid-json',
  ValueTooLargeError: 'value-too-large',
  VaultClosedError: 'vault-closed',
  VaultDamagedError: 'vault-damaged',
  ReferenceSyntaxError: 'reference-syntax',
  ReferencePlacementError: 'reference-placement',
  HookError: 'hook-failed',
  HookEngineError: 'hook-engine-unavailable',
  IntegrationNotFoundError: 'integration-not-found',
  IntegrationNameTakenError: 'integration-name-taken',
  InvalidIntegrationError: 'invalid-integration',
  ReferenceUnresolvedError: 'reference-unresolved',
  GrantMissingError: 'grant-missing',
  RequestFailedError: 'request-failed',
  RunCancelledError: 'run-cancelled',
  ConnectionIncompleteError: 'connection-incomplete',
  TokenRequestFailedError: 'token-request-failed',
  EpochRecordMalformedError: 'epoch-record-malformed',
  EpochRecordUnsupportedError: 'epoch-record-unsupported',
  EpochWrongVaultError: 'epoch-wrong-vault',
  EpochUnexpectedSignerError: 'epoch-unexpected-signer',
  EpochBadSignatureError: 'epoch-bad-signature',
  EpochNotForThisDeviceError: 'epoch-not-for-device',
  EpochRecordDamagedError: 'epoch-record-damaged',
  EpochKeyMismatchError: 'epoch-key-mismatch',
  EpochChainBrokenError: 'epoch-chain-broken',
  TeamOperationError: 'team-operation-invalid',
  InvalidMemberIdError: 'invalid-member-id',
  AuditInputError: 'invalid-audit-input',
  AuditRecordError: 'invalid-audit-record',
  TeamPermissionError: 'team-not-permitted',
  ProviderSettingsError: 'provider-settings-invalid',
  ProviderError: 'provider-failed',
  RemoteConflictError: 'provider-conflict',
  ProviderLinkError: 'provider-link-invalid',
  VersionNotFoundError: 'version-not-found',
  DeletedEntryNotFoundError: 'deleted-entry-not-found',
  HistorySettingsError: 'history-settings-invalid',
  ImportFormatError: 'import-invalid',
  ImportRefusedError: 'import-refused',
  KdbxError: 'kdbx-failed',
  ExportRefusedError: 'export-refused',
  BackupInvalidError: 'backup-invalid',
  BackupWrongPassphraseError: 'backup-wrong-passphrase',
  BackupUnsupportedError: 'backup-unsupported',
  RecoveryCodeInvalidError: 'recovery-code-invalid',
  RecoveryCodeWrongError: 'recovery-code-wrong',
  RecoveryNotSetError: 'recovery-not-set',
  CompressedPayloadError: 'compressed-payload-malformed',
};

/** The list as shipped, in order: `errorCodes` only ever grows at the end. */
const shippedList: readonly string[] = [
  'unsupported-format',
  'malformed-envelope',
  'key-mismatch',
  'authentication-failed',
  'kdf-params-below-floor',
  'wrong-passphrase',
  'invalid-passphrase',
  'keyring-damaged',
  'invalid-base64url',
  'wrong-key-purpose',
  'kdf-worker-failed',
  'invalid-id',
  'invalid-entry-id',
  'vault-busy',
  'lock-wait-aborted',
  'invalid-lock-request',
  'no-profile',
  'profile-exists',
  'profile-locked',
  'vault-not-found',
  'ambiguous-vault-name',
  'vault-name-taken',
  'corrupt-data',
  'storage-full',
  'storage-unavailable',
  'log-closed',
  'envelope-rejected',
  'invite-failed',
  'framing-violation',
  'invalid-name',
  'confusable-name',
  'invalid-name-style',
  'name-taken',
  'entry-not-found',
  'invalid-entry',
  'malformed-entry',
  'invalid-json',
  'value-too-large',
  'vault-closed',
  'vault-damaged',
  'reference-syntax',
  'reference-placement',
  'hook-failed',
  'hook-engine-unavailable',
  'integration-not-found',
  'integration-name-taken',
  'invalid-integration',
  'reference-unresolved',
  'grant-missing',
  'request-failed',
  'run-cancelled',
  'connection-incomplete',
  'token-request-failed',
  'epoch-record-malformed',
  'epoch-record-unsupported',
  'epoch-wrong-vault',
  'epoch-unexpected-signer',
  'epoch-bad-signature',
  'epoch-not-for-device',
  'epoch-record-damaged',
  'epoch-key-mismatch',
  'epoch-chain-broken',
  'team-operation-invalid',
  'invalid-member-id',
  'invalid-audit-input',
  'invalid-audit-record',
  'team-not-permitted',
  'provider-settings-invalid',
  'provider-failed',
  'provider-conflict',
  'provider-link-invalid',
  'version-not-found',
  'deleted-entry-not-found',
  'history-settings-invalid',
  'import-invalid',
  'import-refused',
  'kdbx-failed',
  'export-refused',
  'backup-invalid',
  'backup-wrong-passphrase',
  'backup-unsupported',
  'recovery-code-invalid',
  'recovery-code-wrong',
  'recovery-not-set',
  'compressed-payload-malformed',
];

const classes = exportedErrorClasses();

describe('core error classes', () => {
  it('every exported error class has a sample, and every sample an exported class', () => {
    expect([...classes.keys()].sort()).toEqual(Object.keys(samples).sort());
  });

  for (const [name, make] of Object.entries(samples)) {
    it(`${name} is a CofferError with its shipped code and its class name`, () => {
      const error = make();
      const Class = classes.get(name);
      expect(Class, `${name} is not exported from a core index.ts`).toBeDefined();
      expect(error).toBeInstanceOf(Class!);
      expect(error).toBeInstanceOf(Error);
      expect(error).toBeInstanceOf(CofferError);
      expect(isCofferError(error)).toBe(true);
      expect(error.name).toBe(name);
      expect(errorCode(error)).toBe(shipped[name]);
      expect(error.message.length).toBeGreaterThan(0);
    });
  }

  it('no two classes share a code, and the codes are exactly the list', () => {
    const codes = Object.keys(samples).map((name) => errorCode(samples[name]!()));
    expect(new Set(codes).size).toBe(codes.length);
    expect([...codes].sort()).toEqual([...errorCodes].sort());
  });

  it('the codes are stable: the list as shipped is a prefix of errorCodes', () => {
    expect(errorCodes.slice(0, shippedList.length)).toEqual(shippedList);
    expect(Object.values(shipped).sort()).toEqual([...errorCodes].sort());
  });

  it('every code is kebab-case', () => {
    for (const code of errorCodes) expect(code).toMatch(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/);
  });
});

describe('CofferError', () => {
  it('keeps the RangeError and TypeError that some errors were', () => {
    const base64 = samples.InvalidBase64urlError!();
    expect(base64).toBeInstanceOf(RangeError);
    expect(base64).toBeInstanceOf(CofferRangeError);
    expect(base64).toBeInstanceOf(CofferError);
    const id = samples.InvalidEntryIdError!();
    expect(id).toBeInstanceOf(TypeError);
    expect(id).toBeInstanceOf(CofferTypeError);
    expect(id).toBeInstanceOf(classes.get('InvalidIdError')!);
    expect(id).toBeInstanceOf(CofferError);
  });

  it('instanceof of a subclass is still by class', () => {
    const wrong = samples.WrongPassphraseError!();
    expect(wrong).not.toBeInstanceOf(classes.get('KeyMismatchError')!);
    expect(samples.InvalidIdError!()).not.toBeInstanceOf(classes.get('InvalidEntryIdError')!);
  });

  it('is not fooled by a name or a code on some other error', () => {
    const named = new Error('wrong passphrase');
    named.name = 'WrongPassphraseError';
    const coded = Object.assign(new Error('x'), { code: 'wrong-passphrase' });
    for (const error of [named, coded, { code: 'wrong-passphrase' }, 'wrong-passphrase', null]) {
      expect(isCofferError(error)).toBe(false);
      expect(errorCode(error)).toBeUndefined();
      expect(error instanceof CofferError).toBe(false);
    }
  });

  it('passes the cause through', () => {
    const cause = new Error('quota');
    const full = new (
      classes.get('StorageFullError') as unknown as new (
        operation: string,
        options: { cause: unknown },
      ) => Error
    )('saving', { cause });
    expect(full.cause).toBe(cause);
    class ExampleError extends CofferError {
      override readonly name = 'ExampleError';
      override readonly code = 'vault-busy' as const;
    }
    const example = new ExampleError('busy', { cause });
    expect(example.cause).toBe(cause);
    expect(example.message).toBe('busy');
    expect(errorCode(example)).toBe('vault-busy');
  });

  it('a code survives structured clone and JSON, the class does not need to', () => {
    const error = samples.InviteError!();
    const sent = structuredClone({ code: errorCode(error), message: error.message });
    expect(sent.code).toBe('invite-failed');
    expect(JSON.parse(JSON.stringify({ code: errorCode(error) })).code).toBe('invite-failed');
  });
});
