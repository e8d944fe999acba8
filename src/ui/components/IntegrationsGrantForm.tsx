import { createSignal, Show } from 'solid-js';
import type { IntegrationId } from '../../core/ids';
import type { Grant, GrantAccess, IntegrationSummary } from '../../core/integrations';
import type { VaultId, VaultSummary } from '../../core/profile';
import { grantAccessLabels } from '../state/integration-grants';
import { describeIntegrationError } from '../state/integrations';
import { ErrorAlert } from './ErrorAlert';
import { SelectField } from './SelectField';

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
        <SelectField
          label="Integration"
          options={props.integrations.map((item) => ({ value: item.id, label: item.name }))}
          value={integration()}
          onChange={setIntegration}
        />
        <SelectField
          label="Vault"
          options={props.vaults.map((item) => ({ value: item.id, label: item.name }))}
          value={vault()}
          onChange={setVault}
        />
        <SelectField
          label="Access"
          options={accessChoices}
          value={access()}
          onChange={(value) => setAccess(value as GrantAccess)}
        />
      </div>
      <Show when={props.integrations.length === 0 || props.vaults.length === 0}>
        <p class="hint">
          {props.integrations.length === 0
            ? 'Create an integration first.'
            : 'Create a vault first.'}
        </p>
      </Show>
      <ErrorAlert message={failure()} />
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
