import type { IncomingMessage } from 'node:http';
import { hostname } from 'node:os';
import type { Duplex } from 'node:stream';
import { type Extension, Hocuspocus } from '@hocuspocus/server';
import * as encoding from 'lib0/encoding';
import { type RawData, type WebSocket, WebSocketServer } from 'ws';
import {
  defaultRoomQuotaBytes,
  type RelayRefusal,
  type RelayRefusalReason,
  relayCloseCodes,
  relayPath,
  relayTokenOpens,
} from '../../core/relay';
import {
  headerOfMessage,
  mailboxProblem,
  messageAuth,
  messagePing,
  messagePong,
  updateOfMessage,
} from './mailbox';
import { RoomMeter } from './quota';
import { openRelayStorage, redisExtension } from './storage';
import type { Relay, RelayOptions, RelayStats } from './types';

/** What each connection carries into the hooks: its socket, to refuse on it. */
interface RelayContext {
  readonly socket: WebSocket;
  /** Room name -> the address the device used for it (Hocuspocus may add a session id). */
  readonly addresses: Map<string, string>;
}

/** A connection is pinged this often; Hocuspocus' provider answers, keeping both sides alive. */
const defaultKeepaliveMs = 15_000;
const messageStateless = 5;
const maxAddressesPerSocket = 32;

/** Thrown inside a hook to stop a message; Hocuspocus closes the room's connection with it. */
interface Stop {
  readonly code: number;
  readonly reason: RelayRefusalReason;
}

/**
 * The mailbox relay (contract in ./index.ts). A Hocuspocus instance without a port of its own:
 * server.ts hands it the WebSocket upgrades of `relayPath`, and `ws` carries the frames to
 * Hocuspocus' `handleConnection`, as its own Server does with crossws.
 */
