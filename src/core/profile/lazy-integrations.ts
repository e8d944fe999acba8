import type { Integrations, IntegrationsApi, IntegrationsDeps } from '../integrations';
import { systemScheduler } from '../time';

/**
 * `session.integrations`, loaded on first use: the integrations code (references, masking, the
 * hook runner, sending) is not part of the first screen's bundle; the first call imports it.
 * Every method keeps its contract (async ones reject, never throw); `prepareHooks` starts the
 * import and the engine and returns at once.
 */
export interface LazyIntegrations extends IntegrationsApi {
  /** Stops the hook engine, if it was started (the profile locked). */
  dispose(): void;
}

/** `deps` as IntegrationsDeps, its scheduler the platform's (the system's by default). */
export function lazyIntegrations(given: Omit<IntegrationsDeps, 'scheduler'>): LazyIntegrations {
  const deps: IntegrationsDeps = {
    ...given,
    scheduler: given.platform.scheduler ?? systemScheduler,
  };
  let loading: Promise<Integrations> | undefined;
  let loaded: Integrations | undefined;
  const load = () => {
    loading ??= import('../integrations').then((module) => {
      loaded = new module.Integrations(deps);
      return loaded;
    });
    return loading;
  };
  return {
    list: () => load().then((api) => api.list()),
    get: (id) => load().then((api) => api.get(id)),
    create: (name) => load().then((api) => api.create(name)),
    save: (id, draft) => load().then((api) => api.save(id, draft)),
    rename: (id, name) => load().then((api) => api.rename(id, name)),
    duplicate: (id) => load().then((api) => api.duplicate(id)),
    delete: (id) => load().then((api) => api.delete(id)),
    grants: () => load().then((api) => api.grants()),
    setGrant: (grant) => load().then((api) => api.setGrant(grant)),
    removeGrant: (integration, vault) => load().then((api) => api.removeGrant(integration, vault)),
    check: (integration) => load().then((api) => api.check(integration)),
    connections: (integration) => load().then((api) => api.connections(integration)),
    createConnection: (vault, name, value) =>
      load().then((api) => api.createConnection(vault, name, value)),
    updateConnection: (vault, name, fields) =>
      load().then((api) => api.updateConnection(vault, name, fields)),
    referenceNames: (integration) => load().then((api) => api.referenceNames(integration)),
    prepareHooks: () => {
      void load().then(
        (api) => api.prepareHooks(),
        () => undefined,
      );
    },
    run: (id, options) => load().then((api) => api.run(id, options)),
    runs: (id) => load().then((api) => api.runs(id)),
    clearRuns: (id) => load().then((api) => api.clearRuns(id)),
    dispose: () => loaded?.dispose(),
  };
}
