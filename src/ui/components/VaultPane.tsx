import type { VaultId } from '../../core/profile';
import { useServices } from '../state/context';
import { vaultsFor } from '../state/vaults';
import { useWorkspace } from '../state/workspace';
import '../styles/vaults.css';
import { ExportButton } from './ExportButton';
import { HistorySettings } from './HistorySettings';
import { ImportButton } from './ImportButton';
import { PaneHead } from './PaneHead';
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
  const name = () => vaults.nameOf(props.id) ?? vaults.current()?.name ?? '';

  return (
    <section class="vault-pane" aria-labelledby="vault-pane-title">
      <PaneHead titleId="vault-pane-title" name={name()} actionsLabel="Vault actions">
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
          <ExportButton vault={vaults.current()} />
          <ImportButton vault={vaults.current()} />
        </div>
        <VaultNameStyleSwitch vault={vaults.current()} />
        <HistorySettings vault={vaults.current()} />
      </PaneHead>
      <VaultSession id={props.id} vaults={vaults} />
    </section>
  );
}
