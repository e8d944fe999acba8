/**
 * The y-webrtc transport against the project's signaling relay, in Node: real y-webrtc and lib0
 * over a WebSocket (the `ws` package standing in for the browser's), no peer connections. It
 * checks what needs no second peer: the relay junk that y-webrtc would turn into unhandled
 * rejections, and the transport's use of the injected scheduler.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import * as Y from 'yjs';
import type { Transport, TransportStatus } from '../../../src/core/sync/transport';
import { webrtcTransport } from '../../../src/core/sync/webrtc-transport';
import { createManualScheduler } from '../../../src/core/time';
import { createSignalingRelay, type SignalingRelay } from '../../../src/server/signaling';
import {
  type ContractRoom,
  type RelayJunkKind,
  relayJunkKinds,
  relayJunkMessage,
} from '../../contract/transport.contract';
import { eventually } from '../../support/memory-transport';

let relay: SignalingRelay;
let server: Server;
let url: string;
const globals = globalThis as { WebSocket?: unknown };

beforeAll(async () => {
  // lib0's client makes `new WebSocket(url)`: Node 20 has none of its own. It stays: y-webrtc
  // never closes its signaling clients (destroying a provider leaves them for the next room),
  // and they go on trying to reconnect until the worker ends.
  globals.WebSocket ??= WebSocket;
  relay = createSignalingRelay();
  server = createServer();
  server.on('upgrade', (request, socket, head) => relay.handleUpgrade(request, socket, head));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/signal`;
});

afterAll(async () => {
  await relay.close();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

/** Unhandled rejections while a test runs: y-webrtc's failures end there. */
const rejections: unknown[] = [];
const onRejection = (reason: unknown) => rejections.push(reason);
process.on('unhandledRejection', onRejection);
afterAll(() => {
  process.off('unhandledRejection', onRejection);
});

const transports: Transport[] = [];
afterEach(async () => {
  await Promise.all(transports.splice(0).map((transport) => transport.destroy()));
});

class NoPeerConnection {}

let rooms = 0;
function join(scheduler = createManualScheduler()) {
  const room: ContractRoom = { name: `coffer-node-test-${rooms++}`, password: 'a password' };
  const heard: TransportStatus[] = [];
  const transport = webrtcTransport({
    signaling: () => [url],
    webrtc: {
      RTCPeerConnection: NoPeerConnection as unknown as typeof RTCPeerConnection,
      RTCSessionDescription: class {} as unknown as typeof RTCSessionDescription,
      RTCIceCandidate: class {} as unknown as typeof RTCIceCandidate,
    },
    network: { online: () => true, onChange: () => () => undefined },
    scheduler,
  })({ ...room, doc: new Y.Doc(), device: 'node' });
  transports.push(transport);
  transport.onStatus((status) => heard.push(status));
  return { room, transport, heard, scheduler };
}

/** Publishes raw text to the relay, as anyone who can reach it can. */
async function publish(text: string): Promise<void> {
  const socket = new WebSocket(url);
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  await new Promise<void>((resolve, reject) =>
    socket.send(text, (error) => (error ? reject(error) : resolve())),
  );
  socket.close();
}

describe('the y-webrtc transport on the signaling relay (Node)', () => {
  it('reaches the relay: online, no peers, no junk', async () => {
    const { transport, heard } = await join();
    await eventually(() => transport.status().state === 'online');
    expect(transport.status()).toEqual({
      state: 'online',
      peers: 0,
      knownPeers: 0,
      peerDevices: [],
      junk: 0,
    });
    expect(heard.at(-1)).toEqual(transport.status());
  });

  // Each of these, before the guard decrypted first, was an unhandled rejection in y-webrtc.
  const kinds: readonly RelayJunkKind[] = ['not-an-envelope', 'undecryptable', 'wrong-fields'];
  for (const kind of kinds) {
    it(`a publish that is base64 but '${kind}' is counted as junk, never an unhandled rejection`, async () => {
      rejections.length = 0;
      const { room, transport, heard } = await join();
      await eventually(() => transport.status().state === 'online');
      await publish(await relayJunkMessage(room, kind));
      await eventually(() => transport.status().junk === 1);
      // y-webrtc's own promise would fail a moment later: give it the time.
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(rejections).toEqual([]);
      expect(transport.status()).toMatchObject({ state: 'online', junk: 1 });
      expect(heard.at(-1)?.junk).toBe(1);
    });
  }

  it('every kind of relay junk counts once, and junk for another room is not ours', async () => {
    rejections.length = 0;
    const { room, transport } = await join();
    const other = join();
    await eventually(
      () => transport.status().state === 'online' && other.transport.status().state === 'online',
    );
    for (const kind of relayJunkKinds) await publish(await relayJunkMessage(room, kind));
    await eventually(() => transport.status().junk === relayJunkKinds.length);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(transport.status().junk).toBe(relayJunkKinds.length);
    expect(other.transport.status().junk).toBe(0);
    expect(rejections).toEqual([]);
  });

  it('runs its polling on the injected scheduler, and stops it on destroy', async () => {
    const scheduler = createManualScheduler();
    const { transport } = join(scheduler);
    expect(scheduler.pending).toBe(1);
    await eventually(() => transport.status().state === 'online');
    scheduler.advance(60_000);
    expect(transport.status().state).toBe('online');
    await transport.destroy();
    expect(scheduler.pending).toBe(0);
    expect(transport.status().state).toBe('offline');
  });
});
