/**
 * The logic of the entry dialog, as plain functions over plain data so it is tested in Node:
 * validating what the user typed with the core's own validators, turning the form into what
 * OpenVault.create and OpenVault.update take, and mapping every core error to the field it is
 * about. The UI reads entries as `VisibleEntry` (a write-only secret comes without its value,
 * a connection's write-only field as `hidden`) and saves an edit as one `update` that leaves
 * such a value out (for a connection, a patch of the fields that changed), so a write-only
 * value never reaches UI code. Single-field checks are in field-checks.ts; the entry view in entry-view.ts.
 */
import type {
  ConnectionValue,
  EntryChanges,
  EntryId,
  EntryKind,
  NameStyle,
  VisibleEntry,
} from '../../core/vault';
import {
  ConfusableNameError,
  EntryNotFoundError,
  InvalidEntryError,
  InvalidJsonError,
  InvalidNameError,
  MAX_VALUE_BYTES,
  NameTakenError,
  parseJsonText,
  ValueTooLargeError,
} from '../../core/vault';
import {
  connectionEditPatch,
  connectionFieldLabel,
  connectionFieldSpecs,
  connectionValueFromForm,
  DEFAULT_CONNECTION_TYPE,
  isHiddenField,
  type WriteOnlyChoices,
} from './connection-types';
import { capitalize, describeJsonError, jsonTextProblem, nameProblem } from './field-checks';
import type { EntryDraft, OpenVault } from './open-vault';

/** What the dialog holds. Each kind keeps its own draft, so switching kind loses nothing typed. */
export interface EntryForm {
  readonly name: string;
  readonly kind: EntryKind;
  readonly itemText: string;
  readonly secretText: string;
  /** The secret being edited holds JSON rather than a string (set through the API). */
  readonly secretIsJson: boolean;
  readonly writeOnly: boolean;
  readonly connectionType: string;
  /** Field name -> text; '' is an empty field (or, for a saved write-only field, "keep it"). */
  readonly connectionTexts: Readonly<Record<string, string>>;
  /** The user's write-only choices by field; a field left out gets its spec's default. */
  readonly connectionWriteOnly: WriteOnlyChoices;
}

/** The entry an edit started from. It never holds the value of a write-only secret. */
export interface EntryOrigin {
  readonly id: EntryId;
  readonly name: string;
  readonly kind: EntryKind;
  readonly writeOnly: boolean;
  /**
   * For connections: the value as the UI sees it. Its write-only fields that have a value are
   * `{ value: null, hidden: true }`; readable values are the ones the form starts with.
   */
  readonly connection?: ConnectionValue;
}

/** Messages by where they belong; `form` is shown at the top of the dialog. */
export interface FormErrors {
  name?: string;
  /** A suggested valid name (environment-style vaults). */
  nameSuggestion?: string;
  value?: string;
  /** Where the JSON problem is, to put the caret there. */
  valueOffset?: number;
  fields?: Record<string, string>;
  form?: string;
}

export function emptyEntryForm(): EntryForm {
  return {
    name: '',
    kind: 'item',
    itemText: '{}',
    secretText: '',
    secretIsJson: false,
    writeOnly: false,
    connectionType: DEFAULT_CONNECTION_TYPE,
    connectionTexts: {},
    connectionWriteOnly: {},
  };
}

