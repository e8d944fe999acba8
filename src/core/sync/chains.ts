import { toBase64url } from '../crypto';
import type { DeviceId } from '../ids';
import type { AuthorStatus } from '../vault';
import { type AuthorCheck, chainStart } from './envelope';

/** The last envelope of an author accepted here: what removing it names. */
export interface AcceptedPoint {
  readonly seq: number;
  /** Its id, base64url. */
  readonly envelope: string;
}

/** What this device knows of a removed author's chain, from its removal point back. */
interface Cutoff {
  /** The removal point: the last envelope of the author the remover accepted (null: none). */
  readonly head: string | null;
  /** Ids of the chain from the head back that were accepted here. */
  readonly verified: Set<string>;
  /** The next id back the chain, accepted when it comes; null once the chain's start is reached. */
  expected: string | null;
}

const chainStartKey = toBase64url(chainStart);

/** What the chains read of the vault's device list. */
export interface ChainVault {
  /** Where an author stands in the device list. */
  authorStatus(author: string): AuthorStatus;
  /** For a removed author, the id of its last envelope accepted before removal (null: none). */
  removalPoint(author: string): string | null | undefined;
}

/**
 * The per-author hash chains as this device knows them (docs/sync.md, "Removing a device"):
 * every envelope accepted or sealed here with the one before it, each author's tip, and for a
 * removed author how far back from its removal point the chain is known. It decides whether an
 * envelope of a removed author stands; nothing here rests on the seq the author chose.
 */
export class AuthorChains {
  readonly #vault: ChainVault;
  /** Every envelope accepted (or sealed) here: id -> prev, base64url. */
  readonly #links = new Map<string, string>();
  /** Ids named as prev by an envelope accepted here. */
  readonly #named = new Set<string>();
  readonly #tips = new Map<DeviceId, AcceptedPoint>();
  readonly #cutoffs = new Map<DeviceId, Cutoff>();

  constructor(vault: ChainVault) {
    this.#vault = vault;
  }

  /** Whether an envelope with this id (base64url) was accepted or sealed here. */
  knows(id: string): boolean {
    return this.#links.has(id);
  }

  /** The tip of the author's chain as accepted here, if anything of it was. */
  tipOf(author: DeviceId): AcceptedPoint | undefined {
    return this.#tips.get(author);
  }

  /** Records an envelope this device sealed (ids as bytes). */
  sealed(id: Uint8Array, prev: Uint8Array): void {
    this.#links.set(toBase64url(id), toBase64url(prev));
  }

  /**
   * Records an envelope accepted from `author` (`foreign`: not this device). Returns whether the
   * author is a removed one whose chain this may extend (so envelopes held for it may settle).
   */
  accepted(
    envelope: { author: DeviceId; seq: number; id: Uint8Array; prev: Uint8Array },
    foreign: boolean,
  ): boolean {
    const key = toBase64url(envelope.id);
    const prev = toBase64url(envelope.prev);
    this.#links.set(key, prev);
    this.#named.add(prev);
    // The tip moves on unless an envelope accepted already follows this one.
    if (foreign && !this.#named.has(key))
      this.#tips.set(envelope.author, { seq: envelope.seq, envelope: key });
    return this.#cutoffs.has(envelope.author);
  }

  /**
   * The author check of docs/sync.md: the device list decides, and for a removed author its
   * chain from the removal point back.
   */
  check(author: DeviceId, id: string, prevBytes: Uint8Array): AuthorCheck {
    const status = this.#vault.authorStatus(author);
    if (status !== 'revoked') {
      this.#cutoffs.delete(author);
      return status;
    }
    const cutoff = this.#cutoffOf(author);
    if (cutoff.verified.has(id) || id === cutoff.expected) return 'allowed';
    // The whole chain back to its start is known here, and this envelope is not in it.
    if (cutoff.expected === null) return 'revoked';
    // It follows the removal point (written after it), or an envelope of the chain whose
    // successor is known and is another one (a fork).
    const prev = toBase64url(prevBytes);
    if (prev === cutoff.expected || cutoff.verified.has(prev)) return 'revoked';
    return 'unchecked';
  }

  #cutoffOf(author: DeviceId): Cutoff {
    const head = this.#vault.removalPoint(author) ?? null;
    let cutoff = this.#cutoffs.get(author);
    if (!cutoff || cutoff.head !== head) {
      cutoff = { head, verified: new Set(), expected: head };
      this.#cutoffs.set(author, cutoff);
    }
    // Walk back over what was accepted here since the last look: each link once.
    while (cutoff.expected !== null) {
      const prev = this.#links.get(cutoff.expected);
      if (prev === undefined) break;
      cutoff.verified.add(cutoff.expected);
      cutoff.expected = prev === chainStartKey ? null : prev;
    }
    return cutoff;
  }
}
