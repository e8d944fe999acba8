/**
 * Checks what `set` was given, completely, before the document is touched: the kind, the value
 * (JSON and size) and the kind-specific shape. The result is a normalized copy, ready to write.
 * Errors describe what arrived by its type, never by its content.
 */
import { type ConnectionField, ENTRY_KINDS, type EntryKind } from './entry-types';
import { InvalidEntryError } from './errors';
import { checkJsonValue, measureJson } from './json-size';
import { describeType } from './model-describe';

/**
 * A connection type: 1 to 64 characters of `a–z 0–9 -`. Later issues define the known types;
 * until then any such string is accepted.
 * @example
 * CONNECTION_TYPE_PATTERN.test('oauth2-client-credentials'); // true
 */
export const CONNECTION_TYPE_PATTERN = /^[a-z0-9-]{1,64}$/;

/**
 * Longest connection field name, in characters.
 * @example
 * 'password'.length <= MAX_FIELD_NAME_LENGTH; // true
 */
export const MAX_FIELD_NAME_LENGTH = 128;

/**
 * A validated entry, as entry-doc.ts writes it. Item and secret values are kept as their
 * canonical JSON text; connection fields sorted by name.
 * @example
 * const prepared = prepareEntryInput('API_KEY', { kind: 'secret', value: 'sk-…' });
 * // { kind: 'secret', text: '"sk-…"', writeOnly: undefined }
 */
export type PreparedEntry =
  | { readonly kind: 'item'; readonly text: string }
  | { readonly kind: 'secret'; readonly text: string; readonly writeOnly: boolean | undefined }
  | {
      readonly kind: 'connection';
      readonly type: string;
      readonly fields: ReadonlyMap<string, ConnectionField>;
    };

const isPlainObject = (value: unknown): value is Record<string, unknown> => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
};

/** Reads own data properties only: a getter on an argument must not run (nor be trusted). */
function ownValue(object: Record<string, unknown>, key: string): unknown {
  const descriptor = Object.getOwnPropertyDescriptor(object, key);
  return descriptor && 'value' in descriptor ? descriptor.value : undefined;
}

const hasUnpairedSurrogate = (text: string) => /\p{Cs}/u.test(text);

/** `value.fields.password` or `value.fields["api key"]`, for InvalidEntryError.field. */
const fieldPath = (fieldName: string) =>
  /^[A-Za-z_$][A-Za-z0-9_$]{0,63}$/.test(fieldName)
    ? `value.fields.${fieldName}`
    : `value.fields[${JSON.stringify(Array.from(fieldName).slice(0, 64).join(''))}]`;

/**
 * Validates `set`'s input for the entry `entryName`. Throws InvalidEntryError (wrong shape),
 * InvalidJsonError (an item's or secret's value is not plain JSON) or ValueTooLargeError.
 * @example
 * prepareEntryInput('db', { kind: 'connection', value: { type: 'basic-auth', fields: {} } });
 */
export function prepareEntryInput(entryName: string, input: unknown): PreparedEntry {
  const invalid = (field: string, expected: string, received: string) =>
    new InvalidEntryError(entryName, field, expected, received);
  if (!isPlainObject(input)) {
    throw invalid('the input', 'an object { kind, value }', describeType(input));
  }
  for (const key of Object.keys(input)) {
    if (key !== 'kind' && key !== 'value' && key !== 'writeOnly') {
      throw invalid(
        `the input's ${JSON.stringify(key.slice(0, 32))}`,
        'absent (an entry input has only kind, value and writeOnly)',
        'a property',
      );
    }
  }
  const kind = ownValue(input, 'kind');
  if (!ENTRY_KINDS.includes(kind as EntryKind)) {
    throw invalid(
      'kind',
      "'item', 'secret' or 'connection'",
      typeof kind === 'string' && kind.length <= 32 ? JSON.stringify(kind) : describeType(kind),
    );
  }
  const writeOnly = ownValue(input, 'writeOnly');
  if (writeOnly !== undefined && typeof writeOnly !== 'boolean') {
    throw invalid('writeOnly', 'true, false or absent', describeType(writeOnly));
  }
  if (writeOnly === true && kind !== 'secret') {
    throw invalid(
      'writeOnly',
      `false or absent for ${kind === 'item' ? 'an item' : 'a connection'} (only secrets can be write-only)`,
      'true',
    );
  }
  const value = ownValue(input, 'value');
  switch (kind as EntryKind) {
    case 'item':
      return { kind: 'item', text: checkJsonValue(value, { entryName }).text };
    case 'secret':
      return { kind: 'secret', text: checkJsonValue(value, { entryName }).text, writeOnly };
    case 'connection':
      return prepareConnection(entryName, value, invalid);
  }
}

