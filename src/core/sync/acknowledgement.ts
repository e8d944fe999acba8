/**
 * Which envelopes of the shared map every device has acknowledged, and may go (docs/sync.md,
 * "Bounded by acknowledgement"). Pure functions: the exchange gathers what they read.
 *
 * A device acknowledges by publishing its checkpoint: its whole state, so it holds everything
 * the envelopes it applied hold. Whether a checkpoint covers an envelope is read from the Yjs
 * content of both (which structs they insert, which ranges they delete), summarised once when an
 * envelope is opened: sequence numbers, clocks and names a peer chose decide nothing.
 */
import * as Y from 'yjs';
import type { DeviceId } from '../ids';
import type { TeamState } from '../team';
import { activeMemberOf } from '../team';
import type { EnvelopeKind } from './envelope';

/** What an opened update holds, as far as coverage goes. */
export interface CoverageSummary {
  /** Per Yjs client, the end (clock + length) of the last struct the update inserts. */
  readonly reach: ReadonlyMap<number, number>;
  /** Per client, up to which clock the update holds every struct from 0: what it covers. */
  readonly state: ReadonlyMap<number, number>;
  /** Per client, the ranges the update deletes, sorted and merged, as [start, end, ...]. */
  readonly deletes: ReadonlyMap<number, readonly number[]>;
}

/**
 * Summarises a Yjs (v1) update; undefined if it is not one (such an envelope is never covered,
 * so it is never removed for coverage).
 */
export function summarize(update: Uint8Array): CoverageSummary | undefined {
  let decoded: ReturnType<typeof Y.decodeUpdate>;
  try {
    decoded = Y.decodeUpdate(update);
  } catch {
    return undefined;
  }
  const reach = new Map<number, number>();
  const state = new Map<number, number>();
  /** Clients whose run from 0 broke (a gap or a Skip): their state stops where it was. */
  const broken = new Set<number>();
  for (const struct of decoded.structs) {
    const { client, clock } = struct.id;
    if (struct instanceof Y.Skip) {
      broken.add(client);
      continue;
    }
    const end = clock + struct.length;
    reach.set(client, Math.max(reach.get(client) ?? 0, end));
    if (broken.has(client)) continue;
    const held = state.get(client) ?? 0;
    if (clock === held) state.set(client, end);
    else if (clock > held) broken.add(client);
  }
  const deletes = new Map<number, readonly number[]>();
  for (const [client, items] of decoded.ds.clients) {
    const sorted = [...items].sort((a, b) => a.clock - b.clock);
    const ranges: number[] = [];
    for (const { clock, len } of sorted) {
      const last = ranges.length - 1;
      if (last > 0 && clock <= ranges[last]!) ranges[last] = Math.max(ranges[last]!, clock + len);
      else ranges.push(clock, clock + len);
    }
    if (ranges.length > 0) deletes.set(client, ranges);
  }
  return { reach, state, deletes };
}

/** Whether [from, to) lies in one of the sorted, merged ranges. */
function within(ranges: readonly number[], from: number, to: number): boolean {
  let lo = 0;
  let hi = ranges.length / 2 - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const start = ranges[2 * mid]!;
    const end = ranges[2 * mid + 1]!;
    if (from < start) hi = mid - 1;
    else if (from >= end) lo = mid + 1;
    else return to <= end;
  }
  return false;
}

/**
 * Whether a checkpoint holds everything an envelope holds: every struct the envelope inserts is
 * within the checkpoint's state, and every range it deletes is in the checkpoint's deletions.
 */
export function covers(checkpoint: CoverageSummary, envelope: CoverageSummary): boolean {
  for (const [client, end] of envelope.reach) {
    if ((checkpoint.state.get(client) ?? 0) < end) return false;
  }
  for (const [client, ranges] of envelope.deletes) {
    const theirs = checkpoint.deletes.get(client);
    if (!theirs) return false;
    for (let i = 0; i < ranges.length; i += 2) {
      if (!within(theirs, ranges[i]!, ranges[i + 1]!)) return false;
    }
  }
  return true;
}

/**
 * Where a device stands, for pruning: active, and whether its checkpoint can carry any change
 * to a new device ('carrier': not a viewer, whose checkpoint a new device refuses wherever it
 * brings entries), or removed. A device in neither list is unknown: its keys are left alone.
 */
export type Standing = 'carrier' | 'viewer' | 'removed';

/** A device of the vault's device list, as far as standing goes. */
export interface ListedDevice {
  readonly id: string;
  readonly revokedAfterSeq?: number;
}

/**
 * Each known device's standing: with a team, active devices of active members (by role) and
 * removed ones, plus devices the list removed before the log began; without one, the device
 * list (every device may carry, as every device could do everything before teams).
 */
