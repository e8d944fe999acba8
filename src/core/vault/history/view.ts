/**
 * What the app may see of history: versions with write-only values left out, what changed
 * from one version to the next, and a diff of two versions. Values of write-only secrets (and
 * write-only connection fields) are never given, and neither is an older readable copy of a
 * value that later became write-only: making a secret write-only hides it in its history too.
 */
import type { StoredEntry } from '../entry-doc';
import type { ConnectionField, ConnectionValue, EntryKind } from '../entry-types';
import type { JsonValue } from '../json';
import { diffJson, type JsonPath } from './diff';
import type { StoredVersion } from './read';

/**
 * An aspect of an entry that a version changed.
 * @example
 * const aspect: VersionChange = 'value';
 */
export type VersionChange = 'created' | 'name' | 'kind' | 'writeOnly' | 'value' | 'type' | 'fields';

/**
 * One version of an entry as the app may see it. `value` is absent when `hidden` (write-only).
 * @example
 * for (const v of await vault.history(id)) console.warn(v.index, v.at, v.by, v.changes);
 */
export interface EntryVersion {
  /** Its position in the entry's history, oldest first: what `restoreVersion` takes. */
  readonly index: number;
  /** When, by the clock of the device that wrote it (not trusted for anything but display). */
  readonly at: number;
  /** The device id of its author ('' if unknown). */
  readonly by: string;
  readonly name: string;
  readonly kind: EntryKind;
  readonly writeOnly: boolean;
  /** Item and secret values, or a connection's `{ type, fields }` (write-only fields hidden). */
  readonly value?: JsonValue | ConnectionValue;
  /** True for a write-only value, which is never given. */
  readonly hidden: boolean;
  /** What differs from the version before it; `['created']` for the first one kept. */
  readonly changes: readonly VersionChange[];
}

/**
 * One line of a diff of two versions. `secret`: the values are secret (mask until the user
 * asks). `hidden`: write-only, so `before` and `after` are never given, only that it changed.
 * @example
 * for (const line of diff) show(line.path.join('.'), line.change, line.secret ? '••••' : line.after);
 */
export interface VersionDiffLine {
  readonly path: JsonPath;
  readonly change: 'added' | 'removed' | 'changed';
  readonly before?: JsonValue;
  readonly after?: JsonValue;
  readonly secret: boolean;
  readonly hidden: boolean;
}

/**
 * A stored entry's content, parsed; `undefined` if its text does not parse (never thrown).
 * @example
 * contentOf({ kind: 'item', name: 'a', value: '{"b":1}' }); // { kind: 'item', value: { b: 1 }, writeOnly: false }
 */
export function contentOf(
  stored: StoredEntry,
):
  | { kind: 'item'; value: JsonValue; writeOnly: false }
  | { kind: 'secret'; value: JsonValue; writeOnly: boolean }
  | { kind: 'connection'; value: ConnectionValue; writeOnly: false }
  | undefined {
  try {
    if (stored.kind === 'connection') {
      const fields = JSON.parse(stored.fields ?? '') as Record<string, ConnectionField>;
      return { kind: 'connection', value: { type: stored.type ?? '', fields }, writeOnly: false };
    }
    const value = JSON.parse(stored.value ?? '') as JsonValue;
    return stored.kind === 'secret'
      ? { kind: 'secret', value, writeOnly: stored.writeOnly === true }
      : { kind: 'item', value, writeOnly: false };
  } catch {
    // No `cause`: engines quote the text they failed on, and it may be a secret.
    return undefined;
  }
}

/**
 * What a history hides: value texts that were ever write-only, and `field\0value` pairs of
 * connection fields that were.
 */
export class HiddenValues {
  readonly #texts = new Set<string>();
  readonly #fields = new Set<string>();

  constructor(entries: Iterable<StoredEntry>) {
    for (const entry of entries) {
      if (entry.kind === 'secret' && entry.writeOnly === true && entry.value !== undefined) {
        this.#texts.add(entry.value);
      }
      if (entry.kind === 'connection') {
        for (const [name, field] of Object.entries(fieldsOf(entry))) {
          if (field.writeOnly === true && field.value !== null) {
            this.#fields.add(`${name}\0${field.value}`);
          }
        }
      }
    }
  }

