import type { DeviceId, EntryId } from '../ids';
import type { EntryKind } from './entry-model';
import type { ReviewMark } from './members';

/** A change made through a handle, as it was saved: what sync seals and sends to peers. */
export interface LocalChange {
  readonly update: Uint8Array;
  /** The document's state vector just before the change (docs/sync.md, "Edits made apart"). */
  readonly knowledge: Uint8Array;
}

/** A verified change from another device, to apply and save. */
export interface RemoteChange {
  readonly update: Uint8Array;
  /** The author's state vector before the change; empty or absent for a whole-state checkpoint. */
  readonly knowledge?: Uint8Array;
  /** The device that wrote it. */
  readonly author: DeviceId;
}

export interface RemoteApplyResult {
  /** Changes that added something new here (the rest were already known). */
  readonly changed: number;
  /** Changes whose bytes Yjs could not read: authentic but malformed, skipped. */
  readonly malformed: number;
  /** Entries (by id) that were edited here and there while apart, now marked for review. */
  readonly concurrent: readonly EntryId[];
  /** True if the device list changed, so envelopes waiting for an unknown author may now pass. */
  readonly devicesChanged: boolean;
}

/** Where a change to the document came from, for views that refresh on change. */
export type ChangeOrigin = 'local' | 'remote' | 'storage';

/** A review mark with the entry's current name (undefined if it was deleted since). */
export interface EntryReview extends ReviewMark {
  readonly name: string | undefined;
}

/** How long to wait for the vault, and what to do when someone else has it. */
export interface OpenVaultOptions {
  /** Abort waiting (for example `AbortSignal.timeout(5000)`): rejects with LockWaitAbortedError. */
  readonly signal?: AbortSignal;
  /** Do not wait: reject with VaultBusyError at once if another tab holds the vault. */
  readonly ifAvailable?: boolean;
  /** Take the vault from its current holder, whose handle closes with reason 'taken-over'. */
  readonly steal?: boolean;
}

/** Options of `set`. The kind defaults to the entry's current kind, or 'item' for a new entry. */
export interface SetOptions {
  readonly kind?: EntryKind;
  /** For secrets: once set, the app never shows the value again (code and references still can). */
  readonly writeOnly?: boolean;
}
