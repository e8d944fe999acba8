import type * as Y from 'yjs';

/** Whether this device is reaching other devices right now. */
export type TransportState = 'offline' | 'connecting' | 'online';

export interface TransportStatus {
  /** offline: the browser is offline or sync is off; connecting: looking for the relay; online: reached it. */
  readonly state: TransportState;
  /** Devices connected directly right now. */
  readonly peers: number;
  /** Device ids that connected peers announce (unverified: for display only). */
  readonly peerDevices: readonly string[];
  /**
   * Messages dropped as junk since the room was joined (bad JSON, bad base64, wrong types from
   * the signaling relay; broken frames or undecodable messages from peers). Counted, never thrown.
   */
  readonly junk?: number;
}

/** One room: a document replicated between everyone who knows the room's name and password. */
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
}

/** Joins rooms. The browser's is y-webrtc (webrtc-transport.ts); tests use an in-memory one. */
export type TransportFactory = (room: RoomOptions) => Transport;
