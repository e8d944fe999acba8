import type { VaultKey } from '../crypto';
import type { AuthorStatus, RemoteApplyResult, RemoteChange } from '../vault';
import type { DeviceIdentity } from './device';
import {
  type EnvelopeKind,
  envelopeBodyDigest,
  type OpenedEnvelope,
  openEnvelope,
  readEnvelopeHeader,
  sealEnvelope,
} from './envelope';
import { EnvelopeRejectedError, type EnvelopeRejection } from './errors';
import type { DeviceId } from './ids';
import { syncKeyOf } from './keys';

/** Envelopes over this many bytes are hashed with WebCrypto before they are checked. */
const nativeDigestFrom = 64 * 1024;

/** What sync needs of an open vault (a VaultHandle provides all of it). */
export interface SyncableVault {
  readonly id: string;
  readonly vaultKey: VaultKey;
  authorStatus(author: string, seq: number): AuthorStatus;
  applyRemote(changes: readonly RemoteChange[]): Promise<RemoteApplyResult>;
  encodeState(): Uint8Array;
}

/** An envelope this device wrote, with the key it is published under. */
export interface SealedEnvelope {
  readonly key: string;
  readonly seq: number;
  readonly kind: EnvelopeKind;
  readonly bytes: Uint8Array;
}

/** What one `receive` did. */
export interface ReceiveReport {
  readonly accepted: number;
  readonly rejected: Partial<Record<EnvelopeRejection, number>>;
  /** Envelopes held because their author is not (yet) in the device list. */
  readonly held: number;
  /** Entry ids marked for review because they were edited apart. */
  readonly concurrent: readonly string[];
}

export interface SyncPeerOptions {
  readonly vault: SyncableVault;
  readonly device: DeviceIdentity;
  readonly clock?: () => number;
  /** Most envelopes held for unknown authors; the oldest are dropped beyond it. */
  readonly maxHeld?: number;
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
 * - Sequence numbers start at the clock in microseconds and increase by one, so they keep
 *   increasing across sessions without a counter on disk.
 */
export class SyncPeer {
  readonly #vault: SyncableVault;
  readonly #device: DeviceIdentity;
  readonly #clock: () => number;
  readonly #maxHeld: number;
  readonly #syncKey;
  #seq: number;
  readonly #applied = new Set<string>();
  readonly #held = new Map<string, Uint8Array>();
  readonly #maxSeqByAuthor = new Map<DeviceId, number>();
  #lastReceivedAt: number | null = null;
  readonly #rejectedTotal: Partial<Record<EnvelopeRejection, number>> = {};
  #queue: Promise<unknown> = Promise.resolve();

  constructor(options: SyncPeerOptions) {
    this.#vault = options.vault;
    this.#device = options.device;
    this.#clock = options.clock ?? Date.now;
    this.#maxHeld = options.maxHeld ?? 1000;
    this.#syncKey = syncKeyOf(options.vault.vaultKey);
    this.#seq = Math.floor(this.#clock()) * 1000;
  }

  get deviceId(): DeviceId {
    return this.#device.id;
  }

  /** When the last envelope from another device was applied (epoch ms), or null. */
  get lastReceivedAt(): number | null {
    return this.#lastReceivedAt;
  }

  /** The highest sequence number applied from each author: what a removal records. */
  maxSeqOf(author: string): number {
    return this.#maxSeqByAuthor.get(author as DeviceId) ?? 0;
  }

  /** Envelopes refused so far, by reason. */
  get rejected(): Readonly<Partial<Record<EnvelopeRejection, number>>> {
    return this.#rejectedTotal;
  }

  get heldCount(): number {
    return this.#held.size;
  }

  #nextSeq(): number {
    this.#seq = Math.max(this.#seq + 1, Math.floor(this.#clock()) * 1000);
    return this.#seq;
  }

  #seal(kind: EnvelopeKind, update: Uint8Array, knowledge?: Uint8Array): SealedEnvelope {
    const seq = this.#nextSeq();
    const bytes = sealEnvelope({
      kind,
      vaultId: this.#vault.id,
      author: this.#device,
      seq,
      syncKey: this.#syncKey,
      update,
      ...(knowledge ? { knowledge } : {}),
    });
    this.#applied.add(appliedId(this.#device.id, kind, seq));
    return { key: envelopeKey(this.#device.id, seq, kind), seq, kind, bytes };
  }

  /** Seals a change made here. */
  sealChange(change: { update: Uint8Array; knowledge: Uint8Array }): SealedEnvelope {
    return this.#seal('update', change.update, change.knowledge);
  }

  /** Seals this device's whole state, for devices that have nothing yet. */
  sealCheckpoint(): SealedEnvelope {
    return this.#seal('checkpoint', this.#vault.encodeState());
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
    let accepted = 0;
    const concurrent = new Set<string>();
    let batch = [...envelopes];
    for (let round = 0; batch.length > 0 && round < 100; round++) {
      const opened: { envelope: OpenedEnvelope; id: string }[] = [];
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
          reject(error instanceof EnvelopeRejectedError ? error.reason : 'malformed');
          continue;
        }
        if (this.#applied.has(id)) continue;
        try {
          const envelope = openEnvelope(bytes, {
            vaultId: this.#vault.id,
            syncKey: this.#syncKey,
            authorStatus: (author, seq) => this.#vault.authorStatus(author, seq) as AuthorStatus,
            bodyDigest: digests.get(bytes),
          });
          this.#held.delete(id);
          opened.push({ envelope, id });
        } catch (error) {
          const reason = error instanceof EnvelopeRejectedError ? error.reason : 'malformed';
          if (reason === 'unknown-device') this.#hold(id, bytes);
          else reject(reason);
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
      for (const { envelope, id } of opened) {
        this.#applied.add(id);
        if (envelope.author !== this.#device.id) {
          this.#maxSeqByAuthor.set(
            envelope.author,
            Math.max(this.maxSeqOf(envelope.author), envelope.seq),
          );
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
      // A change that admitted a device may free envelopes held for it.
      batch = result.devicesChanged ? [...this.#held.values()] : [];
    }
    return { accepted, rejected, held: this.#held.size, concurrent: [...concurrent] };
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

  #hold(id: string, bytes: Uint8Array): void {
    this.#held.delete(id);
    this.#held.set(id, bytes);
    while (this.#held.size > this.#maxHeld) {
      const oldest = this.#held.keys().next().value as string;
      this.#held.delete(oldest);
    }
  }
}
