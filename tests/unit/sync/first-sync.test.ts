import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { generateKey } from '../../../src/core/crypto';
import { generateDeviceIdentity } from '../../../src/core/device';
import type { Session } from '../../../src/core/profile';
import {
  type InviteToken,
  inviteMaterial,
  joinWithInvite,
  sealEnvelope,
  syncKeyOf,
  type Transport,
  type TransportFactory,
  VaultSync,
} from '../../../src/core/sync';
import {
  INVITE_ENVELOPES,
  keepFirstEnvelopes,
  takeFirstEnvelopes,
} from '../../../src/core/sync/first-sync';
import { INVITE_ANSWERS, INVITE_REQUESTS } from '../../../src/core/sync/invite-desk';
import { roomNameOf } from '../../../src/core/sync/keys';
import { handleOf, type VaultHandle, vaultKeyOf } from '../../../src/core/vault';
import { testCoffer } from '../../support/coffer';
import { eventually, memoryNetwork } from '../../support/memory-transport';
import { contents } from './support';

/** A transport that never reaches anyone: the vault's room stays silent. */
const silent: TransportFactory = (): Transport => ({
  status: () => ({ state: 'connecting', peers: 0, peerDevices: [] }),
  onStatus: () => () => undefined,
  destroy: async () => undefined,
});

async function profile(): Promise<Session> {
  return testCoffer().coffer.createProfile('pw');
}

/** A device with a vault "Team" of three entries, syncing on `network`. */
async function inviter(network: ReturnType<typeof memoryNetwork>) {
  const session = await profile();
  await session.createVault('Team');
  const vault = handleOf(await session.openVault('Team'));
  await vault.setMany([
    { name: 'API_KEY', value: 'sk-1' },
    { name: 'DB_URL', value: 'postgres://db' },
    { name: 'PORT', value: 5432 },
  ]);
  const sync = await VaultSync.start({
    vault,
    device: await session.device(),
    connect: network.connect,
  });
  return { session, vault, sync };
}

/** B opens the vault it received, its sync reaching no one. */
async function openAlone(
  session: Session,
  name: string,
): Promise<{ vault: VaultHandle; sync: VaultSync }> {
  const vault = handleOf(await session.openVault(name));
  const sync = await VaultSync.start({ vault, device: await session.device(), connect: silent });
  return { vault, sync };
}

/** A new profile, B, joins with `token` over `network`. */
async function joinAs(
  token: InviteToken,
  network: ReturnType<typeof memoryNetwork>,
  signal?: AbortSignal,
) {
  const b = await profile();
  const received = await joinWithInvite({
    token,
    device: await b.device(),
    connect: network.connect,
    ...(signal ? { signal } : {}),
  });
  return { b, received };
}

/** Starts `vault`'s sync with rooms that reach no one, noting each room it joins. */
async function startNoting(vault: VaultHandle, session: Session) {
  const rooms: string[] = [];
  const sync = await VaultSync.start({
    vault,
    device: await session.device(),
    connect: (room) => {
      rooms.push(room.name);
      return silent(room);
    },
  });
  return { sync, rooms };
}

/**
 * A with its vault on a network of its own, an invitation, and a client of its own between
 * A's network and B's (`between`).
 */
async function invitedThrough(layout: 'after' | 'beside' = 'after') {
  const netA = memoryNetwork();
  const netB = memoryNetwork();
  const a = await inviter(netA);
  const invite = await a.sync.createInvite({ expiresInMs: 60_000, singleUse: true });
  return { netA, netB, a, invite, relay: between(netA, netB, invite.token, layout) };
}

