/** Errors of the profile: the passphrase-protected store in one browser. */

/** There is no profile in this browser yet: create one first. */
export class NoProfileError extends Error {
  override readonly name = 'NoProfileError';
  constructor() {
    super('there is no Coffer profile in this browser yet');
  }
}

/** A profile already exists here; Coffer keeps one profile per browser profile. */
export class ProfileExistsError extends Error {
  override readonly name = 'ProfileExistsError';
  constructor() {
    super('a Coffer profile already exists in this browser');
  }
}

/** The profile was locked: its keys are gone until the passphrase is entered again. */
export class ProfileLockedError extends Error {
  override readonly name = 'ProfileLockedError';
  constructor(readonly operation: string) {
    super(`the profile is locked, so ${operation} is not possible: unlock it first`);
  }
}

/** No vault has that name (or id) in this profile. */
export class VaultNotFoundError extends Error {
  override readonly name = 'VaultNotFoundError';
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
export class AmbiguousVaultNameError extends Error {
  override readonly name = 'AmbiguousVaultNameError';
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
export class VaultNameTakenError extends Error {
  override readonly name = 'VaultNameTakenError';
  constructor(readonly vaultName: string) {
    super(`a vault named "${vaultName}" already exists`);
  }
}
