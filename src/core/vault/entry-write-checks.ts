/**
 * The checks a write of entries passes before the document changes, so that a refused write
 * changes nothing: a batch's names (style, taken or missing, look-alikes) and inputs, a new
 * name for an existing entry, and what an `update` leaves of the current entry. Each either
 * returns what to write or throws the error the store documents; none touches the document.
 */
import type { EntryId } from '../ids';
import { ConfusableIndex, type NameIndex } from './entry-index';
import { type PreparedEntry, prepareEntryInput } from './entry-input';
import type {
  ConnectionField,
  Entry,
  EntryChanges,
  EntryInput,
  EntryKind,
  NameStyle,
  SetEntryOptions,
} from './entry-types';
import {
  ConfusableNameError,
  EntryNotFoundError,
  InvalidEntryError,
  NameTakenError,
} from './errors';
import { validateEntryName } from './names';

/**
 * One checked write of a batch: the entry's id (new or existing), its name, its prepared
 * content, and whether the entry is created.
 * @example
 * for (const { id, name, prepared, create } of planWrites(index, entries, 'upsert', style, freshId)) …
 */
export interface PlannedWrite {
  readonly id: EntryId;
  readonly name: string;
  readonly prepared: PreparedEntry;
  readonly create: boolean;
}

/**
 * Checks every entry of a `setMany` batch, in order, and returns the writes. A name given
 * twice maps to one entry (the id taken the first time). New names are checked against the
 * existing names and the batch's other new names for look-alikes. `freshId` is asked for an id
 * per new entry, with the ids already handed out in this batch.
 * @example
 * const writes = planWrites(index, [{ name: 'API_KEY', input }], 'create', 'environment', freshId);
 */
export function planWrites(
  index: NameIndex,
  entries: readonly { readonly name: string; readonly input: EntryInput }[],
  mode: NonNullable<SetEntryOptions['mode']>,
  style: NameStyle,
  freshId: (alsoTaken: ReadonlySet<EntryId>) => EntryId,
): PlannedWrite[] {
  const created = new Map<string, EntryId>();
  const createdIds = new Set<EntryId>();
  const steps: PlannedWrite[] = [];
  // New names of this batch, for look-alikes among themselves (only built for a second one).
  let batch: ConfusableIndex | undefined;
  for (const { name, input } of entries) {
    const existing =
      (typeof name === 'string' ? index.owner(name) : undefined) ?? created.get(name);
    if (existing === undefined) validateEntryName(name, style);
    if (existing !== undefined && mode === 'create') throw new NameTakenError(name);
    if (existing === undefined && mode === 'update') throw new EntryNotFoundError({ name });
    if (existing === undefined) {
      if (created.size > 0 && batch === undefined) {
        batch = new ConfusableIndex();
        for (const earlier of created.keys()) batch.add(earlier);
      }
      const lookalike =
        index.confusableWith(name) ?? batch?.match(name).find((other) => other !== name);
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
    const id = existing ?? freshId(createdIds);
    if (existing === undefined) {
      created.set(name, id);
      createdIds.add(id);
    }
    steps.push({ id, name, prepared, create: existing === undefined });
  }
  return steps;
}

/**
 * The checks a new name of entry `id` passes: the style, not taken, and not a look-alike of
 * another entry's name (a look-alike of the entry's own name is fine).
 * @example
 * checkNewName(index, 'default', id, 'db-password'); // throws NameTakenError if taken
 */
export function checkNewName(
  index: NameIndex,
  style: NameStyle,
  id: EntryId,
  newName: string,
): void {
  validateEntryName(newName, style);
  if (index.owner(newName) !== undefined) throw new NameTakenError(newName);
  const lookalike = index.confusableWith(newName, id);
  if (lookalike !== undefined) {
    throw new ConfusableNameError({
      rejectedName: newName,
      existingName: lookalike,
      subject: 'entry',
    });
  }
}

/**
 * What `update` writes: `changes` over `current`, under `name` (already checked). Refuses to
 * make a write-only secret readable without a new value.
 * @example
 * const prepared = prepareUpdate(current, current.name, { writeOnly: true });
 */
export function prepareUpdate(current: Entry, name: string, changes: EntryChanges): PreparedEntry {
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
  if (changes.fields !== undefined) return prepareFieldsPatch(current, name, kind, changes);
  const value = keepsValue ? current.value : changes.value!;
  const input = (kind === 'secret' ? { kind, value, writeOnly } : { kind, value }) as EntryInput;
  return prepareEntryInput(name, input);
}

/** `changes.fields` applied to a connection's stored fields (see EntryChanges.fields). */
function prepareFieldsPatch(
  current: Entry,
  name: string,
  kind: EntryKind,
  changes: EntryChanges,
): PreparedEntry {
  if (current.kind !== 'connection' || kind !== 'connection' || changes.value !== undefined) {
    throw new InvalidEntryError(
      name,
      'fields',
      'a change of fields only on a connection that stays one, and without a value',
      current.kind !== 'connection'
        ? `an entry of kind ${current.kind}`
        : 'a kind or a value as well',
    );
  }
  const fields = new Map<string, ConnectionField>(Object.entries(current.value.fields));
  for (const [fieldName, field] of Object.entries(changes.fields ?? {})) {
    if (field === null) {
      fields.delete(fieldName);
      continue;
    }
    // As for secrets: leaving `writeOnly` out keeps a write-only field write-only.
    const keep = field.writeOnly === undefined && field.secret && fields.get(fieldName)?.writeOnly;
    fields.set(fieldName, keep ? { ...field, writeOnly: true } : field);
  }
  // defineProperty-free: Object.fromEntries makes own data properties, `__proto__` included.
  const value = { type: current.value.type, fields: Object.fromEntries(fields) };
  return prepareEntryInput(name, { kind, value });
}

/**
 * `name`, or `name_2`, `name_3`…: the first that is free and no look-alike (both name styles
 * allow `_`); how a restored entry whose name was taken meanwhile gets one.
 * @example
 * freeName(index, 'default', id, 'API_KEY'); // 'API_KEY_2' if API_KEY is taken
 */
export function freeName(index: NameIndex, style: NameStyle, id: EntryId, name: string): string {
  for (let n = 1; n <= 100; n++) {
    const candidate = n === 1 ? name : `${name}_${n}`;
    try {
      checkNewName(index, style, id, candidate);
      return candidate;
    } catch (error) {
      if (!(error instanceof NameTakenError || error instanceof ConfusableNameError)) throw error;
    }
  }
  return name; // checkNewName then says why it is refused
}