/** The form for editing `entry`. A write-only secret's value is not copied: the field starts empty. */
export function entryFormFromEntry(entry: VisibleEntry): { form: EntryForm; origin: EntryOrigin } {
  const base = { ...emptyEntryForm(), name: entry.name, kind: entry.kind };
  const origin = { id: entry.id, name: entry.name, kind: entry.kind, writeOnly: entry.writeOnly };
  switch (entry.kind) {
    case 'item':
      return { form: { ...base, itemText: JSON.stringify(entry.value, null, 2) }, origin };
    case 'secret': {
      if (entry.writeOnly) return { form: { ...base, writeOnly: true }, origin };
      const isText = typeof entry.value === 'string';
      return {
        form: {
          ...base,
          secretText: isText ? (entry.value as string) : JSON.stringify(entry.value, null, 2),
          secretIsJson: !isText,
        },
        origin,
      };
    }
    case 'connection': {
      // A saved write-only field starts empty ("type to replace"); upkeep fields are not shown.
      const texts: Record<string, string> = {};
      for (const spec of connectionFieldSpecs(entry.value.type, entry.value)) {
        texts[spec.name] = entry.value.fields[spec.name]?.value ?? '';
      }
      return {
        form: { ...base, connectionType: entry.value.type, connectionTexts: texts },
        origin: { ...origin, connection: entry.value },
      };
    }
  }
}
/**
 * Whether saving keeps the current value of a write-only secret: the user is editing one, it
 * stays a secret, and the value field was left empty ("Enter a new value to replace it").
 */
export function keepsWriteOnlyValue(form: EntryForm, origin: EntryOrigin | undefined): boolean {
  return (
    origin !== undefined &&
    origin.kind === 'secret' &&
    origin.writeOnly &&
    form.kind === 'secret' &&
    form.secretText === ''
  );
}

/**
 * Saved write-only fields kept (left empty) while the user unticked write-only: that would make
 * a write-only value readable, so, as for secrets, it takes a new value.
 */
function writeOnlyKeptProblems(
  form: EntryForm,
  origin: EntryOrigin | undefined,
): Record<string, string> {
  const problems: Record<string, string> = {};
  const original = origin?.connection;
  for (const [name, writeOnly] of Object.entries(form.connectionWriteOnly)) {
    if (
      !writeOnly &&
      isHiddenField(original, form.connectionType, name) &&
      (form.connectionTexts[name] ?? '') === ''
    ) {
      const label = connectionFieldLabel(form.connectionType, name);
      problems[name] =
        `To make ${label} readable, enter a new value: the saved value stays write-only.`;
    }
  }
  return problems;
}

export function hasErrors(errors: FormErrors): boolean {
  return (
    errors.name !== undefined ||
    errors.value !== undefined ||
    errors.form !== undefined ||
    Object.keys(errors.fields ?? {}).length > 0
  );
}

/** Everything that can be checked before saving, with the same rules the core applies. */
export function checkEntryForm(
  form: EntryForm,
  origin: EntryOrigin | undefined,
  style: NameStyle,
): FormErrors {
  const errors: FormErrors = {};
  const name = nameProblem(form.name, style);
  if (name) {
    errors.name = name.message;
    if (name.suggestion !== undefined) errors.nameSuggestion = name.suggestion;
  }
  if (form.kind === 'item') {
    const problem = jsonTextProblem(form.itemText);
    if (problem) {
      errors.value = problem.message;
      errors.valueOffset = problem.offset;
    }
  } else if (form.kind === 'connection') {
    const fields = writeOnlyKeptProblems(form, origin);
    if (Object.keys(fields).length > 0) errors.fields = fields;
  } else if (form.kind === 'secret') {
    if (keepsWriteOnlyValue(form, origin)) {
      // Unticking write-only with the old value kept would make a write-only value readable.
      if (!form.writeOnly) {
        errors.value =
          'To make this secret readable, enter a new value: the current value stays write-only.';
      }
    } else if (form.secretText === '') {
      errors.value = 'Enter the secret value.';
    } else if (form.secretIsJson) {
      const problem = jsonTextProblem(form.secretText);
      if (problem) {
        errors.value = problem.message;
        errors.valueOffset = problem.offset;
      }
    }
  }
  return errors;
}

/** The new entry the form describes (creating). */
export function entryDraftFromForm(form: EntryForm, origin: EntryOrigin | undefined): EntryDraft {
  switch (form.kind) {
    case 'item':
      return { name: form.name, kind: 'item', value: parseJsonText(form.itemText) };
    case 'secret': {
      const value = form.secretIsJson ? parseJsonText(form.secretText) : form.secretText;
      return { name: form.name, kind: 'secret', value, writeOnly: form.writeOnly };
    }
    case 'connection': {
      const specs = connectionFieldSpecs(form.connectionType, origin?.connection);
      return {
        name: form.name,
        kind: 'connection',
        value: connectionValueFromForm(
          form.connectionType,
          specs,
          form.connectionTexts,
          form.connectionWriteOnly,
        ),
      };
    }
  }
}

