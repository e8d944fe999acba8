import { createSignal, createUniqueId, For, onCleanup, onMount, Show } from 'solid-js';
import { useServices } from '../state/context';
import { vaultLabels, vaultsFor } from '../state/vaults';
import { useWorkspace } from '../state/workspace';
import '../styles/vaults.css';
import { EvictionNotice } from './EvictionNotice';
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
  // Another tab may have created, renamed or deleted vaults: re-read the list on coming back.
  const onReturn = () => {
    if (document.visibilityState === 'visible') void vaults.refresh();
  };
  onMount(() => {
    window.addEventListener('focus', onReturn);
    document.addEventListener('visibilitychange', onReturn);
  });
  onCleanup(() => {
    window.removeEventListener('focus', onReturn);
    document.removeEventListener('visibilitychange', onReturn);
  });
  const empty = () => vaults.vaults().length === 0 && vaults.unreadable().length === 0;

  return (
    <div class="vault-sidebar">
      <div class="vault-sidebar-head">
        <h2 id={headingId}>Vaults</h2>
        <button type="button" class="small" onClick={() => setCreating(true)}>
          Create vault
        </button>
      </div>
      <Show when={vaults.loadError()}>
        {(message) => (
          <p class="error-text" role="alert">
            {message()}
          </p>
        )}
      </Show>
      <Show
        when={!empty()}
        fallback={
          <Show when={vaults.loaded()}>
            <p class="muted vault-sidebar-empty">No vaults yet. Create one to start.</p>
          </Show>
        }
      >
        <ul class="nav-list" aria-labelledby={headingId}>
          <For each={vaults.vaults()}>
            {(vault) => (
              <li>
                <button
                  type="button"
                  aria-current={selected() === vault.id ? 'page' : undefined}
                  title={vault.name}
                  onClick={() => workspace.show({ name: 'vault', id: vault.id })}
                >
                  <span class="truncate">{vault.name}</span>
                  <Show when={labels().get(vault.id)}>
                    {(label) => <span class="muted vault-id-label">· {label()}</span>}
                  </Show>
                  <Show when={vaults.damage().has(vault.id)}>
                    <span class="badge warning">damaged</span>
                  </Show>
                </button>
              </li>
            )}
          </For>
          <For each={vaults.unreadable()}>
            {(record) => (
              <li>
                <button
                  type="button"
                  aria-current={selected() === record.id ? 'page' : undefined}
                  onClick={() => workspace.show({ name: 'unreadable', id: record.id })}
                >
                  <span class="truncate">Unreadable vault</span>
                  <span class="muted vault-id-label">· {record.id.slice(0, 6)}</span>
                  <span class="badge warning">damaged</span>
                </button>
              </li>
            )}
          </For>
        </ul>
      </Show>
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
