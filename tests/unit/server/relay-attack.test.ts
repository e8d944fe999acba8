/**
 * The mailbox relay against clients of our own that break the rules on purpose: crafted
 * y-protocols messages, oversized changes, awareness floods, wrong rooms. Each refusal must say
 * why and lose nothing the room already held.
 */
import * as encoding from 'lib0/encoding';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { parseRelayRefusal, relayCloseCodes } from '../../../src/core/relay';
import {
  filledBytes,
  messageType,
  newRoom,
  RawClient,
  type RunningRelay,
  relayTestBed,
  synced,
  until,
  updateOf,
} from './relay-support';

const bed = relayTestBed();
const device = bed.device;
const bytes = filledBytes;
const clients: RawClient[] = [];

afterEach(() => {
  for (const client of clients.splice(0)) client.close();
});

function relayWith(roomQuotaBytes?: number, keepaliveMs?: number): Promise<RunningRelay> {
  return bed.relay({
    storage: { kind: 'memory' },
    ...(roomQuotaBytes ? { roomQuotaBytes } : {}),
    ...(keepaliveMs ? { keepaliveMs } : {}),
  });
}

async function raw(url: string): Promise<RawClient> {
  const client = await RawClient.open(url);
  clients.push(client);
  return client;
}

/** A room holding one envelope, left by a device that has gone. */
async function roomWithOneEnvelope(relay: RunningRelay) {
  const room = newRoom();
  const owner = device(relay.url, room);
  await synced(owner);
  owner.envelopes.set('owner.1', bytes(50, 1));
  await until(() => (relay.relay.stats().roomBytes.get(room.room) ?? 0) > 50, 'stored');
  return room;
}

/** What a fresh device of the vault finds in the room now. */
async function contentSeenBy(relay: RunningRelay, room: ReturnType<typeof newRoom>) {
  const fresh = device(relay.url, room);
  await synced(fresh);
  await new Promise((resolve) => setTimeout(resolve, 50));
  return {
    roots: [...fresh.doc.share.keys()].sort(),
    envelopes: Object.fromEntries(
      [...fresh.envelopes.entries()].map(([key, value]) => [key, value instanceof Uint8Array]),
    ),
  };
}

const crafted: Record<string, () => Uint8Array> = {
  'a nested map in the envelopes': () =>
    updateOf((doc) => doc.getMap('envelopes').set('evil.1', new Y.Map())),
  'a nested text in the epochs': () =>
    updateOf((doc) => doc.getMap('epochs').set('evil.1', new Y.Text('hello'))),
  'a string value': () => updateOf((doc) => doc.getMap('envelopes').set('evil.1', 'plain text')),
  'a JSON value': () => updateOf((doc) => doc.getMap('envelopes').set('evil.1', { a: 1 })),
  'another root': () => updateOf((doc) => doc.getText('secrets').insert(0, 'canary')),
  'a list in the envelopes root': () =>
    updateOf((doc) => doc.getArray('envelopes').insert(0, [bytes(4)])),
  'bytes that do not decode': () => Uint8Array.of(200, 1, 2, 3, 255, 255, 255),
  // Content whose dependencies never arrive waits unapplied in the document: still refused.
  'a string waiting on a missing dependency': () => {
    const doc = new Y.Doc();
    doc.getMap('envelopes').set('evil.1', bytes(4));
    const before = Y.encodeStateVector(doc);
    doc.getMap('envelopes').set('evil.1', 'replaced by text');
    return Y.encodeStateAsUpdate(doc, before);
  },
};

describe('mailbox relay: refuses what is not a mailbox', () => {
  for (const [name, update] of Object.entries(crafted)) {
    for (const step of [1, 2] as const) {
      it(`${name} (${step === 1 ? 'sync step 2' : 'update'})`, async () => {
        const relay = await relayWith();
        const room = await roomWithOneEnvelope(relay);
        const attacker = await raw(relay.url);
        attacker.authenticate(room.room, room.token);
        await until(() => attacker.authenticated() === true, 'authenticated');
        attacker.sync(room.room, step, update());
        await until(() => attacker.closed !== undefined, 'closed');
        expect(attacker.closed).toEqual({
          code: relayCloseCodes['not-a-mailbox'],
          reason: 'not-a-mailbox',
        });
        const [refusal] = attacker.statelessTexts();
        expect(parseRelayRefusal(refusal ?? '')).toEqual({
          coffer: 'refused',
          reason: 'not-a-mailbox',
        });
        expect(JSON.parse(refusal ?? '{}').detail).toEqual(expect.any(String));
        expect(await contentSeenBy(relay, room)).toEqual({
          roots: ['envelopes'],
          envelopes: { 'owner.1': true },
        });
        expect(relay.relay.stats().refused['not-a-mailbox']).toBe(1);
      });
    }
  }

  it('accepts a change that only deletes', async () => {
    const relay = await relayWith();
    const room = await roomWithOneEnvelope(relay);
    const other = device(relay.url, room);
    await synced(other);
    await until(() => other.envelopes.has('owner.1'), 'has it');
    other.envelopes.delete('owner.1');
    expect((await contentSeenBy(relay, room)).envelopes).toEqual({});
    expect(other.closes).toEqual([]);
  });
});

