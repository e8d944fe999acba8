/** The relay's options, stats and handle (index.ts states the contract). */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';

export type RelayStorage =
  | { readonly kind: 'sqlite'; readonly file: string }
  | { readonly kind: 'postgres'; readonly url: string }
  | { readonly kind: 'memory' };

export interface RelayOptions {
  readonly storage: RelayStorage;
  readonly redisUrl?: string;
  /** Stored bytes one room may hold (default: defaultRoomQuotaBytes). */
  readonly roomQuotaBytes?: number;
  /** A name for this instance in logs and stats (default: host:pid). */
  readonly instanceName?: string;
  /**
   * How often each connection is pinged (Hocuspocus' one-byte ping, default 15 s): devices
   * send no awareness, and both the provider and the server close a connection that is
   * silent for 30 s and 60 s.
   */
  readonly keepaliveMs?: number;
}

export interface RelayStats {
  readonly rooms: number;
  readonly connections: number;
  /** Stored bytes of each loaded room's document, by room name. */
  readonly roomBytes: ReadonlyMap<string, number>;
  readonly refused: Readonly<Record<string, number>>;
}

export interface Relay {
  /** Resolves once the storage answers; rejects with a RelayStorageError saying why not. */
  readonly ready: Promise<void>;
  /** Takes a WebSocket upgrade on the relay path (server.ts routes `/relay` here). */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void;
  stats(): RelayStats;
  /** Stores every loaded room, closes connections and the storage. */
  close(): Promise<void>;
}
