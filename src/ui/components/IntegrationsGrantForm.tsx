import { createSignal, createUniqueId, For, Show } from 'solid-js';
import type { IntegrationId } from '../../core/ids';
import type { Grant, GrantAccess, IntegrationSummary } from '../../core/integrations';
import type { VaultId, VaultSummary } from '../../core/profile';
import { grantAccessLabels } from '../state/integration-grants';
import { describeIntegrationError } from '../state/integrations';

const accessChoices = (['read', 'read-write'] as const).map((value) => ({
  value,
  label: grantAccessLabels[value],
}));

/**
 * Gives an integration access to a vault: integration, vault, access, Save. Saving a pair that
 * has a permission already changes its access.
 */
export function IntegrationsGrantForm(props: {
  integrations: readonly IntegrationSummary[];
  vaults: readonly VaultSummary[];
  integration?: IntegrationId | undefined;
  vault?: VaultId | undefined;
  onSave: (grant: Grant) => Promise<void>;
  onCancel: () => void;
}) {
  const ids = { integration: createUniqueId(), vault: createUniqueId(), access: createUniqueId() };
  // What was chosen (or prefilled); until then, the first of each list, as the select shows.
  const [chosen, setIntegration] = createSignal<string | undefined>(props.integration);
  const [chosenVaultId, setVault] = createSignal<string | undefined>(props.vault);
  const integration = () => chosen() ?? props.integrations[0]?.id ?? '';
  const vault = () => chosenVaultId() ?? props.vaults[0]?.id ?? '';
  const [access, setAccess] = createSignal<GrantAccess>('read');
  const [failure, setFailure] = createSignal<string | undefined>();
  const [busy, setBusy] = createSignal(false);
  const chosenIntegration = () => props.integrations.find((item) => item.id === integration());
  const chosenVault = () => props.vaults.find((item) => item.id === vault());

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    const forIntegration = chosenIntegration();
    const forVault = chosenVault();
    if (!forIntegration || !forVault) {
      setFailure('Choose an integration and a vault.');
      return;
    }
    setBusy(true);
    setFailure(undefined);
    try {
      await props.onSave({ integration: forIntegration.id, vault: forVault.id, access: access() });
    } catch (error) {
      setFailure(describeIntegrationError(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="grant-form" onSubmit={submit} noValidate aria-label="Add permission">
      <div class="grant-form-fields">
        <div class="field">
          <label for={ids.integration}>Integration</label>
          <select
            id={ids.integration}
            onChange={(event) => setIntegration(event.currentTarget.value)}
          >
            <For each={props.integrations}>
              {(item) => (
                <option value={item.id} selected={item.id === integration()}>
                  {item.name}
                </option>
              )}
            </For>
          </select>
        </div>
        <div class="field">
          <label for={ids.vault}>Vault</label>
          <select id={ids.vault} onChange={(event) => setVault(event.currentTarget.value)}>
            <For each={props.vaults}>
              {(item) => (
                <option value={item.id} selected={item.id === vault()}>
                  {item.name}
                </option>
              )}
            </For>
          </select>
        </div>
        <div class="field">
          <label for={ids.access}>Access</label>
          <select
            id={ids.access}
            onChange={(event) => setAccess(event.currentTarget.value as GrantAccess)}
          >
            <For each={accessChoices}>
              {(choice) => (
                <option value={choice.value} selected={choice.value === access()}>
                  {choice.label}
                </option>
              )}
            </For>
          </select>
        </div>
      </div>
      <Show when={props.integrations.length === 0 || props.vaults.length === 0}>
        <p class="hint">
          {props.integrations.length === 0
            ? 'Create an integration first.'
            : 'Create a vault first.'}
        </p>
      </Show>
      <Show when={failure()}>
        {(message) => (
          <p class="error-text" role="alert">
            {message()}
          </p>
        )}
      </Show>
      <div class="button-row">
        <button type="submit" disabled={busy() || !chosenIntegration() || !chosenVault()}>
          Save
        </button>
        <button type="button" class="secondary" onClick={() => props.onCancel()}>
          Cancel
        </button>
      </div>
    </form>
  );
}
