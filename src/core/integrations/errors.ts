import { CofferError } from '../errors';
import type { IntegrationId, VaultId } from '../ids';
import type { GrantAccess, IntegrationField } from './types';

/** No integration with this id in the profile (deleted, perhaps in another tab). */
export class IntegrationNotFoundError extends CofferError {
  override readonly name = 'IntegrationNotFoundError';
  override readonly code = 'integration-not-found' as const;
  constructor(readonly id: string) {
    super(`no integration with id ${id}`);
  }
}

/** Another integration has this name (names are compared ignoring case). */
export class IntegrationNameTakenError extends CofferError {
  override readonly name = 'IntegrationNameTakenError';
  override readonly code = 'integration-name-taken' as const;
  constructor(readonly integrationName: string) {
    super(`an integration named "${integrationName}" already exists`);
  }
}

/** What was wrong with an integration's shape (its name, method, URL length, a hook's size…). */
export type IntegrationProblem =
  | 'name-empty'
  | 'name-too-long'
  | 'name-control-character'
  | 'method'
  | 'too-large'
  | 'shape';

/** An integration (as saved, or as given to `save`) is not one Coffer can keep. */
export class InvalidIntegrationError extends CofferError {
  override readonly name = 'InvalidIntegrationError';
  override readonly code = 'invalid-integration' as const;
  constructor(
    readonly problem: IntegrationProblem,
    detail: string,
  ) {
    super(`invalid integration: ${detail}`);
  }
}

/** Why a reference names nothing. */
export type UnresolvedReason =
  | 'no-default-vault'
  | 'no-vault'
  | 'ambiguous-vault'
  | 'no-entry'
  | 'no-field'
  | 'not-kept'
  | 'not-a-connection';

/**
 * A reference names a vault, entry, field or kept value that is not there. `reference` is the
 * reference as written (names only, never a value).
 */
export class ReferenceUnresolvedError extends CofferError {
  override readonly name = 'ReferenceUnresolvedError';
  override readonly code = 'reference-unresolved' as const;
  constructor(
    readonly reference: string,
    readonly reason: UnresolvedReason,
    detail: string,
    readonly field?: IntegrationField,
  ) {
    super(`${reference}: ${detail}`);
  }
}

/** The integration has no grant (or only a read grant) for a vault it used. */
export class GrantMissingError extends CofferError {
  override readonly name = 'GrantMissingError';
  override readonly code = 'grant-missing' as const;
  constructor(
    readonly integration: IntegrationId,
    readonly integrationName: string,
    readonly vault: VaultId,
    readonly vaultName: string,
    readonly needed: GrantAccess,
    readonly field?: IntegrationField,
  ) {
    super(
      needed === 'read'
        ? `integration "${integrationName}" may not read vault "${vaultName}": add a grant in Vault permissions`
        : `integration "${integrationName}" may not write vault "${vaultName}": its grant is read only; change it to "read and write" in Vault permissions`,
    );
  }
}

/**
 * Why a request did not get a usable answer. `cors`: the server answered but did not allow
 * this page to read it; `unreachable`: no answer at all; `timeout`; `too-large`: the body
 * passed the limit; `blocked-url`: an address the page may not call; `invalid-url`;
 * `redirect`: the server redirected, which Coffer does not follow (a redirect would carry the
 * request's headers to an address the user did not write); `http-status`: a 4xx or 5xx answer.
 */
export type RequestFailure =
  | 'cors'
  | 'unreachable'
  | 'timeout'
  | 'too-large'
  | 'blocked-url'
  | 'invalid-url'
  | 'redirect'
  | 'http-status';

export class RequestFailedError extends CofferError {
  override readonly name = 'RequestFailedError';
  override readonly code = 'request-failed' as const;
  constructor(
    readonly reason: RequestFailure,
    message: string,
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The run was cancelled (by the user, or because the profile locked). */
export class RunCancelledError extends CofferError {
  override readonly name = 'RunCancelledError';
  override readonly code = 'run-cancelled' as const;
  constructor(readonly during: string) {
    super(`the run was cancelled while ${during}`);
  }
}
