import type { DeviceId } from '../ids';
import { type CoverageSummary, type KeyVerdict, summarize } from './acknowledgement';
import { type EnvelopeHeader, readEnvelopeHeader } from './envelope';
import { EnvelopeRejectedError, type EnvelopeRejection } from './errors';
import { envelopeKey } from './peer';
import type { EnvelopeOutcome } from './peer-types';

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
export const nameOf = (header: Pick<EnvelopeHeader, 'author' | 'kind' | 'seq'>) =>
  envelopeKey(header.author, header.seq, header.kind);

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * What this device made of each value in the room's map, for pruning (acknowledgement.ts,
 * KeyVerdict): the peer tells each outcome (`record`), and `verdictOf` answers for a key and
 * its value now. An accepted envelope keeps its update until pruning first asks for its
 * coverage summary, then only the summary.
 */
export class KeyVerdicts {
  readonly #vaultId: string;
  readonly #self: DeviceId;
  /** What became of each map value handed to the peer, by the value itself. */
  readonly #byValue = new WeakMap<Uint8Array, KeyVerdict>();
  /**
   * Accepted envelopes by name, with their bytes: the peer does not open an envelope it applied
   * again (the same one under another key, or put back), so the same bytes are known here.
   */
  readonly #accepted = new Map<string, { bytes: Uint8Array; verdict: KeyVerdict }>();

  constructor(vaultId: string, self: DeviceId) {
    this.#vaultId = vaultId;
    this.#self = self;
  }

  /**
   * Records what became of an envelope. True when pruning may now remove more: a final
   * refusal, or another device's checkpoint accepted.
   */
  record(bytes: Uint8Array, outcome: EnvelopeOutcome): boolean {
    if ('refused' in outcome) {
      if (!finalRefusals.has(outcome.refused)) return false;
      this.#byValue.set(bytes, refused);
      return true;
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
    this.#byValue.set(bytes, verdict);
    const name = nameOf(envelope);
    let prunable = false;
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
      prunable = envelope.author !== this.#self;
    }
    this.#accepted.set(name, { bytes, verdict });
    return prunable;
  }

  /** What this device made of the value under `key`. */
  verdictOf(key: string, value: unknown): KeyVerdict {
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
    if (header.vaultId !== this.#vaultId || key !== nameOf(header)) return junk;
    const known = this.#byValue.get(value);
    if (known) return known;
    const named = this.#accepted.get(key);
    return named && sameBytes(named.bytes, value) ? named.verdict : pending;
  }

  /** Drops what was kept of an accepted envelope whose key is gone. */
  forget(value: Uint8Array): void {
    try {
      const name = nameOf(readEnvelopeHeader(value));
      if (this.#accepted.get(name)?.bytes === value) this.#accepted.delete(name);
    } catch {
      // Not an envelope: nothing was kept.
    }
  }
}
