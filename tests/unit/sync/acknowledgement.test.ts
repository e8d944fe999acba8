/**
 * Storage bounded by acknowledgement (docs/sync.md, "Bounded by acknowledgement"): devices
 * exchanging through a mailbox (a Y.Doc that keeps the room while devices come and go), each
 * session a new transport document, peer and exchange, as VaultSync makes them.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { DeviceId } from '../../../src/core/ids';
import type { Session, ThisDevice } from '../../../src/core/profile';
import {
  ENVELOPES_MAP,
  EnvelopeExchange,
  type SyncBulk,
  sealBulkPayload,
} from '../../../src/core/sync';
import { standingsOf } from '../../../src/core/sync/acknowledgement';
import { SyncPeer } from '../../../src/core/sync/peer';
import { createManualScheduler, type ManualScheduler } from '../../../src/core/time';
import { handleOf, type VaultHandle, vaultKeyOf } from '../../../src/core/vault';
import { testCoffer } from '../../support/coffer';
import { eventually } from '../../support/memory-transport';
import { contents } from './support';

/** Keeps `a` and `b` in step both ways until the returned function is called. */
function link(a: Y.Doc, b: Y.Doc): () => void {
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)), a);
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)), b);
  const ab = (update: Uint8Array, origin: unknown) => {
    if (origin !== b) Y.applyUpdate(b, update, a);
  };
  const ba = (update: Uint8Array, origin: unknown) => {
    if (origin !== a) Y.applyUpdate(a, update, b);
  };
  a.on('update', ab);
  b.on('update', ba);
  return () => {
    a.off('update', ab);
    b.off('update', ba);
  };
}

interface Device {
  readonly name: string;
  readonly session: Session;
  readonly identity: ThisDevice;
  readonly id: DeviceId;
  readonly time: ManualScheduler;
  vault: VaultHandle;
  exchange?: EnvelopeExchange;
  unlink?: () => void;
}

let clockBase = 1_900_000_000_000;

async function founder(name = 'A'): Promise<Device> {
  const { coffer } = testCoffer();
  const session = await coffer.createProfile('pw');
  const identity = await session.device();
  await session.createVault('shared');
  const vault = handleOf(await session.openVault('shared'));
  await vault.members.claimDevice({ id: identity.id, name }, true);
  return { name, session, identity, id: identity.id, time: time(), vault };
}

function time(): ManualScheduler {
  clockBase += 10_000_000;
  return createManualScheduler({ start: clockBase });
}

/** A device `by` admitted (as an invitation would), with the vault's key and nothing else. */
async function admitted(by: Device, name: string): Promise<Device> {
  const { coffer } = testCoffer();
  const session = await coffer.createProfile('pw');
  const identity = await session.device();
  await session.addJoinedVault({
    id: by.vault.id,
    name: 'shared',
    key: vaultKeyOf(by.vault),
    introducedBy: by.id,
  });
  const vault = handleOf(await session.openVault('shared'));
  await vault.members.claimDevice({ id: identity.id, name }, false);
  await by.vault.members.addDevice({ id: identity.id, name, addedAt: 1, addedBy: by.id });
  return { name, session, identity, id: identity.id, time: time(), vault };
}

/** Starts a session of `d` in the room: a new transport document, peer and exchange. */
async function online(
  d: Device,
  room: Y.Doc,
  sealBulk?: (state: Uint8Array) => Promise<SyncBulk>,
): Promise<void> {
  const doc = new Y.Doc();
  const vault = d.vault;
  const peer = new SyncPeer({ vault, device: d.identity, scheduler: d.time });
  d.exchange = new EnvelopeExchange({
    doc,
    peer,
    vault,
    standings: () => standingsOf(undefined, vault.members.devices()),
    scheduler: d.time,
    pruneDelayMs: 1000,
    ...(sealBulk ? { sealBulk } : {}),
  });
  await d.exchange.start();
  d.unlink = link(doc, room);
}

/** Ends `d`'s session without pruning what it had scheduled (it closed too soon). */
function offline(d: Device): void {
  d.unlink?.();
  d.exchange?.stop();
}

/** Lets `d` prune: past its debounce, after what it received was handled. */
async function prune(d: Device): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 20));
  d.time.advance(5000);
}

const keysOf = (room: Y.Doc, d?: Device) =>
  [...room.getMap(ENVELOPES_MAP).keys()].filter((key) => !d || key.startsWith(`${d.id}.`)).sort();

const roomBytes = (room: Y.Doc) =>
  [...room.getMap<Uint8Array>(ENVELOPES_MAP).values()].reduce((n, v) => n + v.length, 0);

/** A and B, both edited, both in the room, everything exchanged. */
async function pair(room: Y.Doc) {
  const a = await founder();
  const b = await admitted(a, 'B');
  await online(a, room);
  await a.vault.set('FROM_A', 'a1');
  await online(b, room);
  await eventually(async () => (await b.vault.get('FROM_A')) === 'a1');
  await b.vault.set('FROM_B', 'b1');
  await eventually(async () => (await a.vault.get('FROM_B')) === 'b1');
  return { a, b };
}

