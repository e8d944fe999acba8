import * as decoding from 'lib0/decoding';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import * as Y from 'yjs';
import type { VaultKey } from '../../../src/core/crypto';
import { type RelayRoom, relayRoomOf } from '../../../src/core/relay';
import { relayTransport } from '../../../src/core/sync/relay-transport';
import type { Transport, TransportStatus } from '../../../src/core/sync/transport';
import { createManualScheduler, type Scheduler } from '../../../src/core/time';
import { NodeWebSocket, startTestRelay, type TestRelay } from './relay-test-server';

/**
 * The relay transport against a real Hocuspocus server on loopback (relay-test-server.ts):
 * the mailbox (a change waits for a device that joins later), no awareness on the wire,
 * refusals in the status, retries, leaving and joining again.
 */

let relay: TestRelay;
beforeAll(async () => {
  relay = await startTestRelay();
});
afterAll(async () => {
  await relay.close();
});

let rooms = 0;
/** A relay room of its own for each test, as a vault key would give. */
function freshRoom(): RelayRoom {
  const key = new Uint8Array(32);
  key[0] = ++rooms;
  key[1] = Math.floor(Math.random() * 256);
  return relayRoomOf(key as unknown as VaultKey);
}

/** Every frame a client sent, as [document name, message type]. */
const sentFrames: [string, number][] = [];
class RecordingWebSocket extends NodeWebSocket {
  override send(data: unknown, ...rest: unknown[]) {
    if (data instanceof Uint8Array) {
      try {
        const decoder = decoding.createDecoder(data);
        // A one-byte frame is a connection-level pong, with no document name.
        if (data.length > 1)
          sentFrames.push([decoding.readVarString(decoder), decoding.readVarUint(decoder)]);
      } catch {
        sentFrames.push(['?', -1]);
      }
    }
    // biome-ignore lint/suspicious/noExplicitAny: ws' overloads
    (super.send as any)(data, ...rest);
  }
}

