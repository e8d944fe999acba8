/**
 * Words the import dialog shows: where in a file (line, record) and what a long import is doing.
 */
import type { ImportPhase } from '../../core/transfer';

export { describePlace } from '../../core/transfer';

export const progressWords: Readonly<Record<ImportPhase, string>> = {
  reading: 'Reading the file',
  'deriving-key': 'Opening the KeePass file',
  checking: 'Checking entries',
  writing: 'Writing entries',
};
