/**
 * The entries of one vault, over its Yjs document: validated writes, each one transaction (so
 * one user action is one Yjs update), and reads by name through an index that follows every
 * change, local or merged in from another device. See docs/data-model.md for the layout and
 * the merge rules.
 */
import * as Y from 'yjs';
import { asEntryId, type EntryId, isEntryId } from '../ids';
import {
  ENTRIES_MAP,
  EntryKey,
  type EntryMap,
  META_MAP,
  MetaKey,
  readEntry,
  readIndexRecord,
  readNameStyle,
  readSummary,
  writeEntry,
} from './entry-doc';
import { ConfusableIndex, NameIndex } from './entry-index';
import { type PreparedEntry, prepareEntryInput } from './entry-input';
import type {
  DuplicateName,
  Entry,
  EntryChanges,
  EntryInput,
  EntrySummary,
  NameStyle,
  SetEntryOptions,
} from './entry-types';
import {
  ConfusableNameError,
  EntryNotFoundError,
  InvalidEntryError,
  InvalidEntryIdError,
  InvalidNameStyleError,
  NameTakenError,
} from './errors';
import { isValidEntryName, validateEntryName } from './names';

/**
 * The entry types, re-exported so the vault handle and the module's index import one place.
 * @example
 * import type { Entry, EntryInput } from './entry-model';
 */
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

/**
 * What the store needs from its surroundings.
 * @example
 * const options: EntryStoreOptions = { clock: Date.now, newId: () => toBase64url(randomBytes(12)) };
 */
export interface EntryStoreOptions {
  /** Milliseconds since the epoch, for createdAt and updatedAt. */
  readonly clock: () => number;
  /** A fresh random id (see `asEntryId` for the format). */
  readonly newId: () => string;
  /** The origin of the store's transactions, so observers can tell local changes apart. */
  readonly origin?: unknown;
}

/**
 * A vault's entries. Reads are synchronous and return copies; each write validates everything
 * first (nothing changes on error) and then changes the document in one transaction.
 * @example
 * const store = createEntryStore(doc, { clock: Date.now, newId });
 * store.set('my-item', { kind: 'item', value: { servers: ['a', 'b'] } });
 * store.get('my-item')?.value; // { servers: ['a', 'b'] }
 */
