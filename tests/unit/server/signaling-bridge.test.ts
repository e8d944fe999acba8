/**
 * The signaling relay scaled out over Redis (src/server/signaling-bridge.ts), against a real
 * redis-server (tests/support/services.ts): y-webrtc-style clients on raw WebSockets, connected
 * to different instances, must reach each other; what other parties put on the Redis channels
 * must not reach them unless it is a well-formed publish of the channel's own topic.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createSignalingRelay, type SignalingRelay } from '../../../src/server/signaling';
import { createSignalingBridge, signalChannelPrefix } from '../../../src/server/signaling-bridge';
import { type RunningService, startRedis } from '../../support/services';

let redis: RunningService;
let control: Redis;
const cleanups: Array<() => Promise<unknown> | unknown> = [];

beforeAll(async () => {
  redis = await startRedis();
  control = new Redis(redis.url);
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

afterAll(async () => {
  control.disconnect();
  await redis.stop();
});

interface Instance {
  readonly relay: SignalingRelay;
  readonly url: string;
  close(): Promise<void>;
}

async function startInstance(
  options: { redisUrl?: string; maxMessageBytes?: number; instanceId?: string } = {},
): Promise<Instance> {
  const relay = createSignalingRelay({ redisUrl: options.redisUrl ?? redis.url, ...options });
  const server: Server = createServer();
  server.on('upgrade', (request, socket, head) => relay.handleUpgrade(request, socket, head));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  let closed = false;
  const instance = {
    relay,
    url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      if (closed) return;
      closed = true;
      await relay.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  cleanups.push(() => instance.close());
  return instance;
}

interface Client {
  readonly socket: WebSocket;
  send(message: unknown): void;
  /** The next message received, in order. */
  next(): Promise<Record<string, unknown>>;
  close(): Promise<void>;
}

