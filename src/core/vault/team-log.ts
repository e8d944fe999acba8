/**
 * `handle.team`: the vault's membership log as stored in its document, and the team state
 * derived from it (docs/sync.md, "Members and roles"). The operations are signed by their
 * authors and judged by `deriveTeam`, so the map may hold anything a member wrote: a forged,
 * unauthorised or foreign operation is refused when the state is derived, never trusted for
 * being stored.
 *
 * ```
 * doc.getMap('team')  operation id (base64url) -> the operation's bytes
 * ```
 *
 * The anchor (the genesis this device accepts) comes from outside the document: for the
 * device that created the vault, the genesis it signed itself; for a device that joined, the
 * genesis named in the invitation's answer (kept in the vault's sealed metadata); for a device
 * that joined before teams existed, the genesis signed by the device the device list names as
 * the vault's first (trust on first use, docs/sync.md).
 */
import * as Y from 'yjs';
import type { DeviceId, VaultId } from '../ids';
import type {
  decodeOperation,
  deriveTeam,
  OperationId,
  SignedOperation,
  StoredOperation,
  TeamAnchor,
  TeamState,
} from '../team';
import { readDevices } from './members';
import { decodeNews } from './update-news';

export const TEAM_MAP = 'team';
/** Key epoch records (docs/crypto.md, "Key epochs"): record id (base64url SHA-256) -> bytes. */
export const EPOCHS_MAP = 'epochs';

/** What the team view needs from its handle (the members view's host, less what it skips). */
export interface TeamHost {
  doc(): Y.Doc;
  assertOpen(): void;
  mutate<T>(change: (doc: Y.Doc) => T): Promise<T>;
  readonly vaultId: VaultId;
  /** The genesis named by the invitation this vault was joined with, if any. */
  readonly genesis: OperationId | undefined;
  /** This profile's device, once sync has told the handle. */
  self(): DeviceId | undefined;
}

/** The part of the team view that the UI may read. */
export interface TeamReader {
  /** The derived state, or undefined while the vault has no team (no genesis known yet). */
  state(): TeamState | undefined;
}

/**
 * The membership rules the log is read with, given by sync when it starts
 * (`VaultTeam.useRules`): the vault layer does not import them, so opening a vault (on the
 * first screen) does not load them. Until they are given, a vault has no team state here.
 */
export interface TeamRules {
  readonly derive: typeof deriveTeam;
  readonly decode: typeof decodeOperation;
}

export class VaultTeam implements TeamReader {
  readonly #host: TeamHost;
  #rules: TeamRules | undefined;
  /** The derived state for the map as it was at `#version`; recomputed when the map changes. */
  #cache:
    | { readonly doc: Y.Doc; readonly version: number; readonly state: TeamState | undefined }
    | undefined;
  #version = 0;
  #observed: Y.Doc | undefined;
  /** Genesis operations seen in the map, by id: decoded once. */
  readonly #geneses = new Map<string, SignedOperation | null>();

  constructor(host: TeamHost) {
    this.#host = host;
  }

  /** Gives the rules to read the log with (sync does, when it starts). */
  useRules(rules: TeamRules): void {
    if (this.#rules === rules) return;
    this.#rules = rules;
    this.#cache = undefined;
  }

  #map(): Y.Map<unknown> {
    const doc = this.#host.doc();
    const map = doc.getMap(TEAM_MAP);
    if (this.#observed !== doc) {
      this.#observed = doc;
      this.#version++;
      map.observe(() => {
        this.#version++;
      });
    }
    return map;
  }

