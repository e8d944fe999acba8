import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import type { ConnectionValue } from '../vault';
import { fieldText } from './connection-types';
import { REFRESH_LEASE_FIELD, TOKEN_STATE_FIELDS } from './token-state';

/**
 * Cross-device refresh leases: two synced devices must not both spend one rotated refresh
 * token (the provider would revoke the whole family). Web Locks cover the tabs of one browser;
 * between devices the only shared thing is the vault document, so:
 *
 * 1. A device about to refresh writes a lease into the connection's `refresh_lease` field:
 *    `{ device, nonce, base }`, `base` naming the refresh token it would spend (a hash).
 * 2. It waits `settleMs` while sync carries leases both ways, then reads the field again.
 *    Concurrent writes of one key of a Yjs map resolve the same way on every replica, so
 *    every device that saw both leases agrees on one winner: the device whose nonce is there.
 * 3. The winner refreshes (and its token write clears the lease). A loser waits until the
 *    connection's refresh token or access token changes (the winner's result, by sync), then
 *    uses that. If nothing arrives within `waitMs` (the winner went away), it takes over.
 *
 * Untrusted peers: a lease's only effect is to make this device wait, at most `waitMs`
 * counted by this device's own clock from when it first saw that lease (the writer's clock is
 * never read), at most `waitMs` in all per claim however many leases arrive, and only for the
 * refresh token it names: a lease for another token is ignored.
 */
export interface RefreshLease {
  readonly device: string;
  readonly nonce: string;
  readonly base: string;
}

/** The `base` of a lease: which refresh token it is about (first 16 hex of its SHA-256). */
export function leaseBase(value: ConnectionValue): string {
  const token = fieldText(value, TOKEN_STATE_FIELDS.refreshToken) ?? '';
  return bytesToHex(sha256(utf8ToBytes(token))).slice(0, 16);
}

/** The lease in the connection, or undefined (none, or not a lease: treated as none). */
export function readLease(value: ConnectionValue): RefreshLease | undefined {
  const text = value.fields[REFRESH_LEASE_FIELD]?.value;
  if (typeof text !== 'string') return undefined;
  try {
    const raw = JSON.parse(text) as Partial<RefreshLease>;
    if (
      typeof raw.device === 'string' &&
      typeof raw.nonce === 'string' &&
      typeof raw.base === 'string'
    ) {
      return { device: raw.device, nonce: raw.nonce, base: raw.base };
    }
  } catch {
    // Not JSON: a lease written by hand or by a newer version; it holds nobody back.
  }
  return undefined;
}

export function leaseText(lease: RefreshLease): string {
  return JSON.stringify(lease);
}

/** What the lease protocol needs; `read` and `writeLease` act on the synced vault. */
export interface LeaseDeps {
  readonly device: string;
  readonly read: () => Promise<ConnectionValue>;
  readonly writeLease: (lease: RefreshLease) => Promise<void>;
  /** Resolves after `ms`, or earlier when the vault changes (any change: the caller re-reads). */
  readonly waitForChange: (ms: number) => Promise<void>;
  readonly now: () => number;
  readonly nonce: () => string;
  readonly settleMs: number;
  readonly waitMs: number;
  /** Told when this device starts waiting for another one. */
  readonly onWaiting?: () => void;
}

/** `refresh`: this device won and must refresh; `changed`: another device's tokens arrived. */
export type LeaseOutcome =
  | { readonly kind: 'refresh' }
  | { readonly kind: 'changed'; readonly value: ConnectionValue };

/** When this device first saw each lease nonce, by its own clock (see the top of the file). */
const firstSeen = new Map<string, number>();

/** Forgets leases seen longer ago than any wait lasts, so the map stays small. */
function forgetOldLeases(now: number, waitMs: number): void {
  for (const [nonce, seen] of firstSeen) {
    if (now - seen > 2 * waitMs) firstSeen.delete(nonce);
  }
}

/**
 * Runs the protocol above for a connection whose refresh is due. Resolves `refresh` when this
 * device may spend the refresh token, `changed` when another device already replaced it.
 */
export async function claimRefresh(deps: LeaseDeps): Promise<LeaseOutcome> {
  const start = await deps.read();
  const base = leaseBase(start);
  const changed = (value: ConnectionValue) =>
    leaseBase(value) !== base ||
    value.fields[TOKEN_STATE_FIELDS.accessToken]?.value !==
      start.fields[TOKEN_STATE_FIELDS.accessToken]?.value;
  let waited = false;
  // However many leases others write, this call waits for them at most `waitMs` in all: a
  // member that keeps writing fresh leases delays one refresh by that much, never for ever.
  let waitEnds: number | undefined;
  forgetOldLeases(deps.now(), deps.waitMs);
  for (;;) {
    const current = await deps.read();
    if (changed(current)) return { kind: 'changed', value: current };
    const lease = readLease(current);
    if (lease && lease.base === base && lease.device !== deps.device) {
      const seen = firstSeen.get(lease.nonce) ?? deps.now();
      firstSeen.set(lease.nonce, seen);
      waitEnds ??= deps.now() + deps.waitMs;
      const left = Math.min(seen + deps.waitMs, waitEnds) - deps.now();
      if (left > 0) {
        if (!waited) deps.onWaiting?.();
        waited = true;
        await deps.waitForChange(left);
        continue;
      }
      // The other device went quiet for longer than a token request may take: take over.
    }
    const mine: RefreshLease = { device: deps.device, nonce: deps.nonce(), base };
    await deps.writeLease(mine);
    // The whole settle time is waited out: a third device's lease may still be on its way.
    const settleEnd = deps.now() + deps.settleMs;
    let after = await deps.read();
    while (deps.now() < settleEnd && !changed(after)) {
      await deps.waitForChange(settleEnd - deps.now());
      after = await deps.read();
    }
    if (changed(after)) return { kind: 'changed', value: after };
    if (readLease(after)?.nonce === mine.nonce) return { kind: 'refresh' };
    // Another device's lease won the merge: wait for its tokens (next round of the loop).
  }
}
