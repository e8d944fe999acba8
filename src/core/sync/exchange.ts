import type * as Y from 'yjs';
import type { DeviceId } from '../ids';
import { type Cancel, type Scheduler, systemScheduler } from '../time';
import type { LocalChange } from '../vault';
import {
  type CoverageSummary,
  type KeyVerdict,
  keysToPrune,
  type Standing,
  summarize,
} from './acknowledgement';
import { type SyncBulk, sealBulkPayload } from './bulk-payload';
import { bulkPayloadFrom } from './envelope';
import { takeFirstEnvelopes } from './first-sync';
import { KeyVerdicts } from './key-verdicts';
import type {
  EnvelopeOutcome,
  ReceiveReport,
  SealedEnvelope,
  SyncableVault,
  SyncPeer,
} from './peer';

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
  /**
   * Each known device's standing now (acknowledgement.ts, `standingsOf`): who must have
   * acknowledged an envelope before it goes. Without it, only this device's keys from earlier
   * sessions are removed.
   */
  readonly standings?: () => ReadonlyMap<DeviceId, Standing>;
  /** Timers for the debounced pruning (the system's by default). */
  readonly scheduler?: Scheduler;
  /**
   * How long pruning waits after what may allow it, gathering more (default 10 s: it is not
   * urgent, and its first look at a large checkpoint, a few hundred ms of decoding, should not
   * land in a first sync).
   */
  readonly pruneDelayMs?: number;
  /** Seals a checkpoint's bulk (`sealBulkPayload` by default; tests hold it to see meanwhile). */
  readonly sealBulk?: (state: Uint8Array) => Promise<SyncBulk>;
}

