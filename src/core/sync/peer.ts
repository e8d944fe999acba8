import { sha256 } from '@noble/hashes/sha2.js';
import { keyIdOf, type SymmetricKey, toBase64url, type VaultKey } from '../crypto';
import type { DeviceIdentity } from '../device';
import { signatureLength } from '../device';
import type { DeviceId } from '../ids';
import { type Clock, type Scheduler, systemScheduler } from '../time';
import { vaultKeyOf } from '../vault';
import type { SyncBulk } from './bulk-payload';
import { type AcceptedPoint, AuthorChains, type ChainVault } from './chains';
import {
  type AuthorCheck,
  chainStart,
  type EnvelopeKind,
  type EnvelopeToCheck,
  envelopeBodyDigest,
  type OpenedEnvelope,
  openEnvelope,
  readEnvelopeHeader,
  sealEnvelopeWithId,
} from './envelope';
import { EnvelopeRejectedError, type EnvelopeRejection } from './errors';
import { HeldEnvelopes } from './held-envelopes';
import { syncKeyOf } from './keys';
import type { EnvelopeVerdict } from './team-rules';

/** Envelopes over this many bytes are hashed with WebCrypto before they are checked. */
const nativeDigestFrom = 64 * 1024;

export type { AcceptedPoint } from './chains';

import type { EnvelopeOutcome, ReceiveReport, SealedEnvelope, SyncableVault } from './peer-types';

export type { EnvelopeOutcome, ReceiveReport, SealedEnvelope, SyncableVault };

export interface SyncPeerOptions {
  readonly vault: SyncableVault;
  readonly device: DeviceIdentity;
  /** Where the time for sequence numbers and `lastReceivedAt` comes from (the system's). */
  readonly scheduler?: Scheduler;
  /** Milliseconds since the epoch, in place of the scheduler's `now` (kept for older callers). */
  readonly clock?: Clock;
  /**
   * Most envelopes held for unknown authors, and (apart) most held from removed authors; the
   * oldest are dropped beyond it (a dropped envelope of a removed author counts as refused).
   */
  readonly maxHeld?: number;
  /** Who may author envelopes (default: the vault's device list). */
  readonly authors?: ChainVault;
  /**
   * Judges an authentic envelope of another device by what its author's role may change,
   * before it is applied (default: everything allowed). 'unresolved' holds it until more of
   * the document has arrived.
   */
  readonly judge?: (author: DeviceId, update: Uint8Array) => EnvelopeVerdict;
}

/** The key an envelope is published under in the shared map: one per author and sequence number. */
export const envelopeKey = (author: string, seq: number, kind: EnvelopeKind): string =>
  kind === 'checkpoint' ? `${author}.c` : `${author}.${seq}`;

/** Identifies an envelope once applied, so a duplicate or replay is not even opened again. */
const appliedId = (author: string, kind: EnvelopeKind, seq: number) => `${author}/${kind}/${seq}`;

/**
 * One device's end of a vault's sync, independent of the transport: it seals this device's
 * changes into envelopes, and opens, checks and applies envelopes from others
 * (docs/sync.md, "Accepting an envelope").
 *
 * - An envelope is applied only if it is for this vault, its author is in the device list (and
 *   not revoked before it), its signature verifies and its sealed part opens. Anything else
 *   changes nothing; envelopes of unknown authors are held (bounded) and retried when the
 *   device list changes, since the change that admits a device may arrive after its first edit.
 * - Applying is idempotent (Yjs ignores what it has), so duplicates and replays are harmless;
 *   an envelope already applied is not even opened again.
 * - Sequence numbers start at the scheduler's clock in microseconds and increase by one, so
 *   they keep increasing across sessions without a counter on disk. They name envelopes (map keys,
 *   associated data) and decide nothing: each envelope names its author's previous one (its
 *   chain starts anew with each SyncPeer), and a removal names the last envelope accepted
 *   from the removed device. Of a removed author, only that envelope and its ancestors are
 *   accepted; an envelope that continues or forks the chain is refused ('revoked-device'), one
 *   whose place cannot be told yet is held (bounded) until the chain shows it.
 */
