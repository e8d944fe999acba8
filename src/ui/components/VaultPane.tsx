import { createSignal, createUniqueId, Show } from 'solid-js';
import type { VaultId } from '../../core/profile';
import { useServices } from '../state/context';
import { vaultsFor } from '../state/vaults';
import { useWorkspace } from '../state/workspace';
import '../styles/vaults.css';
import { VaultDeleteDialog } from './VaultDeleteDialog';
import { VaultNameDialog } from './VaultNameDialog';
import { VaultNameStyleSwitch } from './VaultNameStyleSwitch';
import { VaultSession } from './VaultSession';

/**
 * The main pane for the selected vault: its name, its actions (rename, delete, naming rule)
 * behind one "Vault actions" button, and a VaultSession that holds it open. The vault is
 * addressed by id, so renaming it here (or another vault taking its old name) keeps the
 * session and its lock.
 */
export function VaultPane(props: { id: VaultId }) {
  const { app } = useServices();
  const workspace = useWorkspace();
  const vaults = vaultsFor(workspace, () => app.session());
  const actionsId = createUniqueId();
  const [actionsOpen, setActionsOpen] = createSignal(false);
  const [dialog, setDialog] = createSignal<'rename' | 'delete' | undefined>();
  const name = () => vaults.nameOf(props.id) ?? vaults.current()?.name ?? '';

  const deleteVault = async () => {
    // Leave the vault first, so this tab's own lock (or its wait for it) is not in the way.
    const id = props.id;
    workspace.show({ name: 'home' });
    await vaults.released();
    await vaults.remove(id);
    setDialog(undefined);
  };

  return (
    <section class="vault-pane" aria-labelledby="vault-pane-title">
      <div class="vault-pane-head">
        <h2 id="vault-pane-title" class="truncate" title={name()}>
          {name()}
        </h2>
        <button
          type="button"
          class="secondary small"
          aria-expanded={actionsOpen()}
          aria-controls={actionsId}
          onClick={() => setActionsOpen(!actionsOpen())}
        >
          Vault actions
        </button>
      </div>
      <Show when={actionsOpen()}>
        <section id={actionsId} class="vault-actions" aria-label="Vault actions">
          <div class="button-row">
            <button type="button" class="secondary small" onClick={() => setDialog('rename')}>
              Rename…
            </button>
            <button type="button" class="secondary small" onClick={() => setDialog('delete')}>
              Delete…
            </button>
          </div>
          <VaultNameStyleSwitch vault={vaults.current()} />
        </section>
      </Show>
      <VaultSession id={props.id} vaults={vaults} />

      <Show when={dialog() === 'rename'}>
        <VaultNameDialog
          open
          title="Rename vault"
          submitLabel="Rename"
          existing={vaults.vaults()}
          current={{ id: props.id, name: name() }}
          onClose={() => setDialog(undefined)}
          onSubmit={async (newName) => {
            await vaults.rename(props.id, newName);
            setDialog(undefined);
          }}
        />
      </Show>
      <Show when={dialog() === 'delete'}>
        <VaultDeleteDialog
          name={name()}
          heldElsewhere={async () => {
            const holder = await vaults.holder(props.id);
            return holder !== undefined && !holder.heldHere;
          }}
          onClose={() => setDialog(undefined)}
          onDelete={deleteVault}
        />
      </Show>
    </section>
  );
}
