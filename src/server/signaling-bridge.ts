import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';

/**
 * Shares the signaling relay's topics between instances through Redis pub/sub, so that two
 * devices connected to different instances behind one address still find each other
 * (docs/deploy.md).
 *
 * Contract:
 * - Every `publish` a local client sends goes to the Redis channel `coffer-signal:<topic>` as
 *   `{"from": <instance id>, "message": <the publish message>}`, whether or not this instance
 *   has local subscribers.
 * - The instance subscribes to a topic's channel while at least one local client is subscribed
 *   to the topic, and hands what arrives there from other instances to its local subscribers;
 *   its own messages coming back are ignored, never echoed.
 * - What arrives from Redis is untrusted: a message that is not JSON, too big, not a `publish`
 *   of the channel's own topic, or over the per-topic rate is dropped and counted in `stats()`.
 * - Redis being away never stops local signaling: ioredis reconnects and resubscribes by itself,
 *   and the outage is logged once (without the URL, which may hold a password).
 */
export interface SignalingBridgeOptions {
  readonly redisUrl: string;
  /** Tags this instance's messages; a random UUID by default. */
  readonly instanceId?: string;
  /** Largest publish message accepted from Redis, in bytes (the relay's own WebSocket limit). */
  readonly maxMessageBytes: number;
  /** Longest topic name accepted (the relay's own limit). */
  readonly maxTopicLength: number;
  /** Messages per second one topic may bring in from Redis (burst: twice that). */
  readonly maxInboundPerTopicPerSecond?: number;
  /** Hands a publish from another instance to this instance's subscribers of its topic. */
  readonly deliver: (topic: string, message: PublishMessage) => void;
}

export interface PublishMessage {
  readonly type: 'publish';
  readonly topic: string;
  readonly [key: string]: unknown;
}

/** Why a message from Redis was dropped. */
export type BridgeDropReason =
  | 'too-big'
  | 'not-json'
  | 'bad-shape'
  | 'wrong-topic'
  | 'rate-limited'
  | 'unknown-channel';

export interface SignalingBridgeStats {
  readonly instanceId: string;
  /** Whether both Redis connections are up now. */
  readonly connected: boolean;
  /** Topics this instance listens to on Redis. */
  readonly topics: number;
  readonly published: number;
  readonly delivered: number;
  readonly dropped: Readonly<Record<BridgeDropReason, number>>;
  /** Redis errors seen (connection refused, timeouts, failed commands). */
  readonly redisErrors: number;
}

export interface SignalingBridge {
  /** Resolves once both Redis connections are up; rejects after a first failure to connect. */
  readonly ready: Promise<void>;
  /** A local client published on `topic`; `message` is the parsed message it sent. */
  publish(topic: string, message: PublishMessage): void;
  /** The first local client subscribed to `topic`. */
  subscribe(topic: string): void;
  /** The last local client left `topic`. */
  unsubscribe(topic: string): void;
  stats(): SignalingBridgeStats;
  close(): Promise<void>;
}

export const signalChannelPrefix = 'coffer-signal:';

/** Room in the Redis payload for the envelope around the client's message. */
const envelopeOverheadBytes = 256;

