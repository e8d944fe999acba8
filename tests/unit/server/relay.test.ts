import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { parseRelayRefusal, relayCloseCodes, relayPath } from '../../../src/core/relay';
import { ROOM_EPOCHS_MAP } from '../../../src/core/sync/epoch-keys';
import { ENVELOPES_MAP } from '../../../src/core/sync/exchange';
import { mailboxRoots } from '../../../src/server/relay/index';
import { startCofferServer } from '../../../src/server/server';
import {
  connectDevice,
  type Device,
  filledBytes,
  newRoom,
  RawClient,
  relayTestBed,
  startRelay,
  synced,
  until,
} from './relay-support';

const bed = relayTestBed();
const relayWith = bed.relay;
const device = bed.device;
const close = async (made: Device) => bed.close(made);
const bytes = filledBytes;
const dirs: string[] = [];

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'coffer-relay-'));
  dirs.push(dir);
  return join(dir, 'relay.sqlite');
}

describe('mailbox relay: syncing envelopes', () => {
  it('keeps the roots the devices really write', () => {
    expect([...mailboxRoots].sort()).toEqual([ENVELOPES_MAP, ROOM_EPOCHS_MAP].sort());
  });

  it('carries envelopes between two devices in one room', async () => {
    const relay = await relayWith({ storage: { kind: 'memory' } });
    const room = newRoom();
    const a = device(relay.url, room);
    const b = device(relay.url, room);
    await Promise.all([synced(a), synced(b)]);
    a.envelopes.set('deviceA.1', bytes(100, 1));
    b.doc.getMap('epochs').set('record-1', bytes(40, 2));
    await until(() => b.envelopes.has('deviceA.1'), 'B gets A envelope');
    await until(() => a.doc.getMap('epochs').has('record-1'), 'A gets B epoch record');
    expect(b.envelopes.get('deviceA.1')).toEqual(bytes(100, 1));
    expect(relay.relay.stats()).toMatchObject({ rooms: 1, connections: 2 });
  });

  for (const kind of ['memory', 'sqlite'] as const) {
    it(`gives a device that opens later what was left while it was closed (${kind})`, async () => {
      const relay = await relayWith({
        storage: kind === 'memory' ? { kind } : { kind, file: tempFile() },
      });
      const room = newRoom();
      const a = device(relay.url, room);
      await synced(a);
      a.envelopes.set('deviceA.1', bytes(64, 3));
      a.envelopes.set('deviceA.c', bytes(256, 4));
      await until(() => relay.relay.stats().roomBytes.get(room.room) !== undefined, 'room');
      await close(a);
      await until(() => relay.relay.stats().rooms === 0, 'room stored and unloaded');
      const b = device(relay.url, room);
      await synced(b);
      await until(() => b.envelopes.size === 2, 'B gets both envelopes');
      expect(b.envelopes.get('deviceA.c')).toEqual(bytes(256, 4));
    });
  }

  it('keeps rooms in the SQLite file across a restart of the relay', async () => {
    const file = tempFile();
    const room = newRoom();
    const first = await startRelay({ storage: { kind: 'sqlite', file } });
    const a = connectDevice(first.url, room);
    await synced(a);
    a.envelopes.set('deviceA.7', bytes(500, 9));
    await until(() => first.relay.stats().rooms === 1, 'room loaded');
    await new Promise((resolve) => setTimeout(resolve, 50));
    a.destroy();
    // close() stores every loaded room before it returns.
    await first.close();

    const second = await relayWith({ storage: { kind: 'sqlite', file } });
    const b = device(second.url, room);
    await synced(b);
    await until(() => b.envelopes.has('deviceA.7'), 'B gets the envelope after the restart');
    expect(b.envelopes.get('deviceA.7')).toEqual(bytes(500, 9));
  });

  it('stores a room garbage collected: deleted envelopes give their bytes back', async () => {
    const relay = await relayWith({ storage: { kind: 'memory' } });
    const room = newRoom();
    const a = device(relay.url, room);
    await synced(a);
    a.doc.transact(() => {
      for (let i = 0; i < 20; i++) a.envelopes.set(`deviceA.${i}`, bytes(10_000, i));
    });
    await until(() => (relay.relay.stats().roomBytes.get(room.room) ?? 0) > 200_000, 'filled');
    // A checkpoint replaces the updates it covers (as EnvelopeExchange does).
    a.doc.transact(() => {
      for (let i = 0; i < 20; i++) a.envelopes.delete(`deviceA.${i}`);
      a.envelopes.set('deviceA.c', bytes(12_000, 1));
    });
    await until(() => (relay.relay.stats().roomBytes.get(room.room) ?? 0) < 20_000, 'shrunk');
  });
});

