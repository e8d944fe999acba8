import { createSignal, Show } from 'solid-js';
import { useServices } from '../state/context';
import '../styles/settings.css';

/**
 * Tells the user, once per unlock, that the browser did not promise to keep Coffer's data.
 * Dismissal lives in memory only: nothing about the profile is kept readable at rest.
 */
export function EvictionNotice() {
  const { storage } = useServices();
  const [dismissed, setDismissed] = createSignal(false);
  return (
    <Show when={storage.persisted() === false && !dismissed()}>
      <section class="notice warning eviction-notice" aria-label="Storage warning">
        <p class="settings-last">
          This browser may delete Coffer's data when space runs short (Safari after 7 days without a
          visit). Keep a synced device or a backup.
        </p>
        <button type="button" class="secondary small" onClick={() => setDismissed(true)}>
          Dismiss
        </button>
      </section>
    </Show>
  );
}
