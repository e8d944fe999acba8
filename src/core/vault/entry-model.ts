/**
 * The entries of one vault, over its Yjs document: validated writes, each one transaction (so
 * one user action is one Yjs update), and reads by name through an index that follows every
 * change, local or merged in from another device. See docs/data-model.md for the layout and
 * the merge rules. The store's contract is in entry-store.ts; the checks a write passes before
 * anything changes are in entry-write-checks.ts.
 */
import * as Y from 'yjs';
import { asEntryId, type EntryId, isEntryId } from '../ids';
import { planChainWrite, type StoredEntry } from './entry-chain';
import {
  chainOf,
  DELETED_MAP,
  ENTRIES_MAP,
  EntryKey,
  type EntryMap,
  META_MAP,
  MetaKey,
  readEntry,
  readIndexRecord,
  readNameStyle,
  readSummary,
} from './entry-doc';
import { NameIndex } from './entry-index';
import { type PreparedEntry, prepareEntryInput } from './entry-input';
import type { EntryStore, EntryStoreOptions } from './entry-store';
import type {
  DuplicateName,
  Entry,
  EntryChanges,
  EntryInput,
  EntrySummary,
  NameStyle,
  SetEntryOptions,
} from './entry-types';
import { checkNewName, freeName, planWrites, prepareUpdate } from './entry-write-checks';
import { EntryNotFoundError, InvalidEntryIdError, InvalidNameStyleError } from './errors';
import {
  checkHistorySettings,
  contentOf,
  createEntry,
  DeletedEntryNotFoundError,
  type HistorySettings,
  pruneAll,
  purgeExpired,
  readDeletedRecord,
  recordDeletion,
  writeHistorySettings,
  writeVersion,
} from './history';
import { isValidEntryName } from './names';

/**
 * The entry types and the store's contract, re-exported so the vault handle and the module's
 * index import one place.
 * @example
 * import type { Entry, EntryInput } from './entry-model';
 */
export type { EntryStore, EntryStoreOptions } from './entry-store';
export type {
  ConnectionEntry,
  ConnectionField,
  ConnectionValue,
  DuplicateName,
  Entry,
  EntryChanges,
  EntryInput,
  EntryKind,
  EntrySummary,
  ItemEntry,
  NameStyle,
  SecretEntry,
  SetEntryOptions,
  VisibleEntry,
} from './entry-types';
export type { JsonValue } from './json';

/** A new entry's whole content as its first version stores it. */
const storedOf = (name: string, prepared: PreparedEntry): StoredEntry =>
  planChainWrite(undefined, prepared, name).stored;

const byName = (a: { name: string }, b: { name: string }) =>
  a.name < b.name ? -1 : a.name > b.name ? 1 : 0;

class YjsEntryStore implements EntryStore {
  readonly #doc: Y.Doc;
  readonly #entries: Y.Map<unknown>;
  readonly #meta: Y.Map<unknown>;
  readonly #clock: () => number;
  readonly #newId: () => string;
  readonly #origin: unknown;
  readonly #index = new NameIndex();
  author: string;
  readonly #observer: (events: Y.YEvent<Y.AbstractType<unknown>>[]) => void;

  constructor(doc: Y.Doc, options: EntryStoreOptions) {
    this.#doc = doc;
    this.#entries = doc.getMap(ENTRIES_MAP);
    this.#meta = doc.getMap(META_MAP);
    this.#clock = options.clock;
    this.#newId = options.newId;
    this.#origin = options.origin ?? null;
    this.author = options.author ?? '';
    for (const id of this.#entries.keys()) this.#reindex(id);
    this.#observer = (events) => this.#onChanges(events);
    this.#entries.observeDeep(this.#observer);
  }

  /**
   * Re-reads the entries a transaction touched, whoever made it: O(changes), never a rebuild.
   * A new or removed entry shows as a key of `entries`; a rename as `name` in its map.
   */
  #onChanges(events: Y.YEvent<Y.AbstractType<unknown>>[]): void {
    const touched = new Set<string>();
    for (const event of events) {
      if (event.target === this.#entries) {
        for (const key of (event as Y.YMapEvent<unknown>).keysChanged) touched.add(key);
      } else if (event.target instanceof Y.Map && event.target.parent === this.#entries) {
        const keys = (event as Y.YMapEvent<unknown>).keysChanged;
        if (keys.has(EntryKey.name) || keys.has(EntryKey.kind) || keys.has(EntryKey.createdAt)) {
          const id = event.path[0];
          if (typeof id === 'string') touched.add(id);
        }
      }
    }
    for (const id of touched) this.#reindex(id);
  }

