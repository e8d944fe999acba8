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
import { type EnvelopeHeader, readEnvelopeHeader } from './envelope';
import { EnvelopeRejectedError, type EnvelopeRejection } from './errors';
import { takeFirstEnvelopes } from './first-sync';
import {
  type EnvelopeOutcome,
  envelopeKey,
  type ReceiveReport,
  type SealedEnvelope,
  type SyncableVault,
  type SyncPeer,
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
}

/** Refusals that nothing this device learns later changes: such a value is junk for good. */
const finalRefusals: ReadonlySet<EnvelopeRejection> = new Set<EnvelopeRejection>([
  'malformed',
  'wrong-vault',
  'revoked-device',
  'bad-signature',
  'key-mismatch',
  'authentication',
  'not-an-update',
]);

const junk: KeyVerdict = { kind: 'junk' };
const refused: KeyVerdict = { kind: 'refused' };
const pending: KeyVerdict = { kind: 'pending' };

/** An envelope's name: what the peer knows an applied envelope by (and its map key). */
const nameOf = (header: Pick<EnvelopeHeader, 'author' | 'kind' | 'seq'>) =>
  envelopeKey(header.author, header.seq, header.kind);

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
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
  #stopLocal: (() => void) | undefined;
  #healing = false;
  /** What became of each map value handed to the peer, by the value itself. */
  readonly #verdicts = new WeakMap<Uint8Array, KeyVerdict>();
  /**
   * Accepted envelopes by name, with their bytes: the peer does not open an envelope it applied
   * again (the same one under another key, or put back), so the same bytes are known here.
   */
  readonly #accepted = new Map<string, { bytes: Uint8Array; verdict: KeyVerdict }>();
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
    this.#publishCheckpoint();
    return this.#take([...this.#map.keys()], takeFirstEnvelopes(this.#options.vault.id));
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
   * What this device publishes now (its checkpoint, then its changes since): all a device that
   * has nothing needs of it. An invitation's answer carries them (first-sync.ts).
   */
  publishedEnvelopes(): readonly Uint8Array[] {
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

  /** Publishes a new checkpoint now (after the sealing key changed, say) in place of the old. */
  publishCheckpoint(): void {
    this.#publishCheckpoint();
  }

  /**
   * Publishes a new checkpoint, dropping the updates it covers, if this device published any
   * since its last one: VaultSync does so as it stops, so whoever opens the vault next from the
   * relay takes one state of this device rather than a checkpoint and its updates. Returns
   * whether it published.
   */
  checkpointIfBehind(): boolean {
    if (this.#updatesSinceCheckpoint === 0) return false;
    this.#publishCheckpoint();
    return true;
  }

  #publishCheckpoint(): void {
    // Everything this device wrote is in this state: a local change is saved to the vault
    // before it is sealed (VaultHandle persists, then tells onLocalChange), so the checkpoint
    // covers every update of this device, those of earlier sessions too, which pruning removes.
    const state = this.#options.vault.encodeState();
    const checkpoint = this.#options.peer.sealCheckpoint(state);
    this.#ownCheckpoint = { state, summary: undefined };
    const stale = [...this.#published.keys()].filter((key) => key !== checkpoint.key);
    this.#put([checkpoint], stale);
    this.pruneSoon();
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
    for (const [key, value] of this.#map) keys.set(key, this.#verdictOf(key, value));
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
        if (value instanceof Uint8Array) this.#forget(value);
      }
    }, this);
  }

  /** Drops what was kept of an accepted envelope whose key is gone. */
  #forget(value: Uint8Array): void {
    try {
      const name = nameOf(readEnvelopeHeader(value));
      if (this.#accepted.get(name)?.bytes === value) this.#accepted.delete(name);
    } catch {
      // Not an envelope: nothing was kept.
    }
  }

  /** What this device made of the value under `key` (acknowledgement.ts, KeyVerdict). */
  #verdictOf(key: string, value: unknown): KeyVerdict {
    if (!(value instanceof Uint8Array)) return junk;
    let header: EnvelopeHeader;
    try {
      header = readEnvelopeHeader(value);
    } catch (error) {
      // A format a newer Coffer writes is not junk to it: only what is no envelope at all.
      return error instanceof EnvelopeRejectedError && error.reason === 'unsupported'
        ? pending
        : junk;
    }
    // Honest devices publish an envelope of this vault under its own name only.
    if (header.vaultId !== this.#options.vault.id || key !== nameOf(header)) return junk;
    const known = this.#verdicts.get(value);
    if (known) return known;
    const named = this.#accepted.get(key);
    return named && sameBytes(named.bytes, value) ? named.verdict : pending;
  }

  #onOutcome(bytes: Uint8Array, outcome: EnvelopeOutcome): void {
    if ('refused' in outcome) {
      if (!finalRefusals.has(outcome.refused)) return;
      this.#verdicts.set(bytes, refused);
      this.pruneSoon();
      return;
    }
    const envelope = outcome.accepted;
    let update: Uint8Array | undefined = envelope.update;
    let summary: CoverageSummary | undefined;
    const verdict: KeyVerdict = {
      kind: 'accepted',
      author: envelope.author,
      envelope: envelope.kind,
      seq: envelope.seq,
      // Summarised once, when pruning first asks (seconds later, not on the path that applies
      // it: a 10,000-entry checkpoint takes a few hundred ms to decode); then only the summary
      // is kept.
      get summary() {
        if (update) {
          summary = summarize(update);
          update = undefined;
        }
        return summary;
      },
    };
    this.#verdicts.set(bytes, verdict);
    const name = nameOf(envelope);
    if (envelope.kind === 'checkpoint') {
      // The author's older checkpoint is replaced in the map: its summary (a whole state's
      // deletions) is not kept.
      for (const [other, kept] of this.#accepted) {
        if (
          kept.verdict.kind === 'accepted' &&
          kept.verdict.author === envelope.author &&
          kept.verdict.envelope === 'checkpoint' &&
          other !== name
        )
          this.#accepted.delete(other);
      }
      if (envelope.author !== this.#options.peer.deviceId) this.pruneSoon();
    }
    this.#accepted.set(name, { bytes, verdict });
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
