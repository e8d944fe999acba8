/**
 * Importing files into a vault: parsers for each text format, the preview, and the one
 * all-or-nothing write. (KDBX is read by ../kdbx, into the same ParsedImport.)
 *
 * Contract:
 * - A parser is pure and DOM-free: text in, ParsedImport out (every record in file order, with
 *   its line or record number, and warnings for what it could not carry). A file it cannot read
 *   throws ImportFormatError with the line (or record) and what was wrong, never a value.
 * - Files over MAX_IMPORT_BYTES are refused by `checkImportSize` before they are read.
 * - `previewImport` writes nothing: it sorts records into new ones, clashes, refusals (the
 *   vault's naming rule, look-alikes, values it cannot hold, in its own words) and duplicates
 *   inside the file (kept under a suffixed name).
 * - `applyImport` writes the preview with the user's clash choices in ONE `setMany`: everything
 *   is checked first, and on any failure nothing is written (ImportRefusedError names the
 *   record). Entries already in the vault are never changed except those chosen to overwrite.
 */
export { applyImport } from './apply';
export { type BitwardenOptions, parseBitwarden } from './bitwarden';
export { type CsvMapping, csvColumns, parseCsv } from './csv';
export { parseDotenv, type TextImportOptions } from './dotenv';
export { toEntryName } from './entry-names';
export { guessFormat } from './guess';
export {
  checkImportSize,
  type ImportRefusal,
  ImportRefusedError,
  MAX_IMPORT_BYTES,
} from './import-errors';
export { type JsonImportOptions, parseJsonImport } from './json-import';
export { previewImport } from './plan';
export type {
  ClashChoice,
  ClashDecisions,
  ImportPreview,
  ImportRunOptions,
  ImportSummary,
  ImportTarget,
  PlannedClash,
  PlannedEntry,
  RefusedRecord,
  RenamedDuplicate,
} from './plan-types';
export { type ImportFile, readImportFile } from './read-file';
