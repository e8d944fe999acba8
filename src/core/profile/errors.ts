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

/** No vault has that name in this profile. */
export class VaultNotFoundError extends Error {
  override readonly name = 'VaultNotFoundError';
  constructor(readonly vaultName: string) {
    super(`there is no vault named "${vaultName}"`);
  }
}

/** Another vault already has that name (names are compared ignoring case). */
export class VaultNameTakenError extends Error {
  override readonly name = 'VaultNameTakenError';
  constructor(readonly vaultName: string) {
    super(`a vault named "${vaultName}" already exists`);
  }
}
