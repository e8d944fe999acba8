import { createSignal, Show } from 'solid-js';
import type { VaultProvider } from '../state/vault-provider';
import { settingsBanner } from '../state/vault-provider-text';
import { ProviderSettingsForm } from './ProviderSettingsForm';

/**
 * Whose provider settings this vault uses: the profile's default (named by where it is, never
 * by its credentials), its own, or none yet (then Settings → Providers is where to go). The
 * vault's own settings are edited with the same form as the default's.
 */
export function VaultProviderSettings(props: { provider: VaultProvider }) {
  const [editing, setEditing] = createSignal(false);
  const info = () => props.provider.info();
  const banner = () => {
    const view = info();
    return view ? settingsBanner(view) : undefined;
  };
  const useDefault = async () => {
    if (await props.provider.useDefaults()) setEditing(false);
  };
  return (
    <Show when={banner()}>
      {(words) => (
        <section class="vp-settings" aria-label="Provider settings of this vault">
          <p class={`notice ${words().kind === 'none' ? 'warning' : ''}`}>{words().text}</p>
          <div class="button-row">
            <Show when={words().kind !== 'own' && !editing()}>
              <button type="button" class="secondary" onClick={() => setEditing(true)}>
                {words().kind === 'none'
                  ? 'Give this vault its own settings'
                  : 'Use other settings for this vault'}
              </button>
            </Show>
            <Show when={words().kind === 'own' && !editing()}>
              <button type="button" class="secondary" onClick={() => setEditing(true)}>
                Change this vault's settings
              </button>
              <button type="button" class="secondary" onClick={() => void useDefault()}>
                Use the default again
              </button>
            </Show>
          </div>
          <Show when={editing()}>
            <ProviderSettingsForm
              value={info()?.override}
              idPrefix="vault-provider"
              saveLabel="Save for this vault"
              clearLabel="Use the default again"
              onSave={async (settings) => {
                await props.provider.saveOverride(settings);
                setEditing(false);
              }}
              {...(info()?.override ? { onClear: useDefault } : {})}
            />
            <div class="button-row">
              <button type="button" class="secondary" onClick={() => setEditing(false)}>
                Cancel
              </button>
            </div>
          </Show>
        </section>
      )}
    </Show>
  );
}
