/**
 * The profile: the passphrase-protected store of one browser, and its vaults.
 *
 * Contract:
 * - `new Coffer({ db, kdf, mutex })` is locked. `createProfile` / `unlock` give a Session,
 *   which holds the profile key in memory until `lock()` closes every open vault and drops it.
 * - Vault names are unique in the profile, compared ignoring case (after NFC). Names live in
 *   the encrypted catalog, so renaming works while the vault is open elsewhere.
 * - Vaults are addressed by id (`{ id }`) or, for code, by name; a name two vaults share (after
 *   an unreadable record came back) is refused with AmbiguousVaultNameError, never guessed.
 *   `catalog()` lists unreadable catalog records beside the readable vaults; nothing is
 *   dropped or changed because it did not open.
 * - `openVault(selector, options)` takes the vault's single-opener lock (waiting, `ifAvailable`,
 *   `signal`, `steal`) and returns a `Vault` (entries and events, no keys: core keeps the
 *   full handle); `withVault` closes it in `finally`.
 * - Errors: AmbiguousVaultNameError, NoProfileError, ProfileExistsError, ProfileLockedError, VaultNotFoundError,
 *   VaultNameTakenError, plus the crypto, storage, lock and vault modules' errors.
 */

export { asVaultId, isVaultId, type VaultId } from '../ids';
export { Coffer } from './coffer';
export {
  AmbiguousVaultNameError,
  NoProfileError,
  ProfileExistsError,
  ProfileLockedError,
  VaultNameTakenError,
  VaultNotFoundError,
} from './errors';
export { newVaultId } from './ids';
// A type here: the class loads with the first unlock (coffer.ts), not with this module.
export type { Session } from './session';
export type {
  CofferOptions,
  CreateVaultOptions,
  JoinedVault,
  MemoryOnlyOptions,
  ThisDevice,
  UnreadableVault,
  VaultCatalog,
  VaultCheck,
  VaultSelector,
  VaultSummary,
} from './session-types';
