import { createSignal, createUniqueId, For, Match, Show, Switch } from 'solid-js';
import type { ProviderSettings } from '../../core/providers';
import { useServices } from '../state/context';
import { explainProviderError } from '../state/provider-errors';
import {
  createProviderPullAll,
  progressText,
  providersOf,
  pullAllRecorder,
  pullAllSummary,
} from '../state/provider-settings';
import { vaultsFor } from '../state/vaults';
import { useWorkspace } from '../state/workspace';
import { ProviderErrorDetails } from './ProviderErrorDetails';

/**
 * Pull All: a vault for every remote secret that has none yet, from the profile default. With
 * "Keep values in memory only" the new vaults keep names and sync details on this device, and
 * fetch the values at each unlock. A progress bar ("12 of 100") and Cancel while it runs; then
 * what was created, what was linked already, and what was skipped and why. Leaving the page
 * does not stop it: the vaults it makes are the point, and the sidebar is refreshed at the end.
 */
export function ProviderPullAll(props: {
  /** The profile default, which Pull All reads from (undefined: the button is disabled). */
  settings: ProviderSettings | undefined;
}) {
  const { app } = useServices();
  const workspace = useWorkspace();
  const pull = createProviderPullAll(
    () => providersOf(app.session()),
    () => pullAllRecorder(app.session()),
  );
  const start = async () => {
    await pull.start({ memoryOnly: memoryOnly() });
    // New vaults (all of them, or those made before a cancel or a failure) join the sidebar.
    await vaultsFor(workspace, () => app.session()).refresh();
  };
  const [memoryOnly, setMemoryOnly] = createSignal(false);
  const memoryId = createUniqueId();
  const hintId = createUniqueId();
  const running = () => pull.state().state === 'running';
  const progress = () => {
    const state = pull.state();
    return state.state === 'running' || state.state === 'cancelled' ? state.progress : undefined;
  };
  return (
    <div class="provider-pull-all">
      <h4 id={`${memoryId}-title`}>Pull All</h4>
      <p id={hintId} class="hint">
        Makes a vault for each secret at the default provider that no vault syncs with yet. Vaults
        that exist already are left as they are.
        <Show when={!props.settings}> Save a profile default first.</Show>
      </p>
      <label class="checkbox" for={memoryId}>
        <input
          id={memoryId}
          type="checkbox"
          checked={memoryOnly()}
          disabled={running()}
          aria-describedby={`${memoryId}-hint`}
          onChange={(event) => setMemoryOnly(event.currentTarget.checked)}
        />
        Keep values in memory only
      </label>
      <span id={`${memoryId}-hint`} class="hint">
        The new vaults keep only names and sync details on this device: values are fetched when you
        unlock and dropped when Coffer locks.
      </span>
      <div class="button-row">
        <button
          type="button"
          disabled={!props.settings || running()}
          aria-describedby={hintId}
          onClick={() => void start()}
        >
          Pull All
        </button>
        <Show when={running()}>
          <button type="button" class="secondary" onClick={() => pull.cancel()}>
            Cancel
          </button>
        </Show>
      </div>
      <Show when={running()}>
        {/* A progress element's value is a property that refuses undefined: no value is
            written until the total is known (indeterminate). */}
        <Show
          when={progress()}
          fallback={
            <progress
              class="progress"
              aria-labelledby={`${memoryId}-title`}
              aria-valuetext={progressText(undefined)}
            />
          }
        >
          {(known) => (
            <progress
              class="progress"
              max={Math.max(known().total, 1)}
              value={known().done}
              aria-labelledby={`${memoryId}-title`}
              aria-valuetext={progressText(known())}
            />
          )}
        </Show>
      </Show>
      <div role="status" aria-live="polite">
        <Switch>
          <Match when={running()}>
            <p class="hint">{progressText(progress())}</p>
          </Match>
          <Match when={pull.state().state === 'cancelled'}>
            <p>
              Cancelled
              {progress() ? ` after ${progressText(progress())}` : ''}. Vaults made before stay.
            </p>
          </Match>
          <Match
            when={(() => {
              const state = pull.state();
              return state.state === 'done' ? state.result : undefined;
            })()}
          >
            {(result) => (
              <div class="notice ok">
                <p>
                  <strong>{pullAllSummary(result())}</strong>
                </p>
                <Show when={result().created.length > 0}>
                  <p class="provider-pull-label">Created:</p>
                  <ul class="provider-pull-list">
                    <For each={result().created}>
                      {(created) => (
                        <li>
                          <code>{created.path}</code>
                        </li>
                      )}
                    </For>
                  </ul>
                </Show>
                <Show when={result().linkedAlready.length > 0}>
                  <p class="provider-pull-label">Already linked:</p>
                  <ul class="provider-pull-list">
                    <For each={result().linkedAlready}>
                      {(path) => (
                        <li>
                          <code>{path}</code>
                        </li>
                      )}
                    </For>
                  </ul>
                </Show>
                <Show when={result().skipped.length > 0}>
                  <p class="provider-pull-label">Skipped:</p>
                  <ul class="provider-pull-list">
                    <For each={result().skipped}>
                      {(skipped) => (
                        <li>
                          <code>{skipped.path}</code>: {skipped.reason}
                        </li>
                      )}
                    </For>
                  </ul>
                </Show>
              </div>
            )}
          </Match>
          <Match
            when={(() => {
              const state = pull.state();
              return state.state === 'failed' ? { error: state.error } : undefined;
            })()}
          >
            {(failed) => (
              <ProviderErrorDetails
                explanation={explainProviderError(failed().error, {
                  settings: props.settings,
                  pageOrigin: globalThis.location?.origin ?? '',
                })}
              />
            )}
          </Match>
        </Switch>
      </div>
    </div>
  );
}
