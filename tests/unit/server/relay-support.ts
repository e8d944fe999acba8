/**
 * Helpers for the mailbox relay's tests: a relay on a loopback port, Hocuspocus providers from
 * Node (the client devices use), and a raw client that speaks the wire protocol by hand (the
 * attacker).
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HocuspocusProvider } from '@hocuspocus/provider';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { afterEach } from 'vitest';
import { WebSocket } from 'ws';
import * as Y from 'yjs';
import type { VaultKey } from '../../../src/core/crypto';
import { type RelayRoom, relayPath, relayRoomOf } from '../../../src/core/relay';
import { createRelay, type Relay, type RelayOptions } from '../../../src/server/relay/index';

export interface RunningRelay {
  readonly url: string;
  readonly relay: Relay;
  close(): Promise<void>;
}

export async function startRelay(options: RelayOptions): Promise<RunningRelay> {
  const relay = createRelay(options);
  await relay.ready;
  const server = createServer((_request, response) => response.writeHead(404).end());
  server.on('upgrade', (request, socket, head) => relay.handleUpgrade(request, socket, head));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}${relayPath}`,
    relay,
    async close() {
      await relay.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * The relays and devices of one test file, stopped after each test (devices first). Call it at
 * the top of the file; a test file's own afterEach hooks run before this one's.
 */
export function relayTestBed() {
  const running: RunningRelay[] = [];
  const devices: Device[] = [];
  afterEach(async () => {
    for (const device of devices.splice(0)) device.destroy();
    for (const relay of running.splice(0)) await relay.close();
  });
  return {
    async relay(options: RelayOptions): Promise<RunningRelay> {
      const relay = await startRelay(options);
      running.push(relay);
      return relay;
    },
    device(...args: Parameters<typeof connectDevice>): Device {
      const made = connectDevice(...args);
      devices.push(made);
      return made;
    },
    /** Destroys a device now (a device that closes in the middle of a test). */
    close(made: Device): void {
      const index = devices.indexOf(made);
      if (index >= 0) devices.splice(index, 1);
      made.destroy();
    },
    /** Destroys every device now. */
    closeDevices(): void {
      for (const made of devices.splice(0)) made.destroy();
    },
  };
}

/** `length` bytes of `fill`: an envelope's stand-in. */
export const filledBytes = (length: number, fill = 7) => new Uint8Array(length).fill(fill);

export const newRoom = (): RelayRoom => relayRoomOf(randomBytes(32) as unknown as VaultKey);

export interface Device {
  readonly doc: Y.Doc;
  readonly provider: HocuspocusProvider;
  readonly envelopes: Y.Map<unknown>;
  readonly stateless: string[];
  readonly closes: number[];
  authFailed: boolean;
  destroy(): void;
}

/** A device's provider, as the app uses it: no awareness unless asked. */
export function connectDevice(
  url: string,
  room: RelayRoom,
  options: { awareness?: boolean; token?: string } = {},
): Device {
  const doc = new Y.Doc();
  const stateless: string[] = [];
  const closes: number[] = [];
  const device: Device = {
    doc,
    envelopes: doc.getMap('envelopes'),
    stateless,
    closes,
    authFailed: false,
    provider: new HocuspocusProvider({
      url,
      name: room.room,
      token: options.token ?? room.token,
      document: doc,
      WebSocketPolyfill: WebSocket,
      ...(options.awareness ? {} : { awareness: null }),
      onStateless: ({ payload }) => stateless.push(payload),
      onClose: ({ event }) => closes.push(event.code),
      onAuthenticationFailed: () => {
        device.authFailed = true;
      },
    } as ConstructorParameters<typeof HocuspocusProvider>[0]),
    destroy() {
      device.provider.configuration.websocketProvider.destroy();
      device.provider.destroy();
    },
  };
  return device;
}

export async function until(condition: () => boolean, what: string, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export const synced = (device: Device) => until(() => device.provider.isSynced, 'sync');

/** Hocuspocus' message types, for the raw client. */
export const messageType = { sync: 0, awareness: 1, auth: 2, stateless: 5, close: 7 } as const;

export interface RawMessage {
  readonly address: string;
  readonly type: number;
  readonly body: Uint8Array;
}

/** A client of our own: a bare WebSocket speaking Hocuspocus' framing, as an attacker would. */
export class RawClient {
  readonly received: RawMessage[] = [];
  closed: { code: number; reason: string } | undefined;
  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data: Buffer) => {
      const bytes = new Uint8Array(data);
      if (bytes.length === 1) return;
      const decoder = decoding.createDecoder(bytes);
      const address = decoding.readVarString(decoder);
      const type = decoding.readVarUint(decoder);
      this.received.push({ address, type, body: bytes.subarray(decoder.pos) });
    });
    socket.on('close', (code, reason) => {
      this.closed = { code, reason: reason.toString() };
    });
  }

  static async open(url: string): Promise<RawClient> {
    const socket = new WebSocket(url);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    return new RawClient(socket);
  }

  send(address: string, type: number, write: (encoder: encoding.Encoder) => void): void {
    const encoder = encoding.createEncoder();
    encoding.writeVarString(encoder, address);
    encoding.writeVarUint(encoder, type);
    write(encoder);
    this.socket.send(encoding.toUint8Array(encoder));
  }

  authenticate(room: string, token: string): void {
    this.send(room, messageType.auth, (encoder) => {
      encoding.writeVarUint(encoder, 0);
      encoding.writeVarString(encoder, token);
    });
  }

  /** y-protocols sync message: step 1 (0, a state vector), step 2 (1) or update (2). */
  sync(room: string, step: 0 | 1 | 2, payload: Uint8Array): void {
    this.send(room, messageType.sync, (encoder) => {
      encoding.writeVarUint(encoder, step);
      encoding.writeVarUint8Array(encoder, payload);
    });
  }

  statelessTexts(): string[] {
    return this.received
      .filter((message) => message.type === messageType.stateless)
      .map((message) => decoding.readVarString(decoding.createDecoder(message.body)));
  }

  /** Whether the relay answered the room's authentication with "authenticated". */
  authenticated(): boolean | undefined {
    const answer = this.received.find((message) => message.type === messageType.auth);
    if (!answer) return undefined;
    return decoding.readVarUint(decoding.createDecoder(answer.body)) === 2;
  }

  close(): void {
    this.socket.terminate();
  }
}

/** A Yjs update made on a throwaway document. */
export function updateOf(change: (doc: Y.Doc) => void): Uint8Array {
  const doc = new Y.Doc();
  change(doc);
  return Y.encodeStateAsUpdate(doc);
}