async function connect(instance: Instance): Promise<Client> {
  const socket = new WebSocket(instance.url);
  const queue: Record<string, unknown>[] = [];
  const waiting: Array<(message: Record<string, unknown>) => void> = [];
  socket.on('message', (data) => {
    const message = JSON.parse(data.toString()) as Record<string, unknown>;
    const waiter = waiting.shift();
    if (waiter) waiter(message);
    else queue.push(message);
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  const client: Client = {
    socket,
    send: (message) => socket.send(JSON.stringify(message)),
    next: () => {
      const queued = queue.shift();
      if (queued) return Promise.resolve(queued);
      return new Promise((resolve) => waiting.push(resolve));
    },
    close: async () => {
      if (socket.readyState === WebSocket.CLOSED) return;
      const closed = new Promise((resolve) => socket.once('close', resolve));
      socket.close();
      await closed;
    },
  };
  cleanups.push(() => client.close());
  return client;
}

/** How many Redis connections listen on a topic's channel (all instances together). */
async function listeners(topic: string): Promise<number> {
  const reply = (await control.pubsub('NUMSUB', `${signalChannelPrefix}${topic}`)) as [
    string,
    number,
  ];
  return Number(reply[1]);
}

async function until(condition: () => Promise<boolean> | boolean, what: string): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Subscribes and waits until this instance listens on Redis for the topic too. */
async function subscribe(client: Client, topic: string, expectedListeners: number): Promise<void> {
  client.send({ type: 'subscribe', topics: [topic] });
  await until(async () => (await listeners(topic)) >= expectedListeners, `${topic} on Redis`);
}

const announce = (topic: string, peerId: string) => ({
  type: 'publish',
  topic,
  data: { type: 'announce', from: peerId },
});

describe('signaling across instances through Redis', () => {
  it('delivers a publish to subscribers on another instance, once, and not to others', async () => {
    const one = await startInstance();
    const two = await startInstance();
    await Promise.all([one.relay.bridge!.ready, two.relay.bridge!.ready]);
    const a = await connect(one);
    const b = await connect(two);
    const bystander = await connect(one);
    await subscribe(a, 'room-1', 1);
    await subscribe(b, 'room-1', 2);
    bystander.send({ type: 'subscribe', topics: ['room-2'] });

    b.send(announce('room-1', 'peer-b'));
    expect(await a.next()).toEqual({ ...announce('room-1', 'peer-b'), clients: 1 });
    // B hears its own publish locally, as from y-webrtc's own server, and only once: its echo
    // from Redis would come before A's answer, which travels the same channel after it.
    expect(await b.next()).toEqual({ ...announce('room-1', 'peer-b'), clients: 1 });
    const answer = {
      type: 'publish',
      topic: 'room-1',
      data: { type: 'signal', from: 'peer-a', to: 'peer-b', signal: { type: 'offer', sdp: 'x' } },
    };
    a.send(answer);
    expect(await b.next()).toEqual({ ...answer, clients: 1 });
    expect(await a.next()).toEqual({ ...answer, clients: 1 });

    // The bystander, on room-2, heard nothing of room-1.
    bystander.send({ type: 'ping' });
    expect(await bystander.next()).toEqual({ type: 'pong' });
    expect(one.relay.bridge!.stats()).toMatchObject({ connected: true, topics: 2, delivered: 1 });
    expect(two.relay.bridge!.stats()).toMatchObject({ delivered: 1 });
  });

  it('stops listening on Redis when the last local subscriber leaves', async () => {
    const one = await startInstance();
    const a = await connect(one);
    const c = await connect(one);
    await subscribe(a, 'room-leave', 1);
    c.send({ type: 'subscribe', topics: ['room-leave'] });
    a.send({ type: 'unsubscribe', topics: ['room-leave'] });
    c.send({ type: 'ping' });
    expect(await c.next()).toEqual({ type: 'pong' });
    expect(await listeners('room-leave')).toBe(1); // c is still there
    await c.close();
    await until(async () => (await listeners('room-leave')) === 0, 'the channel to be left');
    expect(one.relay.bridge!.stats().topics).toBe(0);
  });

  it('carries on when an instance goes away and comes back', async () => {
    const one = await startInstance();
    let two = await startInstance();
    const a = await connect(one);
    let b = await connect(two);
    await subscribe(a, 'room-restart', 1);
    await subscribe(b, 'room-restart', 2);
    b.send(announce('room-restart', 'peer-b'));
    expect((await a.next()).data).toEqual({ type: 'announce', from: 'peer-b' });

    await two.close();
    await until(async () => (await listeners('room-restart')) === 1, 'instance two to be gone');
    // A publishes into the void, and its instance keeps working.
    a.send(announce('room-restart', 'peer-a'));
    expect((await a.next()).data).toEqual({ type: 'announce', from: 'peer-a' });

    two = await startInstance();
    b = await connect(two);
    await subscribe(b, 'room-restart', 2);
    a.send(announce('room-restart', 'peer-a2'));
    expect((await b.next()).data).toEqual({ type: 'announce', from: 'peer-a2' });
    b.send(announce('room-restart', 'peer-b2'));
    // A's own publish first (local), then B's through Redis.
    expect((await a.next()).data).toEqual({ type: 'announce', from: 'peer-a2' });
    expect((await a.next()).data).toEqual({ type: 'announce', from: 'peer-b2' });
  });

  it('never publishes a message over the size limit to Redis', async () => {
    const one = await startInstance({ maxMessageBytes: 4096 });
    const a = await connect(one);
    await subscribe(a, 'room-big', 1);
    const spy = new Redis(redis.url);
    cleanups.push(() => spy.disconnect());
    const seen: string[] = [];
    spy.on('message', (_channel: string, message: string) => seen.push(message));
    await spy.subscribe(`${signalChannelPrefix}room-big`);
    const closed = new Promise<number>((resolve) => a.socket.once('close', resolve));
    a.send({ ...announce('room-big', 'peer-a'), padding: 'x'.repeat(8192) });
    expect(await closed).toBe(1009); // ws: message too big
    const b = await connect(one);
    b.send(announce('room-big', 'peer-b'));
    await until(() => seen.length > 0, 'the small message on Redis');
    expect(seen).toHaveLength(1);
    expect(JSON.parse(seen[0]!).message.data.from).toBe('peer-b');
  });
});

describe('what arrives from Redis is untrusted', () => {
  it('drops and counts junk, and still delivers a good message after it', async () => {
    const one = await startInstance({ maxMessageBytes: 4096, instanceId: 'instance-one' });
    const a = await connect(one);
    await subscribe(a, 'room-junk', 1);
    const channel = `${signalChannelPrefix}room-junk`;
    const good = { from: 'instance-two', message: announce('room-junk', 'peer-b') };
    const junk = [
      'not json {',
      JSON.stringify({ from: 'instance-two', message: { ...good.message, pad: 'x'.repeat(8000) } }),
      JSON.stringify([1, 2, 3]),
      'null',
      JSON.stringify({ from: 'instance-two', message: { type: 'subscribe', topics: ['x'] } }),
      JSON.stringify({ from: 'instance-two', message: 'publish' }),
      JSON.stringify({ from: 42, message: good.message }),
      JSON.stringify({ from: 'instance-two', message: announce('room-other', 'peer-x') }),
      // Its own id: an echo, ignored without counting.
      JSON.stringify({ from: 'instance-one', message: announce('room-junk', 'spoofed') }),
    ];
    for (const payload of junk) await control.publish(channel, payload);
    // A channel this instance never subscribed to reaches no one.
    await control.publish(`${signalChannelPrefix}room-nobody`, JSON.stringify(good));
    await control.publish(channel, JSON.stringify(good));
    expect(await a.next()).toEqual({ ...good.message, clients: 1 });
    expect(one.relay.bridge!.stats().dropped).toEqual({
      'too-big': 1,
      'not-json': 1,
      'bad-shape': 5,
      'wrong-topic': 1,
      'rate-limited': 0,
      'unknown-channel': 0,
    });
    expect(one.relay.bridge!.stats().delivered).toBe(1);
  });

  it('drops a flood from Redis beyond the per-topic rate', async () => {
    const delivered: string[] = [];
    const bridge = createSignalingBridge({
      redisUrl: redis.url,
      maxMessageBytes: 4096,
      maxTopicLength: 512,
      maxInboundPerTopicPerSecond: 5,
      deliver: (topic) => delivered.push(topic),
    });
    cleanups.push(() => bridge.close());
    await bridge.ready;
    bridge.subscribe('room-flood');
    await until(async () => (await listeners('room-flood')) === 1, 'the flood channel');
    const message = JSON.stringify({ from: 'elsewhere', message: announce('room-flood', 'p') });
    const pipeline = control.pipeline();
    for (let i = 0; i < 100; i++) pipeline.publish(`${signalChannelPrefix}room-flood`, message);
    await pipeline.exec();
    await until(
      () => delivered.length + bridge.stats().dropped['rate-limited'] === 100,
      'all 100 to be handled',
    );
    expect(bridge.stats().dropped['rate-limited']).toBeGreaterThan(50);
    expect(delivered.length).toBeGreaterThanOrEqual(10); // the burst
  });

  it('signals locally when Redis cannot be reached, and says so', async () => {
    const dead = await startRedis();
    const deadUrl = dead.url;
    await dead.stop();
    const one = await startInstance({ redisUrl: deadUrl });
    await expect(one.relay.bridge!.ready).rejects.toThrow(/ECONNREFUSED/);
    const a = await connect(one);
    const b = await connect(one);
    a.send({ type: 'subscribe', topics: ['room-local'] });
    b.send({ type: 'subscribe', topics: ['room-local'] });
    b.send({ type: 'ping' });
    expect(await b.next()).toEqual({ type: 'pong' });
    a.send(announce('room-local', 'peer-a'));
    expect((await b.next()).data).toEqual({ type: 'announce', from: 'peer-a' });
    expect(one.relay.bridge!.stats().connected).toBe(false);
    expect(one.relay.bridge!.stats().redisErrors).toBeGreaterThan(0);
  });
});