/**
 * Binds a SyncPeer to a transport document (docs/sync.md, "The shared map").
 *
 * Each device publishes its envelopes in one Y.Map, under `<device id>.<seq>` for changes and
 * `<device id>.c` for its latest checkpoint (its whole state: what a new device needs). Anyone
 * in the room can write to that map, so nothing in it is trusted: every value goes through the
 * peer's checks. A device watches its own keys and puts back any that someone else deleted or
 * overwrote. When its changes outweigh its checkpoint, it publishes a new checkpoint and drops
 * the changes it covers. Other devices' envelopes go once every active device has acknowledged
 * them (acknowledgement.ts; docs/sync.md, "Bounded by acknowledgement"), never a device's
 * current keys, so the map stays about one state per device in size.
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
  /** Changes this device published so far, and their bytes (a checkpoint counts from there). */
  #changesPublished = 0;
  #changeBytesPublished = 0;
  /** How many of those the latest checkpoint published holds, and the one being sealed. */
  #changesCovered = 0;
  #changesSealing = 0;
  /** Whether another checkpoint is wanted (one asked for while one was being sealed). */
  #checkpointWanted = false;
  #sealingCheckpoint = false;
  /** The checkpoints being sealed, while a bulk is (`#sealCheckpoints`). */
  #checkpointRun: Promise<void> | undefined;
  #stopLocal: (() => void) | undefined;
  #healing = false;
  /** What this device made of each value handed to the peer (for pruning). */
  readonly #verdicts: KeyVerdicts;
  /** This device's current checkpoint: its state, until summarised (only if ever needed). */
  #ownCheckpoint: { state: Uint8Array | undefined; summary: CoverageSummary | undefined } = {
    state: undefined,
    summary: undefined,
  };
  #pruneTimer: Cancel | undefined;
  #stopOutcomes: (() => void) | undefined;
  #stopped = false;
  readonly #observer = (event: Y.YMapEvent<unknown>, transaction: Y.Transaction) =>
    this.#onMapChange(event, transaction);

  constructor(options: EnvelopeExchangeOptions) {
    this.#options = options;
    this.#map = options.doc.getMap(ENVELOPES_MAP);
    this.#compaction = options.compaction ?? defaultExchangeCompaction;
    this.#verdicts = new KeyVerdicts(options.vault.id, options.peer.deviceId);
  }

  /**
   * Publishes this device's checkpoint, takes in what the map holds with what the invitation
   * brought (first-sync.ts), and follows both sides. Resolves once that first batch is handled
   * (applied and saved), before the caller connects the transport.
   */
  start(): Promise<ReceiveReport | undefined> {
    this.#stopOutcomes = this.#options.peer.onOutcome((bytes, outcome) =>
      this.#onOutcome(bytes, outcome),
    );
    this.#map.observe(this.#observer);
    this.#stopLocal = this.#options.vault.onLocalChange((change) => this.#publishChange(change));
    this.publishCheckpointSoon();
    // Envelopes that follow an invitation's answer may still be on their way: the map's keys
    // are read once they are here (its observer takes what comes meanwhile).
    return takeFirstEnvelopes(this.#options.vault.id).then((brought) =>
      this.#stopped ? undefined : this.#take([...this.#map.keys()], brought),
    );
  }

  stop(): void {
    this.#stopped = true;
    this.#pruneTimer?.();
    this.#pruneTimer = undefined;
    this.#stopOutcomes?.();
    this.#map.unobserve(this.#observer);
    this.#stopLocal?.();
    this.#stopLocal = undefined;
  }

  /** Envelopes of this device in the map now. */
  get publishedCount(): number {
    return this.#published.size;
  }

  /**
   * What this device publishes (its checkpoint, then its changes since), once a checkpoint being
   * sealed is in: all a device that has nothing needs of it. An invitation's answer carries
   * them (first-sync.ts).
   */
  async publishedEnvelopes(): Promise<readonly Uint8Array[]> {
    await this.#checkpointRun?.catch(() => undefined);
    return [...this.#published.values()];
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

  /**
   * Publishes a new checkpoint, dropping the updates it covers, if this device published any
   * since its last one: VaultSync does so as it stops, so whoever opens the vault next from the
   * relay takes one state of this device rather than a checkpoint and its updates. Resolves
   * with whether it published (a checkpoint being sealed counts: it is waited for).
   */
  async checkpointIfBehind(): Promise<boolean> {
    const covered = this.#checkpointRun ? this.#changesSealing : this.#changesCovered;
    if (this.#changesPublished > covered) {
      await this.publishCheckpoint();
      return true;
    }
    const run = this.#checkpointRun;
    await run;
    return run !== undefined;
  }

  /** As `publishCheckpoint`, without waiting: a failure goes to `onError`. */
  publishCheckpointSoon(): void {
    this.publishCheckpoint().catch((error: unknown) => this.#options.onError?.(error));
  }

  /**
   * Publishes a new checkpoint (after the sealing key changed, say) in place of the old, and
   * resolves once it is in the map. A small state is sealed and published before this returns,
   * as an ordinary envelope; a state of `bulkPayloadFrom` bytes or more is sealed as a bulk first
   * (asynchronous), and a checkpoint asked for meanwhile follows it, once.
   */
  publishCheckpoint(): Promise<void> {
    this.#checkpointWanted = true;
    if (this.#checkpointRun) return this.#checkpointRun;
    const run = this.#sealCheckpoints();
    // Still sealing: a bulk is on its way. Otherwise the run is over already.
    if (this.#sealingCheckpoint) this.#checkpointRun = run;
    return run;
  }

  async #sealCheckpoints(): Promise<void> {
    this.#sealingCheckpoint = true;
    try {
      while (this.#checkpointWanted && !this.#stopped) {
        this.#checkpointWanted = false;
        // Everything this device wrote is in this state: a local change is saved to the vault
        // before it is sealed (VaultHandle persists, then tells onLocalChange), so the
        // checkpoint covers every update of this device published so far, those of earlier
        // sessions too, which pruning removes. Changes published while a bulk is sealed are
        // not in it, and stay.
        const state = this.#options.vault.encodeState();
        const covered = [...this.#published.keys()];
        const changes = this.#changesPublished;
        this.#changesSealing = changes;
        const changeBytes = this.#changeBytesPublished;
        const sealed =
          state.length >= bulkPayloadFrom
            ? await (this.#options.sealBulk ?? sealBulkPayload)(state)
            : state;
        if (this.#stopped) return;
        const checkpoint = this.#options.peer.sealCheckpoint(sealed);
        this.#ownCheckpoint = { state, summary: undefined };
        this.#put(
          [checkpoint],
          covered.filter((key) => key !== checkpoint.key),
        );
        this.pruneSoon();
        this.#changesCovered = changes;
        this.#checkpointBytes = checkpoint.bytes.length;
        this.#updatesSinceCheckpoint = this.#changesPublished - changes;
        this.#bytesSinceCheckpoint = this.#changeBytesPublished - changeBytes;
      }
    } finally {
      this.#sealingCheckpoint = false;
      this.#checkpointRun = undefined;
    }
  }

  #publishChange(change: LocalChange): void {
    const envelope = this.#options.peer.sealChange(change);
    this.#put([envelope]);
    this.#changesPublished++;
    this.#changeBytesPublished += envelope.bytes.length;
    this.#updatesSinceCheckpoint++;
    this.#bytesSinceCheckpoint += envelope.bytes.length;
    const { everyUpdates, minBytes } = this.#compaction;
    if (
      !this.#checkpointRun &&
      (this.#updatesSinceCheckpoint >= everyUpdates ||
        this.#bytesSinceCheckpoint >= Math.max(minBytes, this.#checkpointBytes))
    ) {
      this.publishCheckpointSoon();
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

  /**
   * Looks, after a while, for keys every active device has acknowledged, and removes them
   * (keysToPrune). Debounced: called when a checkpoint of another device was accepted, when this
   * device published its own, when the vault's devices changed, and on junk.
   */
  pruneSoon(): void {
    if (this.#stopped || this.#pruneTimer) return;
    const scheduler = this.#options.scheduler ?? systemScheduler;
    this.#pruneTimer = scheduler.after(this.#options.pruneDelayMs ?? 10_000, () => {
      this.#pruneTimer = undefined;
      this.#prune();
    });
  }

  #prune(): void {
    if (this.#stopped) return;
    const self = this.#options.peer.deviceId;
    const keys = new Map<string, KeyVerdict>();
    for (const [key, value] of this.#map) keys.set(key, this.#verdicts.verdictOf(key, value));
    const gone = keysToPrune({
      self,
      standings: this.#options.standings?.() ?? new Map(),
      keys,
      own: new Set(this.#published.keys()),
      ownCheckpoint: () => {
        const own = this.#ownCheckpoint;
        if (own.state) own.summary = summarize(own.state);
        own.state = undefined;
        return own.summary;
      },
    });
    if (gone.length === 0) return;
    this.#options.doc.transact(() => {
      for (const key of gone) {
        const value = this.#map.get(key);
        this.#map.delete(key);
        this.#seen.delete(key);
        if (value instanceof Uint8Array) this.#verdicts.forget(value);
      }
    }, this);
  }

  #onOutcome(bytes: Uint8Array, outcome: EnvelopeOutcome): void {
    if (this.#verdicts.record(bytes, outcome)) this.pruneSoon();
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

  async #take(
    keys: readonly string[],
    brought: readonly Uint8Array[] = [],
  ): Promise<ReceiveReport | undefined> {
    const batch: Uint8Array[] = [...brought];
    const taken: string[] = [];
    for (const key of keys) {
      if (this.#published.has(key)) continue;
      const value = this.#map.get(key);
      if (value === undefined || this.#seen.get(key) === value) continue;
      this.#seen.set(key, value);
      taken.push(key);
      // This device's keys from an earlier session, or junk: removed by the next pruning.
      if (key.startsWith(`${this.#options.peer.deviceId}.`) || !(value instanceof Uint8Array))
        this.pruneSoon();
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
