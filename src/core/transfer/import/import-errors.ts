/**
 * Why an import as a whole was refused (code 'import-refused'): a file too large to read, a
 * vault that changed since its preview, or an entry the vault would not take. The file's own
 * faults are ImportFormatError (../errors.ts). Neither ever quotes a value.
 */
import { CofferError } from '../../errors';
import { describePlace } from '../errors';
import type { SourcePlace } from '../types';

/**
 * Files larger than this are refused before they are read: 50 MiB holds hundreds of thousands
 * of entries, and reading a larger one as text would hold it twice in memory.
 * @example
 * checkImportSize(file.size); // throws ImportRefusedError('too-large') above 50 MiB
 */
export const MAX_IMPORT_BYTES = 50 * 1024 * 1024;

/**
 * Why an import was refused.
 * - `too-large`: the file is over MAX_IMPORT_BYTES (nothing was read);
 * - `vault-changed`: an entry appeared or went since the preview (preview again);
 * - `entry-refused`: the vault refused one entry (`from` says which record); nothing was written;
 * - `aborted`: the caller's signal stopped it before anything was written.
 * @example
 * const reason: ImportRefusal = 'too-large';
 */
export type ImportRefusal = 'too-large' | 'vault-changed' | 'entry-refused' | 'aborted';

/**
 * An import refused as a whole; nothing was written. `from` names the record when one was at
 * fault, `entryName` the name it was to have.
 * @example
 * throw new ImportRefusedError('too-large', 'the file has 61 MB; the limit is 50 MB');
 */
export class ImportRefusedError extends CofferError {
  override readonly name = 'ImportRefusedError';
  override readonly code = 'import-refused' as const;
  /** `from` in words ("record 4"), when a record was at fault. */
  readonly where: string | undefined;
  constructor(
    readonly reason: ImportRefusal,
    readonly problem: string,
    readonly from?: SourcePlace,
    readonly entryName?: string,
    options?: ErrorOptions,
  ) {
    super(
      from === undefined
        ? `import refused: ${problem}`
        : `import refused at ${describePlace(from)}: ${problem}`,
      options,
    );
    this.where = from === undefined ? undefined : describePlace(from);
  }
}

const megabytes = (bytes: number) => `${Math.ceil(bytes / (1024 * 1024))} MB`;

/**
 * Refuses a file by its size alone, before a byte of it is read.
 * @example
 * checkImportSize(1024); // fine
 */
export function checkImportSize(bytes: number, limit: number = MAX_IMPORT_BYTES): void {
  if (!Number.isFinite(bytes) || bytes < 0) {
    throw new ImportRefusedError('too-large', 'the file size is unknown');
  }
  if (bytes > limit) {
    throw new ImportRefusedError(
      'too-large',
      `the file has ${megabytes(bytes)}; files larger than ${megabytes(limit)} are not imported`,
    );
  }
}
