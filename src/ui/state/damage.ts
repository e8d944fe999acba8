/**
 * Words for damaged storage: which records of a vault could not be read and why, for the
 * notice a damaged vault shows and the "Unreadable vault" pane. Chosen by the error's data
 * (store, sequence number, reason), never by matching its message.
 */
import type { CorruptionReason, RecordRef } from '../../core/storage';

/** Why a record did not open, as a person would say it. */
export function describeCorruption(reason: CorruptionReason): string {
  switch (reason) {
    case 'authentication':
      return 'fails its integrity check: it was changed, or moved here from another place';
    case 'key-mismatch':
      return 'was sealed with a key this vault does not have';
    case 'unsupported-format':
      return 'was written by a newer version of Coffer';
    case 'missing-key':
      return 'has no key this profile can unwrap';
    default:
      return 'is not in a format Coffer can read';
  }
}

/** Which record: "The saved state (changes 1 to 500)", "Change 502". */
export function describeRecord(record: RecordRef): string {
  if (record.store === 'snapshots') {
    return record.seq !== undefined && record.seq > 0
      ? `The saved state of the vault (changes 1 to ${record.seq})`
      : 'The saved state of the vault';
  }
  if (record.store === 'updates') return `Change ${record.seq ?? '?'}`;
  if (record.store === 'vaults') return "The vault's record (its name and key)";
  return 'A profile record';
}

/** One line per damaged record: what it is and why it did not open. */
export function describeDamage(
  damaged: readonly { readonly record: RecordRef; readonly reason: CorruptionReason }[],
): string[] {
  return damaged.map(
    (error) => `${describeRecord(error.record)} ${describeCorruption(error.reason)}.`,
  );
}

/** "12 entries could be read", "No entry could be read", "1 entry could be read". */
export function readableCount(count: number): string {
  if (count === 0) return 'No entry could be read.';
  return `${count} ${count === 1 ? 'entry' : 'entries'} could be read and ${count === 1 ? 'is' : 'are'} shown below.`;
}
