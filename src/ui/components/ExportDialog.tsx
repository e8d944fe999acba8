import { createSignal, createUniqueId, onCleanup, Show } from 'solid-js';
import { describeError } from '../state/error-text';
import {
  describeLeftOut,
  type ExportFormat,
  type ExportResult,
  exportFileName,
  exportOpenVault,
  isPlaintextFormat,
  saveExport,
} from '../state/export';
import type { OpenVault } from '../state/open-vault';
import { Dialog } from './Dialog';
import { ErrorAlert } from './ErrorAlert';
import { ExportFormatChoice } from './ExportFormatChoice';
import { KeyProgress } from './KeyProgress';
import { PassphraseInput } from './PassphraseInput';
import { PassphraseStrength } from './PassphraseStrength';

/**
 * Exports the open vault to a file the browser downloads. Plaintext formats (.env, JSON) need
 * the vault's name typed to confirm; KDBX needs a passphrase, typed twice, with its strength
 * shown, and shows the key derivation's progress. Write-only secrets are never exported: the
 * dialog says how many before, and the result lists them.
 */
export function ExportDialog(props: { vault: OpenVault; onClose: () => void }) {
  const confirmId = createUniqueId();
  const confirmHintId = createUniqueId();
  const passphraseId = createUniqueId();
  const repeatId = createUniqueId();
  const strengthId = createUniqueId();
  const [format, setFormat] = createSignal<ExportFormat>('kdbx');
  const [typed, setTyped] = createSignal('');
  const [passphrase, setPassphrase] = createSignal('');
  const [repeat, setRepeat] = createSignal('');
  const [progress, setProgress] = createSignal<number | null>(null);
  const [busy, setBusy] = createSignal(false);
  const [failure, setFailure] = createSignal<string | undefined>();
  const [done, setDone] = createSignal<ExportResult | undefined>();
  let controller: AbortController | undefined;
  onCleanup(() => controller?.abort());

  const plaintext = () => isPlaintextFormat(format());
  const writeOnly = () => props.vault.entries().filter((entry) => entry.writeOnly).length;
  const ready = () =>
    plaintext()
      ? typed().trim() === props.vault.name.trim()
      : passphrase().length > 0 && passphrase() === repeat();

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    if (!ready() || busy()) return;
    setBusy(true);
    setFailure(undefined);
    controller = new AbortController();
    try {
      const result = await exportOpenVault(props.vault, {
        format: format(),
        ...(plaintext() ? { confirmation: typed() } : { passphrase: passphrase() }),
        signal: controller.signal,
        onProgress: (phase, count, total) => {
          if (phase === 'deriving-key') setProgress(total > 0 ? count / total : 0);
        },
      });
      saveExport(result);
      setDone(result);
      setPassphrase('');
      setRepeat('');
    } catch (error) {
      setFailure(describeError(error));
    } finally {
      controller = undefined;
      setProgress(null);
      setBusy(false);
    }
  };

  return (
    <Dialog open title="Export vault" onClose={props.onClose}>
      <Show
        when={done()}
        fallback={
          <form onSubmit={submit} noValidate>
            <ExportFormatChoice format={format()} onFormat={setFormat} disabled={busy()} />
            <Show when={writeOnly() > 0}>
              <p class="hint">
                {writeOnly() === 1
                  ? '1 write-only secret will not be exported: '
                  : `${writeOnly()} write-only secrets will not be exported: `}
                write-only means no one reads it back, not even from a file.
              </p>
            </Show>
            <Show
              when={plaintext()}
              fallback={
                <>
                  <PassphraseInput
                    id={passphraseId}
                    label="Passphrase for the file"
                    value={passphrase()}
                    onInput={setPassphrase}
                    autocomplete="new-password"
                    describedBy={strengthId}
                  />
                  <PassphraseStrength passphrase={passphrase()} id={strengthId} />
                  <PassphraseInput
                    id={repeatId}
                    label="Repeat the passphrase"
                    value={repeat()}
                    onInput={setRepeat}
                    autocomplete="new-password"
                    invalid={repeat().length > 0 && repeat() !== passphrase()}
                  />
                  <Show when={repeat().length > 0 && repeat() !== passphrase()}>
                    <span class="error-text">The two passphrases are not the same.</span>
                  </Show>
                  <KeyProgress progress={progress()} label="Protecting the file" />
                </>
              }
            >
              <p class="notice warning">
                A plaintext file: anyone who can read{' '}
                <strong>{exportFileName(props.vault.name, format())}</strong> reads every value in
                it. Delete it when you are done.
              </p>
              <div class="field">
                <label for={confirmId}>Type the vault's name to confirm</label>
                <input
                  id={confirmId}
                  type="text"
                  autocomplete="off"
                  spellcheck={false}
                  value={typed()}
                  aria-describedby={confirmHintId}
                  onInput={(event) => setTyped(event.currentTarget.value)}
                />
                <span id={confirmHintId} class="hint">
                  The vault is <strong class="vault-name-literal">{props.vault.name}</strong>.
                </span>
              </div>
            </Show>
            <ErrorAlert message={failure()} />
            <div class="dialog-actions">
              <button type="button" class="secondary" onClick={() => props.onClose()}>
                Cancel
              </button>
              <button
                type="submit"
                class={plaintext() ? 'danger' : ''}
                disabled={!ready() || busy()}
              >
                {busy() ? 'Exporting…' : 'Export'}
              </button>
            </div>
          </form>
        }
      >
        {(result) => (
          <>
            <p role="status">
              Exported {result().exported} {result().exported === 1 ? 'entry' : 'entries'} to{' '}
              <strong>{result().fileName}</strong>.
            </p>
            <Show when={result().leftOut.length > 0}>
              <ul class="hint">
                {describeLeftOut(result().leftOut).map((line) => (
                  <li>{line}</li>
                ))}
              </ul>
            </Show>
            <Show when={result().plaintext}>
              <p class="notice warning">
                This file is plaintext. Delete it from your downloads when you are done with it.
              </p>
            </Show>
            <div class="dialog-actions">
              <button type="button" onClick={() => props.onClose()}>
                Done
              </button>
            </div>
          </>
        )}
      </Show>
    </Dialog>
  );
}