describe('mailbox relay: quota', () => {
  it('refuses a change over the quota with the numbers, and loses nothing stored', async () => {
    const quota = 40_000;
    const relay = await relayWith(quota);
    const room = newRoom();
    const a = device(relay.url, room);
    await synced(a);
    for (let i = 0; i < 6; i++) a.envelopes.set(`a.${i}`, bytes(5_000, i));
    await until(() => (relay.relay.stats().roomBytes.get(room.room) ?? 0) > 30_000, 'filled');
    a.envelopes.set('a.big', bytes(15_000, 9));
    await until(() => a.stateless.length > 0, 'refusal');
    const refusal = parseRelayRefusal(a.stateless[0] ?? '');
    expect(refusal).toMatchObject({ coffer: 'refused', reason: 'room-quota', quotaBytes: quota });
    expect(refusal?.usedBytes).toBeGreaterThan(30_000);
    expect(refusal?.usedBytes).toBeLessThanOrEqual(quota);
    await until(() => a.closes.includes(relayCloseCodes['room-quota']), 'closed with 4413');
    bed.close(a);

    const b = device(relay.url, room);
    await synced(b);
    await until(() => b.envelopes.size >= 6, 'the earlier envelopes');
    expect([...b.envelopes.keys()].sort()).toEqual(['a.0', 'a.1', 'a.2', 'a.3', 'a.4', 'a.5']);
    expect(b.envelopes.get('a.3')).toEqual(bytes(5_000, 3));
    expect(relay.relay.stats().refused['room-quota']).toBe(1);
    // Room is made again by deleting: the device that freed space may write again.
    b.doc.transact(() => {
      for (let i = 0; i < 4; i++) b.envelopes.delete(`a.${i}`);
    });
    b.envelopes.set('b.1', bytes(15_000, 5));
    const c = device(relay.url, room);
    await synced(c);
    await until(() => c.envelopes.has('b.1'), 'the new envelope after space was freed');
    expect(b.stateless).toEqual([]);
  });

  it('closes a single message bigger than any room before reading it', async () => {
    const relay = await relayWith(64 * 1024);
    const room = await roomWithOneEnvelope(relay);
    const attacker = await raw(relay.url);
    attacker.authenticate(room.room, room.token);
    await until(() => attacker.authenticated() === true, 'authenticated');
    attacker.sync(
      room.room,
      2,
      updateOf((doc) => doc.getMap('envelopes').set('huge', bytes(2 * 1024 * 1024))),
    );
    await until(() => attacker.closed !== undefined, 'closed');
    expect(attacker.closed?.code).toBe(1009);
    expect((await contentSeenBy(relay, room)).envelopes).toEqual({ 'owner.1': true });
  });
});

describe('mailbox relay: other abuse', () => {
  it('drops an awareness flood without forwarding any of it', async () => {
    const relay = await relayWith();
    const room = await roomWithOneEnvelope(relay);
    const listener = await raw(relay.url);
    listener.authenticate(room.room, room.token);
    await until(() => listener.authenticated() === true, 'listener in');
    const flooder = await raw(relay.url);
    flooder.authenticate(room.room, room.token);
    await until(() => flooder.authenticated() === true, 'flooder in');
    for (let clock = 1; clock <= 300; clock++) {
      flooder.send(room.room, messageType.awareness, (encoder) => {
        const update = encoding.createEncoder();
        encoding.writeVarUint(update, 1);
        encoding.writeVarUint(update, 4242);
        encoding.writeVarUint(update, clock);
        encoding.writeVarString(update, JSON.stringify({ name: `flood-${clock}` }));
        encoding.writeVarUint8Array(encoder, encoding.toUint8Array(update));
      });
    }
    // Then an envelope, so the flood has been handled once it arrives.
    flooder.sync(
      room.room,
      2,
      updateOf((doc) => doc.getMap('envelopes').set('flooder.1', bytes(8))),
    );
    await until(() => listener.received.some((m) => m.type === messageType.sync), 'envelope');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(listener.received.filter((m) => m.type === messageType.awareness)).toEqual([]);
    expect(flooder.closed).toBeUndefined();
  });

  it('applies nothing sent to a room the connection did not authenticate', async () => {
    const relay = await relayWith();
    const mine = newRoom();
    const theirs = await roomWithOneEnvelope(relay);
    const attacker = await raw(relay.url);
    attacker.authenticate(mine.room, mine.token);
    await until(() => attacker.authenticated() === true, 'authenticated to its own room');
    // Same socket, the other room's name, no authentication for it.
    attacker.sync(
      theirs.room,
      2,
      updateOf((doc) => doc.getMap('envelopes').set('intruder.1', bytes(8))),
    );
    attacker.sync(theirs.room, 0, Y.encodeStateVector(new Y.Doc()));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(attacker.received.filter((m) => m.address === theirs.room)).toEqual([]);
    expect((await contentSeenBy(relay, theirs)).envelopes).toEqual({ 'owner.1': true });
  });

  it('keeps a quiet connection open with its pings, and takes the provider pong', async () => {
    const relay = await relayWith(undefined, 40);
    const room = newRoom();
    const quiet = device(relay.url, room);
    await synced(quiet);
    const client = await raw(relay.url);
    let pings = 0;
    client.socket.on('message', (data: Buffer) => {
      if (data.length === 1 && data[0] === 9) pings++;
    });
    await until(() => pings >= 3, 'pings');
    client.socket.send(Uint8Array.of(10));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(client.closed).toBeUndefined();
    quiet.envelopes.set('quiet.1', bytes(4));
    await until(() => relay.relay.stats().roomBytes.get(room.room) !== undefined, 'room');
    expect(quiet.closes).toEqual([]);
  });
});
