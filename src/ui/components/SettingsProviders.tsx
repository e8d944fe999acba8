import { createResource, Match, Switch } from 'solid-js';
import type { ProviderSettings } from '../../core/providers';
import { useServices } from '../state/context';
import { providersOf } from '../state/provider-settings';
import { ProviderPullAll } from './ProviderPullAll';
import { ProviderSettingsForm } from './ProviderSettingsForm';

/**
 * Settings → Providers: the profile's default HashiCorp Vault or AWS Secrets Manager (used by
 * every vault that sets no override of its own), and Pull All from it.
 */
export function SettingsProviders() {
  const { app } = useServices();
  const api = () => providersOf(app.session());
  const [defaults, { mutate }] = createResource(() => api().defaults());
  const save = async (settings: ProviderSettings) => {
    await api().saveDefaults(settings);
    mutate(settings);
  };
  const clear = async () => {
    await api().saveDefaults(undefined);
    mutate(undefined);
  };
  return (
    <section class="settings-section" aria-labelledby="settings-providers">
      <h3 id="settings-providers">Providers</h3>
      <p>
        Vaults can sync with HashiCorp Vault (or OpenBao) and AWS Secrets Manager. This page calls
        them directly from your browser. The profile default below is used by every vault that does
        not set its own.
      </p>
      <h4 id="settings-providers-default">Profile default</h4>
      <Switch>
        <Match when={defaults.state === 'errored'}>
          <p class="error-text">
            The saved provider settings could not be read. Save them again to replace them.
          </p>
          <ProviderSettingsForm value={undefined} idPrefix="provider-default" onSave={save} />
        </Match>
        <Match when={defaults.state === 'ready' || defaults.state === 'refreshing'}>
          <ProviderSettingsForm
            value={defaults.latest}
            idPrefix="provider-default"
            onSave={save}
            onClear={clear}
            clearConfirm="Remove the profile default and its saved credentials? Vaults that use it stop syncing until a default is saved again, or they get settings of their own. Nothing is deleted at the provider."
          />
          <ProviderPullAll settings={defaults.latest} />
        </Match>
        <Match when={true}>
          <p class="hint">Loading…</p>
        </Match>
      </Switch>
    </section>
  );
}
