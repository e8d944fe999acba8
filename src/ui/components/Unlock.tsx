import { createSignal, lazy, Show, Suspense } from 'solid-js';
import { useServices } from '../state/context';
import { unlockErrorText } from '../state/error-text';
import { KeyProgress } from './KeyProgress';
import { PassphraseInput } from './PassphraseInput';

// Only for "Forgot your passphrase?": kept off the first screen's bundle.
const RecoveryForm = lazy(() =>
  import('./RecoveryForm').then((m) => ({ default: m.RecoveryForm })),
);

const lockMessages = {
  manual: 'Locked.',
  idle: 'Locked after a while without activity.',
  'other-tab': 'Locked from another tab.',
} as const;

/** The unlock screen. */
export function Unlock() {
  const { app } = useServices();
  const [passphrase, setPassphrase] = createSignal('');
  const [error, setError] = createSignal<string | null>(null);
  const [busy, setBusy] = createSignal(false);
  // "Forgot your passphrase?" swaps the form for the recovery code's.
  const [recovering, setRecovering] = createSignal(false);
  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    if (!passphrase()) {
      setError('Enter your passphrase.');
      return;
    }
    setError(null);
    setBusy(true);
    try {
      await app.unlock(passphrase());
      setPassphrase('');
    } catch (caught) {
      setError(unlockErrorText(caught));
    } finally {
      setBusy(false);
    }
  };
  return (
    <main class="center-screen">
      <Show
        when={!recovering()}
        fallback={
          <Suspense>
            <RecoveryForm onCancel={() => setRecovering(false)} />
          </Suspense>
        }
      >
        <form class="card" onSubmit={submit} noValidate>
          <div class="brand">
            <img src="/favicon.svg" alt="" />
            <h1>Unlock Coffer</h1>
          </div>
          <Show when={app.lastLockReason()}>
            {(reason) => (
              <p class="notice" role="status">
                {lockMessages[reason()]}
              </p>
            )}
          </Show>
          <PassphraseInput
            id="passphrase"
            label="Passphrase"
            value={passphrase()}
            onInput={setPassphrase}
            autocomplete="current-password"
            describedBy={error() ? 'unlock-error' : undefined}
            invalid={!!error()}
            autofocus
          />
          <KeyProgress progress={app.kdfProgress()} label="Unlocking" />
          <Show when={error()}>
            <p id="unlock-error" class="error-text" role="alert">
              {error()}
            </p>
          </Show>
          <div class="button-row">
            <button type="button" class="quiet" onClick={() => setRecovering(true)}>
              Forgot your passphrase?
            </button>
            <button type="submit" disabled={busy()}>
              Unlock
            </button>
          </div>
        </form>
      </Show>
    </main>
  );
}