export interface EntryStore {
  /** The entry with this name (its owner, if devices collided), or `undefined`. */
  get(name: string): Entry | undefined;
  /** The entry with this id, or `undefined`; reaches duplicates that do not own their name. */
  getById(id: EntryId): Entry | undefined;
  has(name: string): boolean;
  /** Every name's entry without its value, sorted by name (UTF-16 code units, not locale). */
  list(): EntrySummary[];
  /**
   * Creates or replaces the entry `name` (see SetEntryOptions for create-only and
   * update-only). New names must satisfy the vault's name style; existing ones are kept even
   * if the style changed since. Only keys whose content changes are written; an identical
   * `set` writes nothing. Throws InvalidNameError, ConfusableNameError (a new name that looks
   * like another entry's), InvalidEntryError, InvalidJsonError, ValueTooLargeError,
   * NameTakenError ('create'), EntryNotFoundError ('update').
   */
  set(name: string, input: EntryInput, options?: SetEntryOptions): EntrySummary;
  /**
   * `set` for many entries as one transaction (one Yjs update): for imports. Every entry is
   * checked first; if one is refused, nothing is written. A name given twice is written
   * twice, in order (the later input wins), to one entry. New names are checked for look-alikes
   * among the existing names and the batch's other new names.
   */
  setMany(
    entries: readonly { readonly name: string; readonly input: EntryInput }[],
    options?: SetEntryOptions,
  ): EntrySummary[];
  /**
   * Changes one entry (by id) in one transaction: its name, kind, write-only flag and/or value
   * (see EntryChanges; what is left out stays). Everything is checked first; nothing changes on
   * error. Throws EntryNotFoundError, InvalidNameError, NameTakenError, ConfusableNameError,
   * InvalidEntryError (also: a write-only secret made readable without a new value),
   * InvalidJsonError, ValueTooLargeError.
   */
  update(id: EntryId, changes: EntryChanges): EntrySummary;
  /**
   * Renames, keeping id, value and createdAt. NameTakenError, EntryNotFoundError,
   * InvalidNameError, ConfusableNameError (a look-alike of another entry's name; a look-alike of
   * the entry's own name is fine).
   */
  rename(name: string, newName: string): void;
  /** `rename` by id: how a duplicate that does not own its name gets a name of its own. */
  renameById(id: EntryId, newName: string): void;
  /** Deletes the entry `name` (its owner: a duplicate then takes over). True if there was one. */
  delete(name: string): boolean;
  deleteById(id: EntryId): boolean;
  /** The vault's naming style. Changing it checks new names only. */
  nameStyle: NameStyle;
  /** Names that more than one entry carries after a merge, sorted by name. */
  duplicates(): DuplicateName[];
  /** Names that `style` would refuse: to show before switching a vault's style. Sorted. */
  namesNotMatching(style: NameStyle): string[];
  /** Stops following the document (the store must not be used afterwards). */
  dispose(): void;
}

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
  readonly #observer: (events: Y.YEvent<Y.AbstractType<unknown>>[]) => void;

  constructor(doc: Y.Doc, options: EntryStoreOptions) {
    this.#doc = doc;
    this.#entries = doc.getMap(ENTRIES_MAP);
    this.#meta = doc.getMap(META_MAP);
    this.#clock = options.clock;
    this.#newId = options.newId;
    this.#origin = options.origin ?? null;
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

  #transact(change: () => void): void {
    this.#doc.transact(change, this.#origin);
  }

  get(name: string): Entry | undefined {
    const id = this.#index.owner(name);
    return id === undefined ? undefined : this.getById(id);
  }

  getById(id: EntryId): Entry | undefined {
    const record = this.#index.record(id);
    const entry = this.#entryMap(id);
    return record && entry ? readEntry(id, entry, record.name) : undefined;
  }

  has(name: string): boolean {
    return this.#index.owner(name) !== undefined;
  }

  #summary(id: EntryId): EntrySummary {
    return readSummary(id, this.#entryMap(id)!, this.#index.record(id)!.name);
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
    const style = this.nameStyle;
    const created = new Map<string, EntryId>();
    const createdIds = new Set<EntryId>();
    const steps: { id: EntryId; name: string; prepared: PreparedEntry; create: boolean }[] = [];
    // New names of this batch, for look-alikes among themselves (only built for a second one).
    let batch: ConfusableIndex | undefined;
    // Everything is checked before the first change: a batch is written whole or not at all.
    for (const { name, input } of entries) {
      const existing =
        (typeof name === 'string' ? this.#index.owner(name) : undefined) ?? created.get(name);
      if (existing === undefined) validateEntryName(name, style);
      if (existing !== undefined && mode === 'create') throw new NameTakenError(name);
      if (existing === undefined && mode === 'update') throw new EntryNotFoundError({ name });
      if (existing === undefined) {
        if (created.size > 0 && batch === undefined) {
          batch = new ConfusableIndex();
          for (const earlier of created.keys()) batch.add(earlier);
        }
        const lookalike =
          this.#index.confusableWith(name) ?? batch?.match(name).find((other) => other !== name);
        if (lookalike !== undefined) {
          throw new ConfusableNameError({
            rejectedName: name,
            existingName: lookalike,
            subject: 'entry',
          });
        }
        batch?.add(name);
      }
      const prepared = prepareEntryInput(name, input);
      const id = existing ?? this.#freshId(createdIds);
      if (existing === undefined) {
        created.set(name, id);
        createdIds.add(id);
      }
      steps.push({ id, name, prepared, create: existing === undefined });
    }
    const now = this.#now();
    this.#transact(() => {
      for (const { id, name, prepared, create } of steps) {
        let entry = this.#entryMap(id);
        if (create || entry === undefined) {
          entry = new Y.Map();
          this.#entries.set(id, entry);
          entry.set(EntryKey.name, name);
          entry.set(EntryKey.createdAt, now);
        }
        writeEntry(entry, prepared, now);
        // Observers run when the outermost transaction ends; a caller's enclosing
        // transaction must still find the entry by name right away.
        this.#reindex(id);
      }
    });
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
    if (renaming) this.#checkNewName(id, name);
    const kind = changes.kind ?? current.kind;
    const keepsValue = changes.value === undefined;
    const wasWriteOnly = current.kind === 'secret' && current.writeOnly;
    const writeOnly = kind === 'secret' ? (changes.writeOnly ?? current.writeOnly) : false;
    if (keepsValue && wasWriteOnly && !(kind === 'secret' && writeOnly)) {
      // The kept value would become readable: a write-only value is never shown again.
      throw new InvalidEntryError(
        name,
        'value',
        'a new value to make a write-only secret readable',
        'no value',
      );
    }
    const value = keepsValue ? current.value : changes.value!;
    const input = (kind === 'secret' ? { kind, value, writeOnly } : { kind, value }) as EntryInput;
    const prepared = prepareEntryInput(name, input);
    const now = this.#now();
    this.#transact(() => {
      const entry = this.#entryMap(id)!;
      if (renaming) {
        entry.set(EntryKey.name, name);
        entry.set(EntryKey.updatedAt, now);
      }
      writeEntry(entry, prepared, now);
      this.#reindex(id);
    });
    return this.#summary(id);
  }

  /** The checks a new name of entry `id` passes before anything changes (see renameById). */
  #checkNewName(id: EntryId, newName: string): void {
    validateEntryName(newName, this.nameStyle);
    if (this.#index.owner(newName) !== undefined) throw new NameTakenError(newName);
    const lookalike = this.#index.confusableWith(newName, id);
    if (lookalike !== undefined) {
      throw new ConfusableNameError({
        rejectedName: newName,
        existingName: lookalike,
        subject: 'entry',
      });
    }
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
    this.#checkNewName(id, newName);
    const now = this.#now();
    this.#transact(() => {
      const entry = this.#entryMap(id)!;
      entry.set(EntryKey.name, newName);
      entry.set(EntryKey.updatedAt, now);
      this.#reindex(id);
    });
  }

  delete(name: string): boolean {
    const id = this.#index.owner(name);
    return id === undefined ? false : this.deleteById(id);
  }

  deleteById(id: EntryId): boolean {
    if (!this.#entries.has(id)) return false;
    this.#transact(() => {
      this.#entries.delete(id);
      this.#reindex(id);
    });
    return true;
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
