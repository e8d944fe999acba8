/**
 * Sentences for the backup errors (src/core/backup), chosen by code and by the damage's
 * reason. Never quotes the file's contents or the passphrase.
 */
import type {
  BackupDamage,
  BackupInvalidError,
  BackupUnsupportedError,
  BackupWrongPassphraseError,
} from '../../core/backup';

export type BackupCoreError =
  | BackupInvalidError
  | BackupUnsupportedError
  | BackupWrongPassphraseError;

const damageText: Readonly<Record<BackupDamage, string>> = {
  magic: 'This file is not a Coffer backup.',
  length: 'This backup file is incomplete: it was cut short or has extra bytes at the end.',
  'header-checksum': 'The start of this backup file is damaged.',
  'implausible-kdf':
    'This backup file asks for key settings no Coffer writes, so it was not opened (it may have been tampered with).',
  'kdf-below-floor': 'This backup file uses key settings weaker than Coffer accepts.',
  'chunk-size': 'This backup file is damaged (its layout is not one Coffer writes).',
  chunk:
    'This backup file is damaged: part of it was changed, lost or rearranged after it was made.',
  compression: 'This backup file is damaged (its contents do not unpack).',
  'too-large': 'This backup file unpacks to more than Coffer accepts.',
  payload: 'This backup file is damaged (its contents are not laid out as Coffer writes them).',
};

/**
 * What went wrong with a backup file, in words a person can act on; nothing was restored.
 * @example
 * backupErrorText(new BackupWrongPassphraseError()); // 'That backup passphrase is not right. ...'
 */
export function backupErrorText(error: BackupCoreError): string {
  switch (error.code) {
    case 'backup-wrong-passphrase':
      return 'That backup passphrase is not right. It is the one typed when the backup was made, not necessarily your profile passphrase.';
    case 'backup-invalid':
      return `${damageText[error.reason]} Nothing was restored.`;
    case 'backup-unsupported':
      return 'This backup was made by a newer version of Coffer. Update Coffer, then try again.';
  }
}
