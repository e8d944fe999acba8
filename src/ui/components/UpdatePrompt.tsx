import { Show } from 'solid-js';
import type { AppUpdates } from '../state/app-updates';

/** A quiet banner offering the new version of the app once it is ready. */
export function UpdatePrompt(props: { updates: AppUpdates }) {
  return (
    <Show when={props.updates.updateAvailable()}>
      <div class="update-prompt" role="status">
        <span>A new version of Coffer is ready.</span>
        <button type="button" onClick={() => void props.updates.applyUpdate()}>
          Reload
        </button>
        <button type="button" class="quiet" onClick={() => props.updates.dismiss()}>
          Later
        </button>
      </div>
    </Show>
  );
}
