/**
 * An entry's content as one chain of versions (layout in entry-doc.ts): the entry's array in
 * the `history` map holds every retained version, oldest first, and the newest versions are
 * the current content. A write appends ONE item to that array and nothing else, so one device's
 * consecutive writes of an entry have contiguous Yjs clocks and Yjs merges them, live items and
 * pruned ones alike: 10,000 overwrites of one entry keep about the 50 retained versions, where
 * a value register beside a history array left ~19 bytes of tombstone per write (docs/history.md).
 *
 * Merge rule. Each version is the writer's whole view of the entry (so any version can be
 * shown or restored alone) plus `set`: the content keys the write changed (absent: all of
 * them, as a creation, a change of kind or a version from the older layout). The current value
 * of a key is that of the newest version (in Y.Array order, the same on every replica) that set
 * it, so devices that change different keys apart (one the value, the other write-only; two
 * different connection fields) both keep their change, as the per-key registers did. The name
 * is not content: it stays a register of the entry's map, and a rename appends a version with
 * `set: []` that history shows but that decides nothing.
 */
import * as Y from 'yjs';
import type { PreparedEntry } from './entry-input';
import type { ConnectionField, EntryKind } from './entry-types';

/**
 * An entry's content as a version holds it: plain JSON whose values are JSON text, so lib0's
 * encoding cannot alter them (entry-doc.ts).
 * @example
 * const stored: StoredEntry = { kind: 'item', name: 'a', value: '1' };
 */
export interface StoredEntry {
  readonly kind: EntryKind;
  readonly name: string;
  readonly value?: string;
  readonly writeOnly?: boolean;
  readonly type?: string;
  readonly fields?: string;
}

/**
 * One element of an entry's chain as read: when (the writer's clock), which device, the
 * writer's whole view, and the content keys it set (`undefined`: all).
 * @example
 * const version: ChainVersion = { at: 1, by: 'dev', entry: { kind: 'item', name: 'a', value: '1' }, set: ['value'] };
 */
export interface ChainVersion {
  readonly at: number;
  readonly by: string;
  readonly entry: StoredEntry;
  readonly set: readonly string[] | undefined;
}

const isText = (raw: unknown): raw is string => typeof raw === 'string';
const KINDS: readonly string[] = ['item', 'secret', 'connection'];

/**
 * A stored entry as read, or `undefined` if malformed (a damaged or newer peer's write).
 * @example
 * readStoredEntry({ kind: 'item', name: 'a', value: '1' });
 */
export function readStoredEntry(raw: unknown): StoredEntry | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const { kind, name, value, writeOnly, type, fields } = raw as Record<string, unknown>;
  if (!KINDS.includes(kind as string) || !isText(name)) return undefined;
  if (kind === 'connection') {
    return isText(type) && isText(fields) ? { kind, name, type, fields } : undefined;
  }
  if (!isText(value)) return undefined;
  return kind === 'secret'
    ? { kind, name, value, writeOnly: writeOnly === true }
    : { kind: kind as EntryKind, name, value };
}

/**
 * One element of a chain (or a deleted record), or `undefined` if malformed. A `set` that is
 * not a list of strings reads as "all keys": the version is then taken whole.
 * @example
 * readChainVersion(chain.get(0))?.at;
 */
export function readChainVersion(raw: unknown): ChainVersion | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const { at, by, entry, set } = raw as Record<string, unknown>;
  if (typeof at !== 'number' || !Number.isFinite(at) || !isText(by)) return undefined;
  const stored = readStoredEntry(entry);
  if (stored === undefined) return undefined;
  const keys = Array.isArray(set) && set.every(isText) ? (set as string[]) : undefined;
  return { at, by, entry: stored, set: keys };
}

/**
 * The readable versions of a chain, oldest first.
 * @example
 * readChain(doc.getMap('history').get(id));
 */
export function readChain(chain: unknown): ChainVersion[] {
  if (!(chain instanceof Y.Array)) return [];
  const out: ChainVersion[] = [];
  for (const raw of (chain as Y.Array<unknown>).toArray()) {
    const version = readChainVersion(raw);
    if (version !== undefined) out.push(version);
  }
  return out;
}

/** The content key of a connection field. */
export const fieldKey = (name: string): string => `fields.${name}`;

/** A readable `fields` text of a stored connection, or undefined. */
export function parseFields(text: string | undefined): Record<string, ConnectionField> | undefined {
  if (text === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, ConnectionField>)
      : undefined;
  } catch {
    return undefined;
  }
}

const own = (object: object, key: string) => Object.hasOwn(object, key);

function define(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}

/**
 * The current content of a chained entry of kind `kind` from its versions (oldest first, as
 * read), or `undefined` when none of them is of that kind. The name is left as the newest's:
 * the caller puts the map's name in.
 * @example
 * resolveContent(versions, 'secret')?.writeOnly;
 */
