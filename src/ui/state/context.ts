import { createContext, useContext } from 'solid-js';
import type { AppState } from './app-state';
import type { AppUpdates } from './app-updates';
import type { ClipboardService } from './clipboard';
import type { JoinState } from './join';
import type { SyncServices } from './vault-sync';

/** Everything components reach through context: state modules over core, never core itself. */
export interface AppServices {
  readonly app: AppState;
  readonly updates: AppUpdates;
  readonly clipboard: ClipboardService;
  readonly storage: StorageStatus;
  readonly sync: SyncServices;
  /** An invitation opened from the address bar, waiting for the profile to be unlocked. */
  readonly join: JoinState;
}

/** Whether the browser may evict Coffer's data (not persisted), for the eviction notice. */
export interface StorageStatus {
  readonly persisted: () => boolean | undefined;
}

export const AppContext = createContext<AppServices>();

export function useServices(): AppServices {
  const services = useContext(AppContext);
  if (!services) throw new Error('useServices() outside <AppContext.Provider>');
  return services;
}
