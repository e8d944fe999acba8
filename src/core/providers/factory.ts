/**
 * The client for a provider's settings: the HashiCorp Vault client or the AWS Secrets Manager
 * client, both behind SecretsProvider.
 */
import { randomBytes } from '../crypto';
import type { Scheduler } from '../time';
import { createAwsProvider } from './aws';
import { createHashicorpProvider } from './hashicorp';
import type { ProviderSettings, SecretsProvider } from './types';

/** What the clients need from the platform (the app passes the page's). */
export interface ProviderClientDeps {
  readonly fetch: typeof fetch;
  /** The device clock (AWS dates each signature with it). */
  readonly now: () => number;
  /** The page's origin, so an https page calling an http address is named as mixed content. */
  readonly origin?: string;
  readonly scheduler?: Scheduler;
  /** A fresh UUID per AWS write (its ClientRequestToken); random v4 by default. */
  readonly newToken?: () => string;
}

/** A random RFC 9562 version 4 UUID, from the crypto layer's random source. */
export function randomUuid(): string {
  const bytes = randomBytes(16);
  bytes[6] = ((bytes[6] as number) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] as number) & 0x3f) | 0x80;
  const hex = [...bytes].map((byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * The client for `settings`.
 * @example
 * const provider = providerFor(settings, { fetch: globalThis.fetch.bind(globalThis), now: Date.now });
 */
export function providerFor(settings: ProviderSettings, deps: ProviderClientDeps): SecretsProvider {
  const common = {
    fetch: deps.fetch,
    now: deps.now,
    ...(deps.origin === undefined ? {} : { origin: deps.origin }),
    ...(deps.scheduler === undefined ? {} : { scheduler: deps.scheduler }),
  };
  return settings.kind === 'hashicorp'
    ? createHashicorpProvider(settings, common)
    : createAwsProvider(settings, { ...common, newToken: deps.newToken ?? randomUuid });
}
