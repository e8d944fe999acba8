/**
 * What an open vault offers for its entries: reads from the document in memory, writes as one
 * saved change each, and the review marks left by edits made apart. VaultHandle supplies the
 * two primitives (`read`, `writeEntries`); keeping the entry API here keeps the handle to its
 * lifecycle and storage.
 *
 * Every write validates first and changes nothing on error; every call rejects with
 * VaultClosedError once the handle is closed, and writes with VaultDamagedError while stored
 * damage is not yet accepted.
 */
import type * as Y from 'yjs';
import type { EntryId } from '../ids';
import type {
  ConnectionEntry,
  ConnectionField,
  ConnectionValue,
  Entry,
  EntryChanges,
  EntryStore,
  EntrySummary,
  JsonValue,
  NameStyle,
  VisibleEntry,
} from './entry-model';
import { EntryNotFoundError } from './errors';
import type { EntryReview, SetOptions } from './handle-types';
import {
  compareEntryVersions,
  type DeletedEntry,
  deletedEntries,
  type EntryVersion,
  entryHistory,
  type HistorySettings,
  historySettingsOf,
  restoreEntryVersion,
  type VersionDiffLine,
} from './history';
import { deleteReview, readReviews } from './members';

export abstract class EntryOperations {
  /** Runs `read` over the open vault's document (throws VaultClosedError once closed). */
  protected abstract read<T>(read: (store: EntryStore, doc: Y.Doc) => T): T;

  /** Runs `change` in the vault's queue and saves it as one change. */
  protected abstract writeEntries<T>(change: (store: EntryStore, doc: Y.Doc) => T): Promise<T>;

  /**
   * The value of an entry, or `undefined` if there is none. Items give their JSON value,
   * secrets their value (write-only ones too: this is the API, not the UI), connections
   * `{ type, fields }`.
   */
  async get(name: string): Promise<JsonValue | ConnectionValue | undefined> {
    return (await this.getEntry(name))?.value;
  }

  /**
   * The whole entry (kind, value, flags, times), or `undefined`. One with write-only values
   * only where this device's member may use them (`checkWriteOnlyUse`: a viewer may not).
   */
  async getEntry(name: string): Promise<Entry | undefined> {
    const entry = this.read((store) => store.get(name));
    if (entry && holdsWriteOnly(entry)) this.checkWriteOnlyUse();
    return entry;
  }

  /** Throws if this device may not use write-only values (TeamPermissionError); see VaultHandle. */
  protected checkWriteOnlyUse(): void {}

  /**
   * The entry as the app may see it: a write-only secret comes without its value. What UI code
   * reads, so that a write-only value never reaches it.
   */
  async visibleEntry(name: string): Promise<VisibleEntry | undefined> {
    const entry = this.read((store) => store.get(name));
    if (entry?.kind === 'connection') return withoutWriteOnlyFields(entry);
    if (entry?.kind !== 'secret' || !entry.writeOnly) return entry as VisibleEntry | undefined;
    const { value: _hidden, ...rest } = entry;
    return { ...rest, writeOnly: true };
  }

  async has(name: string): Promise<boolean> {
    return this.read((store) => store.has(name));
  }

  /** Every entry's name, kind and times, sorted by name. Values are not included. */
  async list(): Promise<EntrySummary[]> {
    return this.read((store) => store.list());
  }

  /**
   * Creates or replaces an entry. Rejects with InvalidNameError, InvalidJsonError,
   * ValueTooLargeError or InvalidEntryError before anything changes, and with
   * StorageFullError if the browser is out of space (the change is then undone).
   */
  set(name: string, value: JsonValue | ConnectionValue, options: SetOptions = {}): Promise<void> {
    return this.writeEntries((store) => {
      const kind = options.kind ?? store.get(name)?.kind ?? 'item';
      store.set(name, inputOf(kind, value, options));
    });
  }

  /**
   * Creates or replaces many entries as one change (one row, one durable write): for imports.
   * All are validated first; if any is invalid, none is written.
   * @example
   * await vault.setMany([{ name: 'DB_HOST', value: 'db.internal' }, { name: 'DB_PASSWORD', value: 'pw', kind: 'secret' }]);
   */
  setMany(
    entries: ReadonlyArray<{ name: string; value: JsonValue | ConnectionValue } & SetOptions>,
  ): Promise<void> {
    return this.writeEntries((store) => {
      store.setMany(
        entries.map((entry) => ({
          name: entry.name,
          input: inputOf(entry.kind ?? store.get(entry.name)?.kind ?? 'item', entry.value, entry),
        })),
      );
    });
  }

  /**
   * Creates an entry; rejects with NameTakenError if the name is in use (`set` would replace
   * it), and otherwise like `set`.
   */
  create(
    name: string,
    value: JsonValue | ConnectionValue,
    options: SetOptions = {},
  ): Promise<EntrySummary> {
    return this.writeEntries((store) =>
      store.set(name, inputOf(options.kind ?? 'item', value, options), { mode: 'create' }),
    );
  }

  /**
   * Changes an entry (by name, or `{ id }` so a rename elsewhere cannot redirect it) in one
   * change: any of its name, kind, write-only flag and value (see EntryChanges). Leaving out
   * the value keeps it, so no caller ever needs a write-only value it may not see. Rejects
   * like `set`, and with EntryNotFoundError; nothing changes on error.
   * @example
   * await vault.update({ id }, { name: 'STRIPE_KEY', writeOnly: true }); // value untouched
   */
  update(entry: string | { readonly id: EntryId }, changes: EntryChanges): Promise<EntrySummary> {
    return this.writeEntries((store) => {
      const id = typeof entry === 'string' ? store.get(entry)?.id : entry.id;
      if (id === undefined) throw new EntryNotFoundError({ name: entry as string });
      return store.update(id, changes);
    });
  }

