/**
 * Reading a chosen file for an import: its size is checked before a byte is read, so a 5 GB
 * file is refused at once and a 60 MB one is never held in memory even once.
 */
import { checkImportSize, MAX_IMPORT_BYTES } from './import-errors';

/** What is read of a file: a browser File or Blob is one. */
export interface ImportFile {
  readonly size: number;
  text(): Promise<string>;
  arrayBuffer(): Promise<ArrayBuffer>;
}

/**
 * The file's text (or bytes, for KDBX), after its size passed. Rejects with ImportRefusedError
 * ('too-large') without reading it.
 * @example
 * const text = await readImportFile(input.files[0], 'text');
 */
export async function readImportFile(file: ImportFile, as: 'text'): Promise<string>;
export async function readImportFile(file: ImportFile, as: 'bytes'): Promise<ArrayBuffer>;
export async function readImportFile(
  file: ImportFile,
  as: 'text' | 'bytes',
  limit: number = MAX_IMPORT_BYTES,
): Promise<string | ArrayBuffer> {
  checkImportSize(file.size, limit);
  return as === 'text' ? file.text() : file.arrayBuffer();
}
