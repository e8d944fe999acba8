/** The types a SyncPeer's callers see: what it seals, and what became of what it received. */
import type { VaultHandle } from '../vault';
import type { EnvelopeKind, OpenedEnvelope } from './envelope';
import type { EnvelopeRejection } from './errors';

/** What sync needs of an open vault: the full handle, which only core holds. */
export type SyncableVault = VaultHandle;

/** An envelope this device wrote, with the key it is published under. */
export interface SealedEnvelope {
  readonly key: string;
  readonly seq: number;
  readonly kind: EnvelopeKind;
  readonly bytes: Uint8Array;
}

/**
 * What became of one envelope handed to `receive`: accepted (with what it opened to), or
 * refused (and why). Held envelopes get neither until they are settled.
 */
export type EnvelopeOutcome =
  | { readonly accepted: OpenedEnvelope }
  | { readonly refused: EnvelopeRejection };

/** What one `receive` did. */
export interface ReceiveReport {
  readonly accepted: number;
  readonly rejected: Partial<Record<EnvelopeRejection, number>>;
  /**
   * Envelopes held because their author is not (yet) in the device list, or was removed and
   * whether they came before the removal cannot be told yet.
   */
  readonly held: number;
  /** Entry ids marked for review because they were edited apart. */
  readonly concurrent: readonly string[];
}
