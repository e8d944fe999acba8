/**
 * One Bitwarden item as a Coffer entry input. Bitwarden's item types: 1 login, 2 secure note,
 * 3 card, 4 identity, 5 SSH key; custom field types: 0 text, 1 hidden, 2 boolean, 3 linked.
 * - a login is a `basic-auth` connection (username, password: the type Coffer's connections
 *   already use), with its `totp` (secret) and its URIs (`uri`, `uri-2`, ...);
 * - a card is a `card` connection (number and code secret), an identity an `identity`
 *   connection (SSN, passport and licence numbers secret), an SSH key an `ssh-key` connection
 *   (the private key secret);
 * - a secure note is an item holding its text; one with custom fields is a `secure-note`
 *   connection, so hidden fields stay masked;
 * - every connection keeps the item's notes (`notes`) and custom fields: hidden ones secret,
 *   booleans as "true"/"false"; linked fields only point at another field and are left out
 *   (with a warning), as are passkeys, which cannot be moved out of Bitwarden.
 */
import type { ConnectionField, EntryInput } from '../../vault';
import type { ImportWarning, SourcePlace } from '../types';

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A field value as text: Bitwarden writes strings; numbers and booleans are taken as written. */
function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

class Fields {
  readonly fields: Record<string, ConnectionField> = {};

  /** Adds a field unless its value is absent or empty; a taken name gets " (2)", " (3)", ... */
  add(name: string, value: unknown, secret: boolean): void {
    const shown = text(value);
    if (shown === undefined || shown === '') return;
    const base =
      Array.from(name.replace(/\p{Cc}/gu, ' ').trim())
        .slice(0, 120)
        .join('') || 'field';
    let unique = base;
    for (let copy = 2; Object.hasOwn(this.fields, unique); copy++) unique = `${base} (${copy})`;
    this.fields[unique] = { value: shown, secret };
  }
}

const cardFields: readonly [string, boolean][] = [
  ['cardholderName', false],
  ['brand', false],
  ['number', true],
  ['expMonth', false],
  ['expYear', false],
  ['code', true],
];
const identityFields: readonly [string, boolean][] = [
  ['title', false],
  ['firstName', false],
  ['middleName', false],
  ['lastName', false],
  ['username', false],
  ['company', false],
  ['email', false],
  ['phone', false],
  ['address1', false],
  ['address2', false],
  ['address3', false],
  ['city', false],
  ['state', false],
  ['postalCode', false],
  ['country', false],
  ['ssn', true],
  ['passportNumber', true],
  ['licenseNumber', true],
];
const sshFields: readonly [string, boolean][] = [
  ['privateKey', true],
  ['publicKey', false],
  ['keyFingerprint', false],
];

function copyFields(target: Fields, source: unknown, spec: readonly [string, boolean][]): void {
  if (!isObject(source)) return;
  for (const [name, secret] of spec) target.add(name, source[name], secret);
}

function addLogin(target: Fields, login: unknown, warn: (message: string) => void): void {
  if (!isObject(login)) return;
  target.add('username', login.username, false);
  target.add('password', login.password, true);
  target.add('totp', login.totp, true);
  if (Array.isArray(login.uris)) {
    login.uris.forEach((entry, index) => {
      if (isObject(entry)) target.add(index === 0 ? 'uri' : `uri-${index + 1}`, entry.uri, false);
    });
  }
  if (Array.isArray(login.fido2Credentials) && login.fido2Credentials.length > 0) {
    warn('a passkey was left out: passkeys cannot be moved out of Bitwarden');
  }
}

function addCustomFields(target: Fields, fields: unknown, warn: (message: string) => void) {
  if (!Array.isArray(fields)) return;
  for (const field of fields) {
    if (!isObject(field)) continue;
    const name = typeof field.name === 'string' ? field.name : 'field';
    if (field.type === 3) {
      warn('a linked custom field was left out (it only points at another field of the item)');
    } else if (field.type === 2) {
      target.add(name, field.value === true || field.value === 'true' ? 'true' : 'false', false);
    } else {
      target.add(name, field.value, field.type === 1);
    }
  }
}

const types: Record<number, string> = { 1: 'basic-auth', 3: 'card', 4: 'identity', 5: 'ssh-key' };

/**
 * The entry input for one item, or `undefined` for an item type Coffer does not know (with a
 * warning).
 */
export function bitwardenInput(
  item: Json,
  from: SourcePlace,
  warnings: ImportWarning[],
): EntryInput | undefined {
  const warn = (message: string) => warnings.push({ from, message });
  const notes = typeof item.notes === 'string' ? item.notes : '';
  const custom = Array.isArray(item.fields) ? item.fields : [];
  if (item.type === 2 && custom.length === 0) return { kind: 'item', value: notes };
  const type = item.type === 2 ? 'secure-note' : types[item.type as number];
  if (type === undefined) {
    warn('an item of a type Coffer does not know was left out');
    return undefined;
  }
  const fields = new Fields();
  if (item.type === 1) addLogin(fields, item.login, warn);
  if (item.type === 3) copyFields(fields, item.card, cardFields);
  if (item.type === 4) copyFields(fields, item.identity, identityFields);
  if (item.type === 5) copyFields(fields, item.sshKey, sshFields);
  fields.add('notes', notes, false);
  addCustomFields(fields, custom, warn);
  if (Array.isArray(item.attachments) && item.attachments.length > 0) {
    warn('attachments were left out: Bitwarden does not put them in its JSON export');
  }
  return { kind: 'connection', value: { type, fields: fields.fields } };
}
