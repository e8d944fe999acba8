import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { generateKey } from '../../../src/core/crypto';
import type { Session } from '../../../src/core/profile';
import {
  ENVELOPES_MAP,
  generateDeviceIdentity,
  InviteError,
  type InviteToken,
  inviteLink,
  inviteMaterial,
  joinWithInvite,
  parseInvite,
  VaultSync,
} from '../../../src/core/sync';
import { openJoinRequest, sealJoinAnswer } from '../../../src/core/sync/invite';
import type { VaultHandle } from '../../../src/core/vault';
import { testCoffer } from '../../support/coffer';
import { eventually, memoryNetwork } from '../../support/memory-transport';
import { contents } from './support';

interface Device {
  readonly session: Session;
  vault?: VaultHandle;
  sync?: VaultSync;
}

async function device(): Promise<Device> {
  const { coffer } = testCoffer();
  return { session: await coffer.createProfile('pw') };
}

async function openSynced(d: Device, name: string, network: ReturnType<typeof memoryNetwork>) {
  d.vault = await d.session.openVault(name);
  d.sync = await VaultSync.start({
    vault: d.vault,
    device: await d.session.device(),
    connect: network.connect,
  });
  return d.sync;
}

/** A, with a vault and one entry, invites B; B joins and opens the vault. */
async function paired(network = memoryNetwork()) {
  const a = await device();
  const b = await device();
  await a.session.createVault('Team');
  const syncA = await openSynced(a, 'Team', network);
  await a.vault!.set('API_KEY', 'sk-1', { kind: 'secret' });
  const invite = await syncA.createInvite({ expiresInMs: 60_000, singleUse: true });
  const link = inviteLink('https://coffer.example/', invite.token);
  const received = await joinWithInvite({
    token: parseInvite(link),
    device: await b.session.device(),
    connect: network.connect,
  });
  const added = await b.session.addJoinedVault(received);
  await openSynced(b, added.name, network);
  return { a, b, network, link };
}

/** A device that makes a vault, "Team", and syncs it. */
async function founded(network: ReturnType<typeof memoryNetwork>) {
  const a = await device();
  await a.session.createVault('Team');
  return { a, sync: await openSynced(a, 'Team', network) };
}

/** A new device joins with `token` and opens the vault it got. */
async function joined(token: InviteToken, network: ReturnType<typeof memoryNetwork>) {
  const d = await device();
  const received = await joinWithInvite({
    token,
    device: await d.session.device(),
    connect: network.connect,
  });
  await openSynced(d, (await d.session.addJoinedVault(received)).name, network);
  return d;
}

/** Bytes a device has under its own keys in one copy of the vault room's shared map. */
async function publishedBytes(copy: Y.Doc, owner: Device): Promise<number> {
  const id = (await owner.session.device()).id;
  return [...copy.getMap<Uint8Array>(ENVELOPES_MAP).entries()]
    .filter(([key]) => key.startsWith(`${id}.`))
    .reduce((sum, [, bytes]) => sum + bytes.length, 0);
}

