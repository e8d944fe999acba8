import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { type RawData, WebSocket, WebSocketServer } from 'ws';
import { createSignalingBridge, type SignalingBridge } from './signaling-bridge';

/**
 * The signaling relay that y-webrtc's clients speak to: a topic-based publish/subscribe over one
 * WebSocket, message for message the protocol of y-webrtc's own `bin/server.js`
 * (`subscribe`, `unsubscribe`, `publish`, `ping`/`pong`), with limits a public relay needs.
 *
 * It only relays. Topics are room names that Coffer derives from vault keys, and with a room
 * password every `publish` payload is already encrypted by y-webrtc, so the relay learns which
 * connections share a room and when they talk, never what a vault holds.
 */
export interface SignalingOptions {
  /** Largest accepted WebSocket message, in bytes. WebRTC offers and answers are a few KiB. */
  readonly maxMessageBytes?: number;
  /** Most topics one connection may be subscribed to at once. */
  readonly maxTopicsPerConnection?: number;
  /** Sees every message the relay receives, as received: for tests that audit what it learns. */
  readonly onMessage?: (message: string) => void;
  /** How often idle connections are pinged; one that missed the previous ping is closed. */
  readonly heartbeatMs?: number;
  /**
   * Redis shared by every instance behind one address (REDIS_URL): topics then reach the
   * subscribers of all of them (signaling-bridge.ts).
   */
  readonly redisUrl?: string;
  /** Tags this instance's messages on Redis (default: a random UUID). */
  readonly instanceId?: string;
}

export interface SignalingRelay {
  /** Hands an HTTP upgrade request to the relay. */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Number of open connections, for status and tests. */
  readonly connectionCount: number;
  /** The Redis bridge, when `redisUrl` was given: its `ready` and `stats()`. */
  readonly bridge?: SignalingBridge;
  close(): Promise<void>;
}

const maxTopicLength = 512;

interface Connection {
  readonly socket: WebSocket;
  readonly topics: Set<string>;
  alive: boolean;
}

type SignalingMessage =
  | { type: 'subscribe'; topics: string[] }
  | { type: 'unsubscribe'; topics: string[] }
  | { type: 'publish'; topic: string; [key: string]: unknown }
  | { type: 'ping' };

function parseMessage(raw: string): SignalingMessage | undefined {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const message = value as Record<string, unknown>;
  const isTopicList = (topics: unknown): topics is string[] =>
    Array.isArray(topics) &&
    topics.every(
      (topic) => typeof topic === 'string' && topic.length > 0 && topic.length <= maxTopicLength,
    );
  switch (message.type) {
    case 'subscribe':
    case 'unsubscribe':
      return isTopicList(message.topics) ? (message as SignalingMessage) : undefined;
    case 'publish':
      return typeof message.topic === 'string' ? (message as SignalingMessage) : undefined;
    case 'ping':
      return { type: 'ping' };
    default:
      return undefined;
  }
}

export function createSignalingRelay(options: SignalingOptions = {}): SignalingRelay {
  const maxTopicsPerConnection = options.maxTopicsPerConnection ?? 256;
  const maxMessageBytes = options.maxMessageBytes ?? 256 * 1024;
  const topics = new Map<string, Set<Connection>>();
  const connections = new Set<Connection>();
  const server = new WebSocketServer({ noServer: true, maxPayload: maxMessageBytes });
  // Messages from other instances reach local subscribers as a local publish would.
  const bridge = options.redisUrl
    ? createSignalingBridge({
        redisUrl: options.redisUrl,
        ...(options.instanceId ? { instanceId: options.instanceId } : {}),
        maxMessageBytes,
        maxTopicLength,
        deliver: (topic, message) => deliver(topic, message),
      })
    : undefined;

  const deliver = (topic: string, message: Record<string, unknown>): void => {
    const subscribers = topics.get(topic);
    if (!subscribers) return;
    const outgoing = { ...message, clients: subscribers.size };
    for (const subscriber of subscribers) send(subscriber, outgoing);
  };

  const leave = (connection: Connection, topic: string): void => {
    connection.topics.delete(topic);
    const subscribers = topics.get(topic);
    subscribers?.delete(connection);
    if (subscribers?.size === 0) {
      topics.delete(topic);
      bridge?.unsubscribe(topic);
    }
  };

  const send = (connection: Connection, message: unknown): void => {
    if (connection.socket.readyState !== WebSocket.OPEN) {
      drop(connection);
      return;
    }
    connection.socket.send(JSON.stringify(message));
  };

  const drop = (connection: Connection): void => {
    for (const topic of [...connection.topics]) leave(connection, topic);
    connections.delete(connection);
  };

  const onMessage = (connection: Connection, data: RawData): void => {
    const raw = data.toString();
    options.onMessage?.(raw);
    const message = parseMessage(raw);
    if (!message) return;
    switch (message.type) {
      case 'subscribe':
        for (const topic of message.topics) {
          if (connection.topics.size >= maxTopicsPerConnection) break;
          connection.topics.add(topic);
          let subscribers = topics.get(topic);
          if (!subscribers) {
            subscribers = new Set();
            topics.set(topic, subscribers);
            bridge?.subscribe(topic);
          }
          subscribers.add(connection);
        }
        break;
      case 'unsubscribe':
        for (const topic of message.topics) {
          if (connection.topics.has(topic)) leave(connection, topic);
        }
        break;
      case 'publish':
        deliver(message.topic, message);
        if (message.topic.length <= maxTopicLength) bridge?.publish(message.topic, message);
        break;
      case 'ping':
        send(connection, { type: 'pong' });
        break;
    }
  };

  server.on('connection', (socket: WebSocket) => {
    const connection: Connection = { socket, topics: new Set(), alive: true };
    connections.add(connection);
    socket.on('pong', () => {
      connection.alive = true;
    });
    socket.on('message', (data) => onMessage(connection, data));
    socket.on('close', () => drop(connection));
    socket.on('error', () => drop(connection));
  });

  const heartbeat = setInterval(() => {
    for (const connection of connections) {
      if (!connection.alive) {
        connection.socket.terminate();
        drop(connection);
        continue;
      }
      connection.alive = false;
      connection.socket.ping();
    }
  }, options.heartbeatMs ?? 30_000);
  heartbeat.unref();

  return {
    handleUpgrade(request, socket, head) {
      server.handleUpgrade(request, socket, head, (ws) => server.emit('connection', ws, request));
    },
    get connectionCount() {
      return connections.size;
    },
    ...(bridge ? { bridge } : {}),
    async close() {
      clearInterval(heartbeat);
      for (const connection of connections) connection.socket.terminate();
      connections.clear();
      topics.clear();
      await Promise.all([
        bridge?.close(),
        new Promise<void>((resolve) => server.close(() => resolve())),
      ]);
    },
  };
}
