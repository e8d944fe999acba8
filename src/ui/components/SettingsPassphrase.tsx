import { createSignal, Show } from 'solid-js';
import { useServices } from '../state/context';
import { passphraseChangeErrorText } from '../state/error-text';
import { isStrongEnough } from '../state/strength';
import { KeyProgress } from './KeyProgress';
import { PassphraseInput } from './PassphraseInput';
import { PassphraseStrength } from './PassphraseStrength';

/**
 * Change the passphrase: the current one, a new one (rated like on first run) typed twice.
 * The profile key is re-sealed in one write, so an interrupted change leaves the old one working.
 */
export function SettingsPassphrase() {
  const { app } = useServices();
  const [current, setCurrent] = createSignal('');
  const [next, setNext] = createSignal('');
  const [repeat, setRepeat] = createSignal('');
  const [error, setError] = createSignal<string | null>(null);
  const [done, setDone] = createSignal(false);
  const [progress, setProgress] = createSignal<number | null>(null);
  const mismatch = () => repeat().length > 0 && repeat() !== next();
  const problem = async (): Promise<string | null> => {
    if (!current()) return 'Enter your current passphrase.';
    if (!next()) return 'Choose a new passphrase.';
    if (!(await isStrongEnough(next())))
      return 'Choose a stronger passphrase: see the advice under it.';
    if (repeat() !== next()) return 'The two new passphrases are not the same.';
    if (next() === current()) return 'The new passphrase is the same as the current one.';
    return null;
  };
  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    setDone(false);
    if (progress() !== null) return;
    setProgress(0);
    const reason = await problem();
    if (reason) {
      setError(reason);
      setProgress(null);
      return;
    }
    setError(null);
    try {
      await app.session().changePassphrase(current(), next(), { onProgress: setProgress });
      // Nothing typed outlives the change: the fields are cleared with the success message.
      setCurrent('');
      setNext('');
      setRepeat('');
      setDone(true);
    } catch (caught) {
      setError(passphraseChangeErrorText(caught));
    } finally {
      setProgress(null);
    }
  };
  return (
    <section class="settings-section" aria-labelledby="settings-passphrase">
      <h3 id="settings-passphrase">Change passphrase</h3>
      <form onSubmit={submit} noValidate>
        <PassphraseInput
          id="current-passphrase"
          label="Current passphrase"
          value={current()}
          onInput={setCurrent}
          autocomplete="current-password"
        />
        <PassphraseInput
          id="changed-passphrase"
          label="New passphrase"
          value={next()}
          onInput={setNext}
          autocomplete="new-password"
          describedBy="changed-strength"
        />
        <PassphraseStrength passphrase={next()} id="changed-strength" />
        <PassphraseInput
          id="repeat-changed-passphrase"
          label="Repeat new passphrase"
          value={repeat()}
          onInput={setRepeat}
          autocomplete="new-password"
          describedBy={mismatch() ? 'repeat-changed-error' : undefined}
          invalid={mismatch()}
        />
        <Show when={mismatch()}>
          <span id="repeat-changed-error" class="error-text">
            The two new passphrases are not the same.
          </span>
        </Show>
        <KeyProgress progress={progress()} label="Re-sealing your key" />
        <Show when={error()}>
          <p class="error-text" role="alert">
            {error()}
          </p>
        </Show>
        <Show when={done()}>
          <p class="notice ok" role="status">
            Passphrase changed. Use the new one from now on, on this device.
          </p>
        </Show>
        <div class="button-row">
          <button type="submit" disabled={progress() !== null}>
            Change passphrase
          </button>
        </div>
      </form>
    </section>
  );
}