function prepareConnection(
  entryName: string,
  value: unknown,
  invalid: (field: string, expected: string, received: string) => InvalidEntryError,
): PreparedEntry {
  if (!isPlainObject(value)) {
    throw invalid('value', 'a connection { type, fields }', describeType(value));
  }
  for (const key of Object.keys(value)) {
    if (key !== 'type' && key !== 'fields') {
      throw invalid(
        `value.${JSON.stringify(key.slice(0, 32))}`,
        'absent (a connection has only type and fields)',
        'a property',
      );
    }
  }
  const type = ownValue(value, 'type');
  if (typeof type !== 'string' || !CONNECTION_TYPE_PATTERN.test(type)) {
    throw invalid(
      'value.type',
      'a connection type: 1 to 64 lowercase letters, digits and "-"',
      typeof type !== 'string'
        ? describeType(type)
        : type.length === 0 || type.length > 64
          ? `a string of ${type.length} characters`
          : 'a string with other characters (uppercase letters, spaces, ...)',
    );
  }
  const fields = ownValue(value, 'fields');
  if (!isPlainObject(fields)) {
    throw invalid(
      'value.fields',
      'an object of fields { value, secret } by name',
      describeType(fields),
    );
  }
  const prepared = new Map<string, ConnectionField>();
  for (const fieldName of Object.keys(fields).sort()) {
    const path = fieldPath(fieldName);
    const length = Array.from(fieldName).length;
    if (length === 0 || length > MAX_FIELD_NAME_LENGTH) {
      throw invalid(
        path,
        `a field name of 1 to ${MAX_FIELD_NAME_LENGTH} characters`,
        `${length} characters`,
      );
    }
    if (/\p{Cc}/u.test(fieldName) || hasUnpairedSurrogate(fieldName)) {
      throw invalid(
        path,
        'a field name without control characters or unpaired surrogates',
        'a name with one',
      );
    }
    const field = ownValue(fields, fieldName);
    if (!isPlainObject(field)) {
      throw invalid(path, 'a field { value, secret }', describeType(field));
    }
    for (const key of Object.keys(field)) {
      if (key !== 'value' && key !== 'secret' && key !== 'writeOnly') {
        throw invalid(
          `${path}.${JSON.stringify(key.slice(0, 32))}`,
          'absent (a field has only value, secret and writeOnly)',
          'a property',
        );
      }
    }
    const fieldValue = ownValue(field, 'value');
    if (fieldValue !== null && typeof fieldValue !== 'string') {
      throw invalid(
        `${path}.value`,
        'a string, or null while waiting for credentials',
        describeType(fieldValue),
      );
    }
    if (typeof fieldValue === 'string' && hasUnpairedSurrogate(fieldValue)) {
      // Yjs stores strings as UTF-8; an unpaired surrogate would come back as U+FFFD.
      throw invalid(`${path}.value`, 'well-formed text', 'a string with an unpaired surrogate');
    }
    const secret = ownValue(field, 'secret');
    if (typeof secret !== 'boolean') {
      throw invalid(`${path}.secret`, 'true or false', describeType(secret));
    }
    const writeOnly = ownValue(field, 'writeOnly');
    if (writeOnly !== undefined && typeof writeOnly !== 'boolean') {
      throw invalid(`${path}.writeOnly`, 'true, false or absent', describeType(writeOnly));
    }
    if (writeOnly === true && !secret) {
      throw invalid(`${path}.writeOnly`, 'false or absent on a field that is not secret', 'true');
    }
    prepared.set(
      fieldName,
      writeOnly === true ? { value: fieldValue, secret, writeOnly } : { value: fieldValue, secret },
    );
  }
  measureJson(
    {
      type,
      fields: Object.fromEntries([...prepared].map(([name, field]) => [name, { ...field }])),
    },
    { entryName },
  );
  return { kind: 'connection', type, fields: prepared };
}