export class SyncPeer {
  readonly #vault: SyncableVault;
  readonly #device: DeviceIdentity;
  readonly #clock: Clock;
  /** The key new envelopes are sealed under: the current epoch's sync key. */
  #syncKey: SymmetricKey<'sync'>;
  /** Every sync key this device holds, by key id (base64url): what envelopes open with. */
  readonly #syncKeys = new Map<string, SymmetricKey<'sync'>>();
  #seq: number;
  readonly #applied = new Set<string>();
  /** Envelopes that cannot be judged yet, by what they wait for (held-envelopes.ts). */
  readonly #held: HeldEnvelopes;
  readonly #maxSeqByAuthor = new Map<DeviceId, number>();
  /** When an envelope of each author was last applied here (this device's clock). */
  readonly #lastSeen = new Map<DeviceId, number>();
  readonly #chains: AuthorChains;
  readonly #judge: SyncPeerOptions['judge'];
  readonly #authors: ChainVault;
  /** The id of the last envelope this device sealed: the next one's prev. */
  #prev: Uint8Array = chainStart;
  #lastReceivedAt: number | null = null;
  readonly #rejectedTotal: Partial<Record<EnvelopeRejection, number>> = {};
  #queue: Promise<unknown> = Promise.resolve();
  /** Told what became of each envelope (the exchange summarises accepted ones: acknowledgement.ts). */
  readonly #outcomes = new Set<(bytes: Uint8Array, outcome: EnvelopeOutcome) => void>();

  constructor(options: SyncPeerOptions) {
    this.#vault = options.vault;
    this.#device = options.device;
    const scheduler = options.scheduler ?? systemScheduler;
    this.#clock = options.clock ?? (() => scheduler.now());
    this.#held = new HeldEnvelopes(options.maxHeld ?? 1000);
    this.#authors = options.authors ?? options.vault.members;
    this.#chains = new AuthorChains(this.#authors);
    this.#judge = options.judge;
    this.#syncKey = syncKeyOf(vaultKeyOf(options.vault));
    this.#syncKeys.set(toBase64url(keyIdOf(this.#syncKey)), this.#syncKey);
    this.#seq = Math.floor(this.#clock()) * 1000;
  }

  get deviceId(): DeviceId {
    return this.#device.id;
  }

  /** When the last envelope from another device was applied (epoch ms), or null. */
  get lastReceivedAt(): number | null {
    return this.#lastReceivedAt;
  }

  /** The highest sequence number applied from each author (for display: it decides nothing). */
  maxSeqOf(author: DeviceId): number {
    return this.#maxSeqByAuthor.get(author) ?? 0;
  }

  /** When a change of this device was last applied here (epoch ms), since the vault opened. */
  lastSeenAt(author: DeviceId): number | undefined {
    return this.#lastSeen.get(author);
  }

  /**
   * The tip of the author's chain as accepted here (the last envelope no accepted envelope
   * follows): what removing the author names. Undefined if nothing of it was accepted here.
   */
  lastAcceptedOf(author: DeviceId): AcceptedPoint | undefined {
    return this.#chains.tipOf(author);
  }

  /** Envelopes refused so far, by reason. */
  get rejected(): Readonly<Partial<Record<EnvelopeRejection, number>>> {
    return this.#rejectedTotal;
  }

  get heldCount(): number {
    return this.#held.count();
  }

  /** Envelopes held because they are sealed under a key this device does not hold. */
  get heldForKeys(): number {
    return this.#held.count('keyless');
  }

