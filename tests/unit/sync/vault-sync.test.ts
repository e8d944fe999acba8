import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { generateKey } from '../../../src/core/crypto';
import { generateDeviceIdentity } from '../../../src/core/device';
import type { Session } from '../../../src/core/profile';
import {
  ENVELOPES_MAP,
  InviteError,
  type InviteToken,
  inviteLink,
  inviteMaterial,
  joinWithInvite,
  parseInvite,
  VaultSync,
} from '../../../src/core/sync';
import { openJoinRequest, sealJoinRequest } from '../../../src/core/sync/invite';
import { openJoinAnswer, sealJoinAnswer } from '../../../src/core/sync/invite-answer';
import { deferredAnswerMs } from '../../../src/core/sync/invite-desk';
import { createManualScheduler, type Scheduler } from '../../../src/core/time';
import { handleOf, type VaultHandle } from '../../../src/core/vault';
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

async function openSynced(
  d: Device,
  name: string,
  network: ReturnType<typeof memoryNetwork>,
  scheduler?: Scheduler,
) {
  d.vault = handleOf(await d.session.openVault(name));
  d.sync = await VaultSync.start({
    vault: d.vault,
    device: await d.session.device(),
    connect: network.connect,
    ...(scheduler ? { scheduler } : {}),
  });
  // In its room, with what an invitation brought applied, as these tests expect of a device.
  await d.sync.firstBatch;
  return d.sync;
}

/**
 * A, with a vault and one entry, invites B; B joins and opens the vault (its sync on
 * `schedulerB` if given).
 */
async function paired(network = memoryNetwork(), schedulerB?: Scheduler) {
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
  await openSynced(b, added.name, network, schedulerB);
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
    expect(a.vault!.members.devices().map((d) => d.name)).toHaveLength(2);
    expect(b.sync!.status().membership).toBe('member');
    expect(a.vault!.members.invites()[0]!.usedBy).toEqual([(await b.session.device()).id]);
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
    expect(a.vault!.members.devices()).toHaveLength(2);
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
      scheduler: createManualScheduler({ start: invite.record.expiresAt }),
    }).catch((e: unknown) => e);
    expect((late as InviteError).problem).toBe('expired');
    await sync.revokeInvite(invite.record.id);
    const withdrawn = await joinWithInvite({
      token: invite.token,
      device: await b.session.device(),
      connect: network.connect,
    }).catch((e: unknown) => e);
    expect((withdrawn as InviteError).problem).toBe('revoked');
    expect(a.vault!.members.devices()).toHaveLength(1);
  });

  it('no answer in time is a timeout, not a hang', async () => {
    const network = memoryNetwork();
    const { a, sync } = await founded(network);
    const invite = await sync.createInvite({ expiresInMs: 60_000, singleUse: true });
    await a.vault!.close();
    const b = await device();
    const bDevice = await b.session.device();
    // The wait is on b's clock, which moves only when the test says so: no real time passes.
    const time = createManualScheduler({ start: invite.record.createdAt });
    const joining = joinWithInvite({
      token: invite.token,
      device: bDevice,
      connect: network.connect,
      scheduler: time,
    }).catch((e: unknown) => e);
    // The default wait: a minute of b's clock, which real timers would not pass in this test.
    time.advance(60_000);
    expect(((await joining) as InviteError).problem).toBe('timeout');
    expect(time.pending).toBe(0);
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
    // B had the vault from its invitation already: wait for the room's copies to be in step.
    await eventually(() =>
      network
        .docsIn(room)
        .every((doc) => [...map.keys()].every((key) => doc.getMap(ENVELOPES_MAP).has(key))),
    );
    const keys = [...map.keys()];
    const owned = async (owner: Device) => {
      const id = (await owner.session.device()).id;
      return keys.filter((key) => key.startsWith(`${id}.`)).length;
    };
    // Each device refuses what was written over the other's envelopes, and the two junk keys.
    const refusedA = a.sync!.status().refused + (await owned(b)) + 2;
    const refusedB = b.sync!.status().refused + (await owned(a)) + 2;
    docA!.transact(() => {
      for (const key of keys) map.set(key, new Uint8Array([1, 2, 3]));
      map.set('garbage', new Uint8Array(400));
      map.set('text', 'not bytes');
    }, 'rogue');
    // Both devices have been through every value the rogue wrote before their vaults are read.
    await eventually(
      () => a.sync!.status().refused >= refusedA && b.sync!.status().refused >= refusedB,
    );
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
    // b, which joined with nothing and got the vault from a, invites c (another device of its
    // own: b's member is an editor, which adds its own devices but not new members), and a is
    // away.
    const invite = await b.sync!.createInvite({
      expiresInMs: 60_000,
      singleUse: true,
      ownDevice: true,
    });
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
    expect(c.vault!.members.devices()).toHaveLength(3);
    expect(c.sync!.status().membership).toBe('member');
  });
});

