/**
 * The shapes of entries as the rest of Coffer sees them. How they are laid out in the Yjs
 * document is entry-doc.ts's business; these are plain data, and every one handed out is a copy.
 */
import type { EntryId } from '../ids';
import type { JsonValue } from './json';

/**
 * How a vault names its entries (a per-vault setting that syncs):
 * - `'default'`: a letter, then letters, digits, `_`, `-`, `.` (`my-item`, `API_KEY`);
 * - `'environment'`: the Kinesis rule, `A–Z 0–9 _` starting with a letter (`API_KEY`).
 * @example
 * const style: NameStyle = 'environment';
 */
export type NameStyle = 'default' | 'environment';

/**
 * What an entry holds: a JSON `item`, a `secret` (optionally write-only), or a `connection`'s
 * credentials for an outside service.
 * @example
 * const kind: EntryKind = 'secret';
 */
export type EntryKind = 'item' | 'secret' | 'connection';

/**
 * The kinds, in a fixed order, for validation and for UIs that offer a choice.
 * @example
 * ENTRY_KINDS.includes('item'); // true
 */
export const ENTRY_KINDS: readonly EntryKind[] = ['item', 'secret', 'connection'];

/**
 * One credential of a connection. `value: null` means "waiting for credentials"; `secret` says
 * whether the app masks it; `writeOnly` (only with `secret`) that the app never shows it again
 * once saved: `visibleEntry` gives such a field as `{ value: null, hidden: true }` when it has a
 * value. Code (runs, references) still reads it through `get`.
 * @example
 * const password: ConnectionField = { value: null, secret: true };
 * const clientSecret: ConnectionField = { value: 's3cr3t', secret: true, writeOnly: true };
 */
export interface ConnectionField {
  readonly value: string | null;
  readonly secret: boolean;
  readonly writeOnly?: boolean;
  /** Only in what `visibleEntry` gives: a write-only field that has a value, left out. */
  readonly hidden?: boolean;
}

/**
 * A connection's value: its type (which outside service and scheme; 1 to 64 characters of
 * `a–z 0–9 -`) and its fields by name. Fields come back sorted by name.
 * @example
 * const db: ConnectionValue = {
 *   type: 'basic-auth',
 *   fields: { user: { value: 'app', secret: false }, password: { value: null, secret: true } },
 * };
 */
export interface ConnectionValue {
  readonly type: string;
  readonly fields: Readonly<Record<string, ConnectionField>>;
}

interface EntryBase {
  readonly id: EntryId;
  readonly name: string;
  /** When the entry was created, in ms since the epoch, by the clock of the device that did. */
  readonly createdAt: number;
  /** When the entry last changed (value, kind, flags or name). */
  readonly updatedAt: number;
}

/**
 * An item: any JSON value, readable and writable.
 * @example
 * const entry: ItemEntry = { id, name: 'my-item', kind: 'item', value: { a: 1 }, writeOnly: false, createdAt: 1, updatedAt: 1 };
 */
export interface ItemEntry extends EntryBase {
  readonly kind: 'item';
  readonly value: JsonValue;
  readonly writeOnly: false;
}

/**
 * A secret: a string or JSON value. A write-only one is never shown by the app again; code and
 * references still read it through the API.
 * @example
 * const entry: SecretEntry = { id, name: 'API_KEY', kind: 'secret', value: 'sk-…', writeOnly: true, createdAt: 1, updatedAt: 1 };
 */
export interface SecretEntry extends EntryBase {
  readonly kind: 'secret';
  readonly value: JsonValue;
  readonly writeOnly: boolean;
}

/**
 * A connection: typed credentials for an outside service, possibly still empty.
 * @example
 * const entry: ConnectionEntry = { id, name: 'db', kind: 'connection', value: { type: 'basic-auth', fields: {} }, writeOnly: false, createdAt: 1, updatedAt: 1 };
 */
export interface ConnectionEntry extends EntryBase {
  readonly kind: 'connection';
  readonly value: ConnectionValue;
  readonly writeOnly: false;
}

