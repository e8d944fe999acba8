/**
 * Envelopes a SyncPeer cannot judge yet, kept (bounded) to try again when what they wait for
 * arrives. Each is kept under the reason it waits, by the peer's applied id (or, for a removed
 * author's, its envelope id):
 *
 * - `device`: its author is not in the device list yet (the change that admits a device may
 *   arrive after its first edit); tried again when the device list changes.
 * - `revoked`: its author was removed, and its place in the author's chain cannot be told yet;
 *   tried again when the device list or a chain grows. One pushed out by newer ones counts as
 *   refused ('revoked-device'): the peer's `dropped`.
 * - `unresolved`: a viewer's change whose place in the document cannot be told yet; tried again
 *   after something was applied.
 * - `keyless`: sealed under a key this device does not hold yet; tried again with new keys.
 *
 * At most `max` of each are kept; the oldest go first.
 */
export type HeldReason = 'device' | 'revoked' | 'unresolved' | 'keyless';

export class HeldEnvelopes {
  readonly #max: number;
  readonly #byReason: Record<HeldReason, Map<string, Uint8Array>> = {
    device: new Map(),
    revoked: new Map(),
    unresolved: new Map(),
    keyless: new Map(),
  };

  constructor(max: number) {
    this.#max = max;
  }

  /** Keeps `bytes` under `id` as the newest of `reason`; tells `dropped` of each pushed out. */
  hold(reason: HeldReason, id: string, bytes: Uint8Array, dropped?: () => void): void {
    const held = this.#byReason[reason];
    held.delete(id);
    held.set(id, bytes);
    while (held.size > this.#max) {
      held.delete(held.keys().next().value as string);
      dropped?.();
    }
  }

  /** Forgets `id` under `reason` (it was judged). */
  forget(reason: HeldReason, id: string): void {
    this.#byReason[reason].delete(id);
  }

  /** What waits for `reason`, oldest first. */
  waiting(reason: HeldReason): Iterable<Uint8Array> {
    return this.#byReason[reason].values();
  }

  /** How many wait for `reason`, or in all. */
  count(reason?: HeldReason): number {
    if (reason) return this.#byReason[reason].size;
    return Object.values(this.#byReason).reduce((sum, held) => sum + held.size, 0);
  }
}
