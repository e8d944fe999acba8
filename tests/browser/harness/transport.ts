/**
 * Transport bindings for browser tests (`window.harness.transport`): the transport contract's
 * peer side (tests/contract/transport.contract.ts) over the app's y-webrtc transport and the
 * page's own signaling relay, and a rogue peer that sends junk down its connections. The
 * scenarios themselves run in Node (tests/browser/transport.test.ts), each device a browser
 * context of its own, and call these through `page.evaluate`.
 */
import { WebrtcProvider } from 'y-webrtc';
import * as Y from 'yjs';
// The sync module's own files rather than its index: the transport page loads only these.
import { createChunkingWrtc } from '../../../src/core/sync/chunking-wrtc';
import type { TransportStatus } from '../../../src/core/sync/transport';
import { dataChannelConfig, webrtcTransport } from '../../../src/core/sync/webrtc-transport';
import { type Scheduler, systemScheduler } from '../../../src/core/time';
import {
  type ContractRoom,
  type ContractWrite,
  contractPeer,
  type LocalContractPeer,
  type PeerJunkKind,
} from '../../contract/transport.contract';

/** Errors thrown into this page's event loop: what the contract requires there be none of. */
const uncaught: string[] = [];
window.addEventListener('error', (event) => {
  uncaught.push(`error: ${event.message}`);
});
window.addEventListener('unhandledrejection', (event) => {
  const reason = event.reason as { stack?: unknown } | undefined;
  uncaught.push(`unhandled rejection: ${String(reason?.stack ?? event.reason)}`);
});

const signalingUrl = () => `${location.origin.replace(/^http/, 'ws')}/signal`;

const connect = webrtcTransport({
  signaling: () => [signalingUrl()],
  webrtc: { RTCPeerConnection, RTCSessionDescription, RTCIceCandidate },
  // The page stays online; the tests take the relay away instead.
  network: { online: () => true, onChange: () => () => undefined },
});

/** The system's scheduler with a clock that `skipTime` moves on: for stuck connections. */
let skew = 0;
const skewed: Scheduler = { ...systemScheduler, now: () => systemScheduler.now() + skew };

/**
 * Peer connections that never connect while this page's clock has not been moved on
 * (`skipTime`): they neither give nor take ICE candidates (in events or in SDP), as a peer
 * behind a network that drops everything would. Every connection made before the first skip is
 * stuck, not only the first: a page may make more than one before its clock moves, and when
 * only the first was stuck, a later one connected within the test's 3 s in a clean-clone run.
 */
