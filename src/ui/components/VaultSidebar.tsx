import { createSignal, createUniqueId, For, Show } from 'solid-js';
import { useServices } from '../state/context';
import { vaultLabels, vaultsFor } from '../state/vaults';
import { useWorkspace } from '../state/workspace';
import '../styles/vaults.css';
import { ErrorAlert } from './ErrorAlert';
import { EvictionNotice } from './EvictionNotice';
import { ListOrEmpty } from './ListOrEmpty';
import { NavItem } from './NavItem';
import { RefreshOnReturn } from './RefreshOnReturn';
import { VaultNameDialog } from './VaultNameDialog';

/**
 * The vault list: every vault by name (a damaged one marked, an unreadable catalog record as
 * "Unreadable vault"), Create vault and Join with an invitation. A vault's own actions live
 * with the vault, in its pane. On a phone this is the first of the three panes.
 */
export function VaultSidebar(props: { onJoin: () => void }) {
  const { app } = useServices();
  const workspace = useWorkspace();
  const vaults = vaultsFor(workspace, () => app.session());
  const headingId = createUniqueId();
  const [creating, setCreating] = createSignal(false);
  const selected = () => {
    const view = workspace.view();
    return view.name === 'vault' || view.name === 'unreadable' ? view.id : undefined;
  };
  const labels = () => vaultLabels(vaults.vaults());

  return (
    <div class="vault-sidebar">
      {/* Another tab may have changed the vaults: re-read the list on coming back. */}
      <RefreshOnReturn refresh={() => void vaults.refresh()} />
      <div class="vault-sidebar-head">
        <h2 id={headingId}>Vaults</h2>
        <button type="button" class="small" onClick={() => setCreating(true)}>
          Create vault
        </button>
      </div>
      <ErrorAlert message={vaults.loadError()} />
      <ListOrEmpty
        count={vaults.vaults().length + vaults.unreadable().length}
        ready={vaults.loaded()}
        empty={<p class="muted vault-sidebar-empty">No vaults yet. Create one to start.</p>}
      >
        <ul class="nav-list" aria-labelledby={headingId}>
          <For each={vaults.vaults()}>
            {(vault) => (
              <NavItem
                current={selected() === vault.id}
                title={vault.name}
                onSelect={() => workspace.show({ name: 'vault', id: vault.id })}
              >
                <span class="truncate">{vault.name}</span>
                <Show when={labels().get(vault.id)}>
                  {(label) => <span class="muted vault-id-label">· {label()}</span>}
                </Show>
                <Show when={vaults.damage().has(vault.id)}>
                  <span class="badge warning">damaged</span>
                </Show>
              </NavItem>
            )}
          </For>
          <For each={vaults.unreadable()}>
            {(record) => (
              <NavItem
                current={selected() === record.id}
                onSelect={() => workspace.show({ name: 'unreadable', id: record.id })}
              >
                <span class="truncate">Unreadable vault</span>
                <span class="muted vault-id-label">· {record.id.slice(0, 6)}</span>
                <span class="badge warning">damaged</span>
              </NavItem>
            )}
          </For>
        </ul>
      </ListOrEmpty>
      <div class="button-row vault-join">
        <button type="button" class="secondary small" onClick={() => props.onJoin()}>
          Join with an invitation
        </button>
      </div>
      <EvictionNotice />

      <Show when={creating()}>
        <VaultNameDialog
          open
          title="Create vault"
          submitLabel="Create vault"
          existing={vaults.vaults()}
          offerStyle
          onClose={() => setCreating(false)}
          onSubmit={async (name, style) => {
            const created = await vaults.create(name, style);
            setCreating(false);
            workspace.show({ name: 'vault', id: created.id });
          }}
        />
      </Show>
    </div>
  );
}
