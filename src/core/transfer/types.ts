/**
 * The shared contract of import and export: what every importer produces, whatever the file's
 * format, so that one preview, one clash check and one all-or-nothing write serve them all.
 */
import type { EntryInput } from '../vault';

/**
 * The formats Coffer reads. `kdbx` is KeePass 3.1 and 4 (KeePassXC, KeeWeb); `bitwarden` is
 * Bitwarden's unencrypted JSON export.
 * @example
 * const format: ImportFormat = 'dotenv';
 */
export type ImportFormat = 'dotenv' | 'json' | 'kdbx' | 'bitwarden' | 'csv';

/**
 * Where in the file a record came from, for previews and errors: a 1-based line (text formats),
 * a 1-based record number (JSON objects, CSV rows, KDBX and Bitwarden items), and for nested
 * formats the path that led to it (a JSON path, a KeePass group path). Never a value.
 * @example
 * const from: SourcePlace = { line: 12 };
 */
export interface SourcePlace {
  readonly line?: number;
  readonly record?: number;
  readonly path?: string;
}

/**
 * One entry as an importer read it: the name it will have in the vault and what `setMany`
 * takes. The name is as the file gives it; the preview checks it against the vault.
 * @example
 * const record: ImportRecord = { name: 'API_KEY', input: { kind: 'secret', value: 'x' }, from: { line: 3 } };
 */
export interface ImportRecord {
  readonly name: string;
  readonly input: EntryInput;
  readonly from: SourcePlace;
}

/**
 * Something the importer read but could not carry exactly (a KeePass attachment, a Bitwarden
 * passkey), said in words that hold no value.
 * @example
 * const warning: ImportWarning = { from: { record: 4 }, message: 'an attachment was left out' };
 */
export interface ImportWarning {
  readonly from: SourcePlace;
  readonly message: string;
}

/**
 * What an importer gives back: every record of the file, in file order, and its warnings.
 * @example
 * const parsed: ParsedImport = { format: 'dotenv', records: [], warnings: [] };
 */
export interface ParsedImport {
  readonly format: ImportFormat;
  readonly records: readonly ImportRecord[];
  readonly warnings: readonly ImportWarning[];
}

/**
 * The phases a long import reports, in order. `deriving-key` is KDBX's key derivation (in a
 * Worker).
 * @example
 * const phase: ImportPhase = 'writing';
 */
export type ImportPhase = 'reading' | 'deriving-key' | 'checking' | 'writing';

/**
 * Progress of a long import or export: `done` of `total` in this phase.
 * @example
 * const onProgress: TransferProgress = (phase, done, total) => bar.set(done / total);
 */
export type TransferProgress = (phase: ImportPhase, done: number, total: number) => void;
