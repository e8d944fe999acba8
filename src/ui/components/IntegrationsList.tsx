import { createSignal, createUniqueId, For, Show } from 'solid-js';
import { useServices } from '../state/context';
import { integrationsFor } from '../state/integrations';
import { useWorkspace } from '../state/workspace';
import '../styles/integrations.css';
import { ErrorAlert } from './ErrorAlert';
import { IntegrationsNameDialog } from './IntegrationsNameDialog';
import { ListOrEmpty } from './ListOrEmpty';
import { NavItem } from './NavItem';
import { RefreshOnReturn } from './RefreshOnReturn';

/**
 * The integrations list, in the sidebar's place while the integrations area shows: every
 * integration by name, New integration, Vault permissions (the grants of all integrations),
 * and the way back to the vaults. On a phone this is the area's first pane.
 */
export function IntegrationsList() {
  const { app } = useServices();
  const workspace = useWorkspace();
  const integrations = integrationsFor(workspace, app);
  const headingId = createUniqueId();
  const [creating, setCreating] = createSignal(false);
  const view = () => {
    const current = workspace.view();
    return current.name === 'integrations' ? current : undefined;
  };
  const permissionsShown = () => view()?.tab === 'permissions';
  const selected = () => (permissionsShown() ? undefined : view()?.id);

  return (
    <div class="integrations-list">
      {/* Another tab may have changed the integrations: re-read them on coming back. */}
      <RefreshOnReturn
        refresh={() => {
          void integrations.refresh();
          void integrations.refreshGrants();
        }}
      />
      <button
        type="button"
        class="quiet small integrations-back"
        aria-label="Back to vaults"
        onClick={() => workspace.show({ name: 'home' })}
      >
        <span aria-hidden="true">←</span> Vaults
      </button>
      <h2 id={headingId} class="integrations-list-title">
        Integrations
      </h2>
      <div class="button-row integrations-list-actions">
        <button type="button" class="small" onClick={() => setCreating(true)}>
          <span aria-hidden="true">+</span> New integration
        </button>
        <button
          type="button"
          class="secondary small"
          aria-current={permissionsShown() ? 'page' : undefined}
          onClick={() => {
            const id = view()?.id;
            workspace.show(
              id === undefined
                ? { name: 'integrations', tab: 'permissions' }
                : { name: 'integrations', id, tab: 'permissions' },
            );
          }}
        >
          Vault permissions
        </button>
      </div>
      <ErrorAlert message={integrations.loadError()} />
      <ListOrEmpty
        count={integrations.list().length}
        ready={integrations.loaded() && !integrations.loadError()}
        empty={
          <p class="muted vault-sidebar-empty">
            No integrations yet. An integration sends an HTTP request that may use your vaults'
            entries, with code that runs before and after it.
          </p>
        }
      >
        <ul class="nav-list" aria-labelledby={headingId}>
          <For each={integrations.list()}>
            {(integration) => (
              <NavItem
                current={selected() === integration.id}
                title={integration.name}
                onSelect={() =>
                  workspace.show({ name: 'integrations', id: integration.id, tab: 'request' })
                }
              >
                <span class="truncate">{integration.name}</span>
              </NavItem>
            )}
          </For>
        </ul>
      </ListOrEmpty>

      <Show when={creating()}>
        <IntegrationsNameDialog
          title="New integration"
          submitLabel="Create integration"
          existing={integrations.list()}
          onClose={() => setCreating(false)}
          onSubmit={async (name) => {
            const created = await integrations.create(name);
            setCreating(false);
            workspace.show({ name: 'integrations', id: created.id, tab: 'request' });
          }}
        />
      </Show>
    </div>
  );
}