describe('VaultSync over an in-memory network', () => {
  it('pairs by invitation: B gets the vault, and edits flow both ways', async () => {
    const { a, b } = await paired();
    await eventually(async () => (await contents(b.vault!)).API_KEY === 'sk-1');
    await b.vault!.set('FROM_B', 2);
    await eventually(async () => (await a.vault!.get('FROM_B')) === 2);
    expect(a.vault!.devices().map((d) => d.name)).toHaveLength(2);
    expect(b.sync!.status().membership).toBe('member');
    expect(a.vault!.invites()[0]!.usedBy).toEqual([(await b.session.device()).id]);
  });

  it('a single-use invitation refuses a second device, and nothing changes', async () => {
    const { a, link, network } = await paired();
    const c = await device();
    const error = await joinWithInvite({
      token: parseInvite(link),
      device: await c.session.device(),
      connect: network.connect,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InviteError);
    expect((error as InviteError).problem).toBe('used');
    expect(a.vault!.devices()).toHaveLength(2);
    expect(await c.session.listVaults()).toEqual([]);
  });

  it('an expired invitation is refused at once; a withdrawn one by the vault’s device', async () => {
    const network = memoryNetwork();
    const { a, sync } = await founded(network);
    const b = await device();
    const invite = await sync.createInvite({ expiresInMs: 60_000, singleUse: false });
    const late = await joinWithInvite({
      token: invite.token,
      device: await b.session.device(),
      connect: network.connect,
      clock: () => Date.now() + 120_000,
    }).catch((e: unknown) => e);
    expect((late as InviteError).problem).toBe('expired');
    await sync.revokeInvite(invite.record.id);
    const withdrawn = await joinWithInvite({
      token: invite.token,
      device: await b.session.device(),
      connect: network.connect,
    }).catch((e: unknown) => e);
    expect((withdrawn as InviteError).problem).toBe('revoked');
    expect(a.vault!.devices()).toHaveLength(1);
  });

  it('no answer in time is a timeout, not a hang', async () => {
    const network = memoryNetwork();
    const { a, sync } = await founded(network);
    const invite = await sync.createInvite({ expiresInMs: 60_000, singleUse: true });
    await a.vault!.close();
    const b = await device();
    const error = await joinWithInvite({
      token: invite.token,
      device: await b.session.device(),
      connect: network.connect,
      timeoutMs: 200,
    }).catch((e: unknown) => e);
    expect((error as InviteError).problem).toBe('timeout');
  });

  it('edits made apart merge when the devices meet again, and are marked for review', async () => {
    const { a, b, network } = await paired();
    await eventually(async () => (await b.vault!.get('API_KEY')) === 'sk-1');
    await a.vault!.set('db', { host: 'one' });
    await eventually(async () => await b.vault!.has('db'));
    // The vault's room is the first one joined; b's copy of its document is the second.
    const [, docB] = network.docsIn(network.seenRooms[0]!);
    network.setOnline(docB!, false);
    await a.vault!.set('db', { host: 'two' });
    await a.vault!.set('only-a', 1);
    await b.vault!.rename('db', 'database');
    await b.vault!.set('only-b', 1);
    expect(await a.vault!.has('only-b')).toBe(false);
    network.setOnline(docB!, true);
    await eventually(async () => {
      const [x, y] = [await contents(a.vault!), await contents(b.vault!)];
      return JSON.stringify(x) === JSON.stringify(y) && 'only-a' in y && 'only-b' in x;
    });
    expect(await contents(a.vault!)).toEqual({
      API_KEY: 'sk-1',
      database: { host: 'two' },
      'only-a': 1,
      'only-b': 1,
    });
    await eventually(() => a.vault!.reviews().length === 1 && b.vault!.reviews().length === 1);
    expect(a.vault!.reviews()[0]!.name).toBe('database');
  });

  it('a rogue in the room who deletes and overwrites envelopes changes nothing; syncing goes on', async () => {
    const { a, b, network } = await paired();
    await eventually(async () => (await b.vault!.get('API_KEY')) === 'sk-1');
    const room = network.seenRooms[0]!;
    const [docA] = network.docsIn(room);
    // The rogue writes through a's copy of the shared map, as a peer's update would arrive.
    const map = docA!.getMap(ENVELOPES_MAP);
    const keys = [...map.keys()];
    docA!.transact(() => {
      for (const key of keys) map.set(key, new Uint8Array([1, 2, 3]));
      map.set('garbage', new Uint8Array(400));
      map.set('text', 'not bytes');
    }, 'rogue');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await contents(a.vault!)).toEqual({ API_KEY: 'sk-1' });
    expect(await contents(b.vault!)).toEqual({ API_KEY: 'sk-1' });
    // Each device put its own envelopes back.
    await eventually(() => keys.every((key) => (map.get(key) as Uint8Array).length > 3));
    await a.vault!.set('after', 'still syncing');
    await eventually(async () => (await b.vault!.get('after')) === 'still syncing');
    expect(b.sync!.status().refused).toBeGreaterThan(0);
  });
});

describe('a third device', () => {
  it('joins through a device that itself joined (its first checkpoint was empty), and gets everything', async () => {
    const { a, b, network } = await paired();
    await eventually(async () => (await b.vault!.get('API_KEY')) === 'sk-1');
    // b, which joined with nothing and got the vault from a, invites c, and a is away.
    const invite = await b.sync!.createInvite({ expiresInMs: 60_000, singleUse: true });
    await a.vault!.close();
    const c = await device();
    const received = await joinWithInvite({
      token: invite.token,
      device: await c.session.device(),
      connect: network.connect,
    });
    const added = await c.session.addJoinedVault(received);
    await openSynced(c, added.name, network);
    await eventually(async () => (await c.vault!.get('API_KEY')) === 'sk-1');
    expect(c.vault!.devices()).toHaveLength(3);
    expect(c.sync!.status().membership).toBe('member');
  });
});

describe('the shared map', () => {
  it('a device that caught up does not send the whole vault back to the room', async () => {
    const { a, b, network } = await paired();
    // Large enough that a second full copy would stand out (over 64 KiB).
    const value = 'x'.repeat(1000);
    for (let i = 0; i < 150; i++) await a.vault!.set(`ENTRY_${i}`, value);
    await eventually(async () => (await b.vault!.list()).length === 151);
    // Past any debounce a re-publication could have had.
    await new Promise((resolve) => setTimeout(resolve, 2500));
    const [docA, docB] = network.docsIn(network.seenRooms[0]!);
    expect(await publishedBytes(docA!, b)).toBeLessThan(8 * 1024);
    expect(await publishedBytes(docA!, b)).toBeGreaterThan(0);
    // What b caught up on is still in b's copy of the map, under a's keys.
    expect(await publishedBytes(docB!, a)).toBeGreaterThan(150 * 1000);
  }, 20_000);
});

