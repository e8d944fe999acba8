/** Errors of the profile: the passphrase-protected store in one browser. */

import { CofferError } from '../errors';

/** There is no profile in this browser yet: create one first. */
export class NoProfileError extends CofferError {
  override readonly name = 'NoProfileError';
  override readonly code = 'no-profile' as const;
  constructor() {
    super('there is no Coffer profile in this browser yet');
  }
}

/** A profile already exists here; Coffer keeps one profile per browser profile. */
export class ProfileExistsError extends CofferError {
  override readonly name = 'ProfileExistsError';
  override readonly code = 'profile-exists' as const;
  constructor() {
    super('a Coffer profile already exists in this browser');
  }
}

/** The profile was locked: its keys are gone until the passphrase is entered again. */
export class ProfileLockedError extends CofferError {
  override readonly name = 'ProfileLockedError';
  override readonly code = 'profile-locked' as const;
  constructor(readonly operation: string) {
    super(`the profile is locked, so ${operation} is not possible: unlock it first`);
  }
}

/** No vault has that name (or id) in this profile. */
export class VaultNotFoundError extends CofferError {
  override readonly name = 'VaultNotFoundError';
  override readonly code = 'vault-not-found' as const;
  readonly vaultName: string | undefined;
  readonly vaultId: string | undefined;
  constructor(ref: { readonly name: string } | { readonly id: string }) {
    super(
      'name' in ref
        ? `there is no vault named "${ref.name}"`
        : `there is no vault with id ${ref.id} in this profile`,
    );
    this.vaultName = 'name' in ref ? ref.name : undefined;
    this.vaultId = 'id' in ref ? ref.id : undefined;
  }
}

/**
 * More than one vault answers to this name (ignoring case): possible when a vault whose
 * record was unreadable comes back beside a new one of the same name. Address it by id.
 */
export class AmbiguousVaultNameError extends CofferError {
  override readonly name = 'AmbiguousVaultNameError';
  override readonly code = 'ambiguous-vault-name' as const;
  constructor(
    readonly vaultName: string,
    readonly vaultIds: readonly string[],
  ) {
    super(
      `${vaultIds.length} vaults are named "${vaultName}"; choose one by its id (${vaultIds.join(', ')}) or rename one`,
    );
  }
}

/** Another vault already has that name (names are compared ignoring case). */
export class VaultNameTakenError extends CofferError {
  override readonly name = 'VaultNameTakenError';
  override readonly code = 'vault-name-taken' as const;
  constructor(readonly vaultName: string) {
    super(`a vault named "${vaultName}" already exists`);
  }
}
