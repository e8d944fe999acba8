/**
 * Words for the errors core throws, chosen by their stable code (src/core/errors, the table in
 * docs/api.md), never by an error's `name` or by matching its message. One function gives
 * every code its words (`errorText`, exhaustive: a new code does not compile until it has
 * some); the screens that say something of their own for a few codes (unlock, changing the
 * passphrase, joining) switch on the code here too, and fall back to it.
 *
 * Components import from here, not from core: they may only `import type` from core.
 */

import type { ConnectionIncompleteError, TokenRequestFailedError } from '../../core/connections';
import type {
  AuthenticationError,
  InvalidBase64urlError,
  InvalidPassphraseError,
  KdfParamsBelowFloorError,
  KdfWorkerError,
  KeyMismatchError,
  KeyringDamagedError,
  MalformedEnvelopeError,
  UnsupportedFormatError,
  WrongKeyPurposeError,
  WrongPassphraseError,
} from '../../core/crypto';
import { type ErrorCode, errorCode, isCofferError } from '../../core/errors';
import type { HookEngineError, HookError } from '../../core/hooks';
import type { InvalidEntryIdError, InvalidIdError } from '../../core/ids';
import type {
  GrantMissingError,
  IntegrationNameTakenError,
  IntegrationNotFoundError,
  InvalidIntegrationError,
  ReferenceUnresolvedError,
  RequestFailedError,
  RunCancelledError,
} from '../../core/integrations';
import type {
  InvalidLockRequestError,
  LockWaitAbortedError,
  VaultBusyError,
} from '../../core/lock';
import type {
  AmbiguousVaultNameError,
  NoProfileError,
  ProfileExistsError,
  ProfileLockedError,
  VaultNameTakenError,
  VaultNotFoundError,
} from '../../core/profile';
import type { ReferencePlacementError, ReferenceSyntaxError } from '../../core/references';
import type {
  CorruptDataError,
  LogClosedError,
  StorageFullError,
  StorageUnavailableError,
} from '../../core/storage';
import type {
  CompressedPayloadError,
  EnvelopeRejectedError,
  FramingError,
  InviteError,
  InviteProblem,
} from '../../core/sync';
import type {
  ConfusableNameError,
  EntryNotFoundError,
  InvalidEntryError,
  InvalidJsonError,
  InvalidNameError,
  InvalidNameStyleError,
  MalformedEntryError,
  NameTakenError,
  ValueTooLargeError,
  VaultClosedError,
  VaultDamagedError,
} from '../../core/vault';
import { describeCorruption, describeRecord } from './damage';
import { type BackupCoreError, backupErrorText } from './error-text-backup';
import { type HistoryCoreError, historyErrorText } from './error-text-history';
import { type ImportCoreError, importErrorText } from './error-text-import';
import { type KdbxCoreError, kdbxErrorText } from './error-text-kdbx';
import { type ProviderCoreError, providerErrorText } from './error-text-providers';
import { type RecoveryCoreError, recoveryErrorText } from './error-text-recovery';
import { type TeamCoreError, teamErrorText } from './error-text-teams';

export type { ErrorCode };
export { errorCode };

/**
 * Every error class core throws on purpose. A switch on `code` narrows to the class, so its
 * data (which record, which invitation problem) can be used. tests/unit/errors checks that the
 * codes here are exactly `ErrorCode`.
 */
export type CoreError =
  | BackupCoreError
  | KdbxCoreError
  | ImportCoreError
  | HistoryCoreError
  | RecoveryCoreError
  | TeamCoreError
  | ProviderCoreError
  | AmbiguousVaultNameError
  | AuthenticationError
  | ConfusableNameError
  | ConnectionIncompleteError
  | CorruptDataError
  | EntryNotFoundError
  | EnvelopeRejectedError
  | FramingError
  | CompressedPayloadError
  | GrantMissingError
  | HookEngineError
  | HookError
  | IntegrationNameTakenError
  | IntegrationNotFoundError
  | InvalidIntegrationError
  | InvalidBase64urlError
  | InvalidEntryError
  | InvalidEntryIdError
  | InvalidIdError
  | InvalidJsonError
  | InvalidLockRequestError
  | InvalidNameError
  | InvalidNameStyleError
  | InvalidPassphraseError
  | InviteError
  | KdfParamsBelowFloorError
  | KdfWorkerError
  | KeyMismatchError
  | KeyringDamagedError
  | LockWaitAbortedError
  | LogClosedError
  | MalformedEntryError
  | MalformedEnvelopeError
  | NameTakenError
  | NoProfileError
  | ProfileExistsError
  | ProfileLockedError
  | ReferencePlacementError
  | ReferenceSyntaxError
  | ReferenceUnresolvedError
  | RequestFailedError
  | RunCancelledError
  | TokenRequestFailedError
  | StorageFullError
  | StorageUnavailableError
  | UnsupportedFormatError
  | ValueTooLargeError
  | VaultBusyError
  | VaultClosedError
  | VaultDamagedError
  | VaultNameTakenError
  | VaultNotFoundError
  | WrongKeyPurposeError
  | WrongPassphraseError;