describe('requests left in an invitation room', () => {
  it('a removed device is not let back in by its old request, which other devices still hold', async () => {
    const network = memoryNetwork();
    const { a, sync: syncA } = await founded(network);
    const invite = await syncA.createInvite({ expiresInMs: 600_000, singleUse: false });
    const b = await joined(invite.token, network);
    const bId = (await b.session.device()).id;
    await eventually(() => b.sync!.status().membership === 'member');
    expect(await syncA.removeDevice(bId)).toBe(true);
    // a opens the vault again: its new desk for the invitation meets b's old request there.
    await a.sync!.stop();
    await a.vault!.close();
    await openSynced(a, 'Team', network);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(a.vault!.devices().find((d) => d.id === bId)?.revokedAfterSeq).toBeDefined();
    expect(a.vault!.authorStatus(bId)).toBe('revoked');
  });

  it('a member does not answer a request another device answered, nor send the vault again', async () => {
    const { a, b, network } = await paired();
    for (let i = 0; i < 150; i++) await a.vault!.set(`ENTRY_${i}`, 'x'.repeat(1000));
    await eventually(async () => (await b.vault!.list()).length === 151);
    // c joins by a new invitation from a, while b (whose desks see every request) is online.
    const invite = await a.sync!.createInvite({ expiresInMs: 60_000, singleUse: true });
    const c = await joined(invite.token, network);
    await eventually(async () => (await c.vault!.list()).length === 151);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const [docA] = network.docsIn(network.seenRooms[0]!);
    expect(await publishedBytes(docA!, b)).toBeLessThan(8 * 1024);
    expect(c.vault!.devices()).toHaveLength(3);
  }, 20_000);
});

describe('answers to a join request', () => {
  it('a refusal forged by someone holding the link is ignored; the new device takes the real answer', async () => {
    const network = memoryNetwork();
    const { a, sync } = await founded(network);
    const invite = await sync.createInvite({ expiresInMs: 600_000, singleUse: true });
    await a.vault!.close(); // nobody of the vault is there to answer yet
    const c = await device();
    const cDevice = await c.session.device();
    const joining = joinWithInvite({
      token: invite.token,
      device: cDevice,
      connect: network.connect,
      timeoutMs: 10_000,
    }).catch((e: unknown) => e);
    // The attacker: the link, a document of its own in the invitation's room, a device key.
    const material = inviteMaterial(invite.token.secret);
    const rogue = new Y.Doc();
    const rogueRoom = network.connect({
      name: material.room,
      password: material.password,
      doc: rogue,
    });
    await eventually(() => rogue.getMap('requests').has(cDevice.id));
    const request = openJoinRequest(
      material,
      cDevice.id,
      rogue.getMap('requests').get(cDevice.id),
    )!;
    const attacker = generateDeviceIdentity();
    rogue.getMap('answers').set(
      cDevice.id,
      sealJoinAnswer(
        material,
        request,
        { ok: false, problem: 'used' },
        {
          device: attacker,
          vaultKey: generateKey('vault'),
          members: [attacker.id],
        },
      ),
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    // The vault's device comes back and answers; the new device gets the vault.
    await openSynced(a, 'Team', network);
    const received = await joining;
    expect(received).not.toBeInstanceOf(Error);
    expect(received).toMatchObject({
      id: a.vault!.id,
      introducedBy: (await a.session.device()).id,
    });
    expect(a.vault!.devices().map((d) => d.id)).toContain(cDevice.id);
    await rogueRoom.destroy();
  }, 15_000);

  it('a removed device, which still holds the invitation, does not answer it', async () => {
    const network = memoryNetwork();
    const { a, sync: syncA } = await founded(network);
    const invite = await syncA.createInvite({ expiresInMs: 600_000, singleUse: false });
    const b = await joined(invite.token, network);
    const bId = (await b.session.device()).id;
    await eventually(() => b.sync!.status().membership === 'member');
    expect(await syncA.removeDevice(bId)).toBe(true);
    await eventually(() => b.sync!.status().membership === 'removed');
    expect(b.vault!.invite(invite.record.id)).toBeDefined(); // it keeps the secret
    await a.vault!.close(); // only the removed device could answer now
    // It has left the invitation's room: nobody is there to answer.
    const room = inviteMaterial(invite.token.secret).room;
    await eventually(() => network.docsIn(room).length === 0);
    const c = await device();
    const cId = (await c.session.device()).id;
    const error = await joinWithInvite({
      token: invite.token,
      device: await c.session.device(),
      connect: network.connect,
      timeoutMs: 2500, // more than a non-inviting member waits before it answers
    }).catch((e: unknown) => e);
    expect((error as InviteError).problem).toBe('timeout');
    expect(b.vault!.devices().some((d) => d.id === cId)).toBe(false);
  }, 15_000);
});
