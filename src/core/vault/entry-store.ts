/**
 * The contract of a vault's entry store: what it needs from its surroundings
 * (EntryStoreOptions) and what it offers (EntryStore). The one implementation, over a Yjs
 * document, is `createEntryStore` in entry-model.ts; the vault handle depends on this contract.
 */
import type { EntryId } from '../ids';
import type {
  DuplicateName,
  Entry,
  EntryChanges,
  EntryInput,
  EntrySummary,
  NameStyle,
  SetEntryOptions,
} from './entry-types';
import type { HistorySettings } from './history/settings';

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
  /** This device's id, recorded as the author of each version (docs/history.md); '' if unset. */
  readonly author?: string;
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
  /**
   * Brings a recently deleted entry back, same id and history, under `name` or else its old
   * name (`name_2`, `name_3`… if that is taken or a look-alike is). Passes the checks of a
   * new name and value: InvalidNameError, NameTakenError, ConfusableNameError,
   * ValueTooLargeError; DeletedEntryNotFoundError if it is not among the deleted.
   */
  restoreDeleted(id: EntryId, name?: string): EntrySummary;
  /** Purges deleted entries whose time is up now (writes do it too). Returns how many. */
  purgeExpired(): number;
  /**
   * Changes retention (checked first: HistorySettingsError, nothing changed). Lowering the
   * versions kept prunes every entry's history at once.
   */
  setHistorySettings(change: Partial<HistorySettings>): void;
  /** The device id each version records as its author (EntryStoreOptions.author; '' if unset). */
  author: string;
  /** The vault's naming style. Changing it checks new names only. */
  nameStyle: NameStyle;
  /** Names that more than one entry carries after a merge, sorted by name. */
  duplicates(): DuplicateName[];
  /** Names that `style` would refuse: to show before switching a vault's style. Sorted. */
  namesNotMatching(style: NameStyle): string[];
  /** Stops following the document (the store must not be used afterwards). */
  dispose(): void;
}