describe('keys of earlier sessions', () => {
  it('a device removes its own keys of earlier sessions once it is back', async () => {
    const room = new Y.Doc();
    const a = await founder();
    await online(a, room);
    for (let i = 0; i < 3; i++) await a.vault.set(`K${i}`, `v${i}`);
    offline(a);
    expect(keysOf(room, a)).toHaveLength(4);
    await online(a, room);
    await prune(a);
    // Only this session's checkpoint: the earlier checkpoint and updates are in it.
    expect(keysOf(room, a)).toEqual([`${a.id}.c`]);
  });

  it('after many sessions, the room holds one session of the device (keys and bytes bounded)', async () => {
    const room = new Y.Doc();
    const a = await founder();
    const sizes: number[] = [];
    for (let session = 0; session < 6; session++) {
      await online(a, room);
      await prune(a);
      for (let i = 0; i < 3; i++) await a.vault.set(`S${session}_${i}`, 'x'.repeat(200));
      sizes.push(roomBytes(room));
      expect(keysOf(room)).toHaveLength(4);
      offline(a);
    }
    // Bytes grow with the vault's content (its checkpoint), not with the number of sessions:
    // the last session's room is less than twice the second's, with three times the sessions.
    expect(sizes[5]!).toBeLessThan(sizes[1]! * 2.5);
  }, 30_000);
});

describe('another device’s envelopes', () => {
  it('a device that never returns: its earlier keys go once covered; its current ones stay while it is active', async () => {
    const room = new Y.Doc();
    const { a, b } = await pair(room);
    const firstSession = keysOf(room, b);
    expect(firstSession.length).toBeGreaterThan(1);
    offline(b);
    // B comes back later for a moment: publishes a new checkpoint and closes before it pruned.
    b.time.advance(60_000);
    await online(b, room);
    offline(b);
    const current = `${b.id}.c`;
    expect(keysOf(room, b).length).toBe(firstSession.length);
    // A has B's new checkpoint; its own new checkpoint covers B's earlier session too.
    await eventually(() => a.exchange!.publishedCount > 0);
    a.exchange!.publishCheckpoint();
    // Once A has taken B's new checkpoint (its pruning waits for that).
    await eventually(() => {
      a.time.advance(5000);
      return keysOf(room, b).length === 1;
    });
    expect(keysOf(room, b)).toEqual([current]);
    // Still there after any later pruning: B is active, that is its current checkpoint.
    await a.vault.set('LATER', 'x');
    a.exchange!.publishCheckpoint();
    await prune(a);
    expect(keysOf(room, b)).toEqual([current]);
  });

  it('the author’s current keys (its checkpoint and updates since) are never pruned by others', async () => {
    const room = new Y.Doc();
    const { a, b } = await pair(room);
    await b.vault.set('LIVE', 'b2');
    await eventually(async () => (await a.vault.get('LIVE')) === 'b2');
    const deleted: string[] = [];
    room.getMap(ENVELOPES_MAP).observe((event) => {
      for (const key of event.keysChanged)
        if (!room.getMap(ENVELOPES_MAP).has(key)) deleted.push(key);
    });
    a.exchange!.publishCheckpoint();
    await prune(a);
    await prune(b);
    // Nothing of B's was deleted (so B had nothing to put back): no fight.
    expect(deleted.filter((key) => key.startsWith(`${b.id}.`))).toEqual([]);
    expect(keysOf(room, b).length).toBeGreaterThan(1);
  });

  it('a removed device: its checkpoint and envelopes go once covered; a new device still gets everything', async () => {
    const room = new Y.Doc();
    const { a, b } = await pair(room);
    offline(b);
    // Before removal, B's checkpoint stays, covered or not.
    a.exchange!.publishCheckpoint();
    await prune(a);
    expect(keysOf(room, b)).toContain(`${b.id}.c`);
    await a.vault.members.revokeDevice(b.id, { seq: 0, envelope: null }, a.id);
    a.exchange!.publishCheckpoint();
    await prune(a);
    expect(keysOf(room, b)).toEqual([]);
    // C, admitted by A, opens with A away: the room alone brings the whole vault.
    const c = await admitted(a, 'C');
    a.exchange!.publishCheckpoint();
    offline(a);
    await online(c, room);
    await eventually(async () => (await c.vault.get('FROM_B')) === 'b1');
    expect(await contents(c.vault)).toEqual(await contents(a.vault));
  });
});

