import { type DeviceIdentity, type TransportFactory, VaultSync } from '../sync';
import type { Scheduler } from '../time';
import type { Vault } from '../vault';

/**
 * Sync for the time a run coordinates a token refresh with other devices. The app syncs a
 * vault only while it is on screen, and a run in the Integrations area opens the vault
 * itself: without this, a refresh lease written by the run would reach nobody in time.
 *
 * `start` connects to the vault's room like the vault pane does; `waitForPeers` resolves once
 * another device is connected, or after `ms` (nobody online: nobody to coordinate with);
 * `stop` leaves the room. Used only for refresh-token connections in vaults with other
 * devices; a vault the tab already has on screen is synced by its pane and not started here.
 */
export interface RunSync {
  waitForPeers(ms: number): Promise<void>;
  stop(): Promise<void>;
}

export interface RunSyncDeps {
  readonly connect: TransportFactory;
  readonly device: () => Promise<DeviceIdentity & { readonly name: string }>;
  readonly scheduler: Scheduler;
}

export async function startRunSync(deps: RunSyncDeps, vault: Vault): Promise<RunSync> {
  const sync = await VaultSync.start({
    vault,
    device: await deps.device(),
    connect: deps.connect,
    scheduler: deps.scheduler,
    // A run is not the place to let a new device in: the vault pane answers invitations.
    answerInvites: false,
  });
  return {
    waitForPeers: (ms) =>
      new Promise<void>((resolve) => {
        if ((sync.status().peers ?? 0) > 0) return resolve();
        const done = () => {
          stopListening();
          cancel();
          resolve();
        };
        const stopListening = sync.onStatus((status) => {
          if (status.peers > 0) done();
        });
        const cancel = deps.scheduler.after(ms, done);
      }),
    stop: () => sync.stop(),
  };
}
