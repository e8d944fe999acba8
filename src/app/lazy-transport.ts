/**
 * A TransportFactory whose real factory (y-webrtc, the mailbox relay and their combination:
 * transports.ts) is loaded when the first room is joined, so that the first screen, which joins
 * no room, does not download it.
 *
 * Contract (the Transport contract of src/core/sync/transport.ts, seen from outside):
 * - `factory(room)` returns at once. Until the real transport exists its status is
 *   `loadingStatus()` (connecting, or offline when the browser is), with no peers; then every
 *   status is the real one's, and listeners hear the real transport's first status and changes.
 * - `destroy()` before the code has loaded means the real transport is never made; after,
 *   it is destroyed. Either way, once `destroy()` resolves the status is offline, listeners
 *   hear nothing more, and the room can be joined again.
 * - If the code fails to load (offline before the service worker cached it), the room stays
 *   offline and says nothing more; the next join tries the load again.
 */
import { createListeners } from '../core/listeners';
import type { RoomOptions, Transport, TransportFactory, TransportStatus } from '../core/sync';

const offline: TransportStatus = { state: 'offline', peers: 0, peerDevices: [] };

export function lazyTransport(
  load: () => Promise<TransportFactory>,
  loadingStatus: () => TransportStatus,
): TransportFactory {
  let loading: Promise<TransportFactory> | undefined;
  const factory = () => {
    loading ??= load().catch((error: unknown) => {
      loading = undefined;
      throw error;
    });
    return loading;
  };
  return (room) => deferredTransport(factory(), room, loadingStatus());
}

function deferredTransport(
  factory: Promise<TransportFactory>,
  room: RoomOptions,
  initial: TransportStatus,
): Transport {
  const listeners = createListeners<TransportStatus>('transport status');
  let real: Transport | undefined;
  let failed = false;
  let destroyed = false;
  let stop: (() => void) | undefined;
  const ready = factory.then(
    (make) => {
      if (destroyed) return;
      real = make(room);
      stop = real.onStatus((status) => listeners.emit(status));
      listeners.emit(real.status());
    },
    (error: unknown) => {
      if (destroyed) return;
      failed = true;
      console.warn('coffer: the sync code did not load; this room stays offline', error);
      listeners.emit(offline);
    },
  );
  return {
    status: () => real?.status() ?? (destroyed || failed ? offline : initial),
    onStatus: (listener) => listeners.add(listener),
    async destroy() {
      if (destroyed) return;
      destroyed = true;
      listeners.clear();
      await ready;
      stop?.();
      await real?.destroy();
    },
  };
}