export function standingsOf(
  team: TeamState | undefined,
  devices: readonly ListedDevice[],
): ReadonlyMap<DeviceId, Standing> {
  const out = new Map<DeviceId, Standing>();
  for (const device of devices) {
    out.set(device.id as DeviceId, device.revokedAfterSeq === undefined ? 'carrier' : 'removed');
  }
  if (!team) return out;
  for (const id of out.keys())
    if (!team.devices.has(id) && out.get(id) !== 'removed') out.delete(id);
  for (const id of team.devices.keys()) {
    const member = activeMemberOf(team, id);
    out.set(id, !member ? 'removed' : member.role === 'viewer' ? 'viewer' : 'carrier');
  }
  return out;
}

/** One key of the shared map, as this device judged its value. */
export type KeyVerdict =
  /** Not an envelope of this vault under its own name: removed by any active device at once. */
  | { readonly kind: 'junk' }
  /** Refused here for a reason no later news changes (forged, sealed wrong, after removal). */
  | { readonly kind: 'refused' }
  /** Not judged yet, held, or refused for a reason that may change (a role): kept. */
  | { readonly kind: 'pending' }
  /** Accepted here (so this device's own state holds it), with its summary. */
  | {
      readonly kind: 'accepted';
      readonly author: DeviceId;
      readonly envelope: EnvelopeKind;
      readonly seq: number;
      readonly summary: CoverageSummary | undefined;
    };

export interface PruneInput {
  readonly self: DeviceId;
  readonly standings: ReadonlyMap<DeviceId, Standing>;
  /** Every key of the map now, with its verdict. */
  readonly keys: ReadonlyMap<string, KeyVerdict>;
  /** The keys this device publishes now (its current checkpoint and updates since). */
  readonly own: ReadonlySet<string>;
  /** This device's current checkpoint's summary (asked only when something may go). */
  readonly ownCheckpoint: () => CoverageSummary | undefined;
}

type Accepted = Extract<KeyVerdict, { kind: 'accepted' }>;

/** The checkpoint key of a device. */
const checkpointKeyOf = (device: DeviceId): string => `${device}.c`;

/**
 * The keys an honest active device removes from the shared map now (docs/sync.md):
 * - its own keys from earlier sessions (its current checkpoint holds everything it wrote);
 * - junk, and envelopes refused for good;
 * - by a carrier (not a viewer), another device X's envelope E accepted here, when this
 *   device's own current checkpoint covers E (so an honest checkpoint carries E to any new
 *   device), every other active device's checkpoint in the map was accepted here and covers E
 *   (none needs E again), and, while X is active, E is neither X's checkpoint nor one of X's
 *   updates after it (X's current keys, which X puts back: never taken, so no fight).
 */
export function keysToPrune(input: PruneInput): string[] {
  const { self, standings, keys, own } = input;
  const mine = standings.get(self);
  const active = mine !== undefined && mine !== 'removed';
  const out: string[] = [];
  /** Other devices' envelopes accepted here: judged below, once the checkpoints are known. */
  const candidates: [string, Accepted][] = [];
  for (const [key, verdict] of keys) {
    // This device's own keys from an earlier session: whatever its standing.
    if (key.startsWith(`${self}.`)) {
      if (!own.has(key)) out.push(key);
    } else if (!active) {
      // A removed or not yet admitted device leaves the map to the vault's devices.
    } else if (verdict.kind === 'junk' || verdict.kind === 'refused') {
      out.push(key);
    } else if (verdict.kind === 'accepted' && verdict.summary) {
      candidates.push([key, verdict]);
    }
  }
  // Only a carrier takes another device's envelopes, and only what its own checkpoint carries:
  // a checkpoint it did not make may lie (inflated clocks claim to hold everything), and a
  // viewer's checkpoint carries no change of entries to a new device.
  if (mine !== 'carrier' || candidates.length === 0) return out;
  const others = [...standings].filter(([id, s]) => id !== self && s !== 'removed');
  const checkpoints = new Map<DeviceId, Accepted>();
  for (const [id] of others) {
    const verdict = keys.get(checkpointKeyOf(id));
    // An active device that has acknowledged nothing here holds everything else back.
    if (verdict?.kind !== 'accepted' || verdict.envelope !== 'checkpoint' || verdict.author !== id)
      return out;
    checkpoints.set(id, verdict);
  }
  const ownSummary = input.ownCheckpoint();
  if (!ownSummary) return out;
  for (const [key, verdict] of candidates) {
    const author = standings.get(verdict.author);
    if (author === undefined || verdict.author === self) continue;
    if (author !== 'removed') {
      if (verdict.envelope === 'checkpoint') continue;
      // The author's updates after its checkpoint are live: its checkpoint cannot cover them.
      const theirs = checkpoints.get(verdict.author);
      if (!theirs || verdict.seq > theirs.seq) continue;
    }
    const summary = verdict.summary!;
    if (!covers(ownSummary, summary)) continue;
    const all = others.every(([id]) => {
      const checkpoint = checkpoints.get(id)!;
      return checkpoint.summary !== undefined && covers(checkpoint.summary, summary);
    });
    if (all) out.push(key);
  }
  return out;
}
