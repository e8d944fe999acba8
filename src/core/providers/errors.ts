import { CofferError } from '../errors';
import type { ProviderFailure, ProviderKind, RemoteVersion } from './types';

/**
 * A provider call failed. `reason` is what the UI explains; `status` the HTTP status when
 * there was an answer; `detail` the remote's own words (Vault `errors`, AWS `__type` and
 * message), which never hold a value or a credential Coffer sent.
 */
export class ProviderError extends CofferError {
  override readonly name = 'ProviderError';
  override readonly code = 'provider-failed' as const;
  constructor(
    readonly provider: ProviderKind,
    readonly reason: ProviderFailure,
    readonly operation: string,
    readonly details: {
      readonly status?: number;
      readonly detail?: string;
      readonly path?: string;
    } = {},
    options?: ErrorOptions,
  ) {
    const where = details.path === undefined ? '' : ` (${details.path})`;
    const status = details.status === undefined ? '' : ` [HTTP ${details.status}]`;
    const detail = details.detail ? `: ${details.detail}` : '';
    super(`${provider} ${operation}${where} failed, ${reason}${status}${detail}`, options);
  }
  get status(): number | undefined {
    return this.details.status;
  }
  get detail(): string | undefined {
    return this.details.detail;
  }
  get path(): string | undefined {
    return this.details.path;
  }
}

/** The remote moved since Coffer last saw it: nothing was written. */
export class RemoteConflictError extends CofferError {
  override readonly name = 'RemoteConflictError';
  override readonly code = 'provider-conflict' as const;
  constructor(
    readonly provider: ProviderKind,
    readonly path: string,
    readonly expected: RemoteVersion | 'absent',
    /** The version now there, when the remote said ('absent' if the secret is gone). */
    readonly actual?: RemoteVersion | 'absent',
  ) {
    super(
      `${provider} secret ${path} changed remotely (expected ${expected}, found ${actual ?? 'another version'}); nothing was written`,
    );
  }
}

/** Provider settings that cannot work, with the field and why (never the field's value). */
export class ProviderSettingsError extends CofferError {
  override readonly name = 'ProviderSettingsError';
  override readonly code = 'provider-settings-invalid' as const;
  constructor(
    readonly field: string,
    readonly problem: string,
  ) {
    super(`provider setting ${field}: ${problem}`);
  }
}