describe('mailbox relay in the Coffer server', () => {
  it('takes devices at /relay on the app origin', async () => {
    const root = mkdtempSync(join(tmpdir(), 'coffer-relay-root-'));
    dirs.push(root);
    writeFileSync(join(root, 'index.html'), '<!doctype html><title>Coffer</title>');
    const server = await startCofferServer({
      root,
      port: 0,
      relay: { storage: { kind: 'sqlite', file: join(root, 'data', 'relay.sqlite') } },
    });
    try {
      const room = newRoom();
      const a = device(`${server.url.replace('http', 'ws')}${relayPath}`, room);
      await synced(a);
      a.envelopes.set('deviceA.1', bytes(10));
      await until(() => server.relayStats().rooms === 1, 'room loaded');
      expect(server.mailbox.stats().connections).toBe(1);
    } finally {
      bed.closeDevices();
      await server.close();
    }
  });
});

describe('mailbox relay: who may use a room', () => {
  it('refuses a wrong token the same way for an existing room and a missing one', async () => {
    const relay = await relayWith({ storage: { kind: 'memory' } });
    const existing = newRoom();
    const owner = device(relay.url, existing);
    await synced(owner);
    owner.envelopes.set('deviceA.1', bytes(32));
    const missing = newRoom();
    const stranger = newRoom();

    const answers: unknown[] = [];
    for (const room of [existing.room, missing.room]) {
      const client = await RawClient.open(relay.url);
      // A valid token, but for another room; then sync step 1 to ask for the room's content.
      client.authenticate(room, stranger.token);
      client.sync(room, 0, Y.encodeStateVector(new Y.Doc()));
      await until(() => client.closed !== undefined, 'the relay closes the stranger');
      expect(client.closed?.code).toBe(relayCloseCodes.unauthorized);
      expect(client.authenticated()).toBe(false);
      // Nothing of the room came back: only the refusal and "permission denied".
      expect(client.received.every((m) => m.type === 2 || m.type === 5)).toBe(true);
      answers.push({
        close: client.closed,
        stateless: client.statelessTexts().map(parseRelayRefusal),
        types: client.received.map((m) => m.type),
      });
    }
    expect(answers[0]).toEqual(answers[1]);
    expect(answers[0]).toMatchObject({
      stateless: [{ coffer: 'refused', reason: 'unauthorized' }],
    });
    expect(relay.relay.stats().refused.unauthorized).toBe(2);
    // The missing room was never created.
    expect(relay.relay.stats().rooms).toBe(1);
  });

  it('refuses a provider with a wrong token and says so', async () => {
    const relay = await relayWith({ storage: { kind: 'memory' } });
    const room = newRoom();
    const garbage = device(relay.url, room, { token: 'not-a-token' });
    await until(() => garbage.authFailed, 'authentication failed');
    await until(() => garbage.stateless.length > 0, 'refusal');
    expect(parseRelayRefusal(garbage.stateless[0] ?? '')).toEqual({
      coffer: 'refused',
      reason: 'unauthorized',
    });
    expect(garbage.envelopes.size).toBe(0);
  });

  it('neither keeps nor forwards awareness', async () => {
    const relay = await relayWith({ storage: { kind: 'memory' } });
    const room = newRoom();
    const a = device(relay.url, room, { awareness: true });
    const b = device(relay.url, room, { awareness: true });
    await Promise.all([synced(a), synced(b)]);
    a.provider.setAwarenessField('user', { name: 'Alice', canary: 'awareness-canary' });
    a.envelopes.set('deviceA.1', bytes(8));
    // The envelope sent after the awareness arrives, so the awareness had time to.
    await until(() => b.envelopes.has('deviceA.1'), 'B gets the envelope');
    await new Promise((resolve) => setTimeout(resolve, 100));
    const seenByB = [...(b.provider.awareness?.getStates().values() ?? [])];
    expect(JSON.stringify(seenByB)).not.toContain('awareness-canary');
    expect(b.provider.awareness?.getStates().has(a.doc.clientID)).toBe(false);
  });
});
