import { createSignal, Show } from 'solid-js';
import { useServices } from '../state/context';
import { isStrongEnough } from '../state/strength';
import { KeyProgress } from './KeyProgress';
import { PassphraseInput } from './PassphraseInput';
import { PassphraseStrength } from './PassphraseStrength';

/**
 * First run: create the profile with a passphrase typed twice, or (`onRestore`) restore one
 * from a backup file instead.
 */
export function FirstRun(props: { onRestore?: () => void }) {
  const { app } = useServices();
  const [passphrase, setPassphrase] = createSignal('');
  const [repeat, setRepeat] = createSignal('');
  const [understood, setUnderstood] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);
  const [busy, setBusy] = createSignal(false);
  const mismatch = () => repeat().length > 0 && repeat() !== passphrase();
  const problem = async (): Promise<string | null> => {
    if (!passphrase()) return 'Choose a passphrase.';
    if (!(await isStrongEnough(passphrase())))
      return 'Choose a stronger passphrase: see the advice under it.';
    if (repeat() !== passphrase()) return 'The two passphrases are not the same.';
    if (!understood())
      return 'Confirm that you understand a forgotten passphrase cannot be recovered.';
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
      await app.createProfile(passphrase());
    } catch (caught) {
      setError(
        `Could not create the profile: ${caught instanceof Error ? caught.message : String(caught)}`,
      );
    } finally {
      setBusy(false);
    }
  };
  return (
    <main class="center-screen">
      <form class="card" onSubmit={submit} noValidate>
        <div class="brand">
          <img src="/favicon.svg" alt="" />
          <h1>Create your Coffer profile</h1>
        </div>
        <p>
          Coffer keeps your vaults encrypted in this browser. Choose a passphrase to protect them:
          it never leaves this device.
        </p>
        <PassphraseInput
          id="new-passphrase"
          label="Passphrase"
          value={passphrase()}
          onInput={setPassphrase}
          autocomplete="new-password"
          describedBy="strength"
          autofocus
        />
        <PassphraseStrength passphrase={passphrase()} id="strength" />
        <PassphraseInput
          id="repeat-passphrase"
          label="Repeat passphrase"
          value={repeat()}
          onInput={setRepeat}
          autocomplete="new-password"
          describedBy={mismatch() ? 'repeat-error' : undefined}
          invalid={mismatch()}
        />
        <Show when={mismatch()}>
          <span id="repeat-error" class="error-text">
            The two passphrases are not the same.
          </span>
        </Show>
        <div class="notice warning" role="note">
          <strong>There is no way to recover a forgotten passphrase.</strong> Nobody, including us,
          can open your vaults without it or a recovery code. Write it down somewhere safe, and save
          the recovery kit offered next.
        </div>
        <label class="checkbox">
          <input
            type="checkbox"
            checked={understood()}
            onChange={(event) => setUnderstood(event.currentTarget.checked)}
          />
          I understand that a forgotten passphrase cannot be recovered
        </label>
        <KeyProgress progress={app.kdfProgress()} label="Deriving your key" />
        <Show when={error()}>
          <p class="error-text" role="alert">
            {error()}
          </p>
        </Show>
        <div class="button-row">
          <button type="submit" disabled={busy()}>
            Create profile
          </button>
          <Show when={props.onRestore}>
            <button type="button" class="secondary" onClick={() => props.onRestore?.()}>
              Restore from a backup
            </button>
          </Show>
        </div>
      </form>
    </main>
  );
}
