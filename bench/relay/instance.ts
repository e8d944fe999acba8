/**
 * One relay instance for the relay load test (bench/relay/load.ts), run as its own Node process
 * (`node --expose-gc --import tsx bench/relay/instance.ts ...`) so the load driver's CPU and heap
 * are not the relay's. Talks to its parent over IPC only (protocol in ./ipc.ts):
 *
 *   child -> parent  { type: 'ready', port }            once it listens on 127.0.0.1
 *   parent -> child  { type: 'stats', gc }              answered by { type: 'stats', ... }
 *   parent -> child  { type: 'close' }                  closes the relay, then the process exits
 *
 *   --kind coffer   Coffer's mailbox relay (src/server/relay), memory storage, at /relay
 *   --kind plain    a bare Hocuspocus Server (no token check, no mailbox or quota checks, no
 *                   persistence): the baseline for the same protocol and load
 *   --redis URL     share rooms with other instances through Redis (both kinds)
 *   --name NAME     instance name (logs, Redis identifier)
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { Redis } from '@hocuspocus/extension-redis';
import { Server } from '@hocuspocus/server';
import RedisClient from 'ioredis';
import { type Doc, encodeStateAsUpdate } from 'yjs';
import { relayPath } from '../../src/core/relay';
import type { InstanceStats, ToInstance } from './ipc';

interface Running {
  readonly port: number;
  stats(): Pick<InstanceStats, 'rooms' | 'connections' | 'storedBytes' | 'refused'>;
  close(): Promise<void>;
}

const { values } = parseArgs({
  options: {
    kind: { type: 'string', default: 'coffer' },
    redis: { type: 'string' },
    name: { type: 'string', default: `bench-${process.pid}` },
  },
});

async function startCoffer(redisUrl: string | undefined, name: string): Promise<Running> {
  // Loaded on use: the plain baseline must not depend on Coffer's relay module.
  const { createRelay } = await import('../../src/server/relay/index');
  const relay = createRelay({
    storage: { kind: 'memory' },
    instanceName: name,
    ...(redisUrl ? { redisUrl } : {}),
  });
  const server = createServer((_request, response) => {
    response.writeHead(404).end();
  });
  server.on('upgrade', (request, socket, head) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (path === relayPath) relay.handleUpgrade(request, socket, head);
    else socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    stats() {
      const stats = relay.stats();
      let storedBytes = 0;
      for (const bytes of stats.roomBytes.values()) storedBytes += bytes;
      return {
        rooms: stats.rooms,
        connections: stats.connections,
        storedBytes,
        refused: { ...stats.refused },
      };
    },
    async close() {
      await relay.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function startPlain(redisUrl: string | undefined, name: string): Promise<Running> {
  const extensions = redisUrl
    ? [new Redis({ identifier: name, createClient: () => new RedisClient(redisUrl) })]
    : [];
  const server = new Server({ quiet: true, address: '127.0.0.1', port: 0, extensions });
  const hocuspocus = await server.listen();
  return {
    port: server.address.port,
    stats() {
      let storedBytes = 0;
      for (const document of hocuspocus.documents.values()) {
        storedBytes += document.getMap('envelopes').size > 0 ? encodedSize(document) : 0;
      }
      return {
        rooms: hocuspocus.getDocumentsCount(),
        connections: hocuspocus.getConnectionsCount(),
        storedBytes,
        refused: {},
      };
    },
    async close() {
      await server.destroy();
    },
  };
}

// The plain server keeps no size per room; the encoded state is what a store would hold.
function encodedSize(document: Doc): number {
  return encodeStateAsUpdate(document).length;
}

function send(message: unknown): void {
  process.send?.(message);
}

const name = values.name ?? `bench-${process.pid}`;
const running =
  values.kind === 'plain'
    ? await startPlain(values.redis, name)
    : values.kind === 'coffer'
      ? await startCoffer(values.redis, name)
      : (() => {
          throw new Error(`--kind must be coffer or plain, got "${values.kind}"`);
        })();

process.on('message', (message: ToInstance) => {
  if (message.type === 'stats') {
    if (message.gc) {
      // Twice: the first pass can leave finalizers whose memory the second one frees.
      globalThis.gc?.();
      globalThis.gc?.();
    }
    const memory = process.memoryUsage();
    const stats: InstanceStats = {
      type: 'stats',
      rss: memory.rss,
      heapUsed: memory.heapUsed,
      external: memory.external,
      arrayBuffers: memory.arrayBuffers,
      cpuMs: process.cpuUsage().user / 1000 + process.cpuUsage().system / 1000,
      ...running.stats(),
    };
    send(stats);
  } else if (message.type === 'close') {
    void running.close().finally(() => process.exit(0));
  }
});
// The parent went away (killed, crashed): never outlive it.
process.on('disconnect', () => process.exit(0));
send({ type: 'ready', port: running.port });
