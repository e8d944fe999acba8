import { createSignal, createUniqueId, For, onCleanup, onMount, Show } from 'solid-js';
import { useServices } from '../state/context';
import { vaultsFor } from '../state/vaults';
import { useWorkspace } from '../state/workspace';
import '../styles/vaults.css';
import { VaultDeleteDialog } from './VaultDeleteDialog';
import { VaultNameDialog } from './VaultNameDialog';
import { VaultNameStyleSwitch } from './VaultNameStyleSwitch';

type SidebarDialog = 'create' | { readonly rename: string } | { readonly delete: string } | null;

/** The vault list in the left nav, with create, and rename / delete / naming rule for the selected vault. */
export function VaultSidebar(props: { onJoin: () => void }) {
  const { app } = useServices();
  const workspace = useWorkspace();
  const vaults = vaultsFor(workspace, () => app.session());
  const headingId = createUniqueId();
  const [dialog, setDialog] = createSignal<SidebarDialog>(null);
  const selected = () => {
    const view = workspace.view();
    return view.name === 'vault' ? view.vault : undefined;
  };
  const names = () => vaults.vaults().map((vault) => vault.name);
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
  const renaming = () => {
    const current = dialog();
    return current !== null && typeof current === 'object' && 'rename' in current
      ? current.rename
      : undefined;
  };
  const deleting = () => {
    const current = dialog();
    return current !== null && typeof current === 'object' && 'delete' in current
      ? current.delete
      : undefined;
  };

  const deleteVault = async (name: string) => {
    // Leave the vault first, so this tab's own lock (or its wait for it) is not in the way.
    if (selected() === name) workspace.show({ name: 'home' });
    await vaults.released();
    await vaults.remove(name);
    setDialog(null);
  };

  return (
    <div class="vault-sidebar">
      <div class="vault-sidebar-head">
        <h2 id={headingId}>Vaults</h2>
        <button type="button" class="small" onClick={() => setDialog('create')}>
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
        when={vaults.vaults().length > 0}
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
                  aria-current={selected() === vault.name ? 'page' : undefined}
                  onClick={() => workspace.show({ name: 'vault', vault: vault.name })}
                >
                  {vault.name}
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
      <Show when={selected()}>
        {(name) => (
          <section class="vault-actions" aria-label="Selected vault">
            <div class="button-row">
              <button
                type="button"
                class="secondary small"
                onClick={() => setDialog({ rename: name() })}
              >
                Rename
              </button>
              <button
                type="button"
                class="secondary small"
                onClick={() => setDialog({ delete: name() })}
              >
                Delete
              </button>
            </div>
            <VaultNameStyleSwitch vault={vaults.current()} />
          </section>
        )}
      </Show>

      <Show when={dialog() === 'create'}>
        <VaultNameDialog
          open
          title="Create vault"
          submitLabel="Create vault"
          existing={names()}
          offerStyle
          onClose={() => setDialog(null)}
          onSubmit={async (name, style) => {
            const created = await vaults.create(name, style);
            setDialog(null);
            workspace.show({ name: 'vault', vault: created.name });
          }}
        />
      </Show>
      <Show when={renaming()} keyed>
        {(name) => (
          <VaultNameDialog
            open
            title="Rename vault"
            submitLabel="Rename"
            existing={names()}
            current={name}
            onClose={() => setDialog(null)}
            onSubmit={async (newName) => {
              const renamed = await vaults.rename(name, newName);
              setDialog(null);
              if (selected() === name) workspace.show({ name: 'vault', vault: renamed.name });
            }}
          />
        )}
      </Show>
      <Show when={deleting()} keyed>
        {(name) => (
          <VaultDeleteDialog
            name={name}
            heldElsewhere={async () => {
              const holder = await vaults.holder(name);
              return holder !== undefined && !holder.heldHere;
            }}
            onClose={() => setDialog(null)}
            onDelete={() => deleteVault(name)}
          />
        )}
      </Show>
    </div>
  );
}
