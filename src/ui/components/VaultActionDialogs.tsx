import { Show } from 'solid-js';
import { useServices } from '../state/context';
import { vaultsFor } from '../state/vaults';
import { useWorkspace } from '../state/workspace';
import { VaultDeleteDialog } from './VaultDeleteDialog';
import { VaultNameDialog } from './VaultNameDialog';

/**
 * The rename and delete dialogs a vault's actions open. They sit above the panes: deleting
 * leaves the vault first (its pane goes), and the dialog stays to say if the delete failed.
 */
export function VaultActionDialogs() {
  const { app } = useServices();
  const workspace = useWorkspace();
  const vaults = vaultsFor(workspace, () => app.session());
  const close = () => vaults.askFor(undefined);
  const asked = (kind: 'rename' | 'delete') => {
    const action = vaults.action();
    return action?.kind === kind ? action.id : undefined;
  };

  const deleteVault = async (id: NonNullable<ReturnType<typeof asked>>) => {
    // Leave the vault first, so this tab's own lock (or its wait for it) is not in the way.
    const view = workspace.view();
    if ((view.name === 'vault' || view.name === 'unreadable') && view.id === id) {
      workspace.show({ name: 'home' });
    }
    await vaults.released();
    await vaults.remove(id);
    close();
  };

  return (
    <>
      <Show when={asked('rename')} keyed>
        {(id) => (
          <VaultNameDialog
            open
            title="Rename vault"
            submitLabel="Rename"
            existing={vaults.vaults()}
            current={{ id, name: vaults.nameOf(id) ?? '' }}
            onClose={close}
            onSubmit={async (newName) => {
              await vaults.rename(id, newName);
              close();
            }}
          />
        )}
      </Show>
      <Show when={asked('delete')} keyed>
        {(id) => (
          <VaultDeleteDialog
            name={vaults.nameOf(id) ?? ''}
            heldElsewhere={async () => {
              const holder = await vaults.holder(id);
              return holder !== undefined && !holder.heldHere;
            }}
            onClose={close}
            onDelete={() => deleteVault(id)}
          />
        )}
      </Show>
    </>
  );
}