  /**
   * The vault's keys by epoch (docs/sync.md, "Key epochs"): `current` seals what this device
   * writes from now on; every key in `all` (and those given before) opens what others wrote.
   * Envelopes held for a key now known are opened and applied.
   */
  useKeys(current: VaultKey, all: readonly VaultKey[]): Promise<ReceiveReport> {
    this.#syncKey = syncKeyOf(current);
    let grew = false;
    for (const key of [current, ...all]) {
      const syncKey = syncKeyOf(key);
      const id = toBase64url(keyIdOf(syncKey));
      if (this.#syncKeys.has(id)) continue;
      this.#syncKeys.set(id, syncKey);
      grew = true;
    }
    return this.receive(grew ? [...this.#held.waiting('keyless')] : []);
  }

  /** The key id (base64url) of the key this device seals under now. */
  get sealingKeyId(): string {
    return toBase64url(keyIdOf(this.#syncKey));
  }

  #nextSeq(): number {
    this.#seq = Math.max(this.#seq + 1, Math.floor(this.#clock()) * 1000);
    return this.#seq;
  }

  #seal(
    kind: EnvelopeKind,
    content: { update: Uint8Array; knowledge?: Uint8Array } | { bulk: SyncBulk },
  ): SealedEnvelope {
    const seq = this.#nextSeq();
    const prev = this.#prev;
    const { bytes, id } = sealEnvelopeWithId({
      kind,
      vaultId: this.#vault.id,
      author: this.#device,
      seq,
      syncKey: this.#syncKey,
      prev,
      ...content,
    });
    this.#prev = id;
    this.#chains.sealed(id, prev);
    this.#applied.add(appliedId(this.#device.id, kind, seq));
    return { key: envelopeKey(this.#device.id, seq, kind), seq, kind, bytes };
  }

  /** Seals a change made here. */
  sealChange(change: { update: Uint8Array; knowledge: Uint8Array }): SealedEnvelope {
    return this.#seal('update', change);
  }

  /**
   * Seals this device's whole state for new devices: `state` if the caller encoded it, or its
   * bulk (`sealBulkPayload(state)`), as a caller should for megabytes.
   */
  sealCheckpoint(state: Uint8Array | SyncBulk = this.#vault.encodeState()): SealedEnvelope {
    return this.#seal(
      'checkpoint',
      state instanceof Uint8Array ? { update: state } : { bulk: state },
    );
  }

  /** Tells `listener` what becomes of each envelope received from now on. */
  onOutcome(listener: (bytes: Uint8Array, outcome: EnvelopeOutcome) => void): () => void {
    this.#outcomes.add(listener);
    return () => this.#outcomes.delete(listener);
  }

  #tell(bytes: Uint8Array, outcome: EnvelopeOutcome): void {
    for (const listener of this.#outcomes) listener(bytes, outcome);
  }

  /**
   * Opens, checks and applies envelopes from peers, in any order, duplicates included.
   * Resolves once what was accepted is saved. Never rejects for a bad envelope (it is counted
   * in the report); rejects only if saving fails, and then the same envelopes can be offered
   * again.
   */
  receive(envelopes: readonly Uint8Array[]): Promise<ReceiveReport> {
    const run = () => this.#receive(envelopes);
    const next = this.#queue.then(run, run);
    this.#queue = next.catch(() => undefined);
    return next;
  }

  async #receive(envelopes: readonly Uint8Array[]): Promise<ReceiveReport> {
    const rejected: Partial<Record<EnvelopeRejection, number>> = {};
    const reject = (reason: EnvelopeRejection) => {
      rejected[reason] = (rejected[reason] ?? 0) + 1;
      this.#rejectedTotal[reason] = (this.#rejectedTotal[reason] ?? 0) + 1;
    };
    /** The id of the envelope last handed to the author check. */
    let checkedId = '';
    const authorStatus = (author: DeviceId, envelope: EnvelopeToCheck): AuthorCheck => {
      checkedId = toBase64url(envelope.id);
      return this.#chains.check(author, checkedId, envelope.prev);
    };
    let accepted = 0;
    const concurrent = new Set<string>();
    let batch = [...envelopes];
    for (let round = 0; batch.length > 0 && round < 100; round++) {
      const opened: { envelope: OpenedEnvelope; id: string; bytes: Uint8Array }[] = [];
      // Large envelopes (checkpoints) not yet applied are hashed natively, all at once,
      // before the checks.
      const digests = new Map<Uint8Array, Uint8Array | undefined>();
      await Promise.all(
        batch
          .filter((bytes) => bytes.length > nativeDigestFrom && !this.#appliedAlready(bytes))
          .map(async (bytes) => digests.set(bytes, await envelopeBodyDigest(bytes))),
      );
      for (const bytes of batch) {
        let id: string;
        try {
          const header = readEnvelopeHeader(bytes);
          id = appliedId(header.author, header.kind, header.seq);
        } catch (error) {
          const reason = error instanceof EnvelopeRejectedError ? error.reason : 'malformed';
          reject(reason);
          this.#tell(bytes, { refused: reason });
          continue;
        }
        if (this.#applied.has(id) && this.#sameAsApplied(id, bytes, digests.get(bytes))) continue;
        checkedId = '';
        try {
          const envelope = await openEnvelope(bytes, {
            vaultId: this.#vault.id,
            syncKey: (keyId) => this.#syncKeys.get(toBase64url(keyId)),
            authorStatus,
            bodyDigest: digests.get(bytes),
          });
          this.#held.forget('device', id);
          this.#held.forget('revoked', checkedId);
          this.#held.forget('unresolved', id);
          this.#held.forget('keyless', id);
          const verdict =
            this.#judge && envelope.author !== this.#device.id
              ? this.#judge(envelope.author, envelope.update)
              : 'allowed';
          if (verdict === 'not-permitted') {
            reject('not-permitted');
            this.#tell(bytes, { refused: 'not-permitted' });
            continue;
          }
          if (verdict === 'unresolved') {
            this.#held.hold('unresolved', id, bytes);
            continue;
          }
          opened.push({ envelope, id, bytes });
        } catch (error) {
          const reason = error instanceof EnvelopeRejectedError ? error.reason : 'malformed';
          if (reason === 'unknown-device') this.#held.hold('device', id, bytes);
          else if (reason === 'unknown-key') this.#held.hold('keyless', id, bytes);
          else if (reason === 'revoked-unchecked')
            // One pushed out unjudged is refused: its place can no longer be told.
            this.#held.hold('revoked', checkedId, bytes, () => reject('revoked-device'));
          else {
            if (checkedId) this.#held.forget('revoked', checkedId);
            reject(reason);
            this.#tell(bytes, { refused: reason });
          }
        }
      }
      if (opened.length === 0) break;
      const result = await this.#vault.applyRemote(
        opened.map(({ envelope }) => ({
          update: envelope.update,
          knowledge: envelope.knowledge,
          author: envelope.author,
        })),
      );
      let chainsGrew = false;
      for (const { envelope, id, bytes } of opened) {
        this.#applied.add(id);
        this.#tell(bytes, { accepted: envelope });
        const foreign = envelope.author !== this.#device.id;
        if (this.#chains.accepted(envelope, foreign)) chainsGrew = true;
        if (foreign) {
          this.#maxSeqByAuthor.set(
            envelope.author,
            Math.max(this.maxSeqOf(envelope.author), envelope.seq),
          );
          this.#lastSeen.set(envelope.author, this.#clock());
        }
      }
      if (opened.some(({ envelope }) => envelope.author !== this.#device.id))
        this.#lastReceivedAt = this.#clock();
      accepted += opened.length - result.malformed;
      if (result.malformed > 0) {
        rejected['not-an-update'] = (rejected['not-an-update'] ?? 0) + result.malformed;
        this.#rejectedTotal['not-an-update'] =
          (this.#rejectedTotal['not-an-update'] ?? 0) + result.malformed;
      }
      for (const id of result.concurrent) concurrent.add(id);
      // A change that admitted a device may free envelopes held for it; one that removed a
      // device, or a removed device's chain known further back, may settle those held for it.
      batch = [
        ...(result.devicesChanged ? this.#held.waiting('device') : []),
        ...(result.devicesChanged || chainsGrew ? this.#held.waiting('revoked') : []),
        // What was just applied may be what a held viewer's change builds on.
        ...(result.changed > 0 ? this.#held.waiting('unresolved') : []),
      ];
    }
    return { accepted, rejected, held: this.heldCount, concurrent: [...concurrent] };
  }

  /**
   * Whether an envelope named like one already applied is that one. Trusted from the name for
   * members; for a removed author, whose names are its own choice, only if its id matches.
   */
  #sameAsApplied(id: string, bytes: Uint8Array, digest: Uint8Array | undefined): boolean {
    const author = id.slice(0, id.indexOf('/'));
    if (this.#authors.authorStatus(author) !== 'revoked') return true;
    const body = bytes.subarray(0, bytes.length - signatureLength);
    return this.#chains.knows(toBase64url(digest ?? sha256(body)));
  }

  /** Whether this envelope's header names one already applied (unreadable: false). */
  #appliedAlready(bytes: Uint8Array): boolean {
    try {
      const header = readEnvelopeHeader(bytes);
      return this.#applied.has(appliedId(header.author, header.kind, header.seq));
    } catch {
      return false;
    }
  }
}
