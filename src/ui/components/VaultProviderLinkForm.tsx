import { createSignal, createUniqueId, Show } from 'solid-js';
import type { VaultProvider } from '../state/vault-provider';
import { remotePathProblem } from '../state/vault-provider-problems';
import { VaultProviderDiff } from './VaultProviderDiff';

/**
 * "Sync this vault", for a vault not linked yet: the remote path (a slug of the vault's name
 * unless changed), memory only and pull-on-unlock chosen first, then the switch. Switching on
 * links; when both sides have keys the difference is shown and the user picks a side; when the
 * first push fails the switch stays off and the failure is explained above.
 */
export function VaultProviderLinkForm(props: { provider: VaultProvider; ready: boolean }) {
  const ids = {
    path: createUniqueId(),
    pathHint: createUniqueId(),
    memory: createUniqueId(),
    auto: createUniqueId(),
  };
  const [path, setPath] = createSignal(props.provider.defaultPath());
  const [memoryOnly, setMemoryOnly] = createSignal(false);
  const [autoSync, setAutoSync] = createSignal(true);
  const [touched, setTouched] = createSignal(false);
  const problem = () => remotePathProblem(path());
  const busy = () => props.provider.busy() !== undefined;
  const turnOn = () => {
    setTouched(true);
    if (problem() || busy() || !props.ready) return;
    void props.provider.link(path(), { memoryOnly: memoryOnly(), autoSync: autoSync() });
  };
  return (
    <section class="vp-link" aria-label="Sync this vault">
      <label class="checkbox vp-switch">
        <input
          type="checkbox"
          role="switch"
          checked={false}
          aria-checked={false}
          disabled={!props.ready || busy() || props.provider.pending() !== undefined}
          onChange={(event) => {
            // The switch shows the link, not the click: it turns on once the link exists.
            event.currentTarget.checked = false;
            turnOn();
          }}
        />
        Sync this vault
      </label>
      <Show when={!props.ready}>
        <p class="hint">Set up a provider first (above, or in Settings → Providers).</p>
      </Show>
      <div class="field">
        <label for={ids.path}>Remote path</label>
        <input
          id={ids.path}
          type="text"
          class="mono"
          value={path()}
          autocomplete="off"
          spellcheck={false}
          autocapitalize="off"
          aria-invalid={touched() && problem() ? 'true' : undefined}
          aria-describedby={ids.pathHint}
          onInput={(event) => setPath(event.currentTarget.value)}
          onBlur={() => setTouched(true)}
        />
        <span id={ids.pathHint} class="hint">
          <Show when={touched() && problem()} fallback="Where the values live at the provider.">
            {(words) => <span class="error-text">{words()}</span>}
          </Show>
        </span>
      </div>
      <label class="checkbox">
        <input
          type="checkbox"
          checked={memoryOnly()}
          aria-describedby={ids.memory}
          onChange={(event) => setMemoryOnly(event.currentTarget.checked)}
        />
        Keep values in memory only
      </label>
      <p id={ids.memory} class="hint">
        Values are fetched when you unlock and gone when you lock; only names and sync details are
        stored on this device. Changing it closes and reopens the vault for a moment.
      </p>
      <label class="checkbox">
        <input
          type="checkbox"
          checked={autoSync()}
          aria-describedby={ids.auto}
          onChange={(event) => setAutoSync(event.currentTarget.checked)}
        />
        Sync automatically
      </label>
      <p id={ids.auto} class="hint">
        Pulls when you unlock and when the vault opens, and pushes a moment after you save.
      </p>
      <Show when={props.provider.pending()}>
        {(waiting) => (
          <VaultProviderDiff
            diff={waiting().diff}
            path={waiting().path}
            busy={busy()}
            onChoose={(choice) => void props.provider.choose(choice)}
            onCancel={() => props.provider.cancelChoice()}
          />
        )}
      </Show>
    </section>
  );
}
