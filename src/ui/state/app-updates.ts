import { useRegisterSW } from 'virtual:pwa-register/solid';
import type { Accessor } from 'solid-js';

/** What the UI needs to know about the service worker and new versions of the app. */
export interface AppUpdates {
  /** True once the app is cached and will load without a network. */
  readonly offlineReady: Accessor<boolean>;
  /** True when a new version is installed and waiting for the user to reload. */
  readonly updateAvailable: Accessor<boolean>;
  /** Activates the waiting version and reloads every tab onto it. */
  applyUpdate(): Promise<void>;
  dismiss(): void;
}

/** Registers the service worker (the app works offline from the first load on). */
export function createAppUpdates(): AppUpdates {
  const {
    offlineReady: [offlineReady, setOfflineReady],
    needRefresh: [needRefresh, setNeedRefresh],
    updateServiceWorker,
  } = useRegisterSW({ immediate: true });
  return {
    offlineReady,
    updateAvailable: needRefresh,
    applyUpdate: () => updateServiceWorker(true),
    dismiss() {
      setOfflineReady(false);
      setNeedRefresh(false);
    },
  };
}
