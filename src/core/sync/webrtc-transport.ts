import type { WebrtcProvider } from 'y-webrtc';
import type * as Y from 'yjs';
import { createListeners } from '../listeners';
import { type Cancel, type Scheduler, systemScheduler } from '../time';
import { createChunkingWrtc, type NativeWebRtc } from './chunking-wrtc';
import {
  type GuardedRoom,
  guardedRooms,
  guardSignalingSocket,
  type SocketLike,
} from './signaling-guard';
import type { RoomOptions, Transport, TransportFactory, TransportStatus } from './transport';

/**
 * Rooms over y-webrtc, unmodified (docs/sync.md, "Transport"), with its known problems handled:
 *
 * - **One provider per room.** y-webrtc keeps rooms in a global map and refuses a second
 *   provider for a room ("A Yjs Doc connected to room ... already exists"), and its `destroy`
 *   frees the room only after a promise settles. Joining waits for the previous provider of the
 *   same room to be gone.
 * - **Simultaneous offers.** Both ends use one pre-negotiated data channel (`dataChannelConfig`),
 *   so whichever offer wins, the two ends talk on the same channel.
 * - **Stuck connections.** A connection that has not opened after 8 to 16 s is dropped, and
 *   y-webrtc announces again (two peers offering at once can otherwise wait for ever).
 * - **Large messages.** A vault's first sync is one message of megabytes, over what a data
 *   channel carries; peers use data channels that frame messages (chunking-wrtc.ts).
 * - **Network loss.** When the browser says it is offline, the device leaves the room; when it
 *   is back, it joins again as a new peer (rejoining as the same peer lets both sides offer at
 *   once, and y-webrtc's glare handling then fails both connections, over and over). A drop the
 *   browser does not notice is y-webrtc's own to mend: the signaling socket reconnects, and
 *   peers find each other again.
 *
 * No STUN or TURN server is used unless given: devices on one machine or one network connect
 * with host candidates, and nothing leaves for a public server by default.
 */
export interface WebrtcTransportOptions {
  /** WebSocket URLs of signaling relays (default: the app server's own `/signal`). */
  readonly signaling: () => readonly string[];
  readonly iceServers?: () => readonly RTCIceServer[];
  /** The browser's WebRTC constructors. */
  readonly webrtc: NativeWebRtc;
  /** The browser's idea of being online, and its changes. */
  readonly network: {
    online(): boolean;
    onChange(listener: (online: boolean) => void): () => void;
  };
  /** The clock, timers and jitter (default: the system's; tests pass a manual one). */
  readonly scheduler?: Scheduler;
}

/**
 * One pre-negotiated data channel (id 0) on both ends, rather than one opened by whoever offers.
 * When two peers offer at once and y-webrtc lets one offer win, each side otherwise keeps the
 * channel it created itself, and both report "connected" while nothing flows either way.
 */
export const dataChannelConfig = { negotiated: true, id: 0 } as const;

/** How long a connection may take to open before it counts as stuck (plus up to as long again). */
const stuckAfterMs = 8000;

/** Providers of this tab that are being destroyed, by room: the next join waits for them. */
const leaving = new Map<string, Promise<void>>();

/**
 * The private fields of y-webrtc 10.3 this file reads. Each is covered by a case of the transport
 * contract (tests/contract/transport.contract.ts, run over y-webrtc in Chromium by
 * tests/browser/transport.test.ts), so an upgrade that changes one fails a test:
 * - `room.webrtcConns` (`connected`, `peer.destroy`) and `room.bcConns`: the peer count
 *   ("peers see each other", "leaving"); stuck connections (`peer.destroy`).
 * - `signalingConns` (`connected`, `ws`, 'connect'/'disconnect' events): the state, and the
 *   junk guard on each socket lib0 makes ("junk", "relay restart").
 * - `key` (the room's AES key, a promise): leaving frees the room's name once it settles
 *   ("leave and join again"), and signaling data is checked against it ("junk").
 * - `room.name`, `room._bcSubscriber`, `room.bcconnected`: the room leaves the BroadcastChannel
 *   once joined ("no copies between tabs").
 * - `room._docUpdateHandler`, and the room as the origin of what peers send: a room that does
 *   not forward peers' updates ("forwards nothing").
 */
interface ProviderInternals {
  readonly room: {
    readonly name: string;
    readonly _docUpdateHandler: (update: Uint8Array, origin: unknown) => void;
    bcconnected: boolean;
    readonly _bcSubscriber: (data: ArrayBuffer) => void;
    readonly webrtcConns: Map<
      string,
      { readonly connected: boolean; readonly peer: { destroy(): void } }
    >;
    readonly bcConns: Set<string>;
  } | null;
  readonly signalingConns: {
    readonly connected: boolean;
    readonly ws: SocketLike | null;
    on(event: string, f: () => void): void;
    off(event: string, f: () => void): void;
  }[];
  readonly key: PromiseLike<CryptoKey | null>;
}

