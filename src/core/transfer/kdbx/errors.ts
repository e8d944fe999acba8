import { CofferError } from '../../errors';

/**
 * Why a KDBX file could not be read or written:
 * - `'wrong-key'`: the password or key file does not open it (KDBX tells this apart from damage
 *   by its header HMAC in version 4, and by the start bytes of the payload in 3.1);
 * - `'damaged'`: truncated, changed, or not a KDBX file at all;
 * - `'unsupported'`: a KDBX it recognises but cannot read (KeePass 1.x, a newer major version,
 *   a key derivation, cipher or parameter it does not implement, a key derivation too costly);
 * - `'cancelled'`: the caller's AbortSignal fired.
 * @example
 * const reason: KdbxFailure = 'wrong-key';
 */
export type KdbxFailure = 'wrong-key' | 'damaged' | 'unsupported' | 'cancelled';

const messages: Record<KdbxFailure, string> = {
  'wrong-key': 'the password or key file does not open this KeePass file',
  damaged: 'the file is damaged, truncated or not a KeePass (KDBX) file',
  unsupported: 'this KeePass file uses something Coffer cannot read',
  cancelled: 'the KeePass file operation was cancelled',
};

/**
 * A KDBX file could not be read (or written). The message says why in Coffer's words, with
 * `detail` (kdbxweb's code and a short note, never a password, key or value) for logs.
 * @example
 * try { await readKdbx(bytes, { password }); }
 * catch (error) { if (error instanceof KdbxError && error.reason === 'wrong-key') askAgain(); }
 */
export class KdbxError extends CofferError {
  override readonly name = 'KdbxError';
  override readonly code = 'kdbx-failed' as const;
  constructor(
    readonly reason: KdbxFailure,
    readonly detail?: string,
    options?: ErrorOptions,
  ) {
    super(detail === undefined ? messages[reason] : `${messages[reason]} (${detail})`, options);
  }
}
