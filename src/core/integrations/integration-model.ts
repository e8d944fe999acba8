import { asIntegrationId, isVaultId, type VaultId } from '../ids';
import { InvalidIntegrationError } from './errors';
import {
  type BodyType,
  type HttpMethod,
  httpMethods,
  type Integration,
  type IntegrationDraft,
  type RequestAuth,
  type RequestPair,
  type RequestTemplate,
} from './types';

/**
 * The shape of an integration, checked the same way when the user saves one and when a stored
 * record is opened: a record that does not have it is reported, never half-used.
 */

export const MAX_INTEGRATION_NAME = 100;
/** Each of the URL, a pair's name or value, the body, a hook: generous, and bounded. */
export const MAX_TEXT = 256 * 1024;
export const MAX_PAIRS = 200;

const bodyTypes: readonly BodyType[] = ['none', 'json', 'text'];

export const emptyRequest: RequestTemplate = Object.freeze({
  method: 'GET' as const,
  url: '',
  query: [],
  headers: [],
  body: { type: 'none' as const, text: '' },
});

/** Trims a name and says what is wrong with it, if anything. */
export function checkIntegrationName(name: unknown): string {
  if (typeof name !== 'string') throw new InvalidIntegrationError('shape', 'the name is not text');
  const trimmed = name.normalize('NFC').trim();
  if (trimmed.length === 0) throw new InvalidIntegrationError('name-empty', 'the name is empty');
  if ([...trimmed].length > MAX_INTEGRATION_NAME) {
    throw new InvalidIntegrationError(
      'name-too-long',
      `the name has ${[...trimmed].length} characters; at most ${MAX_INTEGRATION_NAME} are allowed`,
    );
  }
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it refuses
  if (/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(trimmed)) {
    throw new InvalidIntegrationError(
      'name-control-character',
      'the name contains a control character or a line break',
    );
  }
  return trimmed;
}

export const sameIntegrationName = (a: string, b: string) =>
  a.normalize('NFC').toLocaleLowerCase() === b.normalize('NFC').toLocaleLowerCase();

function text(value: unknown, what: string): string {
  if (typeof value !== 'string') throw new InvalidIntegrationError('shape', `${what} is not text`);
  if (value.length > MAX_TEXT) {
    throw new InvalidIntegrationError(
      'too-large',
      `${what} has ${value.length} characters; at most ${MAX_TEXT} are allowed`,
    );
  }
  return value;
}

function pairs(value: unknown, what: string): RequestPair[] {
  if (!Array.isArray(value)) throw new InvalidIntegrationError('shape', `${what} is not a list`);
  if (value.length > MAX_PAIRS) {
    throw new InvalidIntegrationError(
      'too-large',
      `${what} has ${value.length} rows; at most ${MAX_PAIRS} are allowed`,
    );
  }
  return value.map((pair, index) => {
    if (typeof pair !== 'object' || pair === null) {
      throw new InvalidIntegrationError('shape', `${what} row ${index + 1} is not an object`);
    }
    const row = pair as Record<string, unknown>;
    return {
      name: text(row.name, `${what} row ${index + 1}'s name`),
      value: text(row.value, `${what} row ${index + 1}'s value`),
      enabled: row.enabled !== false,
    };
  });
}

function request(value: unknown): RequestTemplate {
  if (typeof value !== 'object' || value === null) {
    throw new InvalidIntegrationError('shape', 'the request is not an object');
  }
  const raw = value as Record<string, unknown>;
  const method = typeof raw.method === 'string' ? raw.method.toUpperCase() : raw.method;
  if (!httpMethods.includes(method as HttpMethod)) {
    throw new InvalidIntegrationError(
      'method',
      `the method must be one of ${httpMethods.join(', ')}`,
    );
  }
  const body = (raw.body ?? { type: 'none', text: '' }) as Record<string, unknown>;
  if (typeof body !== 'object' || !bodyTypes.includes(body.type as BodyType)) {
    throw new InvalidIntegrationError('shape', 'the body type must be none, json or text');
  }
  return {
    ...(raw.auth !== undefined ? { auth: requestAuth(raw.auth) } : {}),
    method: method as HttpMethod,
    url: text(raw.url, 'the URL'),
    query: pairs(raw.query ?? [], 'the query'),
    headers: pairs(raw.headers ?? [], 'the headers'),
    body: { type: body.type as BodyType, text: text(body.text ?? '', 'the body') },
  };
}

function requestAuth(value: unknown): RequestAuth {
  if (typeof value !== 'object' || value === null) {
    throw new InvalidIntegrationError('shape', 'the auth is not an object');
  }
  const raw = value as Record<string, unknown>;
  if (raw.type === 'none') return { type: 'none' };
  if (raw.type !== 'connection') {
    throw new InvalidIntegrationError('shape', 'the auth type must be none or connection');
  }
  if (!isVaultId(raw.vault)) {
    throw new InvalidIntegrationError('shape', "the auth's vault is not a vault id");
  }
  const connection = text(raw.connection, "the auth's connection name");
  if (connection.trim() === '') {
    throw new InvalidIntegrationError('shape', 'choose a connection for the auth');
  }
  return { type: 'connection', vault: raw.vault, connection };
}

function defaultVault(value: unknown): VaultId | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isVaultId(value))
    throw new InvalidIntegrationError('shape', 'the default vault is not a vault id');
  return value;
}

/** Checks a draft and returns it normalised (name trimmed, method upper case). */
export function checkDraft(draft: unknown): IntegrationDraft {
  if (typeof draft !== 'object' || draft === null) {
    throw new InvalidIntegrationError('shape', 'the integration is not an object');
  }
  const raw = draft as Record<string, unknown>;
  return {
    name: checkIntegrationName(raw.name),
    defaultVault: defaultVault(raw.defaultVault),
    request: request(raw.request),
    beforeHook: text(raw.beforeHook ?? '', 'the before hook'),
    afterHook: text(raw.afterHook ?? '', 'the after hook'),
  };
}

/** Checks a stored integration's JSON (after its record opened). */
export function integrationFromJson(json: unknown, id: string): Integration {
  const draft = checkDraft(json);
  const raw = json as Record<string, unknown>;
  if (typeof raw.createdAt !== 'number' || typeof raw.updatedAt !== 'number') {
    throw new InvalidIntegrationError('shape', 'the record has no times');
  }
  return { ...draft, id: asIntegrationId(id), createdAt: raw.createdAt, updatedAt: raw.updatedAt };
}

/** What is sealed: the integration less its id (the id is the record's key and its seal's context). */
export function integrationToJson(integration: Integration): Record<string, unknown> {
  const { id: _id, defaultVault, ...rest } = integration;
  return { ...rest, ...(defaultVault ? { defaultVault } : {}) };
}