describe('first sync: the envelopes an invitation brings', () => {
  it('a new device has the vault from its invitation alone, before any connection to its room', async () => {
    const network = memoryNetwork();
    const a = await inviter(network);
    const invite = await a.sync.createInvite({ expiresInMs: 60_000, singleUse: true });
    const { b, received } = await joinAs(invite.token, network);
    const opened = await openAlone(b, (await b.addJoinedVault(received)).name);
    await eventually(async () => Object.keys(await contents(opened.vault)).length === 3);
    expect(await contents(opened.vault)).toEqual(await contents(a.vault));
    expect(opened.sync.status().refused).toBe(0);
    // Taken once: a second start of the same vault gets nothing from the invitation.
    expect(await takeFirstEnvelopes(received.id)).toEqual([]);
  });

  it('opening does not wait for what the invitation brought: it is applied next, then the room is joined', async () => {
    const network = memoryNetwork();
    const a = await inviter(network);
    const invite = await a.sync.createInvite({ expiresInMs: 60_000, singleUse: true });
    const { b, received } = await joinAs(invite.token, network);
    const vault = handleOf(await b.openVault((await b.addJoinedVault(received)).name));
    const rooms: string[] = [];
    const watched: TransportFactory = (room) => {
      rooms.push(room.name);
      return silent(room);
    };
    const shown: number[] = [];
    vault.onChange(async () => shown.push(Object.keys(await contents(vault)).length));
    const sync = await VaultSync.start({ vault, device: await b.device(), connect: watched });
    // Started, with the invitation's envelopes still to check and the room not joined yet.
    expect(rooms).toEqual([]);
    expect(Object.keys(await contents(vault))).toHaveLength(0);
    await sync.firstBatch;
    expect(await contents(vault)).toEqual(await contents(a.vault));
    expect(shown.at(-1)).toBe(3);
    expect(rooms).toContain(roomNameOf(vaultKeyOf(vault)));
    // Saved, not only shown: a reopening has them from storage.
    await sync.stop();
    await vault.close();
    const again = await b.openVault(received.name);
    expect(Object.keys(await contents(handleOf(again)))).toHaveLength(3);
  });

  it('a vault opened with nothing from an invitation is in its room when started', async () => {
    const session = await profile();
    await session.createVault('Solo');
    const vault = handleOf(await session.openVault('Solo'));
    const { sync, rooms } = await startNoting(vault, session);
    expect(rooms).toEqual([roomNameOf(vaultKeyOf(vault))]);
    await sync.stop();
  });

  it('the answer comes first and the envelopes after it: the new device opens its vault meanwhile, and joins the room once they are applied', async () => {
    // A client of its own carries the request and the answer at once, and holds A's
    // envelopes until released.
    const { netB, a, invite, relay } = await invitedThrough();
    const dialog = new AbortController();
    const { b, received } = await joinAs(invite.token, netB, dialog.signal);
    expect(relay.held().length).toBeGreaterThan(0);
    expect(relay.answeredAlone()).toBe(true);
    // The join's dialog closed once it had joined: that does not give up on the envelopes.
    dialog.abort();
    const vault = handleOf(await b.openVault((await b.addJoinedVault(received)).name));
    const { sync, rooms } = await startNoting(vault, b);
    await new Promise((resolve) => setTimeout(resolve, 20));
    // Open, waiting for them: nothing applied, the vault's room not joined (it would bring
    // the same envelopes again, competing with them).
    expect(Object.keys(await contents(vault))).toHaveLength(0);
    expect(rooms).toEqual([]);
    relay.release();
    await sync.firstBatch;
    expect(await contents(vault)).toEqual(await contents(a.vault));
    expect(sync.status().refused).toBe(0);
    expect(rooms).toContain(roomNameOf(vaultKeyOf(vault)));
    await relay.close();
  });

  it('envelopes announced that never come: once the answering device has left, the new device joins its room and gets the vault there', async () => {
    const { netA, netB, a, invite, relay } = await invitedThrough();
    const { b, received } = await joinAs(invite.token, netB);
    const vault = handleOf(await b.openVault((await b.addJoinedVault(received)).name));
    // The vault's room is on A's network: A is there.
    const sync = await VaultSync.start({ vault, device: await b.device(), connect: netA.connect });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(Object.keys(await contents(vault))).toHaveLength(0);
    await relay.close();
    await sync.firstBatch;
    await eventually(async () => Object.keys(await contents(vault)).length === 3);
    expect(await contents(vault)).toEqual(await contents(a.vault));
    expect(sync.status().refused).toBe(0);
  });

  it('a peer in the invitation room that hands junk and forgeries in place of the envelopes changes nothing, and they are counted', async () => {
    // The attacker stands between the two devices' invitation rooms (two networks) with a
    // client of its own in each: it carries B's request to A and A's genuine answer back, and
    // puts what it likes in place of A's envelopes, after the answer or beside it.
    for (const layout of ['after', 'beside'] as const) {
      const { netB, a, invite, relay } = await invitedThrough(layout);

      // What it has to hand: the genuine envelopes (it is in the room, so it saw them pass) to
      // cut and flip, and envelopes of its own.
      const stranger = generateDeviceIdentity();
      const otherKey = syncKeyOf(generateKey('vault'));
      const forged = (vaultId: string) =>
        sealEnvelope({
          kind: 'checkpoint',
          vaultId,
          author: stranger,
          seq: 1,
          syncKey: otherKey,
          update: new Uint8Array([0]),
        });
      relay.replaceWith((real) => {
        const checkpoint = real[0]!;
        const flipped = checkpoint.slice();
        flipped[200] = flipped[200]! ^ 1;
        return [
          new Uint8Array([1, 2, 3]),
          checkpoint.subarray(0, checkpoint.length - 100),
          flipped,
          forged(a.vault.id),
          forged('QUJDREVGR0hJSktMTU5PUA'),
          'not bytes',
        ];
      });

      const { b, received } = await joinAs(invite.token, netB);
      const opened = await openAlone(b, (await b.addJoinedVault(received)).name);
      // Junk (3 bytes), the cut checkpoint and the flipped one, and another vault's envelope
      // are refused and counted; the stranger's envelope for this vault is held (its author is
      // unknown), never applied.
      await eventually(() => opened.sync.status().refused >= 4);
      const genuine = relay.held();
      expect(genuine.length).toBeGreaterThan(0);
      expect(await contents(opened.vault)).toEqual({});
      expect(opened.vault.members.devices().map((d) => d.id)).not.toContain(stranger.id);

      // Nothing saved is lost, nothing is stuck: the genuine envelopes, once they come (here
      // by the invitation again, as the vault's room would bring them), are applied.
      await opened.sync.stop();
      await opened.vault.close();
      keepFirstEnvelopes(received.id, genuine);
      const again = await openAlone(b, received.name);
      await eventually(async () => Object.keys(await contents(again.vault)).length === 3);
      expect(await contents(again.vault)).toEqual(await contents(a.vault));
      await relay.close();
    }
  });
});

