import { createSignal, createUniqueId, For, Show } from 'solid-js';
import type { VaultProvider } from '../state/vault-provider';
import { linkStatusLines } from '../state/vault-provider-text';
import type { ProviderLinkView } from '../state/vault-provider-types';
import { VaultProviderKeepCopy } from './VaultProviderKeepCopy';

/**
 * A linked vault: the switch (off pauses: the link and its path are kept), where and when it
 * last synced, Pull and Push, and its options. Turning memory only off asks first whether to
 * keep a local copy of the values.
 */
export function VaultProviderLinked(props: {
  provider: VaultProvider;
  link: ProviderLinkView;
  now: number;
}) {
  const ids = { memory: createUniqueId(), auto: createUniqueId() };
  const [askingCopy, setAskingCopy] = createSignal(false);
  const busy = () => props.provider.busy() !== undefined;
  return (
    <section class="vp-linked" aria-label="Sync this vault">
      <label class="checkbox vp-switch">
        <input
          type="checkbox"
          role="switch"
          checked={props.link.enabled}
          aria-checked={props.link.enabled}
          disabled={busy()}
          onChange={(event) => {
            const wanted = event.currentTarget.checked;
            event.currentTarget.checked = props.link.enabled;
            void props.provider.setEnabled(wanted);
          }}
        />
        Sync this vault
      </label>
      <ul class="vp-status">
        <For each={linkStatusLines(props.link, props.now)}>{(line) => <li>{line}</li>}</For>
      </ul>
      <div class="button-row">
        <button
          type="button"
          class="secondary"
          disabled={busy() || !props.link.enabled}
          onClick={() => void props.provider.pull()}
        >
          Pull
        </button>
        <button
          type="button"
          class="secondary"
          disabled={busy() || !props.link.enabled}
          onClick={() => void props.provider.push()}
        >
          Push
        </button>
      </div>
      <label class="checkbox">
        <input
          type="checkbox"
          checked={props.link.memoryOnly}
          disabled={busy()}
          aria-describedby={ids.memory}
          onChange={(event) => {
            const wanted = event.currentTarget.checked;
            event.currentTarget.checked = props.link.memoryOnly;
            if (wanted) void props.provider.setMemoryOnly(true);
            else setAskingCopy(true);
          }}
        />
        Keep values in memory only
      </label>
      <p id={ids.memory} class="hint">
        Values are fetched when you unlock and gone when you lock; only names and sync details are
        stored on this device. Changing it closes and reopens the vault for a moment.
      </p>
      <Show when={askingCopy()}>
        <VaultProviderKeepCopy
          question="Turn off “Keep values in memory only”?"
          withoutCopy="Without one, this vault starts empty on this device and the next pull fills it from the provider."
          busy={busy()}
          onCancel={() => setAskingCopy(false)}
          onAnswer={(keep) => {
            setAskingCopy(false);
            void props.provider.setMemoryOnly(false, keep);
          }}
        />
      </Show>
      <label class="checkbox">
        <input
          type="checkbox"
          checked={props.link.autoSync}
          disabled={busy()}
          aria-describedby={ids.auto}
          onChange={(event) => {
            const wanted = event.currentTarget.checked;
            event.currentTarget.checked = props.link.autoSync;
            void props.provider.setAutoSync(wanted);
          }}
        />
        Sync automatically
      </label>
      <p id={ids.auto} class="hint">
        Pulls when you unlock and when the vault opens, and pushes a moment after you save.
      </p>
    </section>
  );
}