  /** The stored operations (values that are not bytes are skipped). */
  records(): StoredOperation[] {
    this.#host.assertOpen();
    const out: StoredOperation[] = [];
    for (const [id, bytes] of this.#map().entries())
      if (bytes instanceof Uint8Array) out.push({ id, bytes });
    return out;
  }

  /** Whether the map holds an operation with this id. */
  has(id: string): boolean {
    return this.#map().has(id);
  }

  /** Stores operations (one saved change). Already stored ones are left as they are. */
  append(operations: readonly SignedOperation[]): Promise<void> {
    return this.#host.mutate((doc) => {
      const map = doc.getMap(TEAM_MAP);
      doc.transact(() => {
        for (const op of operations) if (!map.has(op.id)) map.set(op.id, op.bytes);
      });
    });
  }

  /**
   * Whether `update` would delete or replace an operation stored in the log (what it adds that
   * this document lacks is looked at). The log only grows: an operation gone from the map would
   * change the derived state with no signed operation saying so (the genesis gone, the whole
   * team is gone and the device list decides again). No device of ours ever does it.
   * Malformed bytes throw (as Yjs' decoder does).
   */
  rewrites(update: Uint8Array): boolean {
    this.#host.assertOpen();
    const map = this.#map();
    const store = this.#host.doc().store;
    const { structs, ds } = decodeNews(this.#host.doc(), update);
    const stored = (id: Y.ID): Y.Item | Y.GC | undefined => {
      const clientStructs = store.clients.get(id.client);
      const last = clientStructs?.[clientStructs.length - 1];
      if (!clientStructs || !last || id.clock >= last.id.clock + last.length) return undefined;
      return clientStructs[Y.findIndexSS(clientStructs, id.clock)];
    };
    // The update's own new records in the log (a key set with no neighbour: a new key).
    const added = structs.filter(
      (struct): struct is Y.Item =>
        struct instanceof Y.Item && (struct.parent as unknown) === TEAM_MAP,
    );
    const inLog = (id: Y.ID | null): boolean => {
      if (id === null) return false;
      const struct = stored(id);
      if (struct) return struct instanceof Y.Item && struct.parent === map;
      return added.some(
        (item) =>
          item.id.client === id.client &&
          id.clock >= item.id.clock &&
          id.clock < item.id.clock + item.length,
      );
    };
    // A value set under a key the log has replaces its record if Yjs orders it last (with no
    // neighbour named, by its client id), and so does one set next to a record of the log.
    for (const item of added)
      if (item.parentSub !== null && map._map.has(item.parentSub)) return true;
    for (const struct of structs) {
      if (struct instanceof Y.Item && (inLog(struct.origin) || inLog(struct.rightOrigin)))
        return true;
    }
    // A deletion of a record of the log (live here) removes it.
    for (const [client, deletes] of ds.clients) {
      const clientStructs = store.clients.get(client);
      const last = clientStructs?.[clientStructs.length - 1];
      if (!clientStructs || !last) continue;
      const state = last.id.clock + last.length;
      for (const { clock, len } of deletes) {
        if (clock >= state) continue;
        for (let i = Y.findIndexSS(clientStructs, clock); i < clientStructs.length; i++) {
          const struct = clientStructs[i]!;
          if (struct.id.clock >= clock + len) break;
          if (struct instanceof Y.Item && !struct.deleted && struct.parent === map) return true;
        }
      }
    }
    return false;
  }

  /** The key epoch records stored in the vault (values that are not bytes are skipped). */
  epochRecords(): { readonly id: string; readonly bytes: Uint8Array }[] {
    this.#host.assertOpen();
    const out: { id: string; bytes: Uint8Array }[] = [];
    for (const [id, bytes] of this.#host.doc().getMap(EPOCHS_MAP).entries())
      if (bytes instanceof Uint8Array) out.push({ id, bytes });
    return out;
  }

  /** Stores key epoch records (one saved change); ones already stored are left as they are. */
  appendEpochRecords(
    records: readonly { readonly id: string; readonly bytes: Uint8Array }[],
  ): Promise<void> {
    return this.#host.mutate((doc) => {
      const map = doc.getMap(EPOCHS_MAP);
      doc.transact(() => {
        for (const record of records) if (!map.has(record.id)) map.set(record.id, record.bytes);
      });
    });
  }

  /**
   * Whether `update` would change the device the device list names as the vault's founder (the
   * first record with no adder), once it names one: `anchor` trusts that device's genesis on a
   * device that joined before teams, so a member that could name itself founder (or unname the
   * founder) could make such devices take a genesis of its own. Malformed bytes throw.
   */
  changesFounder(update: Uint8Array): boolean {
    this.#host.assertOpen();
    const doc = this.#host.doc();
    const before = founderOf(doc);
    if (before === undefined) return false;
    const scratch = new Y.Doc();
    try {
      Y.applyUpdate(scratch, Y.encodeStateAsUpdate(doc));
      Y.applyUpdate(scratch, update);
      return founderOf(scratch) !== before;
    } finally {
      scratch.destroy();
    }
  }

  /** The genesis this device accepts (see the module's comment), if one is known. */
  anchor(): TeamAnchor | undefined {
    const vault = this.#host.vaultId;
    if (this.#host.genesis) return { vault, genesis: this.#host.genesis };
    const geneses = this.#genesisOps();
    const self = this.#host.self();
    const own = geneses.find((op) => op.operation.author === self);
    if (own) return { vault, genesis: own.id };
    const founder = founderOf(this.#host.doc());
    const founded = geneses.filter((op) => op.operation.author === founder);
    // Two geneses by the founding device: nothing says which is meant, so neither is trusted.
    if (founded.length === 1) return { vault, genesis: founded[0]!.id };
    return undefined;
  }

  #genesisOps(): SignedOperation[] {
    const out: SignedOperation[] = [];
    if (!this.#rules) return out;
    for (const [id, bytes] of this.#map().entries()) {
      let op = this.#geneses.get(id);
      if (op === undefined) {
        op = null;
        // A genesis is the only operation without parents; decoding the others here is waste.
        if (bytes instanceof Uint8Array && isGenesisBytes(bytes)) {
          try {
            const decoded = this.#rules!.decode(bytes);
            if (decoded.id === id && decoded.operation.kind === 'genesis') op = decoded;
          } catch {
            // Refused when the state is derived; nothing to trust here.
          }
        }
        this.#geneses.set(id, op);
      }
      if (op && op.operation.vault === this.#host.vaultId) out.push(op);
    }
    return out;
  }

  state(): TeamState | undefined {
    this.#host.assertOpen();
    const rules = this.#rules;
    if (!rules) return undefined;
    const map = this.#map();
    const doc = this.#host.doc();
    if (this.#cache?.doc === doc && this.#cache.version === this.#version) return this.#cache.state;
    const anchor = map.size > 0 ? this.anchor() : undefined;
    const state =
      anchor && map.has(anchor.genesis) ? rules.derive(this.records(), anchor) : undefined;
    this.#cache = { doc, version: this.#version, state };
    return state;
  }
}

/** The device the device list names as the vault's founder (the first with no adder). */
const founderOf = (doc: Y.Doc) => readDevices(doc).find((d) => d.addedBy === null)?.id;

/** Byte 5 of an operation is its kind; 0x01 is genesis (docs/crypto.md, "Team operations"). */
const isGenesisBytes = (bytes: Uint8Array) => bytes.length > 5 && bytes[5] === 0x01;
