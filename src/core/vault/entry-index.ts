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
 *
 * Beside it, built only when a new name is first checked, an index of the names by their
 * confusable skeletons (see confusables.ts), so that a create or rename is checked against
 * 10,000 names in O(1) without opening a vault computing 10,000 skeletons.
 */

import type { EntryId } from '../ids';
import { confusableKeys } from './confusables';

/**
 * Names by their confusable keys (skeleton, and skeleton of the lowercase form), for finding
 * the name a new one could be mistaken for. Also used on its own for the names of one batch.
 * @example
 * const names = new ConfusableIndex();
 * names.add('KEY_1');
 * names.match('KEY_l'); // ['KEY_1']
 */
export class ConfusableIndex {
  readonly #raw = new Map<string, Set<string>>();
  readonly #folded = new Map<string, Set<string>>();
  /** Each name's keys, so removing one computes nothing. */
  readonly #keys = new Map<string, readonly [string, string]>();

  /** Adds `name` (idempotent). */
  add(name: string): void {
    if (this.#keys.has(name)) return;
    const keys = confusableKeys(name);
    this.#keys.set(name, keys);
    put(this.#raw, keys[0], name);
    put(this.#folded, keys[1], name);
  }

  /** Removes `name`, if present. */
  remove(name: string): void {
    const keys = this.#keys.get(name);
    if (keys === undefined) return;
    this.#keys.delete(name);
    take(this.#raw, keys[0], name);
    take(this.#folded, keys[1], name);
  }

  /** The names confusable with `name` or equal to it, in no particular order. */
  match(name: string): string[] {
    const [raw, folded] = confusableKeys(name);
    const found = new Set([...(this.#raw.get(raw) ?? []), ...(this.#folded.get(folded) ?? [])]);
    return [...found];
  }
}

function put(map: Map<string, Set<string>>, key: string, name: string): void {
  const names = map.get(key);
  if (names === undefined) map.set(key, new Set([name]));
  else names.add(name);
}

function take(map: Map<string, Set<string>>, key: string, name: string): void {
  const names = map.get(key);
  if (names === undefined) return;
  names.delete(name);
  if (names.size === 0) map.delete(key);
}

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
  /** Built by the first `confusableWith`, then kept with the names; never for reads. */
  #confusables: ConfusableIndex | undefined;

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
      this.#confusables?.add(record.name);
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
    if (ids.length === 0) {
      this.#byName.delete(name);
      this.#confusables?.remove(name);
    }
    if (ids.length <= 1) this.#duplicated.delete(name);
  }

  /** Forgets everything (before a full rebuild). */
  clear(): void {
    this.#records.clear();
    this.#byName.clear();
    this.#duplicated.clear();
    this.#confusables = undefined;
  }

  /**
   * A name in use that `name` could be mistaken for (see `findConfusable`), or `undefined`.
   * `name` itself is not reported, nor a name that only `exceptId` carries (an entry may be
   * renamed to a look-alike of its own name). The first call indexes every name (O(n)
   * skeletons, ~15 ms for 10,000 names); later ones cost O(1).
   */
  confusableWith(name: string, exceptId?: EntryId): string | undefined {
    if (this.#confusables === undefined) {
      this.#confusables = new ConfusableIndex();
      for (const known of this.#byName.keys()) this.#confusables.add(known);
    }
    for (const other of this.#confusables.match(name)) {
      if (other === name) continue;
      const ids = this.#byName.get(other) ?? [];
      if (exceptId !== undefined && ids.every((id) => id === exceptId)) continue;
      return other;
    }
    return undefined;
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
