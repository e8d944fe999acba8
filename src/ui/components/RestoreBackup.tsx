import { createSignal, Show } from 'solid-js';
import type { BackupContents } from '../../core/backup';
import {
  type BackupProgress,
  backupFailureText,
  openBackupFile,
  readChosenFile,
  restoreIntoNewProfile,
} from '../state/backup';
import { useServices } from '../state/context';
import { isStrongEnough } from '../state/strength';
import { BackupProgressBar } from './BackupProgressBar';
import { KeyProgress } from './KeyProgress';
import { PassphraseInput } from './PassphraseInput';
import { PassphraseStrength } from './PassphraseStrength';

/**
 * First run, "Restore from a backup": the file and its passphrase (opened whole first, so a
 * wrong passphrase or a damaged file creates nothing), then the new profile's own passphrase.
 * `onDone` is called once the vaults are in (the workspace opens then); `onCancel` goes back.
 */
export function RestoreBackup(props: { onCancel: () => void; onDone: () => void }) {
  const { app } = useServices();
  const [file, setFile] = createSignal<File | null>(null);
  const [backupPassphrase, setBackupPassphrase] = createSignal('');
  const [opened, setOpened] = createSignal<BackupContents | null>(null);
  const [passphrase, setPassphrase] = createSignal('');
  const [repeat, setRepeat] = createSignal('');
  const [progress, setProgress] = createSignal<BackupProgress | null>(null);
  const [error, setError] = createSignal<string | null>(null);
  const mismatch = () => repeat().length > 0 && repeat() !== passphrase();

  const openFile = async (event: SubmitEvent) => {
    event.preventDefault();
    if (progress() !== null) return;
    const chosen = file();
    if (!chosen) return setError('Choose a backup file.');
    if (!backupPassphrase()) return setError('Enter the backup passphrase.');
    setError(null);
    setProgress({ phase: 'deriving', fraction: 0 });
    try {
      setOpened(
        await openBackupFile(await readChosenFile(chosen), backupPassphrase(), {
          onProgress: setProgress,
        }),
      );
      setBackupPassphrase('');
    } catch (caught) {
      setError(backupFailureText(caught, 'restore'));
    } finally {
      setProgress(null);
    }
  };

  const restore = async (event: SubmitEvent) => {
    event.preventDefault();
    const contents = opened();
    if (!contents || progress() !== null) return;
    if (!passphrase()) return setError('Choose a passphrase for this profile.');
    if (!(await isStrongEnough(passphrase())))
      return setError('Choose a stronger passphrase: see the advice under it.');
    if (repeat() !== passphrase()) return setError('The two passphrases are not the same.');
    setError(null);
    setProgress({ phase: 'restoring', fraction: 0 });
    try {
      await restoreIntoNewProfile(app, contents, passphrase(), { onProgress: setProgress });
      props.onDone();
    } catch (caught) {
      setError(backupFailureText(caught, 'restore'));
    } finally {
      setProgress(null);
    }
  };

  return (
    <main class="center-screen">
      <Show
        when={opened()}
        fallback={
          <form class="card" onSubmit={openFile} noValidate aria-label="Restore from a backup">
            <h1>Restore from a backup</h1>
            <p>Choose a Coffer backup file and type the passphrase it was made with.</p>
            <div class="field">
              <label for="first-restore-file">Backup file</label>
              <input
                id="first-restore-file"
                type="file"
                accept=".coffer-backup,application/octet-stream"
                onChange={(event) => setFile(event.currentTarget.files?.[0] ?? null)}
              />
            </div>
            <PassphraseInput
              id="first-restore-passphrase"
              label="Backup passphrase"
              value={backupPassphrase()}
              onInput={setBackupPassphrase}
              autocomplete="current-password"
            />
            <BackupProgressBar progress={progress()} />
            <Show when={error()}>
              <p class="error-text" role="alert">
                {error()}
              </p>
            </Show>
            <div class="button-row">
              <button type="submit" disabled={progress() !== null}>
                Open backup
              </button>
              <button type="button" class="secondary" onClick={() => props.onCancel()}>
                Back
              </button>
            </div>
          </form>
        }
      >
        {(contents) => (
          <form
            class="card"
            onSubmit={restore}
            noValidate
            aria-label="Protect the restored profile"
          >
            <h1>Protect the restored profile</h1>
            <p role="status">
              The backup opened: {contents().vaults.length}{' '}
              {contents().vaults.length === 1 ? 'vault' : 'vaults'}
              {contents().settings ? ' and your settings' : ''}. Choose the passphrase that will
              protect them in this browser.
            </p>
            <p class="hint">
              Restored vaults are new vaults: they do not sync with the original's devices until you
              share them again.
            </p>
            <PassphraseInput
              id="restored-passphrase"
              label="Passphrase"
              value={passphrase()}
              onInput={setPassphrase}
              autocomplete="new-password"
              describedBy="restored-strength"
            />
            <PassphraseStrength passphrase={passphrase()} id="restored-strength" />
            <PassphraseInput
              id="restored-repeat"
              label="Repeat passphrase"
              value={repeat()}
              onInput={setRepeat}
              autocomplete="new-password"
              invalid={mismatch()}
            />
            <KeyProgress progress={app.kdfProgress()} label="Deriving your key" />
            <BackupProgressBar progress={progress()} />
            <Show when={error()}>
              <p class="error-text" role="alert">
                {error()}
              </p>
            </Show>
            <div class="button-row">
              <button type="submit" disabled={progress() !== null}>
                Restore and create profile
              </button>
            </div>
          </form>
        )}
      </Show>
    </main>
  );
}
