/**
 * Provider settings: which one applies to a vault (its override, else the profile's default),
 * the shape check for settings read back from storage, and the check before saving them.
 *
 * Two checks, two owners: `parseProviderSettings` is structural (the record Coffer itself
 * wrote has the fields and types of ProviderSettings, else ProviderLinkError naming the field);
 * `checkProviderSettings` is semantic and belongs to each client (`validateHashicorpSettings`,
 * `validateAwsSettings`: an origin without a path, a known region, ...), which throw
 * ProviderSettingsError naming the field.
 */
import { validateAwsSettings } from './aws';
import { validateHashicorpSettings } from './hashicorp';
import { ProviderLinkError } from './sync/errors';
import type { AwsSettings, HashicorpAuth, HashicorpSettings, ProviderSettings } from './types';

/** The settings a vault uses, and whether they are the profile's defaults. */
export interface EffectiveSettings {
  readonly settings: ProviderSettings | undefined;
  readonly usesDefaults: boolean;
}

/**
 * The override wins; without one, the defaults apply (`usesDefaults` true when there are some).
 * @example
 * effectiveSettings(defaults, undefined); // { settings: defaults, usesDefaults: true }
 */
export function effectiveSettings(
  defaults: ProviderSettings | undefined,
  override: ProviderSettings | undefined,
): EffectiveSettings {
  if (override) return { settings: override, usesDefaults: false };
  return { settings: defaults, usesDefaults: defaults !== undefined };
}

/**
 * Checks settings with their client's own rules before they are saved. Rejects with the
 * client's ProviderSettingsError (field and problem, never the value).
 */
export function checkProviderSettings(settings: ProviderSettings): ProviderSettings {
  // The clients may normalise (trim an address, drop a trailing slash): keep what they return.
  const checked: unknown =
    settings.kind === 'hashicorp'
      ? validateHashicorpSettings(settings)
      : settings.kind === 'aws'
        ? validateAwsSettings(settings)
        : invalid('kind', 'is neither "hashicorp" nor "aws"');
  return (typeof checked === 'object' && checked !== null ? checked : settings) as ProviderSettings;
}

function invalid(field: string, problem: string): never {
  throw new ProviderLinkError('invalid-record', { field }, `provider record: ${field} ${problem}`);
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function text(source: Record<string, unknown>, key: string, at: string): string {
  const value = source[key];
  if (typeof value !== 'string') invalid(`${at}.${key}`, 'is not text');
  return value;
}

function optionalText(source: Record<string, unknown>, key: string, at: string) {
  return source[key] === undefined ? undefined : text(source, key, at);
}

/** A copy with only the fields that are given (no `key: undefined` under exactOptionalPropertyTypes). */
function defined<T>(value: Record<string, unknown>): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

function parseAuth(value: unknown, at: string): HashicorpAuth {
  if (!isObject(value)) invalid(at, 'is not an object');
  if (value.method === 'token') return { method: 'token', token: text(value, 'token', at) };
  if (value.method === 'approle') {
    return defined<HashicorpAuth>({
      method: 'approle',
      roleId: text(value, 'roleId', at),
      secretId: text(value, 'secretId', at),
      mount: optionalText(value, 'mount', at),
    });
  }
  return invalid(`${at}.method`, 'is neither "token" nor "approle"');
}

/**
 * The settings in a stored record, checked for shape: a copy holding only the known fields.
 * Throws ProviderLinkError('invalid-record') naming the first wrong field (`at` prefixes it).
 */
export function parseProviderSettings(value: unknown, at = 'settings'): ProviderSettings {
  if (!isObject(value)) return invalid(at, 'is not an object');
  if (value.kind === 'hashicorp') {
    const settings = defined<HashicorpSettings>({
      kind: 'hashicorp',
      address: text(value, 'address', at),
      namespace: optionalText(value, 'namespace', at),
      enginePath: text(value, 'enginePath', at),
      auth: parseAuth(value.auth, `${at}.auth`),
    });
    return settings;
  }
  if (value.kind === 'aws') {
    const settings = defined<AwsSettings>({
      kind: 'aws',
      region: text(value, 'region', at),
      endpoint: optionalText(value, 'endpoint', at),
      accessKeyId: text(value, 'accessKeyId', at),
      secretAccessKey: text(value, 'secretAccessKey', at),
      sessionToken: optionalText(value, 'sessionToken', at),
    });
    return settings;
  }
  return invalid(`${at}.kind`, 'is neither "hashicorp" nor "aws"');
}