export function createRelay(options: RelayOptions): Relay {
  const quotaBytes = options.roomQuotaBytes ?? defaultRoomQuotaBytes;
  if (!Number.isSafeInteger(quotaBytes) || quotaBytes <= 0) {
    throw new RangeError(`roomQuotaBytes must be a whole number above 0, got ${quotaBytes}`);
  }
  const instanceName = options.instanceName ?? `${hostname()}:${process.pid}`;
  const storage = openRelayStorage(options.storage);
  const meter = new RoomMeter(quotaBytes);
  const refused: Record<RelayRefusalReason, number> = {
    unauthorized: 0,
    'room-quota': 0,
    'not-a-mailbox': 0,
  };
  /** Bytes reserved for each message between its check and its application. */
  const reservations = new WeakMap<Uint8Array, number>();

  /** Says why on the socket (stateless JSON), then closes it with the reason's code. */
  const refuse = (
    socket: WebSocket,
    address: string,
    refusal: RelayRefusal,
    detail?: string,
  ): Stop => {
    refused[refusal.reason]++;
    const code = relayCloseCodes[refusal.reason];
    const payload = detail === undefined ? refusal : { ...refusal, detail };
    if (socket.readyState === socket.OPEN) socket.send(statelessMessage(address, payload));
    // After Hocuspocus has sent its own answer (permission denied, or the room's close).
    setImmediate(() => {
      if (socket.readyState === socket.OPEN) socket.close(code, refusal.reason);
    });
    return { code, reason: refusal.reason };
  };

  const guard: Extension<RelayContext> = {
    extensionName: 'coffer-mailbox-guard',
    // Before storage and Redis: nothing is loaded, stored or published before these checks.
    priority: 10_000,
    // Pure: a hash of the token against the room's name. The room is not looked up, so the
    // answer is the same whether it exists or not.
    async onAuthenticate({ documentName, token, context }) {
      if (relayTokenOpens(documentName, token)) return;
      const address = context.addresses.get(documentName) ?? documentName;
      throw refuse(context.socket, address, { coffer: 'refused', reason: 'unauthorized' });
    },
    async beforeHandleMessage({ documentName, document, update: message, connection, context }) {
      const address = connection.messageAddress;
      const notMailbox = (detail: string) =>
        refuse(context.socket, address, { coffer: 'refused', reason: 'not-a-mailbox' }, detail);
      let update: Uint8Array | undefined;
      try {
        update = updateOfMessage(message);
      } catch {
        throw notMailbox('the message does not decode');
      }
      if (!update) return;
      const problem = mailboxProblem(update);
      if (problem !== undefined) throw notMailbox(problem);
      const admission = meter.admit(documentName, document, update);
      if (!admission.ok) {
        throw refuse(context.socket, address, {
          coffer: 'refused',
          reason: 'room-quota',
          quotaBytes,
          usedBytes: admission.usedBytes,
        });
      }
      reservations.set(message, update.length);
    },
    async afterHandleMessage({ documentName, update: message }) {
      const bytes = reservations.get(message);
      if (bytes !== undefined) meter.release(documentName, bytes);
    },
    // Awareness is neither kept nor forwarded: every state in it is dropped before it is applied.
    async beforeHandleAwareness({ states }) {
      states.clear();
    },
    async onChange({ documentName, update }) {
      meter.grew(documentName, update.length);
    },
    async afterUnloadDocument({ documentName }) {
      meter.forget(documentName);
    },
  };

  const extensions: Extension[] = [guard, storage.extension];
  if (options.redisUrl) extensions.push(redisExtension(options.redisUrl, instanceName));
  const hocuspocus = new Hocuspocus<RelayContext>({
    name: instanceName,
    quiet: true,
    extensions,
    // Garbage collection keeps only what is still in the maps: a deleted envelope's bytes go.
    yDocOptions: { gc: true, gcFilter: () => true },
    // Few rooms per device; a connection fanning out over many names is closed.
    maxPendingDocuments: 16,
  });

  const server = new WebSocketServer({
    noServer: true,
    // A change bigger than a room can hold is refused by size before it is even read.
    maxPayload: Math.min(quotaBytes + 1024 * 1024, 512 * 1024 * 1024),
  });
  const keepalive = setInterval(() => {
    for (const socket of server.clients) {
      if (socket.readyState === socket.OPEN) socket.send(Uint8Array.of(messagePing));
    }
  }, options.keepaliveMs ?? defaultKeepaliveMs);
  keepalive.unref();

  const accept = (socket: WebSocket) => {
    const context: RelayContext = { socket, addresses: new Map() };
    // Hocuspocus wants a fetch Request; nothing of the real one (address, headers) is needed.
    const client = hocuspocus.handleConnection(
      socket,
      new Request(`http://relay.invalid${relayPath}`),
      context,
    );
    socket.on('message', (data: RawData, isBinary: boolean) => {
      if (!isBinary) {
        socket.close(1003, 'binary frames only');
        return;
      }
      const bytes = toBytes(data);
      // Hocuspocus' server does not read the provider's pong (an unaddressed byte): it would
      // take it for a malformed message. It is the answer to our keepalive ping.
      if (bytes.length === 1 && bytes[0] === messagePong) {
        client.lastMessageReceivedAt = Date.now();
        return;
      }
      noteAuthAddress(context.addresses, bytes);
      client.handleMessage(bytes);
    });
    socket.on('close', (code: number, reason: Buffer) => {
      client.handleClose({ code, reason: reason.toString() });
    });
    socket.on('error', () => socket.terminate());
  };

  let closing: Promise<void> | undefined;
  return {
    ready: storage.ready,
    handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer) {
      if (closing) {
        socket.destroy();
        return;
      }
      server.handleUpgrade(request, socket, head, accept);
    },
    stats(): RelayStats {
      const roomBytes = new Map<string, number>();
      for (const [name, document] of hocuspocus.documents) {
        roomBytes.set(name, meter.measure(name, document));
      }
      return {
        rooms: hocuspocus.getDocumentsCount(),
        connections: server.clients.size,
        roomBytes,
        refused: { ...refused },
      };
    },
    close() {
      closing ??= (async () => {
        clearInterval(keepalive);
        hocuspocus.closeConnections();
        hocuspocus.flushPendingStores();
        for (const socket of server.clients) socket.terminate();
        await waitFor(() => hocuspocus.getDocumentsCount() === 0, 10_000);
        await hocuspocus.hooks('onDestroy', { instance: hocuspocus });
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await storage.ready.catch(() => {});
        await storage.close();
      })();
      return closing;
    },
  };
}

function toBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data));
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return data;
}

/** Remembers the address a device authenticates a room with, to address a refusal to it. */
function noteAuthAddress(addresses: Map<string, string>, message: Uint8Array): void {
  const header = headerOfMessage(message);
  if (header?.type !== messageAuth) return;
  const room = header.address.split('\0')[0] ?? header.address;
  if (!addresses.has(room) && addresses.size >= maxAddressesPerSocket) return;
  addresses.set(room, header.address);
}

/** Hocuspocus' stateless message: address, type 5, the JSON text. */
function statelessMessage(
  address: string,
  refusal: RelayRefusal & { detail?: string },
): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarString(encoder, address);
  encoding.writeVarUint(encoder, messageStateless);
  encoding.writeVarString(encoder, JSON.stringify(refusal));
  return encoding.toUint8Array(encoder);
}

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition() && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
