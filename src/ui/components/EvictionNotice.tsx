import { createEffect, Show } from 'solid-js';
import { useServices } from '../state/context';
import '../styles/settings.css';

/**
 * Tells the user that the browser did not promise to keep Coffer's data. Dismissing it lasts
 * (the choice is saved, sealed, with the settings) until storage persistence changes: once the
 * browser persists Coffer's storage the choice is cleared, so the notice returns if it stops.
 */
export function EvictionNotice() {
  const { app, storage } = useServices();
  createEffect(() => {
    if (storage.persisted() === true && app.settings().evictionNoticeDismissed) {
      void app.updateSettings({ evictionNoticeDismissed: false }).catch(() => undefined);
    }
  });
  return (
    <Show when={storage.persisted() === false && !app.settings().evictionNoticeDismissed}>
      <section class="notice warning eviction-notice" aria-label="Storage warning">
        <p class="settings-last">
          This browser may delete Coffer's data when space runs short (Safari after 7 days without a
          visit). Keep a synced device or a backup.
        </p>
        <button
          type="button"
          class="secondary small"
          onClick={() => void app.updateSettings({ evictionNoticeDismissed: true })}
        >
          Dismiss
        </button>
      </section>
    </Show>
  );
}