describe('attackers with a client of their own', () => {
  it('junk keys and forged envelopes are removed; genuine ones are not', async () => {
    const room = new Y.Doc();
    const { a, b } = await pair(room);
    const rogue = new Y.Doc();
    const unlink = link(rogue, room);
    const map = rogue.getMap(ENVELOPES_MAP);
    const genuine = room.getMap<Uint8Array>(ENVELOPES_MAP).get(`${b.id}.c`)!;
    const forged = genuine.slice();
    forged[forged.length - 1]! ^= 1;
    rogue.transact(() => {
      map.set('garbage', new Uint8Array(400));
      map.set('text', 'not bytes');
      // A genuine envelope under another name, and a forged copy (a byte of its signature).
      map.set(`${b.id}.123`, genuine);
      map.set(`${b.id}.99999999999999`, forged);
    });
    unlink();
    await prune(a);
    const left = keysOf(room);
    expect(left).not.toContain('garbage');
    expect(left).not.toContain('text');
    expect(left).not.toContain(`${b.id}.123`);
    expect(keysOf(room)).not.toContain(`${b.id}.99999999999999`);
    expect(keysOf(room)).toContain(`${b.id}.c`);
    expect(keysOf(room)).toContain(`${a.id}.c`);
  });
});

describe('a checkpoint of megabytes, sealed as a bulk first', () => {
  /** A vault whose state is over `bulkPayloadFrom` (64 KiB). */
  async function largeFounder(): Promise<Device> {
    const a = await founder();
    await a.vault.setMany(
      Array.from({ length: 80 }, (_, i) => ({ name: `BIG_${i}`, value: `${i}`.repeat(1000) })),
    );
    return a;
  }

  /** Bulk sealing that waits for `release`, so a test can act while a checkpoint is sealed. */
  function heldSealing() {
    let open = () => {};
    let gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    let sealed = 0;
    return {
      sealBulk: async (state: Uint8Array) => {
        await gate;
        sealed++;
        return sealBulkPayload(state);
      },
      release: () => open(),
      hold: () => {
        gate = new Promise<void>((resolve) => {
          open = resolve;
        });
      },
      sealed: () => sealed,
    };
  }

  const versionOf = (room: Y.Doc, key: string) =>
    room.getMap<Uint8Array>(ENVELOPES_MAP).get(key)?.[4];

  it('changes published while it is sealed stay beside it; the next checkpoint takes them in', async () => {
    const room = new Y.Doc();
    const a = await largeFounder();
    const sealing = heldSealing();
    await online(a, room, sealing.sealBulk);
    // The opening checkpoint is still being sealed: nothing of A's is in the room yet, and
    // what an invitation would carry waits for it.
    expect(keysOf(room, a)).toEqual([]);
    const carried = a.exchange!.publishedEnvelopes();
    sealing.release();
    expect((await carried).map((bytes) => bytes[4])).toEqual([4]);
    expect(versionOf(room, `${a.id}.c`)).toBe(4);

    sealing.hold();
    const next = a.exchange!.publishCheckpoint();
    await a.vault.set('DURING', 'written while the checkpoint was sealed');
    // Asked for again meanwhile: one more checkpoint follows this one, not two.
    const again = a.exchange!.publishCheckpoint();
    const during = keysOf(room, a).filter((key) => key !== `${a.id}.c`);
    expect(during).toHaveLength(1);
    sealing.release();
    await Promise.all([next, again]);
    expect(sealing.sealed()).toBe(3);
    // The run's second checkpoint holds DURING, so its update went.
    expect(keysOf(room, a)).toEqual([`${a.id}.c`]);
    expect(await a.exchange!.checkpointIfBehind()).toBe(false);
    await a.vault.set('AFTER', 'x');
    expect(keysOf(room, a)).toHaveLength(2);
    expect(await a.exchange!.checkpointIfBehind()).toBe(true);
    expect(keysOf(room, a)).toEqual([`${a.id}.c`]);

    // A new device opens from the room alone, A gone: the bulk brings everything.
    const c = await admitted(a, 'C');
    await a.exchange!.publishCheckpoint();
    offline(a);
    await online(c, room);
    await eventually(async () => (await c.vault.get('AFTER')) === 'x');
    expect(await contents(c.vault)).toEqual(await contents(a.vault));
  });

  it('a change made while the only checkpoint is sealed is not dropped with the stale keys', async () => {
    const room = new Y.Doc();
    const a = await largeFounder();
    const sealing = heldSealing();
    await online(a, room, sealing.sealBulk);
    sealing.release();
    await a.exchange!.publishedEnvelopes();
    sealing.hold();
    const next = a.exchange!.publishCheckpoint();
    await a.vault.set('DURING', 'kept');
    const update = keysOf(room, a).find((key) => key !== `${a.id}.c`)!;
    sealing.release();
    // Only this one checkpoint (nothing asked for again): the update is not in its state.
    await next;
    expect(keysOf(room, a)).toEqual([`${a.id}.c`, update].sort());
    // Leaving while a checkpoint that holds every change is sealed: that one is waited for,
    // and no other is sealed.
    await a.exchange!.checkpointIfBehind();
    const before = sealing.sealed();
    sealing.hold();
    const last = a.exchange!.publishCheckpoint();
    const leaving = a.exchange!.checkpointIfBehind();
    sealing.release();
    expect(await leaving).toBe(true);
    await last;
    expect(sealing.sealed()).toBe(before + 1);
    expect(keysOf(room, a)).toEqual([`${a.id}.c`]);
    const c = await admitted(a, 'C');
    offline(a);
    await online(c, room);
    await eventually(async () => (await c.vault.get('DURING')) === 'kept');
  });
});
