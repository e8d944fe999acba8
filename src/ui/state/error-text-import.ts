/**
 * Sentences for imports (src/core/transfer/import), by code and reason. A file's fault says its
 * line (or record) and what was wrong; neither ever quotes a value from the file.
 */
// Types only: these sentences are on every screen, the import code is not.
import type { ImportFormatError, ImportRefusedError } from '../../core/transfer';

export type ImportCoreError = ImportFormatError | ImportRefusedError;

const formatNames: Readonly<Record<ImportFormatError['format'], string>> = {
  dotenv: 'This .env file',
  json: 'This JSON file',
  kdbx: 'This KeePass file',
  bitwarden: 'This Bitwarden export',
  csv: 'This CSV file',
};

const upper = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/**
 * What went wrong with an import, in words a person can act on; always says nothing was written.
 * @example
 * importErrorText(new ImportFormatError('dotenv', { line: 3 }, 'a quoted value is never closed'));
 * // 'This .env file cannot be imported: line 3: a quoted value is never closed. Nothing was imported.'
 */
export function importErrorText(error: ImportCoreError): string {
  if (error.code === 'import-invalid') {
    return `${formatNames[error.format]} cannot be imported: ${error.where}: ${error.problem}. Nothing was imported.`;
  }
  switch (error.reason) {
    case 'too-large':
      return `${upper(error.problem)}. Nothing was read.`;
    case 'vault-changed':
      return 'The vault changed since the preview was made. Look at the preview again before importing; nothing was imported.';
    case 'aborted':
      return 'The import was stopped. Nothing was imported.';
    case 'entry-refused':
      return `The vault refused ${error.where ?? 'an entry'}: ${error.problem}. Nothing was imported.`;
  }
}
