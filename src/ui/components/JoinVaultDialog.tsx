import '../styles/sync.css';
import { createSignal, createUniqueId, Match, Show, Switch } from 'solid-js';
import { useServices } from '../state/context';
import { vaultsFor } from '../state/vaults';
import { useWorkspace } from '../state/workspace';
import { Dialog } from './Dialog';

/**
 * Joining a vault with an invitation, from a link opened in the address bar or pasted here:
 * says what will happen, asks a device of the vault for it, then opens it.
 */
export function JoinVaultDialog(props: { onClose: () => void }) {
  const { app, join } = useServices();
  const workspace = useWorkspace();
  const vaults = vaultsFor(workspace, () => app.session());
  const pasteId = createUniqueId();
  const [pasted, setPasted] = createSignal('');

  const start = async () => {
    const vault = await join.join(app.session());
    if (!vault) return;
    await vaults.refresh();
    workspace.show({ name: 'vault', id: vault.id });
  };
  const close = () => {
    join.dismiss();
    props.onClose();
  };
  const phase = () => join.phase();

  return (
    <Dialog open title="Join a shared vault" onClose={close} class="join-dialog">
      <Switch>
        <Match when={phase() === undefined}>
          <form
            onSubmit={(event) => {
              event.preventDefault();
              join.offer(pasted());
            }}
          >
            <div class="field">
              <label for={pasteId}>Invitation link</label>
              <input
                id={pasteId}
                type="text"
                autocomplete="off"
                spellcheck={false}
                value={pasted()}
                onInput={(event) => setPasted(event.currentTarget.value)}
                autofocus
              />
              <span class="hint">
                Paste the link from the device that shared the vault (Add a device, there).
              </span>
            </div>
            <div class="dialog-actions">
              <button type="button" class="secondary" onClick={close}>
                Cancel
              </button>
              <button type="submit" disabled={pasted().trim() === ''}>
                Continue
              </button>
            </div>
          </form>
        </Match>
        <Match when={phase()?.step === 'ready'}>
          <p>
            This invitation adds a vault to this profile, and keeps it in sync with the devices that
            share it. The vault must be open on one of them, online, for this to work.
          </p>
          <div class="dialog-actions">
            <button type="button" class="secondary" onClick={close}>
              Cancel
            </button>
            <button type="button" onClick={() => void start()}>
              Join vault
            </button>
          </div>
        </Match>
        <Match when={phase()?.step === 'asking' && phase()} keyed>
          {(asking) => (
            <>
              <p role="status">
                {asking.step === 'asking' && asking.connected
                  ? 'Connected to a device of the vault: waiting for its answer…'
                  : 'Looking for a device that has the vault…'}
              </p>
              <progress class="progress" aria-label="Joining" />
              <div class="dialog-actions">
                <button type="button" class="secondary" onClick={close}>
                  Cancel
                </button>
              </div>
            </>
          )}
        </Match>
        <Match when={phase()?.step === 'failed' && phase()} keyed>
          {(failed) => (
            <>
              <p class="notice danger" role="alert">
                {failed.step === 'failed' ? failed.message : ''}
              </p>
              <div class="dialog-actions">
                <button type="button" class="secondary" onClick={close}>
                  Close
                </button>
                <Show when={failed.step === 'failed' && failed.token}>
                  <button type="button" onClick={() => void start()}>
                    Try again
                  </button>
                </Show>
              </div>
            </>
          )}
        </Match>
        <Match when={phase()?.step === 'joined' && phase()} keyed>
          {(joined) => (
            <>
              <p class="notice ok" role="status">
                Added “{joined.step === 'joined' ? joined.vault.name : ''}”. It is open now and
                keeps in sync while it is open.
              </p>
              <div class="dialog-actions">
                <button type="button" onClick={close}>
                  Done
                </button>
              </div>
            </>
          )}
        </Match>
      </Switch>
    </Dialog>
  );
}
