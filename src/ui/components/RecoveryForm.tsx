import { createSignal, Show } from 'solid-js';
import { useServices } from '../state/context';
import { newPassphraseProblem, recoveredPassphraseWords } from '../state/new-passphrase';
import { recoverErrorText } from '../state/recovery-text';
import { KeyProgress } from './KeyProgress';
import { NewPassphraseFields } from './NewPassphraseFields';

/**
 * "Forgot your passphrase?": the recovery code, then a new passphrase typed twice (rated as on
 * first run). The keyring is rewritten around the same profile key, so every vault stays.
 */
export function RecoveryForm(props: { onCancel: () => void }) {
  const { app } = useServices();
  const [code, setCode] = createSignal('');
  const [next, setNext] = createSignal('');
  const [repeat, setRepeat] = createSignal('');
  const [error, setError] = createSignal<string>();
  const [busy, setBusy] = createSignal(false);
  const problem = async (): Promise<string | null> => {
    if (!code().trim()) return 'Enter your recovery code.';
    return newPassphraseProblem(next(), repeat(), recoveredPassphraseWords);
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
    setError(undefined);
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
      <NewPassphraseFields
        idPrefix="recovered"
        words={recoveredPassphraseWords}
        passphrase={next()}
        repeat={repeat()}
        onPassphrase={setNext}
        onRepeat={setRepeat}
      />
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