/**
 * What an edit changes, as one `update`: name, kind, flag and value, except that
 * - a write-only secret whose value field was left empty keeps its value, which is then left
 *   out (the core keeps it; nobody here reads it);
 * - a connection that keeps its type saves only the fields that change (`connectionEditPatch`),
 *   so its write-only fields left empty are kept. A new type is a whole new value: the saved
 *   write-only fields are dropped (the form says so).
 */
export function entryChangesFromForm(form: EntryForm, origin: EntryOrigin): EntryChanges {
  if (keepsWriteOnlyValue(form, origin)) {
    return { name: form.name, kind: 'secret', writeOnly: form.writeOnly };
  }
  const original = origin.connection;
  if (form.kind === 'connection' && original && original.type === form.connectionType) {
    const specs = connectionFieldSpecs(form.connectionType, original);
    return {
      name: form.name,
      kind: 'connection',
      fields: connectionEditPatch(original, specs, form.connectionTexts, form.connectionWriteOnly),
    };
  }
  return entryDraftFromForm(form, origin);
}

/** Puts a core error from saving next to the field it is about, or at the top. */
export function errorsFromSaveError(error: unknown, form: EntryForm): FormErrors {
  if (
    error instanceof InvalidNameError ||
    error instanceof NameTakenError ||
    error instanceof ConfusableNameError
  ) {
    return { name: capitalize(error.message) };
  }
  if (error instanceof EntryNotFoundError) {
    return { form: 'This entry was deleted meanwhile; nothing was saved.' };
  }
  if (error instanceof InvalidJsonError) {
    return {
      value: describeJsonError(error),
      ...(error.offset !== undefined ? { valueOffset: error.offset } : {}),
    };
  }
  if (error instanceof ValueTooLargeError) {
    const message = `The value is too large: ${error.size.toLocaleString('en')} bytes as JSON; the limit is ${MAX_VALUE_BYTES.toLocaleString('en')} bytes (1 MiB).`;
    return form.kind === 'connection' ? { form: message } : { value: message };
  }
  if (error instanceof InvalidEntryError) {
    const field = /^value\.fields\.(.+)\.(value|secret|writeOnly)$/.exec(error.field)?.[1];
    if (field !== undefined && form.kind === 'connection') {
      return { fields: { [field]: capitalize(error.message) } };
    }
    return { form: capitalize(error.message) };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { form: `Could not save: ${message}` };
}

export type SaveOutcome =
  | { readonly ok: true; readonly name: string }
  | { readonly ok: false; readonly errors: FormErrors };

/**
 * Checks and saves the form as one change. Nothing is written if a check fails or the core
 * refuses; the caller keeps the form as typed either way.
 *
 * - Creating refuses a name that exists (`create`, never a replace that would lose an entry).
 * - Editing is one `update` of the entry it started from (by id, so a rename elsewhere cannot
 *   redirect it): the name, kind, flag and value change together or not at all. A write-only
 *   secret left empty keeps its value without anyone reading it.
 */
export async function saveEntryForm(
  vault: OpenVault,
  form: EntryForm,
  origin: EntryOrigin | undefined,
): Promise<SaveOutcome> {
  const errors = checkEntryForm(form, origin, vault.nameStyle());
  if (hasErrors(errors)) return { ok: false, errors };
  try {
    if (origin === undefined) await vault.create(entryDraftFromForm(form, undefined));
    else await vault.update(origin.id, entryChangesFromForm(form, origin));
    return { ok: true, name: form.name };
  } catch (error) {
    return { ok: false, errors: errorsFromSaveError(error, form) };
  }
}