  /** True when this entry's value must not be shown. */
  value(entry: StoredEntry): boolean {
    return entry.kind === 'secret' && (entry.writeOnly === true || this.#texts.has(entry.value!));
  }

  /** True when this field's value must not be shown. */
  field(name: string, field: ConnectionField): boolean {
    return (
      field.value !== null &&
      (field.writeOnly === true || this.#fields.has(`${name}\0${field.value}`))
    );
  }
}

function fieldsOf(entry: StoredEntry): Record<string, ConnectionField> {
  try {
    const fields: unknown = JSON.parse(entry.fields ?? '{}');
    return typeof fields === 'object' && fields !== null
      ? (fields as Record<string, ConnectionField>)
      : {};
  } catch {
    return {};
  }
}

/** The aspects in which `next` differs from `previous`. */
function changesBetween(previous: StoredEntry | undefined, next: StoredEntry): VersionChange[] {
  if (previous === undefined) return ['created'];
  const out: VersionChange[] = [];
  if (previous.name !== next.name) out.push('name');
  if (previous.kind !== next.kind) out.push('kind');
  if ((previous.writeOnly === true) !== (next.writeOnly === true)) out.push('writeOnly');
  if (previous.value !== next.value) out.push('value');
  if (previous.type !== next.type) out.push('type');
  if (previous.fields !== next.fields) out.push('fields');
  return out;
}

/**
 * The versions as the app may see them. `indexed` are the readable versions with their
 * positions; `hidden` what the history hides.
 * @example
 * visibleVersions(readIndexedVersions(doc, id), hidden);
 */
export function visibleVersions(
  indexed: readonly { index: number; version: StoredVersion }[],
  hidden: HiddenValues,
): EntryVersion[] {
  let previous: StoredEntry | undefined;
  return indexed.map(({ index, version }) => {
    const { entry } = version;
    const changes = changesBetween(previous, entry);
    previous = entry;
    const base = {
      index,
      at: version.at,
      by: version.by,
      name: entry.name,
      kind: entry.kind,
      writeOnly: entry.kind === 'secret' && entry.writeOnly === true,
      changes,
    };
    if (hidden.value(entry)) return { ...base, hidden: true };
    const content = contentOf(entry);
    if (content === undefined) return { ...base, hidden: true };
    if (content.kind !== 'connection') return { ...base, value: content.value, hidden: false };
    const fields = Object.entries(content.value.fields).map(([name, field]) => [
      name,
      hidden.field(name, field)
        ? { value: null, secret: true, writeOnly: true, hidden: true }
        : field,
    ]);
    return {
      ...base,
      value: { type: content.value.type, fields: Object.fromEntries(fields) },
      hidden: false,
    };
  });
}

/**
 * The differences from version `a` to version `b`: the name, kind and flags; an item's or
 * secret's value by JSON path; a connection's type and each field (value and secrecy).
 * Write-only values come as one `hidden` line that says only whether they changed.
 * @example
 * compareStored(older.entry, newer.entry, hidden);
 */
export function compareStored(
  a: StoredEntry,
  b: StoredEntry,
  hidden: HiddenValues,
): VersionDiffLine[] {
  const out: VersionDiffLine[] = [];
  const plain = (path: JsonPath, before: JsonValue | undefined, after: JsonValue | undefined) => {
    if (before === after) return;
    out.push({
      path,
      change: before === undefined ? 'added' : after === undefined ? 'removed' : 'changed',
      ...(before === undefined ? {} : { before }),
      ...(after === undefined ? {} : { after }),
      secret: false,
      hidden: false,
    });
  };
  plain(['name'], a.name, b.name);
  plain(['kind'], a.kind, b.kind);
  plain(['writeOnly'], a.writeOnly === true, b.writeOnly === true);
  plain(['type'], a.type, b.type);
  const ca = contentOf(a);
  const cb = contentOf(b);
  if (a.kind === 'connection' || b.kind === 'connection') {
    compareFields(a, b, hidden, out);
    if (a.kind !== 'connection' || b.kind !== 'connection') compareValues(a, b, hidden, out);
    return out;
  }
  if (ca === undefined || cb === undefined) return out;
  compareValues(a, b, hidden, out);
  return out;
}

function compareValues(
  a: StoredEntry,
  b: StoredEntry,
  hidden: HiddenValues,
  out: VersionDiffLine[],
): void {
  if (a.value === b.value) return;
  const secret = a.kind === 'secret' || b.kind === 'secret';
  const change = a.value === undefined ? 'added' : b.value === undefined ? 'removed' : 'changed';
  if ((a.value !== undefined && hidden.value(a)) || (b.value !== undefined && hidden.value(b))) {
    out.push({ path: ['value'], change, secret: true, hidden: true });
    return;
  }
  const before = a.value === undefined ? undefined : parse(a.value);
  const after = b.value === undefined ? undefined : parse(b.value);
  if (before === undefined || after === undefined) {
    out.push({
      path: ['value'],
      change,
      ...(before === undefined ? {} : { before }),
      ...(after === undefined ? {} : { after }),
      secret,
      hidden: false,
    });
    return;
  }
  for (const line of diffJson(before, after)) {
    out.push({ ...line, path: ['value', ...line.path], secret, hidden: false });
  }
}

function parse(text: string): JsonValue | undefined {
  try {
    return JSON.parse(text) as JsonValue;
  } catch {
    return undefined;
  }
}

function compareFields(
  a: StoredEntry,
  b: StoredEntry,
  hidden: HiddenValues,
  out: VersionDiffLine[],
): void {
  const fa = a.kind === 'connection' ? fieldsOf(a) : {};
  const fb = b.kind === 'connection' ? fieldsOf(b) : {};
  const names = [...new Set([...Object.keys(fa), ...Object.keys(fb)])].sort();
  for (const name of names) {
    const before = Object.hasOwn(fa, name) ? fa[name] : undefined;
    const after = Object.hasOwn(fb, name) ? fb[name] : undefined;
    if (
      before?.value === after?.value &&
      before?.secret === after?.secret &&
      (before?.writeOnly === true) === (after?.writeOnly === true)
    ) {
      continue;
    }
    const change = before === undefined ? 'added' : after === undefined ? 'removed' : 'changed';
    const isHidden =
      (before !== undefined && hidden.field(name, before)) ||
      (after !== undefined && hidden.field(name, after));
    const secret = before?.secret === true || after?.secret === true;
    out.push({
      path: ['fields', name],
      change,
      ...(before === undefined || isHidden ? {} : { before: before.value }),
      ...(after === undefined || isHidden ? {} : { after: after.value }),
      secret: secret || isHidden,
      hidden: isHidden,
    });
  }
}
