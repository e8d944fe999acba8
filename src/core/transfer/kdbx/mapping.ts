/**
 * How Coffer entries and KeePass entries map onto each other (docs/import-export.md, "KDBX").
 *
 * - An entry Coffer wrote carries `coffer.kind` (item, secret or connection) and `coffer.value`
 *   (the value's JSON text, a protected field): read back, it is exactly the entry it was,
 *   whatever the standard fields say. The standard fields are filled for people who open the
 *   file in KeePassXC, and ignored on the way back.
 * - Any other KeePass entry becomes a `basic-auth` connection: UserName -> `username`,
 *   Password -> `password` (secret), URL -> `url`, Notes -> `notes`, every custom string field
 *   by its own name; a protected field is secret. An empty UserName or Password is `null`
 *   ("waiting for credentials"); an empty URL or Notes is left out.
 * - Names: the group path under the root, then the title, joined with "." (vault names refuse
 *   "/", and "." is allowed by the default naming style): `Work.Email.gmail`.
 */
import type { ConnectionField, ConnectionValue, EntryInput, EntryKind } from '../../vault';

/** The custom field naming the Coffer kind of an entry Coffer wrote. */
export const COFFER_KIND_FIELD = 'coffer.kind';
/** The custom field holding the JSON text of the value of an entry Coffer wrote. */
export const COFFER_VALUE_FIELD = 'coffer.value';
/** Joins group names and the title into an entry name. */
export const GROUP_SEPARATOR = '.';
/** The connection type of a KeePass login. */
export const KEEPASS_CONNECTION_TYPE = 'basic-auth';

const standardFields: Readonly<Record<string, string>> = {
  UserName: 'username',
  Password: 'password',
  URL: 'url',
  Notes: 'notes',
};

/** One KeePass string field, as read: its text and whether KeePass protects it. */
export interface KeePassField {
  readonly text: string;
  readonly protected: boolean;
}

export function isEntryKind(text: string): text is EntryKind {
  return text === 'item' || text === 'secret' || text === 'connection';
}

/**
 * A KeePass entry (its string fields but Title) as a basic-auth connection.
 * @example
 * keePassConnection(new Map([['UserName', { text: 'me', protected: false }]]));
 */
export function keePassConnection(fields: ReadonlyMap<string, KeePassField>): ConnectionValue {
  const out: Record<string, ConnectionField> = {};
  const get = (name: string) => fields.get(name);
  const username = get('UserName');
  const password = get('Password');
  out.username = {
    value: username?.text ? username.text : null,
    secret: username?.protected ?? false,
  };
  out.password = { value: password?.text ? password.text : null, secret: true };
  for (const name of ['URL', 'Notes'] as const) {
    const field = get(name);
    if (field?.text) out[standardFields[name]!] = { value: field.text, secret: field.protected };
  }
  for (const [name, field] of fields) {
    if (name === 'Title' || name in standardFields) continue;
    // A custom field may share a name with a standard one's lowercase form.
    const key = name in out ? `${name} (custom)` : name;
    out[key] = { value: field.text, secret: field.protected };
  }
  return { type: KEEPASS_CONNECTION_TYPE, fields: out };
}

/**
 * The standard KeePass fields Coffer fills when it writes an entry, for people who open the
 * file in KeePassXC: the secret or item as Password (its text, or its JSON text), a
 * connection's user, first secret and URL where it has them.
 */
export function keePassView(input: EntryInput): {
  readonly userName?: string;
  readonly password?: string;
  readonly url?: string;
} {
  if (input.kind !== 'connection') {
    return {
      password: typeof input.value === 'string' ? input.value : JSON.stringify(input.value),
    };
  }
  const fields = input.value.fields;
  const text = (name: string) => fields[name]?.value ?? undefined;
  const userName = text('username') ?? text('user') ?? text('client_id');
  const password = ['password', 'token', 'key', 'client_secret', 'refresh_token']
    .map(text)
    .find((value) => value !== undefined);
  const url = text('url') ?? text('token_url');
  return {
    ...(userName === undefined ? {} : { userName }),
    ...(password === undefined ? {} : { password }),
    ...(url === undefined ? {} : { url }),
  };
}