function network(initial = true) {
  let online = initial;
  const listeners = new Set<(online: boolean) => void>();
  return {
    online: () => online,
    onChange(listener: (online: boolean) => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    set(next: boolean) {
      online = next;
      for (const listener of listeners) listener(next);
    },
  };
}

function join(
  doc: Y.Doc,
  room: RelayRoom | undefined,
  options: {
    urls?: string[];
    net?: ReturnType<typeof network>;
    scheduler?: Scheduler;
    flushMs?: number;
  } = {},
): Transport {
  return relayTransport({
    relays: () => options.urls ?? [relay.url],
    network: options.net ?? network(),
    WebSocket: RecordingWebSocket,
    ...(options.scheduler ? { scheduler: options.scheduler } : {}),
    ...(options.flushMs !== undefined ? { flushMs: options.flushMs } : {}),
  })({
    name: 'webrtc-room',
    password: 'pw',
    doc,
    device: 'device-a',
    ...(room ? { relay: room } : {}),
  });
}

async function until(what: string, check: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const envelopes = (doc: Y.Doc) => doc.getMap<Uint8Array>('envelopes');

describe('relay transport', () => {
  it('a change waits on the relay for a device that joins after its author left', async () => {
    const room = freshRoom();
    const [a, b] = [new Y.Doc(), new Y.Doc()];
    const ta = join(a, room);
    const heard: TransportStatus[] = [];
    ta.onStatus((status) => heard.push(status));
    await until('a online', () => ta.status().state === 'online');
    expect(ta.status()).toEqual({
      state: 'online',
      peers: 0,
      peerDevices: [],
      junk: 0,
      relay: 'online',
    });
    expect(heard.at(-1)).toEqual(ta.status());
    envelopes(a).set('canary', new Uint8Array([1, 2, 3]));
    await until(
      'the relay to store it',
      () => relay.documentOf(room.room)?.getMap('envelopes').has('canary') === true,
    );
    await ta.destroy();
    expect(ta.status().state).toBe('offline');

    const tb = join(b, room);
    await until('b to receive it through the relay alone', () => envelopes(b).has('canary'));
    expect([...envelopes(b).get('canary')!]).toEqual([1, 2, 3]);
    await tb.destroy();
  });

  it('sends no awareness: only sync, auth and close messages for its room go out', async () => {
    const room = freshRoom();
    const doc = new Y.Doc();
    const before = relay.awarenessMessages();
    const t = join(doc, room);
    await until('online', () => t.status().state === 'online');
    envelopes(doc).set('x', new Uint8Array([9]));
    await until('stored', () => relay.documentOf(room.room)?.getMap('envelopes').has('x') === true);
    await t.destroy();
    const mine = sentFrames.filter(([name]) => name === room.room).map(([, type]) => type);
    // 0: sync, 2: auth, 7: close (Hocuspocus' message types); 1 and 3 are awareness.
    expect(mine.length).toBeGreaterThan(0);
    expect(new Set(mine)).toEqual(new Set([0, 2, 7].filter((type) => mine.includes(type))));
    expect(mine).not.toContain(1);
    expect(mine).not.toContain(3);
    expect(relay.awarenessMessages()).toBe(before);
  });

  it('a token that does not open the room is refused: a clear problem, no retries, nothing stored', async () => {
    const room = freshRoom();
    const other = freshRoom();
    const doc = new Y.Doc();
    envelopes(doc).set('stranger', new Uint8Array([7]));
    const refusedBefore = relay.refusedTokens();
    const t = join(doc, { room: room.room, token: other.token });
    await until('the refusal', () => t.status().relayProblem !== undefined);
    expect(t.status()).toMatchObject({
      state: 'offline',
      relay: 'offline',
      relayProblem: { reason: 'unauthorized' },
    });
    const refusedOnce = relay.refusedTokens();
    expect(refusedOnce).toBeGreaterThan(refusedBefore);
    // The provider would retry after a second; it must not.
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect(relay.refusedTokens()).toBe(refusedOnce);
    expect(relay.documentOf(room.room)?.getMap('envelopes').has('stranger') ?? false).toBe(false);
    await t.destroy();
  });

  it('a full quota is shown with its numbers, nothing stored is lost, and a later retry stores it', async () => {
    const room = freshRoom();
    const doc = new Y.Doc();
    const scheduler = createManualScheduler({ start: Date.now() });
    const t = join(doc, room, { scheduler });
    await until('online', () => t.status().state === 'online');
    envelopes(doc).set('small', new Uint8Array(100));
    await until(
      'small stored',
      () => relay.documentOf(room.room)?.getMap('envelopes').has('small') === true,
    );
    relay.setQuota(5000);
    try {
      envelopes(doc).set('big', new Uint8Array(20_000));
      await until('the quota problem', () => t.status().relayProblem?.reason === 'room-quota');
      const problem = t.status().relayProblem!;
      expect(problem.quotaBytes).toBe(5000);
      expect(problem.usedBytes).toBeGreaterThan(100);
      const stored = relay.documentOf(room.room)!.getMap('envelopes');
      expect(stored.has('small')).toBe(true);
      expect(stored.has('big')).toBe(false);
      // No reconnection loop: it waits for the scheduler's retry.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(t.status().relay).toBe('offline');
      relay.setQuota(undefined);
      scheduler.advance(60_000);
      await until(
        'stored after the retry',
        () => relay.documentOf(room.room)?.getMap('envelopes').has('big') === true,
      );
      await until('the problem to clear', () => t.status().relayProblem === undefined);
      expect(t.status().state).toBe('online');
    } finally {
      relay.setQuota(undefined);
      await t.destroy();
    }
  });

  it('leaving: offline at once, nothing more arrives or is heard; joining again at once works', async () => {
    const room = freshRoom();
    const [a, b] = [new Y.Doc(), new Y.Doc()];
    let ta = join(a, room);
    const tb = join(b, room);
    await until(
      'both online',
      () => ta.status().state === 'online' && tb.status().state === 'online',
    );
    let heardAfter = 0;
    ta.onStatus(() => heardAfter++);
    await ta.destroy();
    heardAfter = 0;
    envelopes(b).set('after', new Uint8Array([1]));
    await until(
      'stored',
      () => relay.documentOf(room.room)?.getMap('envelopes').has('after') === true,
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(envelopes(a).has('after')).toBe(false);
    expect(heardAfter).toBe(0);
    expect(ta.status()).toMatchObject({ state: 'offline' });
    ta = join(a, room);
    await until('a to catch up after joining again', () => envelopes(a).has('after'));
    await Promise.all([ta.destroy(), tb.destroy()]);
  });

  it('leaves the relay while the browser is offline and joins again when it is back', async () => {
    const room = freshRoom();
    const [a, b] = [new Y.Doc(), new Y.Doc()];
    const net = network();
    const ta = join(a, room, { net });
    const tb = join(b, room);
    await until('a online', () => ta.status().state === 'online');
    net.set(false);
    expect(ta.status().state).toBe('offline');
    envelopes(b).set('meanwhile', new Uint8Array([5]));
    await until(
      'stored',
      () => relay.documentOf(room.room)?.getMap('envelopes').has('meanwhile') === true,
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(envelopes(a).has('meanwhile')).toBe(false);
    net.set(true);
    await until('a to get it once back', () => envelopes(a).has('meanwhile'));
    await Promise.all([ta.destroy(), tb.destroy()]);
  });

  it('the relay going down and back: connecting meanwhile, then in step again with what was missed', async () => {
    const room = freshRoom();
    const doc = new Y.Doc();
    const t = join(doc, room);
    await until('online', () => t.status().state === 'online');
    await relay.setUp(false);
    try {
      await until('connecting while down', () => t.status().state === 'connecting');
      envelopes(doc).set('while-down', new Uint8Array([3]));
    } finally {
      await relay.setUp(true);
    }
    await until('online again', () => t.status().state === 'online', 40_000);
    await until(
      'stored after',
      () => relay.documentOf(room.room)?.getMap('envelopes').has('while-down') === true,
    );
    await t.destroy();
  }, 60_000);

  it('leaving right after a write: the relay has stored it when destroy resolves', async () => {
    const room = freshRoom();
    const doc = new Y.Doc();
    const t = join(doc, room);
    await until('online', () => t.status().state === 'online');
    // A closing vault's last checkpoint: written, then the room is left at once.
    envelopes(doc).set('last', new Uint8Array(256 * 1024).fill(7));
    await t.destroy();
    expect(relay.documentOf(room.room)?.getMap('envelopes').get('last')).toHaveLength(256 * 1024);
  });

  it('leaving with the relay unreachable finishes at once: nothing waits for it', async () => {
    const room = freshRoom();
    const doc = new Y.Doc();
    // A wait for the relay would last a minute: far past this test's own timeout.
    const t = join(doc, room, { flushMs: 60_000 });
    await until('online', () => t.status().state === 'online');
    await relay.setUp(false);
    try {
      await until('connecting while down', () => t.status().state === 'connecting');
      envelopes(doc).set('unsent', new Uint8Array([9]));
      await t.destroy();
      expect(t.status()).toMatchObject({ state: 'offline' });
    } finally {
      await relay.setUp(true);
    }
    // What was not sent was not stored (the next session's sync brings it).
    expect(relay.documentOf(room.room)?.getMap('envelopes').has('unsent') ?? false).toBe(false);
  }, 30_000);

  it('junk from a relay is counted and dropped, never thrown', async () => {
    const rogue = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise((resolve) => rogue.once('listening', resolve));
    const room = freshRoom();
    rogue.on('connection', (socket) => {
      const name = new TextEncoder().encode(room.room);
      // Dropped quietly by the provider itself: a name longer than the frame (no such room), a
      // sync update that does not decode (y-protocols logs it).
      socket.send(new Uint8Array([200, 1, 2]));
      socket.send(new Uint8Array([name.length, ...name, 0, 2, 250, 250, 250]));
      // Thrown by the provider, counted here: an unknown sync step, a message cut short.
      socket.send(new Uint8Array([name.length, ...name, 0, 9]));
      socket.send(new Uint8Array([name.length, ...name, 0]));
    });
    const { port } = rogue.address() as { port: number };
    const t = join(new Y.Doc(), room, { urls: [`ws://127.0.0.1:${port}/relay`] });
    try {
      await until('two pieces of junk counted', () => (t.status().junk ?? 0) >= 2);
      expect(t.status().state).not.toBe('online');
    } finally {
      await t.destroy();
      await new Promise((resolve) => rogue.close(resolve));
    }
  });

  it('rooms without a relay, or with no relay address, are simply offline', async () => {
    const doc = new Y.Doc();
    const none = join(doc, undefined);
    expect(none.status()).toEqual({ state: 'offline', peers: 0, peerDevices: [] });
    const off = join(doc, freshRoom(), { urls: [] });
    expect(off.status()).toEqual({ state: 'offline', peers: 0, peerDevices: [] });
    await Promise.all([none.destroy(), off.destroy()]);
  });
});
