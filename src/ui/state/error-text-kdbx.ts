/**
 * Sentences for KeePass files and exports (src/core/transfer: kdbx and export), by code and
 * reason. Never quotes a password, a passphrase, a typed confirmation or a value.
 */
import type { ExportRefusedError, KdbxError } from '../../core/transfer';

export type KdbxCoreError = KdbxError | ExportRefusedError;

/**
 * What went wrong with a KeePass file or an export, in words a person can act on.
 * @example
 * kdbxErrorText(new KdbxError('wrong-key')); // 'That password or key file does not open this KeePass file. ...'
 */
export function kdbxErrorText(error: KdbxCoreError): string {
  if (error.code === 'export-refused') {
    switch (error.reason) {
      case 'not-confirmed':
        return 'Type the vault’s name exactly to confirm a plaintext export. Nothing was exported.';
      case 'no-passphrase':
        return 'Choose a passphrase to protect the KeePass file. Nothing was exported.';
      case 'unknown-format':
        return 'Coffer exports .env, JSON and KeePass (KDBX) files only.';
    }
  }
  switch (error.reason) {
    case 'wrong-key':
      return 'That password or key file does not open this KeePass file. Check both and try again; nothing was imported.';
    case 'damaged':
      return 'This KeePass file is damaged or cut short, or it is not a KeePass (KDBX) file. Nothing was imported.';
    case 'unsupported':
      return `Coffer cannot read this KeePass file (${error.detail ?? 'an unsupported setting'}). Save it as KDBX 4 in KeePassXC, then try again.`;
    case 'cancelled':
      return 'Cancelled. Nothing was changed.';
  }
}
