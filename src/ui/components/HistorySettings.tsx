import { createResource, createSignal, createUniqueId, Show } from 'solid-js';
import { useServices } from '../state/context';
import { vaultHistory } from '../state/entry-history';
import { describeError } from '../state/error-text';
import type { OpenVault } from '../state/open-vault';
import '../styles/history.css';

/**
 * The vault's retention, in its Vault actions: versions kept per entry and days a deleted
 * entry is kept. It is a setting of the vault (it syncs), so every device prunes alike.
 */
export function HistorySettings(props: { vault: OpenVault | undefined }) {
  const { app } = useServices();
  const versionsId = createUniqueId();
  const daysId = createUniqueId();
  const history = () => (props.vault ? vaultHistory(app.session(), props.vault) : undefined);
  const [current, { refetch }] = createResource(
    () => props.vault?.id,
    async () => history()?.settings(),
  );
  const [status, setStatus] = createSignal('');
  const [failure, setFailure] = createSignal<string | undefined>();
  let versionsInput!: HTMLInputElement;
  let daysInput!: HTMLInputElement;
  const save = async (event: SubmitEvent) => {
    event.preventDefault();
    setStatus('');
    setFailure(undefined);
    try {
      await history()?.setSettings({
        versionsPerEntry: Number(versionsInput.value),
        deletedDays: Number(daysInput.value),
      });
      setStatus('History settings saved.');
      await refetch();
    } catch (error) {
      setFailure(describeError(error));
    }
  };
  return (
    <form
      class="history-settings"
      aria-label="History settings"
      noValidate
      onSubmit={(e) => void save(e)}
    >
      <Show
        when={current()}
        fallback={<p class="hint">Open the vault here to change its history settings.</p>}
      >
        {(settings) => (
          <>
            <div class="field">
              <label for={versionsId}>Versions kept per entry</label>
              <input
                id={versionsId}
                ref={versionsInput}
                type="number"
                min="1"
                max="1000"
                step="1"
                value={settings().versionsPerEntry}
              />
            </div>
            <div class="field">
              <label for={daysId}>Days a deleted entry is kept</label>
              <input
                id={daysId}
                ref={daysInput}
                type="number"
                min="1"
                max="3650"
                step="1"
                value={settings().deletedDays}
              />
            </div>
            <button type="submit" class="secondary small">
              Save history settings
            </button>
          </>
        )}
      </Show>
      <Show when={status()}>
        <span class="hint" role="status">
          {status()}
        </span>
      </Show>
      <Show when={failure()}>
        <span class="error-text" role="alert">
          {failure()}
        </span>
      </Show>
    </form>
  );
}