  #reindex(id: string): void {
    if (!isEntryId(id)) return;
    this.#index.update(id, readIndexRecord(this.#entries.get(id)));
  }

  #entryMap(id: EntryId): EntryMap | undefined {
    const entry = this.#entries.get(id);
    return entry instanceof Y.Map ? (entry as EntryMap) : undefined;
  }

  #now(): number {
    const now = this.#clock();
    if (typeof now !== 'number' || !Number.isFinite(now)) {
      throw new RangeError('the clock returned something other than a finite number');
    }
    return now;
  }

  /**
   * Runs a write as one transaction. Deleted entries whose time is up go in the same one: every
   * write is also when the recently deleted are purged (docs/history.md).
   */
  #transact(change: () => void, now?: number): void {
    this.#doc.transact(() => {
      change();
      if (now !== undefined) purgeExpired(this.#doc, now);
    }, this.#origin);
  }

  get(name: string): Entry | undefined {
    const id = this.#index.owner(name);
    return id === undefined ? undefined : this.getById(id);
  }

  getById(id: EntryId): Entry | undefined {
    const record = this.#index.record(id);
    const entry = this.#entryMap(id);
    return record && entry ? readEntry(id, entry, chainOf(this.#doc, id), record.name) : undefined;
  }

  has(name: string): boolean {
    return this.#index.owner(name) !== undefined;
  }

  #summary(id: EntryId): EntrySummary {
    return readSummary(
      id,
      this.#entryMap(id)!,
      chainOf(this.#doc, id),
      this.#index.record(id)!.name,
    );
  }

  list(): EntrySummary[] {
    const out: EntrySummary[] = [];
    for (const name of this.#index.names()) out.push(this.#summary(this.#index.owner(name)!));
    return out.sort(byName);
  }

  set(name: string, input: EntryInput, options: SetEntryOptions = {}): EntrySummary {
    return this.setMany([{ name, input }], options)[0]!;
  }

  setMany(
    entries: readonly { readonly name: string; readonly input: EntryInput }[],
    options: SetEntryOptions = {},
  ): EntrySummary[] {
    const mode = options.mode ?? 'upsert';
    // Everything is checked before the first change: a batch is written whole or not at all.
    const steps = planWrites(this.#index, entries, mode, this.nameStyle, (taken) =>
      this.#freshId(taken),
    );
    const now = this.#now();
    this.#transact(() => {
      for (const { id, name, prepared, create } of steps) {
        const entry = this.#entryMap(id);
        if (create || entry === undefined) {
          createEntry(this.#doc, id, this.#entries, storedOf(name, prepared), now, this.author);
        } else {
          writeVersion(this.#doc, id, entry, prepared, name, now, this.author);
        }
        // Observers run when the outermost transaction ends; a caller's enclosing
        // transaction must still find the entry by name right away.
        this.#reindex(id);
      }
    }, now);
    return steps.map(({ id }) => this.#summary(id));
  }

  #freshId(alsoTaken: ReadonlySet<EntryId>): EntryId {
    const id = asEntryId(this.#newId());
    if (this.#entries.has(id) || alsoTaken.has(id)) {
      throw new InvalidEntryIdError(
        'in-use',
        'the new id is already in use (is the random source broken?)',
      );
    }
    return id;
  }

  update(id: EntryId, changes: EntryChanges): EntrySummary {
    const current = this.getById(id);
    if (current === undefined) throw new EntryNotFoundError({ id });
    const name = changes.name ?? current.name;
    const renaming = name !== current.name;
    if (renaming) checkNewName(this.#index, this.nameStyle, id, name);
    const prepared = prepareUpdate(current, name, changes);
    const now = this.#now();
    this.#transact(() => {
      writeVersion(this.#doc, id, this.#entryMap(id)!, prepared, name, now, this.author);
      this.#reindex(id);
    }, now);
    return this.#summary(id);
  }

  rename(name: string, newName: string): void {
    const id = this.#index.owner(name);
    if (id === undefined) throw new EntryNotFoundError({ name });
    this.renameById(id, newName);
  }

  renameById(id: EntryId, newName: string): void {
    const record = this.#index.record(id);
    if (record === undefined) throw new EntryNotFoundError({ id });
    if (record.name === newName && this.#index.owner(newName) === id) return;
    checkNewName(this.#index, this.nameStyle, id, newName);
    const now = this.#now();
    this.#transact(() => {
      writeVersion(this.#doc, id, this.#entryMap(id)!, undefined, newName, now, this.author);
      this.#reindex(id);
    }, now);
  }

  delete(name: string): boolean {
    const id = this.#index.owner(name);
    return id === undefined ? false : this.deleteById(id);
  }

  deleteById(id: EntryId): boolean {
    if (!this.#entries.has(id)) return false;
    const now = this.#now();
    this.#transact(() => {
      const entry = this.#entryMap(id);
      const name = this.#index.record(id)?.name;
      if (entry && name !== undefined) {
        recordDeletion(this.#doc, id, entry, name, now, this.author);
      }
      this.#entries.delete(id);
      this.#reindex(id);
    }, now);
    return true;
  }

  restoreDeleted(id: EntryId, name?: string): EntrySummary {
    const record = readDeletedRecord(this.#doc, id);
    const content = record && contentOf(record.entry);
    if (!record || !content || this.#entries.has(id)) throw new DeletedEntryNotFoundError(id);
    const finalName = name ?? freeName(this.#index, this.nameStyle, id, record.entry.name);
    checkNewName(this.#index, this.nameStyle, id, finalName);
    const prepared = prepareEntryInput(finalName, content);
    const now = this.#now();
    this.#transact(() => {
      createEntry(this.#doc, id, this.#entries, storedOf(finalName, prepared), now, this.author);
      this.#doc.getMap(DELETED_MAP).delete(id);
      this.#reindex(id);
    }, now);
    return this.#summary(id);
  }

  purgeExpired(): number {
    if (this.#doc.getMap(DELETED_MAP).size === 0) return 0;
    const now = this.#now();
    let purged = 0;
    this.#transact(() => {
      purged = purgeExpired(this.#doc, now);
    });
    return purged;
  }

  setHistorySettings(change: Partial<HistorySettings>): void {
    const checked = checkHistorySettings(change);
    const now = this.#now();
    this.#transact(() => {
      if (writeHistorySettings(this.#meta, checked) && checked.versionsPerEntry !== undefined) {
        pruneAll(this.#doc, checked.versionsPerEntry);
      }
    }, now);
  }

  get nameStyle(): NameStyle {
    return readNameStyle(this.#meta);
  }

  set nameStyle(style: NameStyle) {
    if (style !== 'default' && style !== 'environment') {
      throw new InvalidNameStyleError(
        typeof style === 'string' && (style as string).length <= 32
          ? JSON.stringify(style)
          : typeof style,
      );
    }
    if (this.#meta.get(MetaKey.nameStyle) === style) return;
    if (style === 'default' && !this.#meta.has(MetaKey.nameStyle)) return;
    this.#transact(() => this.#meta.set(MetaKey.nameStyle, style));
  }

  duplicates(): DuplicateName[] {
    const out: DuplicateName[] = [];
    for (const name of this.#index.duplicateNames()) {
      const [owner, ...others] = this.#index.idsOf(name).map((id) => this.#summary(id));
      if (owner !== undefined) out.push({ name, owner, others });
    }
    return out.sort(byName);
  }

  namesNotMatching(style: NameStyle): string[] {
    return [...this.#index.names()].filter((name) => !isValidEntryName(name, style)).sort();
  }

  dispose(): void {
    this.#entries.unobserveDeep(this.#observer);
  }
}

/**
 * The entry store of a vault document. Builds the name index once (O(n)), then follows every
 * change to the document incrementally, including updates applied from storage or other
 * devices.
 * @example
 * const doc = new Y.Doc();
 * const store = createEntryStore(doc, { clock: Date.now, newId: () => toBase64url(randomBytes(12)) });
 * store.set('API_KEY', { kind: 'secret', value: 'sk-live-…', writeOnly: true });
 * store.list(); // [{ id, name: 'API_KEY', kind: 'secret', writeOnly: true, createdAt, updatedAt }]
 */
export function createEntryStore(doc: Y.Doc, options: EntryStoreOptions): EntryStore {
  return new YjsEntryStore(doc, options);
}
