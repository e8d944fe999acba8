import type { DeviceIdentity } from '../device';
import { type SyncStatus, type TransportFactory, VaultSync } from '../sync';
import type { Scheduler } from '../time';
import type { Vault } from '../vault';

/**
 * Sync for the time a run coordinates a token refresh with other devices. The app syncs a
 * vault only while it is on screen, and a run in the Integrations area opens the vault
 * itself: without this, a refresh lease written by the run would reach nobody in time.
 *
 * `start` connects to the vault's room like the vault pane does; `waitForPeers` resolves true
 * once another device is connected, false when the relay shows nobody else in the room for
 * `ALONE_AFTER_MS` (nobody to coordinate with), or after `ms` at most (someone is there but
 * the connection does not open: two devices joining at once can take 8 to 16 s, see
 * webrtc-transport.ts);
 * `stop` leaves the room. Used only for refresh-token connections in vaults with other
 * devices; a vault the tab already has on screen is synced by its pane and not started here.
 */
/**
 * How long the room must look empty, once the relay is reached, to count as nobody there. A
 * device that was in the room first shows up here only when its offer arrives (y-webrtc
 * answers our announcement with an offer), which takes seconds on a busy machine.
 */
export const ALONE_AFTER_MS = 6_000;
/** How long after a connection opens before the devices have swapped what they hold. */
export const FRESH_CONNECTION_MS = 2_000;

export interface RunSync {
  /** True once another device is connected; false if none came within `ms`. */
  waitForPeers(ms: number): Promise<boolean>;
  /**
   * After new tokens are written: stays while another device is in the room, until it is
   * connected and has had `settleMs` to receive them; at most `ms`. Resolves at once when the
   * room is empty. A device that joined while this one refreshed would otherwise wait for
   * tokens that leave with this device, then spend the old refresh token.
   */
  linger(settleMs: number, ms: number): Promise<void>;
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
      new Promise<boolean>((resolve) => {
        let aloneSince: number | undefined;
        const settle = (status: SyncStatus): boolean | undefined => {
          if (status.peers > 0) return true;
          // Reached the relay and nobody else in the room for a while: nobody is there.
          const someone = (status.knownPeers ?? 1) > 0;
          if (status.state !== 'online' || someone) {
            aloneSince = undefined;
            return undefined;
          }
          aloneSince ??= deps.scheduler.now();
          return deps.scheduler.now() - aloneSince >= ALONE_AFTER_MS ? false : undefined;
        };
        let finished = false;
        const done = (met: boolean) => {
          if (finished) return;
          finished = true;
          stopListening();
          cancelTimer();
          stopPolling();
          // A connection that just opened first swaps what each side has: a lease written
          // before that is done could miss the settle time on the other side.
          if (met && connectedNow) deps.scheduler.after(FRESH_CONNECTION_MS, () => resolve(true));
          else resolve(met);
        };
        let connectedNow = false;
        const check = () => {
          const met = settle(sync.status());
          if (met !== undefined) done(met);
        };
        const initially = settle(sync.status());
        if (initially === undefined) connectedNow = true;
        const stopListening = sync.onStatus(check);
        const cancelTimer = deps.scheduler.after(ms, () => done(false));
        // Time passing alone changes the answer: look again now and then.
        const stopPolling = deps.scheduler.every(250, check);
        check();
      }),
    linger: (settleMs, ms) =>
      new Promise<void>((resolve) => {
        let connectedSince: number | undefined;
        const check = () => {
          const status = sync.status();
          const known = status.knownPeers ?? status.peers;
          if (known === 0) return finish();
          if (status.peers < known) {
            connectedSince = undefined;
            return;
          }
          connectedSince ??= deps.scheduler.now();
          if (deps.scheduler.now() - connectedSince >= settleMs) finish();
        };
        const finish = () => {
          stopPolling();
          cancelTimer();
          resolve();
        };
        const stopPolling = deps.scheduler.every(250, check);
        const cancelTimer = deps.scheduler.after(ms, finish);
        check();
      }),
    stop: () => sync.stop(),
  };
}
