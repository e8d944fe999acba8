import type { ConnectionValue } from '../vault';

/**
 * The connection types Coffer knows: their ids, labels and fields. Field names follow the usual
 * names of each scheme (RFC 6749 for OAuth2), so code reading a connection finds what it expects.
 * Type ids and field names are stored in vaults: never rename one, only add.
 */

/**
 * One field of a connection type, as a form shows it.
 * @example
 * const spec: ConnectionFieldSpec = { name: 'token', label: 'Token', secret: true, required: true, writeOnly: false };
 */
export interface ConnectionFieldSpec {
  /** The field's name in the stored value. */
  readonly name: string;
  /** The form label. */
  readonly label: string;
  /** Masked in the app, with Show and Copy. */
  readonly secret: boolean;
  /** The connection cannot be used while this field is empty (see `missingFields`). */
  readonly required: boolean;
  /**
   * What a form proposes by default: once saved the value can be replaced but is not shown again
   * (credentials a provider shows once and nobody needs to read back).
   */
  readonly writeOnly: boolean;
  /** The only values the field accepts, when it is a choice; the first is the default. */
  readonly choices?: readonly string[];
}

/**
 * A connection type: its id (stored as `ConnectionValue.type`), label and fields, in form order.
 * @example
 * const spec = connectionTypeSpec('basic-auth'); // { type: 'basic-auth', label: 'Basic auth', fields: [...] }
 */
export interface ConnectionTypeSpec {
  readonly type: string;
  readonly label: string;
  readonly fields: readonly ConnectionFieldSpec[];
}

/**
 * How an OAuth2 client proves who it is at the token endpoint (RFC 6749 §2.3.1): its id and
 * secret in the form body, or in an `Authorization: Basic` header.
 * @example
 * const method: TokenAuthMethod = 'client_secret_basic';
 */
export type TokenAuthMethod = 'client_secret_basic' | 'client_secret_post';

/** The accepted `auth_method` values; the first is used when the field is empty. */
export const TOKEN_AUTH_METHODS: readonly TokenAuthMethod[] = [
  'client_secret_basic',
  'client_secret_post',
];

const field = (
  name: string,
  label: string,
  options: {
    secret?: boolean;
    required?: boolean;
    writeOnly?: boolean;
    choices?: readonly string[];
  } = {},
): ConnectionFieldSpec => ({
  name,
  label,
  secret: options.secret ?? false,
  required: options.required ?? true,
  writeOnly: options.writeOnly ?? false,
  ...(options.choices ? { choices: options.choices } : {}),
});

/**
 * Every known type, in the order a form offers them.
 * @example
 * CONNECTION_TYPES.map((spec) => spec.type); // ['bearer-token', 'basic-auth', ...]
 */
export const CONNECTION_TYPES: readonly ConnectionTypeSpec[] = [
  {
    type: 'bearer-token',
    label: 'Bearer token',
    fields: [field('token', 'Token', { secret: true })],
  },
  {
    type: 'basic-auth',
    label: 'Basic auth',
    fields: [field('username', 'Username'), field('password', 'Password', { secret: true })],
  },
  {
    type: 'api-key-header',
    label: 'API key header',
    fields: [field('header', 'Header name'), field('key', 'API key', { secret: true })],
  },
  {
    type: 'api-key-query',
    label: 'API key query parameter',
    fields: [field('param', 'Parameter name'), field('key', 'API key', { secret: true })],
  },
  {
    type: 'oauth2-client-credentials',
    label: 'OAuth2 client credentials',
    fields: [
      field('token_url', 'Token URL'),
      field('client_id', 'Client ID'),
      field('client_secret', 'Client secret', { secret: true, writeOnly: true }),
      field('scope', 'Scope', { required: false }),
      field('audience', 'Audience', { required: false }),
      field('auth_method', 'Client authentication', {
        required: false,
        choices: TOKEN_AUTH_METHODS,
      }),
    ],
  },
  {
    type: 'oauth2-refresh-token',
    label: 'OAuth2 refresh token',
    fields: [
      field('token_url', 'Token URL'),
      field('client_id', 'Client ID'),
      field('client_secret', 'Client secret', { secret: true, required: false, writeOnly: true }),
      field('refresh_token', 'Refresh token', { secret: true, writeOnly: true }),
      field('auth_method', 'Client authentication', {
        required: false,
        choices: TOKEN_AUTH_METHODS,
      }),
    ],
  },
];

/**
 * The type a new connection starts with.
 * @example
 * connectionTypeSpec(DEFAULT_CONNECTION_TYPE)?.label; // 'Bearer token'
 */
export const DEFAULT_CONNECTION_TYPE = 'bearer-token';

/**
 * The known type with this id, or undefined (a type written by a newer version, or by code).
 * @example
 * connectionTypeSpec('api-key-query')?.fields.map((f) => f.name); // ['param', 'key']
 */
export function connectionTypeSpec(type: string): ConnectionTypeSpec | undefined {
  return CONNECTION_TYPES.find((spec) => spec.type === type);
}

/** A field's text, or undefined when it is absent, null, or only white space. */
export function fieldText(value: ConnectionValue, name: string): string | undefined {
  const text = value.fields[name]?.value;
  return typeof text === 'string' && text.trim() !== '' ? text : undefined;
}

/**
 * The required fields of the connection's type that are empty (absent, `null` or blank), in the
 * type's field order. An unknown type has no known requirements: `[]`.
 * @example
 * missingFields({ type: 'basic-auth', fields: { username: { value: 'app', secret: false } } }); // ['password']
 */
export function missingFields(value: ConnectionValue): string[] {
  const spec = connectionTypeSpec(value.type);
  if (!spec) return [];
  // A write-only field as `visibleEntry` gives it (`hidden`: it has a value) is filled in.
  return spec.fields
    .filter(
      (f) =>
        f.required &&
        fieldText(value, f.name) === undefined &&
        value.fields[f.name]?.hidden !== true,
    )
    .map((f) => f.name);
}

/**
 * The required fields a list entry lacks, from its summary (no value needed): those in its
 * `emptyFields`, and those absent from its `fieldNames` when the summary has them. What a list
 * marks "missing credentials". An unknown type counts every empty field.
 * @example
 * missingOfEmpty('oauth2-client-credentials', ['scope', 'client_secret']); // ['client_secret']
 */
export function missingOfEmpty(
  type: string,
  emptyFields: readonly string[],
  fieldNames?: readonly string[],
): string[] {
  const spec = connectionTypeSpec(type);
  if (!spec) return [...emptyFields];
  return spec.fields
    .filter(
      (f) =>
        f.required &&
        (emptyFields.includes(f.name) ||
          (fieldNames !== undefined && !fieldNames.includes(f.name))),
    )
    .map((f) => f.name);
}
