import { CofferError } from '../errors';
import type { ImportFormat, SourcePlace } from './types';

/** Words for a place in a file: "line 12", "record 4 (Work/Email)". */
export function describePlace(from: SourcePlace): string {
  const parts: string[] = [];
  if (from.line !== undefined) parts.push(`line ${from.line}`);
  if (from.record !== undefined) parts.push(`record ${from.record}`);
  const where = parts.length > 0 ? parts.join(', ') : 'the file';
  return from.path === undefined ? where : `${where} (${from.path})`;
}

/**
 * A file that cannot be imported as it is: where (line or record) and what was wrong. The
 * problem is written by Coffer and never quotes a value from the file.
 * @example
 * throw new ImportFormatError('dotenv', { line: 12 }, 'a quoted value is never closed');
 */
export class ImportFormatError extends CofferError {
  override readonly name = 'ImportFormatError';
  override readonly code = 'import-invalid' as const;
  /** `from` in words ("line 12"), so that showing it needs no code of this module. */
  readonly where: string;
  constructor(
    readonly format: ImportFormat,
    readonly from: SourcePlace,
    readonly problem: string,
    options?: ErrorOptions,
  ) {
    super(`${format} import: ${describePlace(from)}: ${problem}`, options);
    this.where = describePlace(from);
  }
}
