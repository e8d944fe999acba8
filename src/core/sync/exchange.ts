import type * as Y from 'yjs';
import type { LocalChange } from '../vault';
import type { ReceiveReport, SealedEnvelope, SyncableVault, SyncPeer } from './peer';

/** The one shared map of the transport document: envelope key -> envelope bytes. */
export const ENVELOPES_MAP = 'envelopes';

/** When a device replaces its envelopes in the shared map with one checkpoint. */
export interface ExchangeCompaction {
  /** After this many of its own update envelopes... */
  readonly everyUpdates: number;
  /** ...or once they weigh more than its checkpoint (and at least this many bytes). */
  readonly minBytes: number;
}

export const defaultExchangeCompaction: ExchangeCompaction = {
  everyUpdates: 200,
  minBytes: 256 * 1024,
};

export interface EnvelopeExchangeOptions {
  /** The transport document: replicated as is by y-webrtc (or by a test), never trusted. */
  readonly doc: Y.Doc;
  readonly peer: SyncPeer;
  readonly vault: SyncableVault & {
    onLocalChange(listener: (change: LocalChange) => void): () => void;
  };
  readonly compaction?: ExchangeCompaction;
  /** After each batch of envelopes from peers has been handled. */
  readonly onReport?: (report: ReceiveReport) => void;
  /** When saving received changes failed (they are offered again on the next change). */
  readonly onError?: (error: unknown) => void;
}

/**
 * Binds a SyncPeer to a transport document (docs/sync.md, "The shared map").
 *
 * Each device publishes its envelopes in one Y.Map, under `<device id>.<seq>` for changes and
 * `<device id>.c` for its latest checkpoint (its whole state: what a new device needs). Anyone
 * in the room can write to that map, so nothing in it is trusted: every value goes through the
 * peer's checks. A device watches its own keys and puts back any that someone else deleted or
 * overwrote, and it is the only one that removes them: when its changes outweigh its
 * checkpoint, it publishes a new checkpoint and drops the changes it covers, so the map stays
 * about one state per device in size.
 */
export class EnvelopeExchange {
  readonly #options: EnvelopeExchangeOptions;
  readonly #map: Y.Map<unknown>;
  readonly #compaction: ExchangeCompaction;
  /** What this device published and still stands by, by key. */
  readonly #published = new Map<string, Uint8Array>();
  /** The value of each foreign key last handed to the peer. */
  readonly #seen = new Map<string, unknown>();
  #checkpointBytes = 0;
  #updatesSinceCheckpoint = 0;
  #bytesSinceCheckpoint = 0;
  #stopLocal: (() => void) | undefined;
  #healing = false;
  readonly #observer = (event: Y.YMapEvent<unknown>, transaction: Y.Transaction) =>
    this.#onMapChange(event, transaction);

  constructor(options: EnvelopeExchangeOptions) {
    this.#options = options;
    this.#map = options.doc.getMap(ENVELOPES_MAP);
    this.#compaction = options.compaction ?? defaultExchangeCompaction;
  }

  /** Publishes this device's checkpoint, takes in what the map holds, and follows both sides. */
  start(): Promise<ReceiveReport | undefined> {
    this.#map.observe(this.#observer);
    this.#stopLocal = this.#options.vault.onLocalChange((change) => this.#publishChange(change));
    this.#publishCheckpoint();
    return this.#take([...this.#map.keys()]);
  }

  stop(): void {
    this.#map.unobserve(this.#observer);
    this.#stopLocal?.();
    this.#stopLocal = undefined;
  }

  /** Envelopes of this device in the map now. */
  get publishedCount(): number {
    return this.#published.size;
  }

  #put(envelopes: readonly SealedEnvelope[], remove: readonly string[] = []): void {
    this.#options.doc.transact(() => {
      for (const key of remove) {
        this.#published.delete(key);
        this.#map.delete(key);
      }
      for (const envelope of envelopes) {
        this.#published.set(envelope.key, envelope.bytes);
        this.#map.set(envelope.key, envelope.bytes);
      }
    }, this);
  }

  /** Bytes of this device's current checkpoint in the map. */
  get checkpointBytes(): number {
    return this.#checkpointBytes;
  }

  /** Publishes a new checkpoint now (after the sealing key changed, say) in place of the old. */
  publishCheckpoint(): void {
    this.#publishCheckpoint();
  }

  #publishCheckpoint(): void {
    const checkpoint = this.#options.peer.sealCheckpoint();
    const stale = [...this.#published.keys()].filter((key) => key !== checkpoint.key);
    this.#put([checkpoint], stale);
    this.#checkpointBytes = checkpoint.bytes.length;
    this.#updatesSinceCheckpoint = 0;
    this.#bytesSinceCheckpoint = 0;
  }

  #publishChange(change: LocalChange): void {
    const envelope = this.#options.peer.sealChange(change);
    this.#put([envelope]);
    this.#updatesSinceCheckpoint++;
    this.#bytesSinceCheckpoint += envelope.bytes.length;
    const { everyUpdates, minBytes } = this.#compaction;
    if (
      this.#updatesSinceCheckpoint >= everyUpdates ||
      this.#bytesSinceCheckpoint >= Math.max(minBytes, this.#checkpointBytes)
    ) {
      this.#publishCheckpoint();
    }
  }

  #onMapChange(event: Y.YMapEvent<unknown>, transaction: Y.Transaction): void {
    if (transaction.origin === this) return;
    const foreign: string[] = [];
    let damaged = false;
    for (const key of event.keysChanged) {
      const mine = this.#published.get(key);
      if (mine === undefined) foreign.push(key);
      else if (this.#map.get(key) !== mine) damaged = true;
    }
    if (damaged) this.#scheduleHeal();
    if (foreign.length > 0) void this.#take(foreign);
  }

  /** Puts back this device's envelopes that someone else removed or replaced. */
  #scheduleHeal(): void {
    if (this.#healing) return;
    this.#healing = true;
    // Not inside the observer: Yjs is still finishing the transaction that did the damage.
    queueMicrotask(() => {
      this.#healing = false;
      const broken = [...this.#published].filter(([key, bytes]) => this.#map.get(key) !== bytes);
      if (broken.length === 0) return;
      this.#options.doc.transact(() => {
        for (const [key, bytes] of broken) this.#map.set(key, bytes);
      }, this);
    });
  }

  async #take(keys: readonly string[]): Promise<ReceiveReport | undefined> {
    const batch: Uint8Array[] = [];
    const taken: string[] = [];
    for (const key of keys) {
      if (this.#published.has(key)) continue;
      const value = this.#map.get(key);
      if (value === undefined || this.#seen.get(key) === value) continue;
      this.#seen.set(key, value);
      taken.push(key);
      // Not bytes at all: the peer counts it as malformed like any other bad envelope.
      batch.push(value instanceof Uint8Array ? value : new Uint8Array(0));
    }
    if (batch.length === 0) return undefined;
    try {
      const report = await this.#options.peer.receive(batch);
      this.#options.onReport?.(report);
      return report;
    } catch (error) {
      // Not saved: forget we saw them, so the next change to the map offers them again.
      for (const key of taken) this.#seen.delete(key);
      this.#options.onError?.(error);
      return undefined;
    }
  }
}
