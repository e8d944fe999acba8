import { createSignal, Show } from 'solid-js';
import { useServices } from '../state/context';
import { recoverErrorText } from '../state/recovery-text';
import { isStrongEnough } from '../state/strength';
import { KeyProgress } from './KeyProgress';
import { PassphraseInput } from './PassphraseInput';
import { PassphraseStrength } from './PassphraseStrength';

/**
 * "Forgot your passphrase?": the recovery code, then a new passphrase typed twice (rated as on
 * first run). The keyring is rewritten around the same profile key, so every vault stays.
 */
export function RecoveryForm(props: { onCancel: () => void }) {
  const { app } = useServices();
  const [code, setCode] = createSignal('');
  const [next, setNext] = createSignal('');
  const [repeat, setRepeat] = createSignal('');
  const [error, setError] = createSignal<string | null>(null);
  const [busy, setBusy] = createSignal(false);
  const mismatch = () => repeat().length > 0 && repeat() !== next();
  const problem = async (): Promise<string | null> => {
    if (!code().trim()) return 'Enter your recovery code.';
    if (!next()) return 'Choose a new passphrase.';
    if (!(await isStrongEnough(next())))
      return 'Choose a stronger passphrase: see the advice under it.';
    if (repeat() !== next()) return 'The two new passphrases are not the same.';
    return null;
  };
  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    if (busy()) return;
    setBusy(true);
    const reason = await problem();
    if (reason) {
      setError(reason);
      setBusy(false);
      return;
    }
    setError(null);
    try {
      await app.recover(code(), next());
      // Nothing typed outlives the recovery.
      setCode('');
      setNext('');
      setRepeat('');
    } catch (caught) {
      setError(recoverErrorText(caught));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="card" onSubmit={submit} noValidate>
      <div class="brand">
        <img src="/favicon.svg" alt="" />
        <h1>Recover your profile</h1>
      </div>
      <p>
        Type the code from your recovery kit, then choose a new passphrase. Your vaults stay as they
        are.
      </p>
      <div class="field">
        <label for="recovery-code">Recovery code</label>
        <input
          id="recovery-code"
          class="recovery-code-input"
          type="text"
          value={code()}
          onInput={(event) => setCode(event.currentTarget.value)}
          autocomplete="off"
          spellcheck={false}
          autocapitalize="characters"
          aria-describedby={error() ? 'recover-error' : 'recovery-code-hint'}
          aria-invalid={error() ? 'true' : undefined}
          autofocus
        />
        <span id="recovery-code-hint" class="hint">
          31 letters and digits in 5 groups; case, spaces and dashes do not matter.
        </span>
      </div>
      <PassphraseInput
        id="recovered-passphrase"
        label="New passphrase"
        value={next()}
        onInput={setNext}
        autocomplete="new-password"
        describedBy="recovered-strength"
      />
      <PassphraseStrength passphrase={next()} id="recovered-strength" />
      <PassphraseInput
        id="repeat-recovered-passphrase"
        label="Repeat new passphrase"
        value={repeat()}
        onInput={setRepeat}
        autocomplete="new-password"
        describedBy={mismatch() ? 'repeat-recovered-error' : undefined}
        invalid={mismatch()}
      />
      <Show when={mismatch()}>
        <span id="repeat-recovered-error" class="error-text">
          The two new passphrases are not the same.
        </span>
      </Show>
      <KeyProgress progress={app.kdfProgress()} label="Sealing your key" />
      <Show when={error()}>
        <p id="recover-error" class="error-text" role="alert">
          {error()}
        </p>
      </Show>
      <div class="button-row">
        <button type="button" class="secondary" onClick={() => props.onCancel()}>
          Back to unlock
        </button>
        <button type="submit" disabled={busy()}>
          Recover and unlock
        </button>
      </div>
    </form>
  );
}
