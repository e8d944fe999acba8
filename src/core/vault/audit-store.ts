/**
 * `handle.audit`: the vault's audit records as stored in its document, so they sync with
 * everything else (docs/audit.md, "In the app").
 *
 * doc.getMap('audit')  record id (base64url) -> the record's bytes (Uint8Array)
 *                      'head.' + device id -> the id of that device's newest record (a hint,
 *                      see `headHint`; '.' is not base64url, so no record id looks like one)
 *
 * One root map for both, so sync's role rules (core/sync team-rules: 'audit' is a root any
 * member may add to) cover every audit write.
 *
 * This is storage only: what a record says, and whether it is genuine, is core/audit's
 * business (`verifyAuditLog` reads what `records()` returns). Readers skip map values that are
 * not bytes and never throw for them: a peer may have written anything, and verification
 * reports a record that is missing or altered. Each change is one saved change through the
 * handle's queue, like a members change, and is not held back by damage.
 */
import type * as Y from 'yjs';
import type { StoredAuditRecord } from '../audit';

export const AUDIT_MAP = 'audit';
const headKey = (device: string) => `head.${device}`;

/** A device's newest record, saved with it so a writer need not read every record to go on. */
export interface AuditHeadHint {
  readonly device: string;
  readonly id: string;
}

/** What the audit store needs from its handle (the same shape as the members view's). */
export interface AuditHost {
  /** The handle's current document (a reload replaces it). */
  doc(): Y.Doc;
  assertOpen(): void;
  /** Runs `change` in the handle's queue and saves what it changed. */
  mutate<T>(change: (doc: Y.Doc) => T): Promise<T>;
  now(): number;
}

/** A key as record ids are spelled: base64url, at most 64 characters. */
const keyPattern = /^[A-Za-z0-9_-]{1,64}$/;

function readStored(key: string, raw: unknown): StoredAuditRecord | undefined {
  if (!keyPattern.test(key) || !(raw instanceof Uint8Array)) return undefined;
  return { id: key, bytes: raw };
}

function checkRecords(records: readonly StoredAuditRecord[]): void {
  for (const record of records) {
    if (typeof record?.id !== 'string' || !keyPattern.test(record.id)) {
      throw new TypeError('an audit record is stored under its id (base64url)');
    }
    if (!(record.bytes instanceof Uint8Array)) {
      throw new TypeError(`audit record ${record.id}: its bytes are a Uint8Array`);
    }
  }
}

export class VaultAudit {
  readonly #host: AuditHost;

  constructor(host: AuditHost) {
    this.#host = host;
  }

  /** The map itself, for observers (a reload replaces the document, and with it the map). */
  map(): Y.Map<unknown> {
    this.#host.assertOpen();
    return this.#host.doc().getMap(AUDIT_MAP);
  }

  /** Every stored record, as stored (unverified); values that are not bytes are skipped. */
  records(): StoredAuditRecord[] {
    const out: StoredAuditRecord[] = [];
    for (const [key, raw] of this.map().entries()) {
      const record = readStored(key, raw);
      if (record) out.push(record);
    }
    return out;
  }

  /**
   * The id of `device`'s newest record as its writer last saved it, if any. A hint only: the
   * writer checks the record it names (signature, author) before following it, and a hint
   * changed by someone else at worst forks that device's chain, which verification reports.
   */
  headHint(device: string): string | undefined {
    const raw = this.map().get(headKey(device));
    return typeof raw === 'string' && keyPattern.test(raw) ? raw : undefined;
  }

  /** The stored bytes under `id`, if they are bytes. */
  get(id: string): StoredAuditRecord | undefined {
    return readStored(id, this.map().get(id));
  }

  /** How many keys the map holds (cheap: no record is read). */
  size(): number {
    return this.map().size;
  }

  /** Adds records (one saved change); a record already stored under its id is left as it is. */
  append(records: readonly StoredAuditRecord[], head?: AuditHeadHint): Promise<number> {
    try {
      checkRecords(records);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.#host.mutate((doc) => {
      const map = doc.getMap(AUDIT_MAP);
      let added = 0;
      doc.transact(() => {
        for (const { id, bytes } of records) {
          if (map.has(id)) continue;
          map.set(id, bytes.slice());
          added++;
        }
        if (head) map.set(headKey(head.device), head.id);
      });
      return added;
    });
  }

  /** Deletes records by id (one saved change); returns how many were there. */
  remove(ids: readonly string[]): Promise<number> {
    return this.replace(ids, []);
  }

  /** Deletes `drop` and adds `add` in one saved change (retention's trim). */
  replace(
    drop: readonly string[],
    add: readonly StoredAuditRecord[],
    head?: AuditHeadHint,
  ): Promise<number> {
    try {
      checkRecords(add);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.#host.mutate((doc) => {
      const map = doc.getMap(AUDIT_MAP);
      let removed = 0;
      doc.transact(() => {
        for (const id of drop) {
          if (!map.has(id)) continue;
          map.delete(id);
          removed++;
        }
        for (const { id, bytes } of add) {
          if (!map.has(id)) map.set(id, bytes.slice());
        }
        if (head) map.set(headKey(head.device), head.id);
      });
      return removed;
    });
  }
}