describe('the shared map', () => {
  it('a device that caught up does not send the whole vault back to the room', async () => {
    const time = createManualScheduler({ start: Date.now() });
    const { a, b, network } = await paired(memoryNetwork(), time);
    // Large enough that a second full copy would stand out (over 64 KiB).
    const value = 'x'.repeat(1000);
    for (let i = 0; i < 150; i++) await a.vault!.set(`ENTRY_${i}`, value);
    await eventually(async () => (await b.vault!.list()).length === 151);
    // Past anything b's sync could have scheduled (a debounced re-publication, a sweep): the
    // tasks run now, and what b publishes is in its own copy of the map at once.
    time.advance(3_600_000);
    const [docA, docB] = network.docsIn(network.seenRooms[0]!);
    expect(await publishedBytes(docB!, b)).toBeLessThan(8 * 1024);
    await eventually(async () => (await publishedBytes(docA!, b)) > 0);
    // What b caught up on is still in b's copy of the map, under a's keys.
    expect(await publishedBytes(docB!, a)).toBeGreaterThan(150 * 1000);
  }, 20_000);
});

describe('stopping', () => {
  it('a device that wrote since its checkpoint leaves one checkpoint of its own in the room', async () => {
    const { a, b, network } = await paired();
    for (let i = 0; i < 3; i++) await a.vault!.set(`LATE_${i}`, i);
    await eventually(async () => (await b.vault!.get('LATE_2')) === 2);
    const aId = (await a.session.device()).id;
    const [, docB] = network.docsIn(network.seenRooms[0]!);
    const map = docB!.getMap<Uint8Array>(ENVELOPES_MAP);
    const keysOfA = () => [...map.keys()].filter((key) => key.startsWith(`${aId}.`));
    expect(keysOfA().length).toBeGreaterThan(1);
    const checkpointBefore = map.get(`${aId}.c`);
    await a.sync!.stop();
    // What the next device to open the vault finds of a: one state, its updates gone.
    await eventually(() => keysOfA().length === 1);
    expect(keysOfA()).toEqual([`${aId}.c`]);
    expect(map.get(`${aId}.c`)).not.toBe(checkpointBefore);
    expect(map.get(`${aId}.c`)!.length).toBeGreaterThan(checkpointBefore!.length);
  });
});

