import { createSignal, createUniqueId, Show } from 'solid-js';
import type { VaultId } from '../../core/profile';
import { useServices } from '../state/context';
import { vaultsFor } from '../state/vaults';
import { useWorkspace } from '../state/workspace';
import '../styles/vaults.css';
import { VaultNameStyleSwitch } from './VaultNameStyleSwitch';
import { VaultSession } from './VaultSession';

/**
 * The main pane for the selected vault: its name, its actions (rename, delete, naming rule)
 * behind one "Vault actions" button (their dialogs are VaultActionDialogs, above the panes),
 * and a VaultSession that holds it open. The vault is
 * addressed by id, so renaming it here (or another vault taking its old name) keeps the
 * session and its lock.
 */
export function VaultPane(props: { id: VaultId }) {
  const { app } = useServices();
  const workspace = useWorkspace();
  const vaults = vaultsFor(workspace, () => app.session());
  const actionsId = createUniqueId();
  const [actionsOpen, setActionsOpen] = createSignal(false);
  const name = () => vaults.nameOf(props.id) ?? vaults.current()?.name ?? '';

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
            <button
              type="button"
              class="secondary small"
              onClick={() => vaults.askFor({ kind: 'rename', id: props.id })}
            >
              Rename…
            </button>
            <button
              type="button"
              class="secondary small"
              onClick={() => vaults.askFor({ kind: 'delete', id: props.id })}
            >
              Delete…
            </button>
          </div>
          <VaultNameStyleSwitch vault={vaults.current()} />
        </section>
      </Show>
      <VaultSession id={props.id} vaults={vaults} />
    </section>
  );
}
