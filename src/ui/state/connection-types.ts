/**
 * The connection catalogue as the entry form uses it, and how a form's field texts become a
 * stored ConnectionValue (creating, or changing the type) or a patch of its fields (editing).
 * The catalogue itself is core's: this module only adds what a form needs. (Through
 * core/connections' index: the build keeps only what is used, so the OAuth2 client stays out
 * of the first screen's bundle; measured +0.8 KiB gzip for the catalogue and status.)
 *
 * What the UI reads is a visible value: a write-only field that has a value arrives as
 * `{ value: null, hidden: true }`. An edit therefore saves a patch (`update`'s `fields`) that
 * leaves such a field out unless the user typed a new value, so it is kept without being read.
 */
import {
  CONNECTION_TYPES,
  type ConnectionFieldSpec,
  type ConnectionTypeSpec,
  connectionTypeSpec,
  DEFAULT_CONNECTION_TYPE,
  isUpkeepField,
  withStaleTokenDropped,
} from '../../core/connections';
import type { ConnectionField, ConnectionValue } from '../../core/vault';

export {
  CONNECTION_TYPES,
  type ConnectionFieldSpec,
  type ConnectionTypeSpec,
  connectionTypeSpec,
  DEFAULT_CONNECTION_TYPE,
};

/** Field name -> the user's write-only choice; a field left out keeps its spec's `writeOnly`. */
export type WriteOnlyChoices = Readonly<Record<string, boolean>>;

/** A connection's field changes for `update` (`EntryChanges.fields`): `null` removes a field. */
export type ConnectionFieldsPatch = Record<string, ConnectionField | null>;

export function connectionTypeLabel(type: string): string {
  return connectionTypeSpec(type)?.label ?? type;
}

/**
 * The fields the form shows for `type`: the type's own, then, when editing an entry of that
 * type, any other field the entry has (written by code or a newer version), so saving from the
 * form never drops a credential. Unknown types show the entry's fields as they are. Upkeep
 * fields (token state, token error, refresh lease) are Coffer's, never shown.
 *
 * When editing, `writeOnly` is what the form proposes for each field: a field saved write-only
 * stays so, a readable saved value stays readable, an empty field gets the catalogue's default.
 */
export function connectionFieldSpecs(
  type: string,
  original?: ConnectionValue,
): ConnectionFieldSpec[] {
  const same = original !== undefined && original.type === type ? original : undefined;
  const specs = (connectionTypeSpec(type)?.fields ?? [])
    .filter((spec) => !isUpkeepField(spec.name))
    .map((spec): ConnectionFieldSpec => {
      const stored = same?.fields[spec.name];
      if (!stored) return spec;
      // A field code saved as secret stays masked, even where the catalogue would not mask it.
      const secret = spec.secret || stored.secret;
      const empty = stored.value === null && stored.hidden !== true;
      const writeOnly =
        secret &&
        (stored.writeOnly === true || stored.hidden === true || (empty && spec.writeOnly));
      return { ...spec, secret, writeOnly };
    });
  if (same) {
    for (const [name, field] of Object.entries(same.fields)) {
      if (isUpkeepField(name) || specs.some((spec) => spec.name === name)) continue;
      specs.push({
        name,
        label: name,
        secret: field.secret,
        required: false,
        writeOnly: field.secret && (field.writeOnly === true || field.hidden === true),
      });
    }
  }
  return specs;
}

/** The label of a stored field: the known label for its type, else its name. */
export function connectionFieldLabel(type: string, name: string): string {
  return connectionTypeSpec(type)?.fields.find((spec) => spec.name === name)?.label ?? name;
}

const choiceWords: Readonly<Record<string, string>> = {
  client_secret_basic: 'client_secret_basic (in the Authorization header)',
  client_secret_post: 'client_secret_post (in the request body)',
};

/** What a select shows for one of a field's choices. */
export function connectionChoiceLabel(choice: string): string {
  return choiceWords[choice] ?? choice;
}

/** Whether the field is saved with `writeOnly`: only a secret field can be. */
function writeOnlyOf(spec: ConnectionFieldSpec, choices: WriteOnlyChoices | undefined): boolean {
  return spec.secret && (choices?.[spec.name] ?? spec.writeOnly);
}

/**
 * True for a field the type's catalogue marks optional (scope, audience, ...): left empty, it is
 * not stored at all, since a stored empty field (`value: null`) reads as "missing credentials"
 * in the vault's list. Fields the catalogue does not know keep their `null`.
 */
