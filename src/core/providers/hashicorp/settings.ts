import { ProviderSettingsError } from '../errors';
import type { HashicorpAuth, HashicorpSettings } from '../types';

/** A path made of non-empty segments: no leading or trailing slash, no `.`/`..`, no `//`. */
function checkPath(field: string, value: unknown, required: boolean): string | undefined {
  if (value === undefined || value === '') {
    if (required) throw new ProviderSettingsError(field, 'is required');
    return undefined;
  }
  if (typeof value !== 'string') throw new ProviderSettingsError(field, 'must be text');
  if (value.trim() !== value)
    throw new ProviderSettingsError(field, 'must not start or end with spaces');
  if (value.startsWith('/') || value.endsWith('/')) {
    throw new ProviderSettingsError(field, 'must not start or end with a slash');
  }
  for (const segment of value.split('/')) {
    if (segment === '')
      throw new ProviderSettingsError(field, 'must not contain an empty segment (//)');
    if (segment === '.' || segment === '..')
      throw new ProviderSettingsError(field, 'must not contain . or ..');
  }
  return value;
}

function checkText(field: string, value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '')
    throw new ProviderSettingsError(field, 'is required');
  return value;
}

/**
 * The address as an http(s) origin: scheme, host and optional port, nothing else. A path would
 * be silently dropped by `/v1/...` URLs (or worse, kept), credentials in a URL end up in logs.
 */
function checkAddress(value: unknown): string {
  if (typeof value !== 'string' || value === '')
    throw new ProviderSettingsError('address', 'is required');
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ProviderSettingsError('address', 'is not a URL (expected https://host:port)');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ProviderSettingsError('address', 'must start with https:// or http://');
  }
  if (url.username !== '' || url.password !== '') {
    throw new ProviderSettingsError('address', 'must not contain credentials');
  }
  if (value.endsWith('/')) throw new ProviderSettingsError('address', 'must not end with a slash');
  if (url.pathname !== '/' || url.search !== '' || url.hash !== '') {
    throw new ProviderSettingsError(
      'address',
      'must be an origin, with no path, query or fragment',
    );
  }
  // `new URL` lower-cases the host and drops a default port; the origin is what we call.
  return url.origin;
}

function checkAuth(input: unknown): HashicorpAuth {
  if (typeof input !== 'object' || input === null)
    throw new ProviderSettingsError('auth', 'is required');
  const auth = input as Record<string, unknown>;
  if (auth.method === 'token')
    return { method: 'token', token: checkText('auth.token', auth.token) };
  if (auth.method === 'approle') {
    const mount = checkPath('auth.mount', auth.mount, false);
    return {
      method: 'approle',
      roleId: checkText('auth.roleId', auth.roleId),
      secretId: checkText('auth.secretId', auth.secretId),
      ...(mount === undefined ? {} : { mount }),
    };
  }
  throw new ProviderSettingsError('auth.method', 'must be "token" or "approle"');
}

/**
 * Checks settings from a form or storage and returns a clean copy; throws
 * ProviderSettingsError naming the field (never echoing its value: it may be a token).
 * @example
 * validateHashicorpSettings({ kind: 'hashicorp', address: 'https://vault:8200', enginePath: 'secret',
 *   auth: { method: 'token', token: 'hvs.x' } });
 */
export function validateHashicorpSettings(input: unknown): HashicorpSettings {
  if (typeof input !== 'object' || input === null)
    throw new ProviderSettingsError('settings', 'must be an object');
  const raw = input as Record<string, unknown>;
  if (raw.kind !== 'hashicorp') throw new ProviderSettingsError('kind', 'must be "hashicorp"');
  const address = checkAddress(raw.address);
  const namespace = checkPath('namespace', raw.namespace, false);
  const enginePath = checkPath('enginePath', raw.enginePath, true) as string;
  const auth = checkAuth(raw.auth);
  return {
    kind: 'hashicorp',
    address,
    ...(namespace === undefined ? {} : { namespace }),
    enginePath,
    auth,
  };
}
