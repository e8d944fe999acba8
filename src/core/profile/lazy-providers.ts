import type { ProviderSync, ProviderSyncDeps } from '../providers';

/**
 * `session.providers`, loaded on first use: the provider clients and the sync engine are not
 * part of the first screen's bundle; the first call imports them. Every method keeps its
 * contract (async ones reject, never throw). `watch` returns its stop function at once and
 * starts watching when the engine has loaded; `defaultPath` needs no engine.
 */
export type ProvidersApi = Pick<
  ProviderSync,
  | 'defaults'
  | 'saveDefaults'
  | 'vaultSettings'
  | 'saveOverride'
  | 'testConnection'
  | 'defaultPath'
  | 'linkOf'
  | 'forget'
  | 'link'
  | 'linkWith'
  | 'unlink'
  | 'setOptions'
  | 'setMemoryOnly'
  | 'pull'
  | 'push'
  | 'resolve'
  | 'deleteRemote'
  | 'destroyRemote'
  | 'restoreRemote'
  | 'migrate'
  | 'resumeMigration'
  | 'undoMigration'
  | 'pullAll'
  | 'autoSyncOnUnlock'
  | 'watch'
>;

export interface LazyProviders extends ProvidersApi {
  /** Stops watchers and drops the clients (and their tokens): the profile locked. */
  dispose(): void;
}

/**
 * The slug `defaultPath` makes of a vault name, kept here so the first screen can suggest a
 * path without loading the engine (tests/unit/providers/settings.test.ts checks it matches).
 */
function slug(vaultName: string): string {
  return vaultName
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9_/-]/g, '-')
    .replace(/\/+/g, '/')
    .replace(/^[-/]+|[-/]+$/g, '');
}

export function lazyProviders(deps: ProviderSyncDeps): LazyProviders {
  let loading: Promise<ProviderSync> | undefined;
  let loaded: ProviderSync | undefined;
  let disposed = false;
  const load = () => {
    loading ??= import('../providers').then((module) => {
      loaded = new module.ProviderSync(deps);
      if (disposed) loaded.dispose();
      return loaded;
    });
    return loading;
  };
  return {
    defaults: () => load().then((api) => api.defaults()),
    saveDefaults: (settings) => load().then((api) => api.saveDefaults(settings)),
    vaultSettings: (vaultId) => load().then((api) => api.vaultSettings(vaultId)),
    saveOverride: (vaultId, settings) => load().then((api) => api.saveOverride(vaultId, settings)),
    testConnection: (settings, signal) =>
      load().then((api) => api.testConnection(settings, signal)),
    defaultPath: slug,
    linkOf: (vaultId) => load().then((api) => api.linkOf(vaultId)),
    forget: (vaultId) => load().then((api) => api.forget(vaultId)),
    link: (vault, path, options, sync) =>
      load().then((api) => api.link(vault, path, options, sync)),
    linkWith: (vault, path, choice, options, sync) =>
      load().then((api) => api.linkWith(vault, path, choice, options, sync)),
    unlink: (vault, options) => load().then((api) => api.unlink(vault, options)),
    setOptions: (vaultId, options) => load().then((api) => api.setOptions(vaultId, options)),
    setMemoryOnly: (vaultId, on, options) =>
      load().then((api) => api.setMemoryOnly(vaultId, on, options)),
    pull: (vault, options) => load().then((api) => api.pull(vault, options)),
    push: (vault, options) => load().then((api) => api.push(vault, options)),
    resolve: (vault, choices, options) =>
      load().then((api) => api.resolve(vault, choices, options)),
    deleteRemote: (vault, signal) => load().then((api) => api.deleteRemote(vault, signal)),
    destroyRemote: (vault, confirmName, signal) =>
      load().then((api) => api.destroyRemote(vault, confirmName, signal)),
    restoreRemote: (vault, signal) => load().then((api) => api.restoreRemote(vault, signal)),
    migrate: (vault, newPath, signal) => load().then((api) => api.migrate(vault, newPath, signal)),
    resumeMigration: (vault, signal) => load().then((api) => api.resumeMigration(vault, signal)),
    undoMigration: (vault, signal) => load().then((api) => api.undoMigration(vault, signal)),
    pullAll: (options) => load().then((api) => api.pullAll(options)),
    autoSyncOnUnlock: (options) => load().then((api) => api.autoSyncOnUnlock(options)),
    watch: (vault, onOutcome, options) => {
      let stop: (() => void) | undefined;
      let stopped = false;
      void load().then(
        (api) => {
          if (!stopped) stop = api.watch(vault, onOutcome, options);
        },
        (error: unknown) => {
          if (!stopped) onOutcome({ error });
        },
      );
      return () => {
        stopped = true;
        stop?.();
      };
    },
    dispose: () => {
      disposed = true;
      loaded?.dispose();
    },
  };
}