/**
 * A client of its own in the invitation's room on each of two networks, between A (on `netA`)
 * and B (on `netB`): it carries B's request to A and A's answer back at once, and holds A's
 * envelopes (`held`) until `release` hands them on, after the answer; or, told to replace
 * them, hands what `replaceWith` makes of them instead, after the answer or, for `beside`,
 * with it in the same update (as an older device answers).
 */
function between(
  netA: ReturnType<typeof memoryNetwork>,
  netB: ReturnType<typeof memoryNetwork>,
  token: InviteToken,
  layout: 'after' | 'beside' = 'after',
) {
  const material = inviteMaterial(token.secret);
  const room = { name: material.room, password: material.password };
  const sideA = new Y.Doc();
  const sideB = new Y.Doc();
  const links = [netA.connect({ ...room, doc: sideA }), netB.connect({ ...room, doc: sideB })];
  const held: Uint8Array[] = [];
  let heldFor: string | undefined;
  let replace: ((real: Uint8Array[]) => unknown[]) | undefined;
  sideB.getMap(INVITE_REQUESTS).observe((event) => {
    for (const key of event.keysChanged) {
      sideA.getMap(INVITE_REQUESTS).set(key, sideB.getMap(INVITE_REQUESTS).get(key));
    }
  });
  let answeredAlone = false;
  sideA.getMap(INVITE_ANSWERS).observe((event) => {
    for (const key of event.keysChanged)
      if (!sideA.getMap(INVITE_ENVELOPES).has(key)) answeredAlone = true;
    if (layout === 'beside' && replace) return;
    for (const key of event.keysChanged) {
      sideB.getMap(INVITE_ANSWERS).set(key, sideA.getMap(INVITE_ANSWERS).get(key));
    }
  });
  sideA.getMap(INVITE_ENVELOPES).observe((event) => {
    for (const key of event.keysChanged) {
      const real = sideA.getMap(INVITE_ENVELOPES).get(key) as Uint8Array[] | undefined;
      if (!real) continue;
      held.push(...real);
      heldFor = key;
      if (!replace) continue;
      const junk = replace(real);
      sideB.transact(() => {
        sideB.getMap(INVITE_ENVELOPES).set(key, junk);
        if (layout === 'beside')
          sideB.getMap(INVITE_ANSWERS).set(key, sideA.getMap(INVITE_ANSWERS).get(key));
      });
    }
  });
  return {
    held: () => [...held],
    /** Whether A's answer reached the room before its envelopes, in an update of its own. */
    answeredAlone: () => answeredAlone,
    replaceWith(make: (real: Uint8Array[]) => unknown[]) {
      replace = make;
    },
    release() {
      if (heldFor) sideB.getMap(INVITE_ENVELOPES).set(heldFor, [...held]);
    },
    async close() {
      await Promise.all(links.map((link) => link.destroy()));
    },
  };
}
