/**
 * Export: a vault's entries as a .env file, a JSON file or a KeePass (KDBX 4) file.
 *
 * Contract:
 * - `exportVault({ format, vaultName, entries, confirmation?, passphrase?, onProgress?, signal? })`
 *   takes the entries as `visibleEntry` gives them (so no write-only value can reach a file)
 *   and gives `{ fileName, mimeType, bytes, exported, leftOut, plaintext }`.
 * - Plaintext formats (.env, JSON) need `confirmation` equal to the vault's name (surrounding
 *   spaces aside) and are named `<vault>-PLAINTEXT.env` / `.json`; KDBX needs a passphrase and
 *   is `<vault>.kdbx`, written with KeePassXC's defaults (see ../kdbx). Otherwise
 *   ExportRefusedError (code `export-refused`), before anything is made.
 * - Write-only secrets are never exported, in any format, and are listed in `leftOut`; a
 *   connection's write-only fields are exported empty (KDBX: `value: null`, still write-only)
 *   or left out (JSON), and listed. `.env` also leaves out connections, names that are not
 *   env names and values no dotenv quoting carries exactly, each listed.
 * - Round trips: what .env and JSON hold reads back through Coffer's importers (and dotenv) to
 *   the same names and values; KDBX reads back (readKdbx) to the same entries.
 */

export { dotenvText, ENV_NAME_PATTERN, formatDotenv, quoteDotenv } from './dotenv';
export { type ExportRefusal, ExportRefusedError } from './errors';
export {
  describeLeftOut,
  type ExportRequest,
  type ExportResult,
  exportFileName,
  exportVault,
  isPlaintextFormat,
} from './export';
export { formatJson } from './json';
export {
  connectionObject,
  type Exportable,
  type ExportFormat,
  type LeftOut,
  type Selection,
  selectForExport,
} from './select';
