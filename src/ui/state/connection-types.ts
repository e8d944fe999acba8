/**
 * The connection types the entry form knows, and how a form's field texts become a stored
 * ConnectionValue. Field names follow the usual names of each scheme (RFC 6749 for OAuth2), so
 * code reading the connection finds what it expects.
 */
import type { ConnectionValue } from '../../core/vault';

export interface ConnectionFieldSpec {
  /** The field's name in the stored value. */
  readonly name: string;
  /** The form label. */
  readonly label: string;
  /** Masked in the app, with Show and Copy. */
  readonly secret: boolean;
}

export interface ConnectionTypeSpec {
  readonly type: string;
  readonly label: string;
  readonly fields: readonly ConnectionFieldSpec[];
}

export const CONNECTION_TYPES: readonly ConnectionTypeSpec[] = [
  {
    type: 'bearer-token',
    label: 'Bearer token',
    fields: [{ name: 'token', label: 'Token', secret: true }],
  },
  {
    type: 'basic-auth',
    label: 'Basic auth',
    fields: [
      { name: 'username', label: 'Username', secret: false },
      { name: 'password', label: 'Password', secret: true },
    ],
  },
  {
    type: 'api-key-header',
    label: 'API key header',
    fields: [
      { name: 'header', label: 'Header name', secret: false },
      { name: 'key', label: 'API key', secret: true },
    ],
  },
  {
    type: 'oauth2-client-credentials',
    label: 'OAuth2 client credentials',
    fields: [
      { name: 'token_url', label: 'Token URL', secret: false },
      { name: 'client_id', label: 'Client ID', secret: false },
      { name: 'client_secret', label: 'Client secret', secret: true },
      { name: 'scope', label: 'Scope', secret: false },
    ],
  },
];

export const DEFAULT_CONNECTION_TYPE = 'bearer-token';

export function connectionTypeSpec(type: string): ConnectionTypeSpec | undefined {
  return CONNECTION_TYPES.find((spec) => spec.type === type);
}

export function connectionTypeLabel(type: string): string {
  return connectionTypeSpec(type)?.label ?? type;
}

/**
 * The fields the form shows for `type`: the type's own, then, when editing an entry of that
 * type, any other field the entry has (written by code or a newer version), so saving from the
 * form never drops a credential. Unknown types show the entry's fields as they are.
 */
export function connectionFieldSpecs(
  type: string,
  original?: ConnectionValue,
): ConnectionFieldSpec[] {
  const specs = [...(connectionTypeSpec(type)?.fields ?? [])];
  if (original && original.type === type) {
    for (const [name, field] of Object.entries(original.fields)) {
      if (!specs.some((spec) => spec.name === name)) {
        specs.push({ name, label: name, secret: field.secret });
      }
    }
  }
  return specs;
}

/** The label of a stored field: the known label for its type, else its name. */
export function connectionFieldLabel(type: string, name: string): string {
  return connectionTypeSpec(type)?.fields.find((spec) => spec.name === name)?.label ?? name;
}

/** The stored value: empty texts become `null`, which marks the entry "missing credentials". */
export function connectionValueFromForm(
  type: string,
  specs: readonly ConnectionFieldSpec[],
  texts: Readonly<Record<string, string>>,
): ConnectionValue {
  const fields: Record<string, { value: string | null; secret: boolean }> = {};
  for (const spec of specs) {
    const text = texts[spec.name] ?? '';
    fields[spec.name] = { value: text === '' ? null : text, secret: spec.secret };
  }
  return { type, fields };
}
