import type { VaultLog } from '../storage';

/**
 * When the handle compacts its log into a snapshot: once the rows since the last snapshot
 * number `everyRows`, or weigh more than the snapshot itself (and at least `minBytes`). Stored
 * bytes then stay within about twice the compacted state plus `minBytes`, and the cost of
 * compacting (proportional to the vault) is spread over as many writes as the vault is big.
 */
export interface CompactionPolicy {
  readonly everyRows: number;
  readonly minBytes: number;
  /** On close, compact if at least this many rows are waiting, so the next open is fast. */
  readonly onCloseRows: number;
  /** On close, compact after any row a vault that stores less than this (re-sealing is cheap). */
  readonly onCloseSmallBytes: number;
  /**
   * With a snapshot maker (VaultParts.snapshots), a vault that stores at least this many bytes
   * is compacted off the page's thread; a smaller one is encoded on the page, which costs less
   * than starting a Worker.
   */
  readonly offThreadFromBytes: number;
}

export const defaultCompactionPolicy: CompactionPolicy = {
  everyRows: 500,
  minBytes: 2048,
  onCloseRows: 16,
  onCloseSmallBytes: 64 * 1024,
  offThreadFromBytes: 256 * 1024,
};

type LogSize = Pick<VaultLog, 'rowsSinceSnapshot' | 'bytesSinceSnapshot' | 'snapshotBytes'>;

/** After a write: is the log long enough to fold into a snapshot? */
export function compactionDue(log: LogSize, policy: CompactionPolicy): boolean {
  return (
    log.rowsSinceSnapshot >= policy.everyRows ||
    log.bytesSinceSnapshot >= Math.max(policy.minBytes, log.snapshotBytes)
  );
}

/**
 * On close: after `onCloseRows` rows, so the next open is quick; and for a small vault after
 * any row, since re-sealing a few KiB costs nothing and leaves nothing but the state at rest.
 */
export function compactionDueOnClose(log: LogSize, policy: CompactionPolicy): boolean {
  if (log.rowsSinceSnapshot >= policy.onCloseRows) return true;
  return (
    log.rowsSinceSnapshot > 0 &&
    log.snapshotBytes + log.bytesSinceSnapshot < policy.onCloseSmallBytes
  );
}
