import { createSignal, Show } from 'solid-js';
import type { VaultId } from '../../core/profile';
import { useServices } from '../state/context';
import { describeCorruption } from '../state/damage';
import { describeVaultError, vaultsFor } from '../state/vaults';
import { useWorkspace } from '../state/workspace';
import { Dialog } from './Dialog';

/**
 * A vault whose catalog record cannot be read: its name and key are sealed in that record, so
 * this device cannot open it. Says so, says that nothing was changed, and offers what works:
 * joining it again from a device that has it (its stored contents then open again), or
 * removing it from this device for good, behind a confirmation.
 */
export function UnreadableVaultPane(props: { id: VaultId; onJoin: () => void }) {
  const { app } = useServices();
  const workspace = useWorkspace();
  const vaults = vaultsFor(workspace, () => app.session());
  const [confirming, setConfirming] = createSignal(false);
  const [failure, setFailure] = createSignal<string | undefined>();
  const record = () => vaults.unreadable().find((candidate) => candidate.id === props.id);

  const remove = async () => {
    setFailure(undefined);
    try {
      await vaults.removeUnreadable(props.id);
      setConfirming(false);
      workspace.show({ name: 'home' });
    } catch (error) {
      setFailure(describeVaultError(error));
    }
  };

  return (
    <section class="vault-pane" aria-labelledby="unreadable-title">
      <div class="vault-pane-head">
        <h2 id="unreadable-title">Unreadable vault</h2>
      </div>
      <Show
        when={record()}
        fallback={
          <p class="notice">This record is no longer here (it was removed or recovered).</p>
        }
      >
        {(found) => (
          <div class="notice danger" role="alert">
            <p>
              <strong>This vault's record {describeCorruption(found().reason)}.</strong> The record
              holds the vault's name and key, so this device cannot open the vault (id{' '}
              <span class="mono">{found().id}</span>).
            </p>
            <p>
              Nothing was changed or thrown away: the record and the{' '}
              {found().storedRecords === 1
                ? '1 stored record'
                : `${found().storedRecords} stored records`}{' '}
              of the vault's contents are kept exactly as they are.
            </p>
            <p>What you can do:</p>
            <ul>
              <li>
                If another device has this vault, make an invitation there (Add a device) and join
                with it here: the vault opens again with what is stored here.
              </li>
              <li>Or remove it from this device, for good.</li>
            </ul>
            <div class="button-row">
              <button type="button" class="secondary" onClick={() => props.onJoin()}>
                Join with an invitation
              </button>
              <button type="button" class="secondary" onClick={() => setConfirming(true)}>
                Remove from this device…
              </button>
            </div>
          </div>
        )}
      </Show>
      <Dialog
        open={confirming()}
        title="Remove unreadable vault"
        onClose={() => setConfirming(false)}
        actions={
          <>
            <button type="button" class="secondary" onClick={() => setConfirming(false)}>
              Cancel
            </button>
            <button type="button" class="danger" onClick={() => void remove()}>
              Remove for good
            </button>
          </>
        }
      >
        <p>
          This removes the unreadable record and everything stored with it from this device. It
          cannot be undone, and no device can fill it back in here afterwards.
        </p>
        <Show when={failure()}>
          {(message) => (
            <p class="notice danger" role="alert">
              {message()}
            </p>
          )}
        </Show>
      </Dialog>
    </section>
  );
}
