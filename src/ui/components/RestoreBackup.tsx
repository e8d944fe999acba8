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
import {
  backupFileToOpen,
  newPassphraseProblem,
  restoredPassphraseWords,
} from '../state/new-passphrase';
import { BackupFileFields } from './BackupFileFields';
import { BackupProgressBar } from './BackupProgressBar';
import { ErrorAlert } from './ErrorAlert';
import { KeyProgress } from './KeyProgress';
import { NewPassphraseFields } from './NewPassphraseFields';

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
  const [error, setError] = createSignal<string>();

  const openFile = async (event: SubmitEvent) => {
    event.preventDefault();
    if (progress() !== null) return;
    const chosen = backupFileToOpen(file(), backupPassphrase());
    if (typeof chosen === 'string') return setError(chosen);
    setError(undefined);
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
    const reason = await newPassphraseProblem(passphrase(), repeat(), restoredPassphraseWords);
    if (reason) return setError(reason);
    setError(undefined);
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
            <BackupFileFields
              idPrefix="first-restore"
              passphrase={backupPassphrase()}
              onPassphrase={setBackupPassphrase}
              onFile={setFile}
            />
            <BackupProgressBar progress={progress()} />
            <ErrorAlert message={error()} />
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
            <NewPassphraseFields
              idPrefix="restored"
              words={restoredPassphraseWords}
              passphrase={passphrase()}
              repeat={repeat()}
              onPassphrase={setPassphrase}
              onRepeat={setRepeat}
            />
            <KeyProgress progress={app.kdfProgress()} label="Deriving your key" />
            <BackupProgressBar progress={progress()} />
            <ErrorAlert message={error()} />
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
