/**
 * The name -> entry index, kept up to date one entry at a time.
 *
 * Names are unique per vault, but devices that were apart can each create (or rename to) the
 * same name, and merging must keep both entries: a secret is never dropped by sync. So a name
 * maps to every id that carries it, in owner order, and the rule that picks the owner is
 * deterministic, the same on every replica that holds the same document:
 *
 *   the owner of a name is the entry with the earliest `createdAt`, then the smallest id
 *   (compared as UTF-16 code units).
 *
 * The others are reported by `duplicateNames()` until someone renames or deletes them.
 */
import type { EntryId } from './ids';

/**
 * What the index knows about one entry.
 * @example
 * const record: IndexRecord = { name: 'API_KEY', createdAt: 1_700_000_000_000 };
 */
export interface IndexRecord {
  readonly name: string;
  readonly createdAt: number;
}

/**
 * Whether entry `a` comes before `b` in owner order (earliest createdAt, then smallest id).
 * @example
 * ownerOrder({ id: 'b', createdAt: 1 }, { id: 'a', createdAt: 2 }) < 0; // true: b owns
 */
export function ownerOrder(
  a: { readonly id: string; readonly createdAt: number },
  b: { readonly id: string; readonly createdAt: number },
): number {
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * Name -> ids in owner order. Every operation is O(1) in the number of entries (O(k) in the
 * number k of entries sharing one name, which is 1 unless devices collided).
 * @example
 * const index = new NameIndex();
 * index.update(id, { name: 'API_KEY', createdAt: 1 });
 * index.owner('API_KEY'); // id
 */
export class NameIndex {
  readonly #records = new Map<EntryId, IndexRecord>();
  readonly #byName = new Map<string, EntryId[]>();
  readonly #duplicated = new Set<string>();

  /** Sets what the index knows of `id`; `undefined` removes it. Idempotent. */
  update(id: EntryId, record: IndexRecord | undefined): void {
    const previous = this.#records.get(id);
    if (
      previous !== undefined &&
      record !== undefined &&
      previous.name === record.name &&
      previous.createdAt === record.createdAt
    ) {
      return;
    }
    if (previous !== undefined) this.#remove(id, previous.name);
    if (record === undefined) {
      this.#records.delete(id);
      return;
    }
    this.#records.set(id, record);
    const ids = this.#byName.get(record.name);
    if (ids === undefined) {
      this.#byName.set(record.name, [id]);
      return;
    }
    const entry = { id, createdAt: record.createdAt };
    let at = ids.findIndex(
      (other) =>
        ownerOrder(entry, { id: other, createdAt: this.#records.get(other)!.createdAt }) < 0,
    );
    if (at < 0) at = ids.length;
    ids.splice(at, 0, id);
    this.#duplicated.add(record.name);
  }

  #remove(id: EntryId, name: string): void {
    const ids = this.#byName.get(name);
    if (ids === undefined) return;
    const at = ids.indexOf(id);
    if (at >= 0) ids.splice(at, 1);
    if (ids.length === 0) this.#byName.delete(name);
    if (ids.length <= 1) this.#duplicated.delete(name);
  }

  /** Forgets everything (before a full rebuild). */
  clear(): void {
    this.#records.clear();
    this.#byName.clear();
    this.#duplicated.clear();
  }

  /** The id that owns `name`, if any entry has it. */
  owner(name: string): EntryId | undefined {
    return this.#byName.get(name)?.[0];
  }

  /** Every id with `name`, owner first. */
  idsOf(name: string): readonly EntryId[] {
    return this.#byName.get(name) ?? [];
  }

  /** What the index knows of `id`. */
  record(id: EntryId): IndexRecord | undefined {
    return this.#records.get(id);
  }

  /** Every name in use (unordered). */
  names(): IterableIterator<string> {
    return this.#byName.keys();
  }

  /** Names held by more than one entry (unordered). */
  duplicateNames(): IterableIterator<string> {
    return this.#duplicated.values();
  }

  /** Number of distinct names. */
  get nameCount(): number {
    return this.#byName.size;
  }
}
