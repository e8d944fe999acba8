import { createSignal, Show } from 'solid-js';
import { useServices } from '../state/context';
import { newPassphraseProblem, profilePassphraseWords } from '../state/new-passphrase';
import { ErrorAlert } from './ErrorAlert';
import { KeyProgress } from './KeyProgress';
import { NewPassphraseFields } from './NewPassphraseFields';

/**
 * First run: create the profile with a passphrase typed twice, or (`onRestore`) restore one
 * from a backup file instead.
 */
export function FirstRun(props: { onRestore?: () => void }) {
  const { app } = useServices();
  const [passphrase, setPassphrase] = createSignal('');
  const [repeat, setRepeat] = createSignal('');
  const [understood, setUnderstood] = createSignal(false);
  const [error, setError] = createSignal<string>();
  const [busy, setBusy] = createSignal(false);
  const problem = async (): Promise<string | null> => {
    const reason = await newPassphraseProblem(passphrase(), repeat(), profilePassphraseWords);
    if (reason) return reason;
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
    setError(undefined);
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
        <NewPassphraseFields
          idPrefix="new"
          words={profilePassphraseWords}
          passphrase={passphrase()}
          repeat={repeat()}
          onPassphrase={setPassphrase}
          onRepeat={setRepeat}
          autofocus
        />
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
        <ErrorAlert message={error()} />
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