export function createSignalingBridge(options: SignalingBridgeOptions): SignalingBridge {
  const instanceId = options.instanceId ?? randomUUID();
  const ratePerSecond = options.maxInboundPerTopicPerSecond ?? 200;
  const redisOptions = {
    // Signaling is live: a message that cannot go out within a few retries is stale anyway.
    maxRetriesPerRequest: 3,
    retryStrategy: (attempt: number) => Math.min(attempt * 200, 5000),
  };
  const publisher = new Redis(options.redisUrl, redisOptions);
  const subscriber = new Redis(options.redisUrl, redisOptions);
  const topics = new Set<string>();
  const buckets = new Map<string, { tokens: number; at: number }>();
  const dropped: Record<BridgeDropReason, number> = {
    'too-big': 0,
    'not-json': 0,
    'bad-shape': 0,
    'wrong-topic': 0,
    'rate-limited': 0,
    'unknown-channel': 0,
  };
  let published = 0;
  let delivered = 0;
  let redisErrors = 0;
  let closed = false;
  let warned = false;
  // Publishes wait for subscriptions still on their way, so that a device's first announce on
  // a topic goes out only once this instance will hear the answers to it.
  let pendingSubscriptions: Promise<void> = Promise.resolve();

  const onError = (error: Error) => {
    redisErrors++;
    if (!warned && !closed) {
      warned = true;
      console.warn(
        `signaling: Redis unreachable (${error.message}); signaling continues on this instance only, retrying`,
      );
    }
  };
  const onReady = () => {
    if (warned && publisher.status === 'ready' && subscriber.status === 'ready') {
      warned = false;
      console.warn('signaling: Redis is back; topics are shared with the other instances again');
    }
  };
  for (const client of [publisher, subscriber]) {
    client.on('error', onError);
    client.on('ready', onReady);
  }

  const ready = Promise.all(
    [publisher, subscriber].map(
      (client) =>
        new Promise<void>((resolve, reject) => {
          if (client.status === 'ready') return resolve();
          client.once('ready', () => resolve());
          client.once('error', reject);
        }),
    ),
  ).then(() => undefined);
  // Nobody has to wait for it: an instance without Redis still signals locally.
  ready.catch(() => {});

  const withinRate = (topic: string): boolean => {
    const now = Date.now();
    const burst = ratePerSecond * 2;
    const bucket = buckets.get(topic) ?? { tokens: burst, at: now };
    bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.at) / 1000) * ratePerSecond);
    bucket.at = now;
    buckets.set(topic, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  };

  subscriber.on('messageBuffer', (channelBytes: Buffer, payload: Buffer) => {
    const channel = channelBytes.toString();
    const topic = channel.startsWith(signalChannelPrefix)
      ? channel.slice(signalChannelPrefix.length)
      : undefined;
    if (topic === undefined || !topics.has(topic)) {
      dropped['unknown-channel']++;
      return;
    }
    // Size first, before anything is decoded or parsed.
    if (payload.byteLength > options.maxMessageBytes + envelopeOverheadBytes) {
      dropped['too-big']++;
      return;
    }
    let envelope: unknown;
    try {
      envelope = JSON.parse(payload.toString());
    } catch {
      dropped['not-json']++;
      return;
    }
    if (typeof envelope !== 'object' || envelope === null) {
      dropped['bad-shape']++;
      return;
    }
    const { from, message } = envelope as { from?: unknown; message?: unknown };
    if (from === instanceId) return; // our own, back from Redis
    if (
      typeof from !== 'string' ||
      typeof message !== 'object' ||
      message === null ||
      Array.isArray(message) ||
      (message as { type?: unknown }).type !== 'publish' ||
      typeof (message as { topic?: unknown }).topic !== 'string'
    ) {
      dropped['bad-shape']++;
      return;
    }
    const publish = message as PublishMessage;
    if (publish.topic !== topic || topic.length > options.maxTopicLength) {
      dropped['wrong-topic']++;
      return;
    }
    if (!withinRate(topic)) {
      dropped['rate-limited']++;
      return;
    }
    delivered++;
    options.deliver(topic, publish);
  });

  return {
    ready,
    publish(topic, message) {
      if (closed) return;
      const payload = JSON.stringify({ from: instanceId, message });
      const send = () =>
        publisher.publish(`${signalChannelPrefix}${topic}`, payload).then(
          () => {
            published++;
          },
          (error: Error) => onError(error),
        );
      void pendingSubscriptions.then(send);
    },
    subscribe(topic) {
      if (closed || topics.has(topic)) return;
      topics.add(topic);
      const subscribing = subscriber
        .subscribe(`${signalChannelPrefix}${topic}`)
        .catch((error: Error) => onError(error));
      pendingSubscriptions = Promise.all([pendingSubscriptions, subscribing]).then(() => undefined);
    },
    unsubscribe(topic) {
      if (closed || !topics.delete(topic)) return;
      buckets.delete(topic);
      subscriber
        .unsubscribe(`${signalChannelPrefix}${topic}`)
        .catch((error: Error) => onError(error));
    },
    stats() {
      return {
        instanceId,
        connected: publisher.status === 'ready' && subscriber.status === 'ready',
        topics: topics.size,
        published,
        delivered,
        dropped: { ...dropped },
        redisErrors,
      };
    },
    async close() {
      if (closed) return;
      closed = true;
      topics.clear();
      buckets.clear();
      await Promise.all(
        [publisher, subscriber].map((client) =>
          client.status === 'ready'
            ? client.quit().then(
                () => undefined,
                () => client.disconnect(),
              )
            : client.disconnect(),
        ),
      );
    },
  };
}