  /** Renames an entry, keeping its value and identity. NameTakenError if the name is used. */
  rename(name: string, newName: string): Promise<void> {
    return this.writeEntries((store) => store.rename(name, newName));
  }

  /** Deletes an entry. Resolves true if there was one. */
  delete(name: string): Promise<boolean> {
    return this.writeEntries((store) => store.delete(name));
  }

  /** The vault's naming rule: 'default' or 'environment' (Kinesis-style UPPER_SNAKE). */
  async nameStyle(): Promise<NameStyle> {
    return this.read((store) => store.nameStyle);
  }

  setNameStyle(style: NameStyle): Promise<void> {
    return this.writeEntries((store) => {
      store.nameStyle = style;
    });
  }

  /**
   * The entry's versions, oldest first, in the same order on every device (docs/history.md).
   * Write-only values are never included (`hidden: true`).
   */
  async history(entryId: EntryId): Promise<EntryVersion[]> {
    return this.read((_store, doc) => entryHistory(doc, entryId));
  }

  /** The differences from version `a` to version `b` (VersionNotFoundError if one is gone). */
  async compareVersions(entryId: EntryId, a: number, b: number): Promise<VersionDiffLine[]> {
    return this.read((_store, doc) => compareEntryVersions(doc, entryId, a, b));
  }

  /**
   * Writes version `index` as the entry's current content, a new version (the name stays).
   * Rejects like `update`, and with VersionNotFoundError; nothing changes on error.
   */
  restoreVersion(entryId: EntryId, index: number): Promise<EntrySummary> {
    return this.writeEntries((store, doc) => restoreEntryVersion(store, doc, entryId, index));
  }

  /** The vault's Recently deleted list, most recent first; values never included. */
  async deletedEntries(): Promise<DeletedEntry[]> {
    return this.read((_store, doc) => deletedEntries(doc, this.now()));
  }

  /**
   * Brings a deleted entry back with its history, under `name` or its old name (suffixed
   * `_2`… if taken). Rejects with DeletedEntryNotFoundError or like a create.
   */
  restoreDeleted(entryId: EntryId, name?: string): Promise<EntrySummary> {
    return this.writeEntries((store) => store.restoreDeleted(entryId, name));
  }

  /** The vault's retention: versions per entry, days a deleted entry is kept. */
  async historySettings(): Promise<HistorySettings> {
    return this.read((_store, doc) => historySettingsOf(doc));
  }

  /** Changes retention; HistorySettingsError (nothing changed) for a bad value. */
  setHistorySettings(change: Partial<HistorySettings>): Promise<void> {
    return this.writeEntries((store) => store.setHistorySettings(change));
  }

  /**
   * Purges deleted entries whose time is up now (every entry write does it too). Not done when
   * the vault opens: a change made before sync listens would never reach the other devices.
   */
  purgeExpired(): Promise<number> {
    return this.writeEntries((store) => store.purgeExpired());
  }

  /** The vault's clock, for what history shows as expired. */
  protected abstract now(): number;

  /** Entries marked for review after edits made apart, with their current names. */
  reviews(): EntryReview[] {
    return this.read((store, doc) =>
      readReviews(doc)
        .map((mark) => ({ ...mark, name: nameOf(store, mark.entryId) }))
        .sort((a, b) => (a.name ?? '').localeCompare(b.name ?? '')),
    );
  }

  /** Clears the review mark of an entry (by name). Resolves true if there was one. */
  clearReview(name: string): Promise<boolean> {
    return this.writeEntries((store, doc) => {
      const entry = store.get(name);
      return entry ? deleteReview(doc, entry.id) : false;
    });
  }
}

function nameOf(store: EntryStore, entryId: EntryId): string | undefined {
  try {
    return store.getById(entryId)?.name;
  } catch {
    // A malformed entry still has a review mark worth showing; its name is what is missing.
    return undefined;
  }
}

function inputOf(
  kind: NonNullable<SetOptions['kind']>,
  value: JsonValue | ConnectionValue,
  options: SetOptions,
): never {
  // The store validates the input (kind, value, flags) and throws a typed error if it is wrong.
  return {
    kind,
    value,
    ...(options.writeOnly !== undefined ? { writeOnly: options.writeOnly } : {}),
  } as never;
}

/** The connection with each write-only field that has a value as `{ value: null, hidden: true }`. */
function holdsWriteOnly(entry: Entry): boolean {
  if (entry.kind === 'secret') return entry.writeOnly === true;
  if (entry.kind !== 'connection') return false;
  return Object.values(entry.value.fields).some((field) => field.writeOnly === true);
}

function withoutWriteOnlyFields(entry: ConnectionEntry): ConnectionEntry {
  const fields = Object.entries(entry.value.fields).map(
    ([name, field]): [string, ConnectionField] => [
      name,
      field.writeOnly === true && field.value !== null
        ? { value: null, secret: true, writeOnly: true, hidden: true }
        : field,
    ],
  );
  return { ...entry, value: { type: entry.value.type, fields: Object.fromEntries(fields) } };
}
