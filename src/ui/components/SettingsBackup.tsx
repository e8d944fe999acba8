import { createResource, createSignal, For, Show } from 'solid-js';
import type { VaultSummary } from '../../core/profile';
import {
  type BackupProgress,
  backupFailureText,
  type MadeBackup,
  makeBackup,
} from '../state/backup';
import { useServices } from '../state/context';
import { backupPassphraseWords, newPassphraseProblem } from '../state/new-passphrase';
import { BackupProgressBar } from './BackupProgressBar';
import { ErrorAlert } from './ErrorAlert';
import { NewPassphraseFields } from './NewPassphraseFields';
import { SettingsBackupRestore } from './SettingsBackupRestore';

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** Hands bytes to the browser as a file download, through a short-lived Blob URL. */
function download(name: string, bytes: Uint8Array): void {
  const url = URL.createObjectURL(
    new Blob([new Uint8Array(bytes)], { type: 'application/octet-stream' }),
  );
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/**
 * Settings → Backup: an encrypted backup file of everything (every vault, its history, and
 * the settings) or of one vault, under a backup passphrase typed twice; and restoring one.
 */
export function SettingsBackup() {
  const { app } = useServices();
  const [vaults] = createResource(() => app.session().listVaults());
  const [target, setTarget] = createSignal('');
  const [passphrase, setPassphrase] = createSignal('');
  const [repeat, setRepeat] = createSignal('');
  const [progress, setProgress] = createSignal<BackupProgress | null>(null);
  const [error, setError] = createSignal<string>();
  const [made, setMade] = createSignal<MadeBackup | null>(null);
  const chosen = (): VaultSummary | undefined =>
    (vaults() ?? []).find((vault) => vault.id === target());
  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    if (progress() !== null) return;
    setMade(null);
    setProgress({ phase: 'collecting', fraction: 0 });
    const reason = await newPassphraseProblem(passphrase(), repeat(), backupPassphraseWords);
    if (reason) {
      setError(reason);
      setProgress(null);
      return;
    }
    setError(undefined);
    try {
      const vault = chosen();
      const result = await makeBackup(app, passphrase(), {
        ...(vault ? { vault } : {}),
        onProgress: setProgress,
      });
      // The passphrases are not kept once the file is made.
      setPassphrase('');
      setRepeat('');
      setMade(result);
      download(result.fileName, result.bytes);
    } catch (caught) {
      setError(backupFailureText(caught, 'backup'));
    } finally {
      setProgress(null);
    }
  };
  const last = () => app.settings().lastBackupAt;
  return (
    <section class="settings-section" aria-labelledby="settings-backup">
      <h3 id="settings-backup">Backup</h3>
      <p>
        A backup is one encrypted file with your vaults, every entry's history and your settings,
        sealed under a backup passphrase. Keep it somewhere other than this device.{' '}
        {last() === null
          ? 'No backup has been made yet.'
          : `Last backup: ${dateFormat.format(new Date(last() as number))}.`}
      </p>
      <form onSubmit={submit} noValidate aria-label="Make a backup">
        <div class="field">
          <label for="backup-target">What to back up</label>
          <select
            id="backup-target"
            value={target()}
            onChange={(event) => setTarget(event.currentTarget.value)}
          >
            <option value="">Everything: every vault and the settings</option>
            <For each={vaults() ?? []}>
              {(vault) => <option value={vault.id}>The vault “{vault.name}”</option>}
            </For>
          </select>
        </div>
        <NewPassphraseFields
          idPrefix="backup-new"
          words={backupPassphraseWords}
          passphrase={passphrase()}
          repeat={repeat()}
          onPassphrase={setPassphrase}
          onRepeat={setRepeat}
        />
        <p class="hint">
          The backup passphrase can differ from your profile passphrase. Without it the backup
          cannot be opened: nobody can recover it.
        </p>
        <BackupProgressBar progress={progress()} />
        <ErrorAlert message={error()} />
        <Show when={made()}>
          {(result) => (
            <div class="notice ok" role="status">
              <p class="settings-last">
                Backup made: {result().fileName} ({result().vaults}{' '}
                {result().vaults === 1 ? 'vault' : 'vaults'}).{' '}
                <button
                  type="button"
                  class="secondary small"
                  onClick={() => download(result().fileName, result().bytes)}
                >
                  Download again
                </button>
              </p>
              <Show when={result().leftOut.length > 0}>
                <p class="settings-last">
                  Not in the backup (kept in memory only, filled from an outside secrets manager):{' '}
                  {result().leftOut.join(', ')}.
                </p>
              </Show>
              <Show when={result().partial.length > 0}>
                <p class="settings-last">
                  Damaged, backed up with what could be read: {result().partial.join(', ')}.
                </p>
              </Show>
            </div>
          )}
        </Show>
        <div class="button-row">
          <button type="submit" disabled={progress() !== null}>
            {chosen() ? 'Back up this vault' : 'Back up everything'}
          </button>
        </div>
      </form>
      <SettingsBackupRestore />
    </section>
  );
}
