import { createSignal, For, Show } from 'solid-js';
import {
  type BackupProgress,
  backupFailureText,
  openBackupFile,
  type RestoreSummary,
  readChosenFile,
  restoreIntoProfile,
} from '../state/backup';
import { useServices } from '../state/context';
import { backupFileToOpen } from '../state/new-passphrase';
import { vaultsFor } from '../state/vaults';
import { useWorkspace } from '../state/workspace';
import { BackupFileFields } from './BackupFileFields';
import { BackupProgressBar } from './BackupProgressBar';
import { ErrorAlert } from './ErrorAlert';

/**
 * Restoring a backup into this profile: always as new vaults beside the ones here (a taken
 * name gets " (restored)"), never overwriting; the settings only if asked.
 */
export function SettingsBackupRestore() {
  const { app } = useServices();
  const vaults = vaultsFor(useWorkspace(), () => app.session());
  const [file, setFile] = createSignal<File | null>(null);
  const [passphrase, setPassphrase] = createSignal('');
  const [replaceSettings, setReplaceSettings] = createSignal(false);
  const [progress, setProgress] = createSignal<BackupProgress | null>(null);
  const [error, setError] = createSignal<string>();
  const [done, setDone] = createSignal<RestoreSummary | null>(null);
  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    if (progress() !== null) return;
    setDone(null);
    const chosen = backupFileToOpen(file(), passphrase());
    if (typeof chosen === 'string') return setError(chosen);
    setError(undefined);
    setProgress({ phase: 'opening', fraction: 0 });
    try {
      const contents = await openBackupFile(await readChosenFile(chosen), passphrase(), {
        onProgress: setProgress,
      });
      const summary = await restoreIntoProfile(app, contents, {
        replaceSettings: replaceSettings(),
        onProgress: setProgress,
      });
      setPassphrase('');
      setDone(summary);
      await vaults.refresh();
    } catch (caught) {
      setError(backupFailureText(caught, 'restore'));
    } finally {
      setProgress(null);
    }
  };
  return (
    // Folded away: restoring is rare, and its controls would lengthen the tab order of Settings.
    <details class="settings-backup-restore">
      <summary>Restore a backup into this profile</summary>
      <form onSubmit={submit} noValidate aria-label="Restore a backup">
        <p class="hint">
          Restored vaults are new vaults beside yours; nothing here is overwritten. They do not sync
          with the original's devices until you share them again.
        </p>
        <BackupFileFields
          idPrefix="restore"
          passphrase={passphrase()}
          onPassphrase={setPassphrase}
          onFile={setFile}
        />
        <label class="checkbox">
          <input
            type="checkbox"
            checked={replaceSettings()}
            onChange={(event) => setReplaceSettings(event.currentTarget.checked)}
          />
          Also replace my settings with the backup's
        </label>
        <BackupProgressBar progress={progress()} />
        <ErrorAlert message={error()} />
        <Show when={done()}>
          {(summary) => (
            <div class="notice ok" role="status">
              <p class="settings-last">
                Restored {summary().vaults.length}{' '}
                {summary().vaults.length === 1 ? 'vault' : 'vaults'}: {summary().vaults.join(', ')}.
                {summary().settingsRestored ? ' Settings restored.' : ''}
              </p>
              <For each={summary().renamed}>
                {(rename) => (
                  <p class="settings-last">
                    “{rename.from}” was restored as “{rename.to}”: the name was taken here.
                  </p>
                )}
              </For>
            </div>
          )}
        </Show>
        <div class="button-row">
          <button type="submit" disabled={progress() !== null}>
            Restore
          </button>
        </div>
      </form>
    </details>
  );
}
