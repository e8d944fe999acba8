/**
 * The session's lazily loaded services, built over its parts (session-parts.ts):
 * `session.integrations` (lazy-integrations.ts) and `session.providers` (lazy-providers.ts).
 * Each is made on first use and kept by the session until `lock()` disposes of it.
 */
import type { IntegrationsDeps } from '../integrations';
import type { ProviderSyncDeps } from '../providers';
import { systemScheduler } from '../time';
import { type LazyIntegrations, lazyIntegrations } from './lazy-integrations';
import { type LazyProviders, lazyProviders } from './lazy-providers';
import type { SessionParts } from './session-parts';

/** The integrations of the profile (src/core/integrations); `vaults` is the Session. */
export function integrationsFor(
  parts: SessionParts,
  vaults: IntegrationsDeps['vaults'],
  device: NonNullable<IntegrationsDeps['device']>,
): LazyIntegrations {
  const { db, integrations: platform = {} } = parts.options;
  return lazyIntegrations({ db, profileKey: parts.profileKey, vaults, platform, device });
}

/**
 * The vault links to HashiCorp Vault and AWS Secrets Manager (src/core/providers); the clients
 * use the integrations platform's fetch, page origin and scheduler. `vaults` is the Session.
 */
export function providersFor(
  parts: SessionParts,
  vaults: ProviderSyncDeps['vaults'],
  storageMode: NonNullable<ProviderSyncDeps['storageMode']>,
): LazyProviders {
  const { db, integrations: platform = {} } = parts.options;
  return lazyProviders({
    db,
    profileKey: parts.profileKey,
    vaults,
    scheduler: platform.scheduler ?? systemScheduler,
    clients: {
      ...(platform.fetch ? { fetch: platform.fetch } : {}),
      ...(platform.pageOrigin ? { origin: platform.pageOrigin } : {}),
      now: parts.clock,
    },
    storageMode,
  });
}
