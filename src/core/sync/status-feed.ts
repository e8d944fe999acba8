import { createListeners } from '../listeners';
import type { TransportStatus } from './transport';

/**
 * A transport's status listeners, told only when the status really changed (compared by value):
 * the parts under a transport report often and alike, and the sync bar should redraw only on a
 * change. `emit` does nothing once `stopped()` says the transport is gone.
 */
export function statusFeed(label: string, status: () => TransportStatus, stopped: () => boolean) {
  const listeners = createListeners<TransportStatus>(label);
  let last = '';
  return {
    onStatus: (listener: (status: TransportStatus) => void) => listeners.add(listener),
    emit(): void {
      if (stopped()) return;
      const next = status();
      const key = JSON.stringify(next);
      if (key === last) return;
      last = key;
      listeners.emit(next);
    },
    clear: () => listeners.clear(),
  };
}
