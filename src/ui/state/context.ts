import { createContext, useContext } from 'solid-js';
import type { AppState } from './app-state';
import type { AppUpdates } from './app-updates';
import type { ClipboardService } from './clipboard';

/** Everything components reach through context: state modules over core, never core itself. */
export interface AppServices {
  readonly app: AppState;
  readonly updates: AppUpdates;
  readonly clipboard: ClipboardService;
  readonly storage: StorageStatus;
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