export function resolveContent(
  versions: readonly ChainVersion[],
  kind: EntryKind,
): StoredEntry | undefined {
  const mine: ChainVersion[] = [];
  for (let i = versions.length - 1; i >= 0; i--) {
    if (versions[i]!.entry.kind === kind) mine.push(versions[i]!);
  }
  const newest = mine[0];
  if (newest === undefined) return undefined;
  /** The newest of this kind that set `key`, else the newest of this kind (its writer's view). */
  const decider = (key: string) =>
    mine.find((version) => version.set === undefined || version.set.includes(key)) ?? newest;
  if (kind === 'item')
    return { kind, name: newest.entry.name, value: decider('value').entry.value! };
  if (kind === 'secret') {
    // Readable versions of these kinds always carry these keys (readStoredEntry).
    const value = decider('value').entry.value!;
    const writeOnly = decider('writeOnly').entry.writeOnly === true;
    return { kind, name: newest.entry.name, value, writeOnly };
  }
  return {
    kind,
    name: newest.entry.name,
    type: decider('type').entry.type!,
    fields: JSON.stringify(resolveFields(mine)),
  };
}

/** Field by field, newest first, until a version that set all of them (or the newest's view). */
function resolveFields(mine: readonly ChainVersion[]): Record<string, ConnectionField> {
  const decided = new Map<string, ConnectionField | null>();
  let base = mine[0]!;
  for (const version of mine) {
    const fields = parseFields(version.entry.fields) ?? {};
    if (version.set === undefined) {
      base = version;
      break;
    }
    for (const key of version.set) {
      if (!key.startsWith('fields.')) continue;
      const name = key.slice('fields.'.length);
      if (!decided.has(name)) decided.set(name, own(fields, name) ? fields[name]! : null);
    }
  }
  const out: Record<string, ConnectionField> = {};
  const baseFields = parseFields(base.entry.fields) ?? {};
  for (const name of Object.keys(baseFields)) {
    if (!decided.has(name)) define(out, name, baseFields[name]);
  }
  for (const [name, field] of decided) if (field !== null) define(out, name, field);
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

const sameField = (a: ConnectionField | undefined, b: ConnectionField) =>
  a !== undefined &&
  a.value === b.value &&
  a.secret === b.secret &&
  (a.writeOnly === true) === (b.writeOnly === true);

/**
 * What a write of `prepared` over `current` (the content now, or `undefined` when the kind
 * changes or nothing is readable) stores: the new whole content and the keys it sets
 * (`undefined`: all). `set` is empty when nothing changes.
 * @example
 * const { stored, set } = planChainWrite(current, prepared, name);
 */
export function planChainWrite(
  current: StoredEntry | undefined,
  prepared: PreparedEntry,
  name: string,
): { stored: StoredEntry; set: string[] | undefined } {
  const same = current !== undefined && current.kind === prepared.kind ? current : undefined;
  switch (prepared.kind) {
    case 'item': {
      const stored: StoredEntry = { kind: 'item', name, value: prepared.text };
      return { stored, set: same ? (same.value === prepared.text ? [] : ['value']) : undefined };
    }
    case 'secret': {
      const writeOnly = prepared.writeOnly ?? same?.writeOnly === true;
      const stored: StoredEntry = { kind: 'secret', name, value: prepared.text, writeOnly };
      if (!same) return { stored, set: undefined };
      const set: string[] = [];
      if (same.value !== prepared.text) set.push('value');
      if ((same.writeOnly === true) !== writeOnly) set.push('writeOnly');
      return { stored, set };
    }
    case 'connection': {
      const fields: Record<string, ConnectionField> = {};
      const names = [...prepared.fields.keys()].sort();
      for (const fieldName of names) {
        const field = prepared.fields.get(fieldName)!;
        define(
          fields,
          fieldName,
          field.writeOnly === true
            ? { value: field.value, secret: field.secret, writeOnly: true }
            : { value: field.value, secret: field.secret },
        );
      }
      const stored: StoredEntry = {
        kind: 'connection',
        name,
        type: prepared.type,
        fields: JSON.stringify(fields),
      };
      if (!same) return { stored, set: undefined };
      const before = parseFields(same.fields) ?? {};
      const set: string[] = [];
      if (same.type !== prepared.type) set.push('type');
      for (const fieldName of names) {
        const old = own(before, fieldName) ? before[fieldName] : undefined;
        if (!sameField(old, fields[fieldName]!)) set.push(fieldKey(fieldName));
      }
      for (const fieldName of Object.keys(before)) {
        if (!prepared.fields.has(fieldName)) set.push(fieldKey(fieldName));
      }
      return { stored, set };
    }
  }
}

/**
 * Appends a version to the chain and drops the oldest beyond `limit`: one item per write (the
 * deletions add no item, only a range of the delete set). Inside the write's transaction.
 * @example
 * appendVersion(chain, { at: now, by, entry: stored, set: ['value'] }, 50);
 */
export function appendVersion(
  chain: Y.Array<unknown>,
  version: ChainVersion & { readonly first?: true },
  limit: number,
): void {
  const { at, by, entry, set, first } = version;
  const element: Record<string, unknown> = { at, by, entry: withoutUndefined(entry) };
  if (set !== undefined) element.set = set;
  if (first === true) element.first = true;
  chain.push([element]);
  // The front is the oldest on every replica (Y.Array order), whatever the peers' clocks say.
  if (chain.length > limit) chain.delete(0, chain.length - limit);
}

function withoutUndefined(entry: StoredEntry): StoredEntry {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(entry)) if (value !== undefined) out[key] = value;
  return out as unknown as StoredEntry;
}
