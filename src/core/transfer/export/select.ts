/**
 * Which entries (and which connection fields) a file of each format can hold, and why the
 * others are left out. Works on VisibleEntry, what the app may see: a write-only value has
 * already been taken out by the vault (`visibleEntry`), so no export can leak one even by
 * mistake; this only names what is missing.
 */
import type {
  ConnectionField,
  ConnectionValue,
  EntryInput,
  JsonValue,
  VisibleEntry,
} from '../../vault';

/**
 * The formats Coffer writes.
 * @example
 * const format: ExportFormat = 'kdbx';
 */
export type ExportFormat = 'dotenv' | 'json' | 'kdbx';

/**
 * Why an entry (or one field of a connection) is not in the file:
 * - `'write-only'`: a write-only secret (never exported, in any format);
 * - `'not-an-env-name'`: .env only: the name is not `[A-Za-z_][A-Za-z0-9_]*`;
 * - `'connection'`: .env only: a connection has several fields, a .env line one value;
 * - `'not-representable'`: .env only: text no dotenv quoting carries exactly (every quote
 *   kind and a backslash or carriage return, or control characters importers take for binary).
 * @example
 * const leftOut: LeftOut = { name: 'STRIPE_KEY', reason: 'write-only' };
 */
export interface LeftOut {
  readonly name: string;
  /** For a connection's field. */
  readonly field?: string;
  readonly reason: 'write-only' | 'not-an-env-name' | 'connection' | 'not-representable';
}

/** One entry as a file will carry it. */
export interface Exportable {
  readonly name: string;
  readonly input: EntryInput;
}

/** What goes into the file, and what is left out. */
export interface Selection {
  readonly entries: readonly Exportable[];
  readonly leftOut: readonly LeftOut[];
}

/**
 * Splits the entries into what a file keeps and what it leaves out. Write-only secrets are
 * left out of every format; a connection's write-only fields are kept empty (`value: null`,
 * still write-only: waiting for credentials) and listed.
 * @example
 * selectForExport(entries).leftOut; // [{ name: 'STRIPE_KEY', reason: 'write-only' }]
 */
export function selectForExport(entries: readonly VisibleEntry[]): Selection {
  const kept: Exportable[] = [];
  const leftOut: LeftOut[] = [];
  for (const entry of entries) {
    if (entry.kind === 'secret') {
      if (entry.writeOnly) {
        leftOut.push({ name: entry.name, reason: 'write-only' });
        continue;
      }
      kept.push({ name: entry.name, input: { kind: 'secret', value: entry.value } });
    } else if (entry.kind === 'item') {
      kept.push({ name: entry.name, input: { kind: 'item', value: entry.value } });
    } else {
      const fields: Record<string, ConnectionField> = {};
      for (const [field, value] of Object.entries(entry.value.fields)) {
        if (value.writeOnly === true && (value.hidden === true || value.value !== null)) {
          leftOut.push({ name: entry.name, field, reason: 'write-only' });
          fields[field] = { value: null, secret: true, writeOnly: true };
        } else {
          fields[field] = {
            value: value.value,
            secret: value.secret,
            ...(value.writeOnly === true ? { writeOnly: true } : {}),
          };
        }
      }
      kept.push({
        name: entry.name,
        input: { kind: 'connection', value: { type: entry.value.type, fields } },
      });
    }
  }
  return { entries: kept, leftOut };
}

/**
 * A connection as a JSON object of its fields' values (`null` for an empty one); the write-only
 * fields, empty here, are left out of the object.
 * @example
 * connectionObject({ type: 'basic-auth', fields: { username: { value: 'app', secret: false } } }); // { username: 'app' }
 */
export function connectionObject(value: ConnectionValue): JsonValue {
  const out: Record<string, JsonValue> = Object.create(null);
  for (const [name, field] of Object.entries(value.fields)) {
    if (field.writeOnly === true && field.value === null) continue;
    out[name] = field.value;
  }
  return out;
}
