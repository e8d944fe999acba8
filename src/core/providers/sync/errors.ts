import { CofferError } from '../../errors';

/**
 * Why a link operation was refused. The UI explains each; none of them changed anything.
 * - `invalid-record`: a stored settings/link record has the wrong shape (`field` names where);
 * - `not-linked` / `already-linked`: the vault is not (or already is) linked;
 * - `no-settings`: neither the vault nor the profile has provider settings;
 * - `disabled`: the link is paused (`setOptions({ enabled: false })`);
 * - `confirm-mismatch`: destroy was not confirmed with the remote path;
 * - `remote-gone`: the linked secret is no longer at the remote (deleted elsewhere);
 * - `migration-pending` / `no-migration`: a migration waits to be resumed or undone (or none does);
 * - `migration-mismatch`: the copy at the new path does not match what was read at the old one;
 * - `bad-path`: an empty path, or a migration to the same path;
 * - `name-taken`: Pull All found a vault with the path's name that is not linked to it.
 */
export type ProviderLinkProblem =
  | 'invalid-record'
  | 'not-linked'
  | 'already-linked'
  | 'no-settings'
  | 'disabled'
  | 'confirm-mismatch'
  | 'remote-gone'
  | 'migration-pending'
  | 'no-migration'
  | 'migration-mismatch'
  | 'bad-path';

/**
 * A vault's link to a remote secret cannot do what was asked. Carries which vault, which problem
 * and (for a stored record of the wrong shape) which field; never a value or a credential.
 */
export class ProviderLinkError extends CofferError {
  override readonly name = 'ProviderLinkError';
  override readonly code = 'provider-link-invalid' as const;
  constructor(
    readonly problem: ProviderLinkProblem,
    readonly details: {
      readonly vaultId?: string;
      readonly field?: string;
      readonly path?: string;
    },
    message: string,
  ) {
    super(message);
  }
  get vaultId(): string | undefined {
    return this.details.vaultId;
  }
  get field(): string | undefined {
    return this.details.field;
  }
}