function stuckUntilTimeMoves(): typeof RTCPeerConnection {
  const strip = (sdp: string | undefined) =>
    sdp
      ?.split('\r\n')
      .filter((line) => !line.startsWith('a=candidate') && !line.startsWith('a=end-of-candidates'))
      .join('\r\n');
  return class Stuck extends RTCPeerConnection {
    readonly #stuck: boolean;
    constructor(configuration?: RTCConfiguration) {
      super(configuration);
      this.#stuck = skew === 0;
      if (this.#stuck)
        Object.defineProperty(this, 'onicecandidate', {
          configurable: true,
          get: () => null,
          set: () => undefined,
        });
    }
    override get localDescription(): RTCSessionDescription | null {
      const description = super.localDescription;
      if (!this.#stuck || !description) return description;
      return { type: description.type, sdp: strip(description.sdp) ?? '' } as RTCSessionDescription;
    }
    override setRemoteDescription(description: RTCSessionDescriptionInit): Promise<void> {
      if (!this.#stuck) return super.setRemoteDescription(description);
      return super.setRemoteDescription({
        type: description.type,
        sdp: strip(description.sdp) ?? '',
      });
    }
    override addIceCandidate(candidate?: RTCIceCandidateInit | null): Promise<void> {
      if (this.#stuck) return Promise.resolve();
      return super.addIceCandidate(candidate ?? undefined);
    }
  };
}

/** This device's transport documents, one per room (kept across joins, as VaultSync does). */
const docs = new Map<string, Y.Doc>();
const peers = new Map<number, LocalContractPeer>();
let nextPeer = 1;

function peer(id: number): LocalContractPeer {
  const found = peers.get(id);
  if (!found) throw new Error(`no peer ${id} in this page`);
  return found;
}

/** A rogue in the room: plain y-webrtc on framed channels, and the real channels under them. */
const rogue: { provider?: WebrtcProvider; channels: RTCDataChannel[] } = { channels: [] };

interface RogueInternals {
  readonly room: {
    readonly webrtcConns: Map<
      string,
      { connected: boolean; peer: { send(data: Uint8Array): void } }
    >;
  } | null;
}

function rogueWrtc() {
  const channels = rogue.channels;
  class Recording extends RTCPeerConnection {
    override createDataChannel(label: string, init?: RTCDataChannelInit): RTCDataChannel {
      const channel = super.createDataChannel(label, init);
      channels.push(channel);
      return channel;
    }
  }
  return createChunkingWrtc({
    RTCPeerConnection: Recording,
    RTCSessionDescription,
    RTCIceCandidate,
  });
}

/** Bytes received on the data channels of `countingConnection`s in this page. */
const received = { bytes: 0 };

/** Peer connections whose data channels count what they receive into `received`. */
function countingConnection(): typeof RTCPeerConnection {
  return class Counting extends RTCPeerConnection {
    override createDataChannel(label: string, init?: RTCDataChannelInit): RTCDataChannel {
      const channel = super.createDataChannel(label, init);
      channel.addEventListener('message', (event: MessageEvent<ArrayBuffer>) => {
        received.bytes += event.data.byteLength;
      });
      return channel;
    }
  };
}

function rogueConns() {
  const internals = rogue.provider as unknown as RogueInternals | undefined;
  return [...(internals?.room?.webrtcConns.values() ?? [])].filter((conn) => conn.connected);
}

export const transport = {
  join(room: ContractRoom, device: string): number {
    const key = `${room.name}\n${room.password}`;
    const doc = docs.get(key) ?? new Y.Doc();
    docs.set(key, doc);
    const id = nextPeer++;
    peers.set(
      id,
      contractPeer(connect({ name: room.name, password: room.password, doc, device }), doc),
    );
    return id;
  },
  /**
   * Joins like `join`, forwarding peers' updates or not (RoomOptions.forwardPeerUpdates), and
   * counts the bytes this page's data channels receive (`receivedBytes`).
   */
  joinCounting(room: ContractRoom, device: string, forwardPeerUpdates: boolean): number {
    const doc = new Y.Doc();
    const id = nextPeer++;
    const factory = webrtcTransport({
      signaling: () => [signalingUrl()],
      webrtc: { RTCPeerConnection: countingConnection(), RTCSessionDescription, RTCIceCandidate },
      network: { online: () => true, onChange: () => () => undefined },
    });
    peers.set(id, contractPeer(factory({ ...room, doc, device, forwardPeerUpdates }), doc));
    return id;
  },
  receivedBytes: () => received.bytes,
  write: (id: number, entries: readonly ContractWrite[]) => peer(id).write(entries),
  contents: (id: number) => peer(id).contents(),
  orderViolations: (id: number) => peer(id).orderViolations(),
  status: (id: number): TransportStatus => peer(id).status(),
  heard: (id: number) => peer(id).heard(),
  leave: (id: number) => peer(id).leave(),
  uncaught: () => [...uncaught],

  /**
   * Joins over the y-webrtc transport with a clock `skipTime` moves; with `stuck`, the page's
   * peer connections never open until that clock has moved.
   */
  joinWithClock(room: ContractRoom, device: string, stuck: boolean): number {
    const doc = new Y.Doc();
    const id = nextPeer++;
    const factory = webrtcTransport({
      signaling: () => [signalingUrl()],
      webrtc: {
        RTCPeerConnection: stuck ? stuckUntilTimeMoves() : RTCPeerConnection,
        RTCSessionDescription,
        RTCIceCandidate,
      },
      network: { online: () => true, onChange: () => () => undefined },
      scheduler: skewed,
    });
    peers.set(id, contractPeer(factory({ ...room, doc, device }), doc));
    return id;
  },
  skipTime(ms: number) {
    skew += ms;
  },

  /** Joins `room` as a rogue: it knows the password, so the members connect to it. */
  rogueJoin(room: ContractRoom) {
    if (rogue.provider) return true;
    rogue.provider = new WebrtcProvider(room.name, new Y.Doc(), {
      signaling: [signalingUrl()],
      password: room.password,
      peerOpts: {
        wrtc: rogueWrtc(),
        channelConfig: dataChannelConfig,
        config: { iceServers: [] },
      },
    });
    return true;
  },
  /** How many members the rogue is connected to. */
  rogueConnected: () => rogueConns().length,
  /**
   * Sends junk to every member it is connected to: a whole (framed) message that y-webrtc
   * cannot decode, or bytes straight onto the data channel that break the framing.
   */
  rogueSend(kind: PeerJunkKind) {
    if (kind === 'undecodable') {
      // A sync message cut short: lib0 throws reading it.
      for (const conn of rogueConns()) conn.peer.send(new Uint8Array([0]));
      return rogueConns().length;
    }
    const open = rogue.channels.filter((channel) => channel.readyState === 'open');
    // 0x07 is no frame marker.
    for (const channel of open) channel.send(new Uint8Array([0x07, 1]));
    return open.length;
  },
};
