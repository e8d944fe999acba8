/**
 * Encrypted backups: one file holding a whole profile or one vault, sealed under a key derived
 * from a backup passphrase (docs/crypto.md, "Backups", is the format; docs/backup.md the user's
 * view).
 *
 * Contract:
 * - `collectBackup(session)` reads each vault (under its lock, or through the handle this session
 *   has open) into a copy of its content maps only: entries, their history, recently deleted
 *   entries, the naming rule. Not its members, team log, key epochs or audit log, not the
 *   device identity: those belong to the vault's devices. A whole-profile backup also carries
 *   the profile's settings record. Memory-only vaults are left out (and listed).
 * - `sealBackup(contents, passphrase, { kdf })` writes the file: scrypt at the policy's target
 *   (run by the KdfRunner: the app's KDF Worker), HKDF to the payload key, gzip, then
 *   XChaCha20-Poly1305 chunks bound to the header, their index and a last-chunk flag.
 * - `openBackup(file, passphrase, { kdf })` returns the contents only when everything checks:
 *   BackupInvalidError (damaged, truncated, appended to, made up; KDF parameters implausible or
 *   below the floor are refused before any derivation), BackupWrongPassphraseError (told apart
 *   from damage by the key id in a checksummed header), BackupUnsupportedError (newer file).
 * - `restoreBackup(session, contents)` adds every vault as a new vault (new id and key, this
 *   device its founder; a taken name gets " (restored)"), never overwriting; settings only with
 *   `settings: 'replace'`. A failure part way deletes the vaults it made.
 */
export { BACKUP_CONTENT_MAPS, copyContent } from './content-copy';
export {
  type BackupDamage,
  BackupInvalidError,
  BackupUnsupportedError,
  BackupWrongPassphraseError,
} from './errors';
export {
  type BackupFileOptions,
  type BackupProgress,
  defaultMaxPayloadBytes,
  openBackup,
  openUnlockedBackup,
  sealBackup,
  unlockBackup,
} from './file';
export {
  type BackupHeader,
  backupHeaderLength,
  backupMagic,
  readBackupHeader,
} from './format';
export { backupKdfCeiling, isPlausibleBackupKdf } from './keys';
export { type Collected, type CollectOptions, collectBackup } from './make';
export type { BackupContents, BackupVault } from './payload';
export { type Restored, type RestoreOptions, restoreBackup } from './restore';
