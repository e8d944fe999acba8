import { createSignal, createUniqueId, For, onMount, Show } from 'solid-js';
import type { IntegrationId } from '../../core/ids';
import type { Grant } from '../../core/integrations';
import type { VaultId } from '../../core/profile';
import { useServices } from '../state/context';
import { grantAccessLabels } from '../state/integration-grants';
import { describeIntegrationError, integrationsFor } from '../state/integrations';
import { vaultsFor } from '../state/vaults';
import { useWorkspace } from '../state/workspace';
import '../styles/integrations.css';
import { ErrorAlert } from './ErrorAlert';
import { IntegrationsGrantForm } from './IntegrationsGrantForm';
import { ListOrEmpty } from './ListOrEmpty';

/**
 * Vault permissions: which integration may use which vault, and how (read, or read and write).
 * No grant, no access. "Add permission" opens a form, prefilled when a missing grant led here.
 */
export function IntegrationsPermissions(props: {
  /** Prefill the form with this integration (the one the user came from). */
  integration?: IntegrationId | undefined;
  /** Prefill the form with this vault, and open it (a missing grant led here). */
  vault?: VaultId | undefined;
}) {
  const { app } = useServices();
  const workspace = useWorkspace();
  const integrations = integrationsFor(workspace, app);
  const vaults = vaultsFor(workspace, () => app.session());
  const headingId = createUniqueId();
  const [adding, setAdding] = createSignal(props.vault !== undefined);
  const [failure, setFailure] = createSignal<string | undefined>();
  onMount(() => {
    void integrations.refreshGrants();
    void integrations.refresh();
  });
  const integrationName = (id: IntegrationId) =>
    integrations.nameOf(id) ?? `Unknown integration (${id.slice(0, 6)})`;
  const vaultName = (id: VaultId) => vaults.nameOf(id) ?? `Unknown vault (${id.slice(0, 6)})`;
  const sorted = () =>
    [...integrations.grants()].sort(
      (a, b) =>
        integrationName(a.integration).localeCompare(integrationName(b.integration), 'en') ||
        vaultName(a.vault).localeCompare(vaultName(b.vault), 'en'),
    );
  const remove = async (grant: Grant) => {
    setFailure(undefined);
    try {
      await integrations.removeGrant(grant.integration, grant.vault);
    } catch (error) {
      setFailure(`Could not remove the permission: ${describeIntegrationError(error)}`);
    }
  };
  const back = () => props.integration;

  return (
    <section class="integration-permissions" aria-labelledby={headingId}>
      <div class="vault-pane-head">
        <h2 id={headingId}>Vault permissions</h2>
        <Show when={back()}>
          {(id) => (
            <button
              type="button"
              class="secondary small"
              onClick={() => workspace.show({ name: 'integrations', id: id(), tab: 'request' })}
            >
              Back to {integrationName(id())}
            </button>
          )}
        </Show>
      </div>
      <p>
        An integration can use only the vaults listed here. Write-only secrets can be used by
        integrations but are never shown.
      </p>
      <ErrorAlert message={integrations.grantsError()} />
      <ErrorAlert message={failure()} />
      <ListOrEmpty
        count={integrations.grants().length}
        ready={integrations.grantsLoaded() && !integrations.grantsError()}
        empty={<p class="muted">No integration may use a vault yet.</p>}
      >
        <div class="grant-table-wrap">
          <table class="grant-table">
            <caption class="visually-hidden">Vault permissions</caption>
            <thead>
              <tr>
                <th scope="col">Integration</th>
                <th scope="col">Vault</th>
                <th scope="col">Access</th>
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              <For each={sorted()}>
                {(grant) => (
                  <tr>
                    <td>{integrationName(grant.integration)}</td>
                    <td>{vaultName(grant.vault)}</td>
                    <td>{grantAccessLabels[grant.access]}</td>
                    <td>
                      <button
                        type="button"
                        class="secondary small"
                        aria-label={`Remove ${integrationName(grant.integration)}'s access to ${vaultName(grant.vault)}`}
                        onClick={() => void remove(grant)}
                      >
                        Remove
                      </button>
                    </td>
                  </tr>
                )}
              </For>
            </tbody>
          </table>
        </div>
      </ListOrEmpty>
      <Show
        when={adding()}
        fallback={
          <div class="button-row">
            <button type="button" class="small" onClick={() => setAdding(true)}>
              <span aria-hidden="true">+</span> Add permission
            </button>
          </div>
        }
      >
        <IntegrationsGrantForm
          integrations={integrations.list()}
          vaults={vaults.vaults()}
          integration={props.integration}
          vault={props.vault}
          onCancel={() => setAdding(false)}
          onSave={async (grant) => {
            await integrations.setGrant(grant);
            setAdding(false);
          }}
        />
      </Show>
    </section>
  );
}