function optionalInCatalogue(type: string, name: string): boolean {
  return connectionTypeSpec(type)?.fields.some((f) => f.name === name && !f.required) === true;
}

function fieldFromForm(
  spec: ConnectionFieldSpec,
  texts: Readonly<Record<string, string>>,
  choices: WriteOnlyChoices | undefined,
): ConnectionField {
  const text = texts[spec.name] ?? '';
  const value = text === '' ? null : text;
  return writeOnlyOf(spec, choices)
    ? { value, secret: true, writeOnly: true }
    : { value, secret: spec.secret };
}

/**
 * The stored value: empty texts become `null`, which marks the entry "missing credentials"
 * (empty optional fields of a known type are left out); secret fields whose spec (or the user's choice in `writeOnly`) is write-only get
 * `writeOnly: true`. For a new connection, or one whose type changes (a whole new value).
 */
export function connectionValueFromForm(
  type: string,
  specs: readonly ConnectionFieldSpec[],
  texts: Readonly<Record<string, string>>,
  writeOnly?: WriteOnlyChoices,
): ConnectionValue {
  const fields: Record<string, ConnectionField> = {};
  for (const spec of specs) {
    if ((texts[spec.name] ?? '') === '' && optionalInCatalogue(type, spec.name)) continue;
    fields[spec.name] = fieldFromForm(spec, texts, writeOnly);
  }
  return { type, fields };
}

/** True when the edited connection's saved `name` is write-only and so not in the form. */
export function isHiddenField(
  original: ConnectionValue | undefined,
  type: string,
  name: string,
): boolean {
  return original?.type === type && original.fields[name]?.hidden === true;
}

/**
 * The labels of the saved write-only fields that a change of type to `type` drops: the form
 * never had their values, so the new value cannot carry them.
 */
export function droppedWriteOnlyFields(
  original: ConnectionValue | undefined,
  type: string,
): string[] {
  if (original === undefined || original.type === type) return [];
  return Object.entries(original.fields)
    .filter(([name, field]) => field.hidden === true && !isUpkeepField(name))
    .map(([name]) => connectionFieldLabel(original.type, name));
}

/**
 * An edit of a connection that keeps its type, as `update`'s `fields` patch: only the fields
 * that change. A saved write-only field (`hidden`) whose input was left empty is kept: it is not
 * in the patch, and so is a field the entry lacks that stays empty. An emptied field becomes
 * `{ value: null }` (missing), or, for an optional field of the type, `null` (removed). When a credential of an
 * OAuth2 type changes (any field of its catalogue entry: token URL, client id and secret, scope,
 * audience, client authentication, refresh token), the patch also removes the access token,
 * its times and the last token error: the next run fetches a token with the new credentials.
 * Nothing changed gives `{}`.
 * @example
 * connectionEditPatch(original, specs, { client_secret: 'new' }, {});
 * // { client_secret: { value: 'new', secret: true, writeOnly: true }, access_token: null, ... }
 */
export function connectionEditPatch(
  original: ConnectionValue,
  specs: readonly ConnectionFieldSpec[],
  texts: Readonly<Record<string, string>>,
  writeOnly?: WriteOnlyChoices,
): ConnectionFieldsPatch {
  const patch: ConnectionFieldsPatch = {};
  for (const spec of specs) {
    if (isUpkeepField(spec.name)) continue;
    const stored = original.fields[spec.name];
    const empty = (texts[spec.name] ?? '') === '';
    // A saved write-only value left empty is kept; a field the entry lacks, left empty, is as
    // empty as it was (saving it would also look like a credential change).
    if (empty && (stored === undefined || stored.hidden === true)) continue;
    if (empty && optionalInCatalogue(original.type, spec.name)) {
      // An emptied optional field is removed, not kept as "missing" (see connectionValueFromForm).
      if (stored !== undefined && stored.value !== null) patch[spec.name] = null;
      continue;
    }
    const next = fieldFromForm(spec, texts, writeOnly);
    const same =
      stored !== undefined &&
      stored.hidden !== true &&
      stored.value === next.value &&
      stored.secret === next.secret &&
      (stored.writeOnly === true) === (next.writeOnly === true);
    if (!same) patch[spec.name] = next;
  }
  return withStaleTokenDropped(original.type, patch);
}
