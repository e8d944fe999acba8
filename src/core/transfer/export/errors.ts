import { CofferError } from '../../errors';

/**
 * Why an export was refused before anything was made:
 * - `'not-confirmed'`: a plaintext export, and the name typed to confirm it is not the vault's;
 * - `'no-passphrase'`: a KDBX export without a passphrase;
 * - `'unknown-format'`: a format Coffer does not export.
 * @example
 * const reason: ExportRefusal = 'not-confirmed';
 */
export type ExportRefusal = 'not-confirmed' | 'no-passphrase' | 'unknown-format';

const messages: Record<ExportRefusal, string> = {
  'not-confirmed':
    'a plaintext export needs the vault’s name typed exactly to confirm it; what was typed is not the name',
  'no-passphrase': 'a KDBX export needs a passphrase to protect the file',
  'unknown-format': 'Coffer exports .env, JSON and KDBX only',
};

/**
 * An export Coffer refused to make. Nothing was read into a file and nothing was written.
 * The message never repeats what was typed.
 * @example
 * throw new ExportRefusedError('not-confirmed');
 */
export class ExportRefusedError extends CofferError {
  override readonly name = 'ExportRefusedError';
  override readonly code = 'export-refused' as const;
  constructor(readonly reason: ExportRefusal) {
    super(messages[reason]);
  }
}