/**
 * A whole entry, as `get` returns it (a copy: changing it changes nothing in the vault).
 * @example
 * const entry: Entry | undefined = store.get('API_KEY');
 * if (entry?.kind === 'secret' && !entry.writeOnly) show(entry.value);
 */
export type Entry = ItemEntry | SecretEntry | ConnectionEntry;

/**
 * What `set` takes. For a secret, `writeOnly` left out keeps the entry's current setting
 * (false for a new one), so replacing a write-only secret's value never makes it readable.
 * @example
 * const input: EntryInput = { kind: 'secret', value: 'sk-live-…', writeOnly: true };
 */
export type EntryInput =
  | { readonly kind: 'item'; readonly value: JsonValue }
  | { readonly kind: 'secret'; readonly value: JsonValue; readonly writeOnly?: boolean }
  | { readonly kind: 'connection'; readonly value: ConnectionValue };

/**
 * An entry in a list: everything but its value. For connections, also their type and the
 * names of their empty fields (`value: null`), so a list can say "waiting for credentials".
 * @example
 * for (const summary of store.list()) console.warn(summary.name, summary.kind, summary.updatedAt);
 */
export interface EntrySummary {
  readonly id: EntryId;
  readonly name: string;
  readonly kind: EntryKind;
  readonly writeOnly: boolean;
  readonly createdAt: number;
  readonly updatedAt: number;
  /** Connections only. */
  readonly connectionType?: string;
  /** Connections only: the fields still waiting for a value, sorted. */
  readonly emptyFields?: readonly string[];
  /** Connections only: the names of all its fields, sorted (a required one may be absent). */
  readonly fieldNames?: readonly string[];
}

/**
 * Several entries with one name, after devices that were apart merged their changes. The
 * `owner` is the one that `get(name)` and friends see (earliest `createdAt`, then smallest id);
 * the `others` are kept, reachable by id, until the user renames or deletes them.
 * @example
 * for (const { name, others } of store.duplicates()) askToRename(name, others.map((o) => o.id));
 */
export interface DuplicateName {
  readonly name: string;
  readonly owner: EntrySummary;
  readonly others: readonly EntrySummary[];
}

/**
 * Options of `set`: `'upsert'` (the default) creates or replaces, `'create'` refuses an
 * existing name (NameTakenError), `'update'` refuses a missing one (EntryNotFoundError).
 * @example
 * store.set('my-item', { kind: 'item', value: {} }, { mode: 'create' });
 */
export interface SetEntryOptions {
  readonly mode?: 'upsert' | 'create' | 'update';
}

/**
 * What `update` changes in one entry, in one transaction: any of its name, kind, write-only
 * flag and value. What is left out stays as it is: leaving out `value` keeps the stored value,
 * so a write-only secret can be renamed (or its kind changed) by code that never sees it. A
 * write-only secret becomes readable (`writeOnly: false`, or another kind) only with a new value.
 * @example
 * store.update(id, { name: 'STRIPE_KEY' }); // a rename; the value is not read, not written
 * store.update(id, { value: 'sk-live-new' }); // a new value, same name, kind and flag
 */
export interface EntryChanges {
  readonly name?: string;
  readonly kind?: EntryKind;
  readonly writeOnly?: boolean;
  readonly value?: JsonValue | ConnectionValue;
  /**
   * A connection's fields to change, leaving the others as they are: a field given replaces the
   * stored one, `null` removes it. Only for a connection that stays a connection, and not with
   * `value`. How a form changes a connection without reading its write-only fields.
   */
  readonly fields?: Readonly<Record<string, ConnectionField | null>>;
}

/**
 * An entry as the app may see it: a write-only secret without its value (`value` is
 * `undefined`), every other entry whole. What `VaultHandle.visibleEntry` gives.
 * @example
 * const entry: VisibleEntry | undefined = await vault.visibleEntry('API_KEY');
 * if (entry?.kind === 'secret' && entry.writeOnly) entry.value; // undefined
 */
export type VisibleEntry =
  | ItemEntry
  | ConnectionEntry
  | (SecretEntry & { readonly writeOnly: false })
  | (Omit<SecretEntry, 'value' | 'writeOnly'> & {
      readonly writeOnly: true;
      readonly value?: undefined;
    });