describe('requests left in an invitation room', () => {
  it('a removed device is not let back in by its old request, which other devices still hold', async () => {
    const network = memoryNetwork();
    const { a, sync: syncA } = await founded(network);
    const invite = await syncA.createInvite({ expiresInMs: 600_000, singleUse: false });
    const b = await joined(invite.token, network);
    const bId = (await b.session.device()).id;
    await eventually(() => b.sync!.status().membership === 'member');
    // b does not hear of its removal, so it stays in the invitation's room with its request.
    const inviteRoom = inviteMaterial(invite.token.secret).room;
    const answerToB = (doc: Y.Doc) => {
      const bytes = doc.getMap('answers').get(bId);
      return bytes instanceof Uint8Array ? Buffer.from(bytes).toString('hex') : undefined;
    };
    await eventually(() => network.docsIn(inviteRoom).every((doc) => answerToB(doc)));
    const firstAnswer = answerToB(network.docsIn(inviteRoom)[0]!);
    const [, docB] = network.docsIn(network.seenRooms[0]!);
    network.setOnline(docB!, false);
    expect(await syncA.removeDevice(bId)).toBe(true);
    // a opens the vault again: its new desk for the invitation meets b's old request there.
    await a.sync!.stop();
    await a.vault!.close();
    await openSynced(a, 'Team', network);
    // a has answered the old request when a new answer to it is in every copy of the room.
    await eventually(() => {
      const docs = network.docsIn(inviteRoom);
      const answers = docs.map(answerToB);
      return docs.length === 2 && answers.every((x) => x !== undefined && x !== firstAnswer);
    });
    expect(a.vault!.members.devices().find((d) => d.id === bId)?.revokedAfterSeq).toBeDefined();
    expect(a.vault!.members.authorStatus(bId)).toBe('revoked');
  });

  it('a member does not answer a request another device answered, nor send the vault again', async () => {
    // b waits before it answers an invitation it did not make, on a clock the test moves.
    const time = createManualScheduler({ start: Date.now() });
    const { a, b, network } = await paired(memoryNetwork(), time);
    for (let i = 0; i < 150; i++) await a.vault!.set(`ENTRY_${i}`, 'x'.repeat(1000));
    await eventually(async () => (await b.vault!.list()).length === 151);
    // c joins by a new invitation from a, while b (whose desks see every request) is online.
    const invite = await a.sync!.createInvite({ expiresInMs: 3_600_000, singleUse: true });
    const c = await joined(invite.token, network);
    const cId = (await c.session.device()).id;
    await eventually(async () => (await c.vault!.list()).length === 151);
    // Every desk in the invitation's room, b's among them, holds c's request and a's answer.
    const material = inviteMaterial(invite.token.secret);
    const answerTo = (doc: Y.Doc, id: string) => {
      const bytes = doc.getMap('answers').get(id);
      return bytes instanceof Uint8Array ? Buffer.from(bytes).toString('hex') : undefined;
    };
    await eventually(
      () =>
        b.vault!.members.invite(invite.record.id) !== undefined &&
        network
          .docsIn(material.room)
          .every((doc) => doc.getMap('requests').has(cId) && answerTo(doc, cId)),
    );
    const answerToC = answerTo(network.docsIn(material.room)[0]!, cId);
    const [, docB] = network.docsIn(network.seenRooms[0]!);
    // Only b is left to answer: a closes the vault, c stops syncing.
    await c.sync!.stop();
    await a.vault!.close();
    // d asks after c, with the invitation used: b turns it away once its wait is over, and
    // that answer comes after b has dealt with c's request (a desk takes requests in turn).
    const d = generateDeviceIdentity();
    const asked = sealJoinRequest(material, d, 'd', Date.now());
    const rogue = new Y.Doc();
    const rogueRoom = network.connect({
      name: material.room,
      password: material.password,
      doc: rogue,
    });
    rogue.getMap('requests').set(d.id, asked.request);
    await eventually(() => {
      time.advance(deferredAnswerMs);
      return rogue.getMap('answers').has(d.id);
    });
    const toD = openJoinAnswer(
      material,
      invite.token,
      d.id,
      asked.ephemeralSecret,
      rogue.getMap('answers').get(d.id),
    );
    expect(toD).toEqual({ ok: false, problem: 'used' });
    // b left c's request be: a's answer stands everywhere, and b published no copy of the vault.
    for (const doc of network.docsIn(material.room)) expect(answerTo(doc, cId)).toBe(answerToC);
    expect(await publishedBytes(docB!, b)).toBeLessThan(8 * 1024);
    expect(b.vault!.members.devices()).toHaveLength(3);
    await rogueRoom.destroy();
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
    // c's wait for an answer never times out: its clock does not move.
    const joining = joinWithInvite({
      token: invite.token,
      device: cDevice,
      connect: network.connect,
      scheduler: createManualScheduler({ start: invite.record.createdAt }),
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
    // c has seen the forgery once its copy of the room holds it (it reads on each update).
    await eventually(() =>
      network.docsIn(material.room).every((doc) => doc.getMap('answers').has(cDevice.id)),
    );
    // The vault's device comes back and answers; the new device gets the vault.
    await openSynced(a, 'Team', network);
    const received = await joining;
    expect(received).not.toBeInstanceOf(Error);
    expect(received).toMatchObject({
      id: a.vault!.id,
      introducedBy: (await a.session.device()).id,
    });
    expect(a.vault!.members.devices().map((d) => d.id)).toContain(cDevice.id);
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
    expect(b.vault!.members.invite(invite.record.id)).toBeDefined(); // it keeps the secret
    await a.vault!.close(); // only the removed device could answer now
    // It has left the invitation's room: nobody is there to answer.
    const room = inviteMaterial(invite.token.secret).room;
    await eventually(() => network.docsIn(room).length === 0);
    const c = await device();
    const cDevice = await c.session.device();
    const time = createManualScheduler({ start: invite.record.createdAt });
    const joining = joinWithInvite({
      token: invite.token,
      device: cDevice,
      connect: network.connect,
      scheduler: time,
    }).catch((e: unknown) => e);
    // c's request is in an empty room: nobody can answer it, whatever time passes.
    expect(network.docsIn(room).map((doc) => doc.getMap('requests').has(cDevice.id))).toEqual([
      true,
    ]);
    time.advance(60_000);
    expect(((await joining) as InviteError).problem).toBe('timeout');
    const cId = cDevice.id;
    expect(b.vault!.members.devices().some((d) => d.id === cId)).toBe(false);
  }, 15_000);
});
