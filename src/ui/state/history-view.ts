import { createSignal, onCleanup } from 'solid-js';
import { useServices } from './context';
import { vaultHistory } from './entry-history';
import type { OpenVault } from './open-vault';

/** A version's or a deletion's time, in the reader's locale. */
export function timeText(ms: number): string {
  return new Date(ms).toLocaleString();
}

/**
 * What a history view (an entry's History, the vault's Recently deleted) needs of the open
 * vault: its history, a tick that moves on every change to the vault (so lists re-read, here
 * and when sync brings versions), and whether this device may write (restore) now. Call it
 * in a component: the change subscription ends with it.
 */
export function useVaultHistory(vault: () => OpenVault) {
  const { app } = useServices();
  const history = () => vaultHistory(app.session(), vault());
  const [tick, setTick] = createSignal(0);
  const stop = history()?.onChange(() => setTick((n) => n + 1));
  onCleanup(() => stop?.());
  const canWrite = () => !vault().writesHeld() && vault().sync?.rights().canWrite !== false;
  return { history, tick, canWrite };
}
