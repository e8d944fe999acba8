import { createResource, createSignal, createUniqueId, Show } from 'solid-js';
import { describeVaultError } from '../state/vaults';
import { Dialog } from './Dialog';

/**
 * Deleting a vault is for good, so the "Delete vault" button only enables once the vault's
 * name is typed exactly. Warns when another tab has the vault open (the delete would fail).
 */
export function VaultDeleteDialog(props: {
  name: string;
  /** Whether another tab holds the vault (checked when the dialog opens). */
  heldElsewhere: () => Promise<boolean>;
  onDelete: () => Promise<void>;
  onClose: () => void;
}) {
  const inputId = createUniqueId();
  const hintId = createUniqueId();
  const [typed, setTyped] = createSignal('');
  const [failure, setFailure] = createSignal<string | undefined>();
  const [busy, setBusy] = createSignal(false);
  const [elsewhere] = createResource(() => props.heldElsewhere());
  const matches = () => typed() === props.name;

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    if (!matches() || busy()) return;
    setBusy(true);
    setFailure(undefined);
    try {
      await props.onDelete();
    } catch (error) {
      setFailure(describeVaultError(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog open title="Delete vault" onClose={props.onClose}>
      <form onSubmit={submit} noValidate>
        <p>
          This deletes the vault <strong class="vault-name-literal">{props.name}</strong> and every
          entry in it, on this device. It cannot be undone.
        </p>
        <Show when={elsewhere()}>
          <p class="notice warning" role="status">
            This vault is open in another tab. It must be closed there before it can be deleted.
          </p>
        </Show>
        <div class="field">
          <label for={inputId}>Type the vault's name to confirm</label>
          <input
            id={inputId}
            type="text"
            autocomplete="off"
            spellcheck={false}
            value={typed()}
            aria-describedby={hintId}
            onInput={(event) => {
              setTyped(event.currentTarget.value);
              setFailure(undefined);
            }}
            autofocus
          />
          <span id={hintId} class="hint">
            Exactly as shown above, including capitals.
          </span>
          <Show when={failure()}>
            {(message) => (
              <span class="error-text" role="alert">
                {message()}
              </span>
            )}
          </Show>
        </div>
        <div class="dialog-actions">
          <button type="button" class="secondary" onClick={() => props.onClose()}>
            Cancel
          </button>
          <button type="submit" class="danger" disabled={!matches() || busy()}>
            Delete vault
          </button>
        </div>
      </form>
    </Dialog>
  );
}
