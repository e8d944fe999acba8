import type * as Y from 'yjs';
import type { RelayRefusalReason, RelayRoom } from '../relay';

/** Whether this device is reaching other devices right now. */
export type TransportState = 'offline' | 'connecting' | 'online';

export interface TransportStatus {
  /** offline: the browser is offline or sync is off; connecting: looking for the relay; online: reached it. */
  readonly state: TransportState;
  /** Devices connected directly right now. */
  readonly peers: number;
  /**
   * Devices seen in the room through the relay, connected or still connecting (a transport
   * that cannot tell leaves it out). Two devices joining at once can take seconds to connect;
   * this says someone is there meanwhile.
   */
  readonly knownPeers?: number;
  /** Device ids that connected peers announce (unverified: for display only). */
  readonly peerDevices: readonly string[];
  /**
   * Messages dropped as junk since the room was joined (bad JSON, bad base64, wrong types from
   * the signaling relay; broken frames or undecodable messages from peers). Counted, never thrown.
   */
  readonly junk?: number;
  /**
   * The mailbox relay (relay-transport.ts), for rooms that have one: whether it is reached
   * (`online`: the room's document is in step with it). Absent: this room uses no relay.
   */
  readonly relay?: TransportState;
  /** Why the relay refused this device, if it did (shown in the sync status). */
  readonly relayProblem?: RelayProblem;
}

/** A relay's refusal as the status carries it (src/core/relay, `RelayRefusal`). */
export interface RelayProblem {
  readonly reason: RelayRefusalReason;
  /** For `room-quota`: the room's quota and what it holds, in bytes, when the relay said. */
  readonly quotaBytes?: number;
  readonly usedBytes?: number;
}

/**
 * One room: a document replicated between everyone who knows the room's name and password.
 *
 * Contract (tests/contract/transport.contract.ts, run over the in-memory network in Node and
 * over y-webrtc in Chromium):
 * - Peers in one room with one password find each other and replicate the document: each
 *   author's changes arrive whole and in the order made, a multi-megabyte one included, and a
 *   peer that joins later gets what was written before. Another room, or another password,
 *   sees nothing.
 * - `status()` is `online` once the relay is reached or a peer is connected, `connecting`
 *   before, `offline` once left; `peers` and `peerDevices` follow peers coming and going, and
 *   `onStatus` hears each change.
 * - Junk from the relay or from a peer is counted in `junk` and dropped: never thrown, and the
 *   room goes on.
 * - Connected peers stay connected while the relay is down; when it is back, peers that joined
 *   meanwhile find the others.
 * - After `destroy()` resolves, nothing more arrives or leaves, listeners hear nothing, the
 *   status is `offline`, and the room can be joined again at once.
 */
export interface Transport {
  status(): TransportStatus;
  onStatus(listener: (status: TransportStatus) => void): () => void;
  /** Leaves the room. Resolves once the room is free to be joined again in this tab. */
  destroy(): Promise<void>;
}

export interface RoomOptions {
  readonly name: string;
  readonly password: string;
  readonly doc: Y.Doc;
  /** This device's id, announced to peers in the room (for "online now" in the device list). */
  readonly device?: string;
  /**
   * The vault's mailbox room on an always-on relay (src/core/relay), for rooms whose changes
   * should wait for devices that are closed now. Absent for short-lived rooms (invitations).
   */
  readonly relay?: RelayRoom;
  /**
   * Whether updates that came from a peer are sent on to the others (default true). y-webrtc
   * sends every change of the document to every peer, those that came from a peer too, so that
   * peers not connected to each other still get them; a device that only takes what the room
   * gives it (an invitation's new device: what it is sent is the members' already) sets false,
   * and does not send a vault's first envelopes straight back.
   */
  readonly forwardPeerUpdates?: boolean;
}

/** Joins rooms. The browser's is y-webrtc (webrtc-transport.ts); tests use an in-memory one. */
export type TransportFactory = (room: RoomOptions) => Transport;