export function webrtcTransport(options: WebrtcTransportOptions): TransportFactory {
  return (room) => joinRoom(room, options);
}

function joinRoom(room: RoomOptions, options: WebrtcTransportOptions): Transport {
  const scheduler = options.scheduler ?? systemScheduler;
  const listeners = createListeners<TransportStatus>('transport status');
  let provider: WebrtcProvider | undefined;
  let destroyed = false;
  let last = '';
  /** Messages dropped as junk, from the signaling relay or from peers' data channels. */
  let junk = 0;
  const onJunk = () => {
    junk++;
    emit();
  };
  const wrtc = createChunkingWrtc(options.webrtc, { onJunk });
  /** This room as the signaling guard checks it, while a provider is in it. */
  let guard: GuardedRoom | undefined;
  /** Undoes `forwardOwnUpdatesOnly` for the current provider's room. */
  let stopForwarding: (() => void) | undefined;

  const status = (): TransportStatus => {
    if (!provider || destroyed || !options.network.online() || !provider.connected)
      return { state: 'offline', peers: 0, peerDevices: [], junk };
    const internals = provider as unknown as ProviderInternals;
    const conns = internals.room ? [...internals.room.webrtcConns.values()] : [];
    const peers =
      conns.filter((conn) => conn.connected).length + (internals.room?.bcConns.size ?? 0);
    const reached = internals.signalingConns.some((conn) => conn.connected);
    const peerDevices: string[] = [];
    for (const [clientId, state] of provider.awareness.getStates()) {
      if (clientId === room.doc.clientID) continue;
      const device = (state as { device?: unknown }).device;
      if (typeof device === 'string') peerDevices.push(device);
    }
    return {
      state: reached || peers > 0 ? 'online' : 'connecting',
      peers,
      knownPeers: conns.length + (internals.room?.bcConns.size ?? 0),
      peerDevices: [...new Set(peerDevices)].sort(),
      junk,
    };
  };

  const emit = () => {
    const next = status();
    const key = JSON.stringify(next);
    if (key === last) return;
    last = key;
    listeners.emit(next);
  };

  const watchSignaling = () => {
    if (!provider) return;
    for (const conn of (provider as unknown as ProviderInternals).signalingConns) {
      // lib0 makes a new socket on each reconnect; no message comes before it connects.
      const guard = () => {
        if (conn.ws) guardSignalingSocket(conn.ws, onJunk);
      };
      guard();
      conn.on('connect', guard);
      conn.off('connect', emit);
      conn.off('disconnect', emit);
      conn.on('connect', emit);
      conn.on('disconnect', emit);
    }
  };

  /** Leaves y-webrtc's room; resolves once y-webrtc has freed the room's name. */
  const leave = async (current: WebrtcProvider): Promise<void> => {
    const checked = guard;
    const gone = Promise.resolve((current as unknown as ProviderInternals).key)
      .then(
        () => undefined,
        () => undefined,
      )
      // y-webrtc deletes the room in a `then` of the same promise, queued after ours by
      // `destroy` below: one more turn of the microtask queue comes after it.
      .then(() => undefined);
    leaving.set(room.name, gone);
    current.destroy();
    await gone;
    if (leaving.get(room.name) === gone) leaving.delete(room.name);
    if (checked && guardedRooms.get(room.name) === checked) guardedRooms.delete(room.name);
  };

  const join = async (): Promise<void> => {
    const previous = leaving.get(room.name);
    if (previous) await previous;
    if (destroyed || provider || !options.network.online()) return;
    // y-webrtc and simple-peer load with the first room, not with the app's first screen.
    const [{ WebrtcProvider }, decoding, broadcast] = await Promise.all([
      import('y-webrtc'),
      import('lib0/decoding'),
      import('lib0/broadcastchannel'),
    ]);
    if (destroyed || provider || !options.network.online()) return;
    const next = new WebrtcProvider(room.name, room.doc, {
      signaling: [...options.signaling()],
      password: room.password,
      filterBcConns: true,
      peerOpts: {
        wrtc,
        channelConfig: dataChannelConfig,
        config: { iceServers: [...(options.iceServers?.() ?? [])] },
      },
    });
    provider = next;
    // y-webrtc also copies every update to the other tabs of this browser, encrypted, over a
    // BroadcastChannel, and hands each copy back to itself, which decrypts it and applies it
    // again: for a first sync that is megabytes encrypted, decrypted and decoded once more on
    // each side, for nothing, since a vault is open in one tab at a time (the vault mutex) and
    // two profiles in one browser reach each other over WebRTC like any two devices.
    void Promise.resolve((next as unknown as ProviderInternals).key).then(() => {
      const joined = (next as unknown as ProviderInternals).room;
      if (!joined || provider !== next) return;
      broadcast.unsubscribe(joined.name, joined._bcSubscriber);
      joined.bcconnected = false;
      if (room.forwardPeerUpdates === false)
        stopForwarding = forwardOwnUpdatesOnly(room.doc, joined);
    });
    guard = {
      key: (next as unknown as ProviderInternals).key,
      decoding,
      hasConnection: (peerId) =>
        (next as unknown as ProviderInternals).room?.webrtcConns.has(peerId) ?? false,
      onJunk,
    };
    guardedRooms.set(room.name, guard);
    if (room.device) next.awareness.setLocalStateField('device', room.device);
    next.on('peers', emit);
    next.on('status', emit);
    next.awareness.on('change', emit);
    watchSignaling();
    emit();
  };

  // Network changes are serialised: a quick off-on-off must end in the last state.
  let queue: Promise<void> = Promise.resolve();
  const schedule = (work: () => Promise<void>) => {
    queue = queue.then(work, work);
    return queue;
  };
  const goOffline = async () => {
    const current = provider;
    provider = undefined;
    stopForwarding?.();
    stopForwarding = undefined;
    emit();
    if (current) await leave(current);
  };

  // Going offline leaves the room and coming back joins it afresh, as a new peer: y-webrtc
  // reconnecting the same peer lets both sides offer at once, and its glare handling then
  // fails both connections over and over. A fresh peer is offered to by those already there,
  // and the transport document carries over, so only what changed meanwhile is exchanged.
  const stopNetwork = options.network.onChange((online) => {
    if (destroyed) return;
    void schedule(online ? join : goOffline);
  });
  // A connection that has not opened after a while never will: when two peers offer to each
  // other at once, y-webrtc can leave both halves waiting for ever, and it ignores a peer's
  // announcements while it holds a connection to it. Dropping the stuck one makes y-webrtc
  // announce again; the random wait keeps the two sides from dropping in step and clashing
  // again.
  const firstSeen = new Map<object, { at: number; patience: number }>();
  const dropStuck = () => {
    const conns = (provider as unknown as ProviderInternals | undefined)?.room?.webrtcConns;
    if (!conns) return;
    const now = scheduler.now();
    const live = new Set<object>();
    for (const conn of conns.values()) {
      live.add(conn);
      if (conn.connected) continue;
      let seen = firstSeen.get(conn);
      if (!seen) {
        seen = { at: now, patience: stuckAfterMs + scheduler.random() * stuckAfterMs };
        firstSeen.set(conn, seen);
      }
      if (now - seen.at > seen.patience) conn.peer.destroy();
    }
    for (const conn of firstSeen.keys()) if (!live.has(conn)) firstSeen.delete(conn);
  };
  // Connections change without events (a peer's channel opening); look now and then.
  const stopPolling: Cancel = scheduler.every(1000, () => {
    dropStuck();
    emit();
  });
  void schedule(join);

  return {
    status,
    onStatus(listener) {
      return listeners.add(listener);
    },
    async destroy() {
      if (destroyed) return;
      destroyed = true;
      stopPolling();
      stopNetwork();
      listeners.clear();
      await schedule(goOffline);
    },
  };
}

/**
 * Makes y-webrtc's `room` send peers this device's own changes to `doc` only, not those that
 * came from a peer (y-webrtc applies those with the room as the transaction's origin). Yjs
 * tells `afterTransactionCleanup` of each transaction just before it encodes the transaction's
 * update for the `update` listeners: y-webrtc's listener is taken off there for a peer's
 * transaction, so the update is not even encoded (for a first sync, megabytes), and put back
 * for any other. Returns what undoes it.
 */
function forwardOwnUpdatesOnly(
  doc: Y.Doc,
  room: NonNullable<ProviderInternals['room']>,
): () => void {
  const send = room._docUpdateHandler;
  const decide = (transaction: Y.Transaction) => {
    if (transaction.origin === room) doc.off('update', send);
    else doc.on('update', send);
  };
  doc.on('afterTransactionCleanup', decide);
  return () => {
    doc.off('afterTransactionCleanup', decide);
    doc.on('update', send);
  };
}