/** True for any error core throws on purpose (one with a known code). */
export function isCoreError(error: unknown): error is CoreError {
  return isCofferError(error);
}

/** Core messages start lowercase (they compose into longer ones); the UI shows sentences. */
function sentence(message: string): string {
  const text = message.charAt(0).toUpperCase() + message.slice(1);
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

/** Why an invitation cannot be used, as the join dialog says it (e2e tests quote these). */
const inviteText: Readonly<Record<InviteProblem, string>> = {
  malformed: 'This is not a Coffer invitation, or part of it was lost when it was copied.',
  unsupported: 'This invitation was made by a newer version of Coffer.',
  expired: 'This invitation has expired; ask for a new one.',
  used: 'This invitation was for one device and has been used already; ask for a new one.',
  revoked: 'This invitation was withdrawn; ask for a new one.',
  unknown: 'No device that holds the vault knows this invitation.',
  timeout:
    'No device that holds the vault answered: the vault must be open on a device that has it, online.',
  refused: 'The device that holds the vault refused the request.',
};

const bug = 'Something went wrong inside Coffer; nothing was changed. Reload and try again.';

/**
 * What a core error means, in one or two sentences a person can act on. Errors whose message
 * is already written for people and names what matters (a name, a limit) use it; the others
 * get words of the UI's own. Never includes a value.
 * @example
 * errorText(new WrongPassphraseError()); // 'That passphrase is not right. Check Caps Lock and try again.'
 */
export function errorText(error: CoreError): string {
  switch (error.code) {
    case 'wrong-passphrase':
      return 'That passphrase is not right. Check Caps Lock and try again.';
    case 'invalid-passphrase':
      return error.reason === 'empty' ? 'Enter your passphrase.' : sentence(error.message);
    case 'keyring-damaged':
      return 'The stored profile is damaged and cannot be opened.';
    case 'kdf-params-below-floor':
      return 'The stored key settings are weaker than Coffer accepts, so the profile was not opened.';
    case 'kdf-worker-failed':
      return 'The passphrase could not be checked because the background worker failed. Reload and try again.';
    case 'unsupported-format':
      return 'This was saved by a newer version of Coffer: reload to update.';
    case 'malformed-envelope':
    case 'authentication-failed':
    case 'key-mismatch':
      return 'Stored data is damaged and cannot be read.';
    case 'invalid-base64url':
      return 'Some data is not in the form Coffer expects: part of it may have been lost or changed when it was copied.';
    case 'invalid-id':
    case 'invalid-entry-id':
      return 'Something refers to a vault, entry or device in a form Coffer does not know.';
    case 'wrong-key-purpose':
    case 'invalid-lock-request':
      return bug;
    case 'vault-busy':
      return 'This vault is open in another tab. Close it there (or leave the vault), then try again.';
    case 'lock-wait-aborted':
      return error.timedOut
        ? 'Waiting for the vault took too long. Try again.'
        : 'Stopped waiting for the vault.';
    case 'no-profile':
      return 'There is no Coffer profile in this browser yet.';
    case 'profile-exists':
      return 'A Coffer profile already exists in this browser.';
    case 'profile-locked':
      return 'Coffer is locked: unlock it and try again.';
    case 'vault-not-found':
      return 'This vault is no longer here: it may have been deleted in another tab.';
    case 'corrupt-data':
      return `${describeRecord(error.record)} ${describeCorruption(error.reason)}.`;
    case 'storage-full':
      return sentence(error.message);
    case 'storage-unavailable':
      return `The browser's storage failed while ${error.operation}. Reload and try again.`;
    case 'log-closed':
      return 'This vault was taken over by another tab, so nothing more is saved here. Open it again to take it back.';
    case 'envelope-rejected':
      return sentence(error.message);
    case 'invite-failed':
      return inviteText[error.problem];
    case 'framing-violation':
    case 'compressed-payload-malformed':
      return 'A connected device sent data Coffer cannot read; it was ignored.';
    case 'invalid-json':
      return error.line !== undefined && error.column !== undefined
        ? sentence(`Line ${error.line}, column ${error.column}: ${error.problem}`)
        : sentence(error.message);
    case 'value-too-large':
      return `The value is too large: ${error.size.toLocaleString('en')} bytes as JSON; the limit is ${error.limit.toLocaleString('en')} bytes.`;
    case 'invalid-name':
    case 'confusable-name':
    case 'invalid-name-style':
    case 'name-taken':
    case 'vault-name-taken':
    case 'ambiguous-vault-name':
    case 'entry-not-found':
    case 'invalid-entry':
    case 'malformed-entry':
    case 'vault-closed':
    case 'vault-damaged':
      return sentence(error.message);
    case 'reference-unresolved':
      return sentence(`The reference ${error.message}`);
    case 'reference-syntax':
    case 'reference-placement':
    case 'grant-missing':
    case 'request-failed':
      // Written for people, naming only names and places (never a value).
      return sentence(error.message);
    case 'hook-failed':
      return sentence(
        // A plain `throw new Error('…')` reads better without its "Error: ".
        `the ${error.hook} hook failed${error.line === undefined ? '' : ` at line ${error.line}`}: ${error.detail.replace(/^Error: /, '')}`,
      );
    case 'hook-engine-unavailable':
      return 'The hook engine could not start (it loads the first time a hook runs, and needs to be online once). Reload and try again.';
    case 'integration-not-found':
      return 'This integration is no longer here: it may have been deleted in another tab.';
    case 'integration-name-taken':
      return `An integration named "${error.integrationName}" already exists. Choose another name.`;
    case 'invalid-integration':
      return sentence(error.message.replace(/^invalid integration: /, ''));
    case 'run-cancelled':
      return 'The run was cancelled.';
    case 'connection-incomplete':
    case 'token-request-failed':
      // Written for people: the connection's name, what is missing or what to do, no value.
      return sentence(error.message);
    case 'epoch-record-malformed':
    case 'epoch-record-damaged':
    case 'epoch-record-unsupported':
    case 'epoch-wrong-vault':
    case 'epoch-unexpected-signer':
    case 'epoch-bad-signature':
    case 'epoch-not-for-device':
    case 'epoch-key-mismatch':
    case 'epoch-chain-broken':
    case 'team-operation-invalid':
    case 'invalid-member-id':
    case 'team-not-permitted':
    case 'invalid-audit-input':
    case 'invalid-audit-record':
      return teamErrorText(error);
    case 'provider-settings-invalid':
    case 'provider-failed':
    case 'provider-conflict':
    case 'provider-link-invalid':
      return providerErrorText(error);
    case 'backup-invalid':
    case 'backup-wrong-passphrase':
    case 'backup-unsupported':
      return backupErrorText(error);
    case 'kdbx-failed':
    case 'export-refused':
      return kdbxErrorText(error);
    case 'import-invalid':
    case 'import-refused':
      return importErrorText(error);
    case 'recovery-code-invalid':
    case 'recovery-code-wrong':
    case 'recovery-not-set':
      return recoveryErrorText(error);
    case 'version-not-found':
    case 'deleted-entry-not-found':
    case 'history-settings-invalid':
      return historyErrorText(error);
    default:
      return unreachable(error);
  }
}

/** Fails to compile when a code has no case above; at run time, a generic sentence. */
function unreachable(error: never): string {
  return sentence((error as Error).message ?? 'Something went wrong');
}

/**
 * Words for anything caught: a core error by its code, anything else by its message.
 * @example
 * describeError(new Error('network down')); // 'Network down.'
 */
export function describeError(error: unknown): string {
  if (isCoreError(error)) return errorText(error);
  return error instanceof Error ? sentence(error.message) : 'Something went wrong.';
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Why unlocking failed, on the unlock screen. */
export function unlockErrorText(error: unknown): string {
  switch (errorCode(error)) {
    case 'corrupt-data':
    case 'keyring-damaged':
      return 'The stored profile is damaged and cannot be opened.';
    case 'unsupported-format':
      return 'This profile was saved by a newer version of Coffer: reload to update.';
    case undefined:
      return `Could not unlock: ${messageOf(error)}`;
    default:
      return errorText(error as CoreError);
  }
}

/** Why changing the passphrase failed, under the settings form. */
export function passphraseChangeErrorText(error: unknown): string {
  switch (errorCode(error)) {
    case 'wrong-passphrase':
      return 'The current passphrase is not right.';
    case undefined:
      return `Could not change the passphrase: ${messageOf(error)}`;
    default:
      return `Could not change the passphrase. ${errorText(error as CoreError)}`;
  }
}

/** Why joining a vault by invitation failed, in words a person can act on. */
export function joinErrorText(error: unknown): string {
  switch (errorCode(error)) {
    case 'invite-failed':
      return errorText(error as InviteError);
    case undefined:
      return error instanceof Error
        ? `The vault could not be added: ${error.message}.`
        : 'Something went wrong.';
    default:
      return `The vault could not be added. ${errorText(error as CoreError)}`;
  }
}
