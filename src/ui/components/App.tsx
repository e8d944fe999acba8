import { Show } from 'solid-js';
import type { AppUpdates } from '../state/app-updates';
import { UpdatePrompt } from './UpdatePrompt';

/** The application shell. */
export function App(props: { updates: AppUpdates }) {
  return (
    <div class="app">
      <header class="app-header">
        <img src="/favicon.svg" alt="" width="28" height="28" />
        <h1>Coffer</h1>
      </header>
      <main class="app-main">
        <p>Your vaults stay encrypted in this browser.</p>
        <Show when={props.updates.offlineReady()}>
          <p class="offline-ready" role="status">
            Ready to work offline.
          </p>
        </Show>
      </main>
      <UpdatePrompt updates={props.updates} />
    </div>
  );
}
