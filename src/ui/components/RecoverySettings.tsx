import { createResource, createSignal, Match, Show, Switch } from 'solid-js';
import { useServices } from '../state/context';
import { kitDate } from '../state/recovery';
import { recoveryKitErrorText } from '../state/recovery-text';
import '../styles/recovery.css';
import { RecoveryKitDialog } from './RecoveryKitDialog';

/**
 * Settings -> Recovery kit: whether there is a code and when it was made (never the code),
 * make a new one (which revokes the old), or remove it.
 */
export function RecoverySettings() {
  const { app } = useServices();
  const [status, { refetch }] = createResource(() => app.recovery.status());
  const [making, setMaking] = createSignal(false);
  const [confirmRemove, setConfirmRemove] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);
  const state = () => status()?.state;
  const remove = async () => {
    setError(null);
    try {
      await app.recovery.remove();
      setConfirmRemove(false);
      await refetch();
    } catch (caught) {
      setError(recoveryKitErrorText(caught));
    }
  };
  return (
    <section class="settings-section" aria-labelledby="settings-recovery">
      <h3 id="settings-recovery">Recovery kit</h3>
      <p>
        A recovery code opens this profile if you forget your passphrase. It is shown once, when it
        is made; Coffer keeps no readable copy.
      </p>
      <Switch>
        <Match when={status.error}>
          <p class="error-text" role="alert">
            {recoveryKitErrorText(status.error)}
          </p>
        </Match>
        <Match when={state() === 'none'}>
          <p role="status">This profile has no recovery code.</p>
        </Match>
        <Match when={status()?.state === 'set' && status()}>
          {(current) => (
            <p role="status">
              Current recovery code made on{' '}
              {kitDate((current() as { createdAt: number }).createdAt)}.
            </p>
          )}
        </Match>
        <Match when={state() === 'unusable'}>
          <p class="notice warning" role="status">
            The stored recovery code cannot be used (it is damaged or was not made by this profile).
            Make a new one.
          </p>
        </Match>
      </Switch>
      <Show when={error()}>
        <p class="error-text" role="alert">
          {error()}
        </p>
      </Show>
      <div class="button-row">
        <Show when={state() !== undefined && state() !== 'none'}>
          <Show
            when={confirmRemove()}
            fallback={
              <button type="button" class="secondary" onClick={() => setConfirmRemove(true)}>
                Remove the recovery code
              </button>
            }
          >
            <span class="hint">Only your passphrase will open this profile.</span>
            <button type="button" class="secondary" onClick={() => setConfirmRemove(false)}>
              Keep it
            </button>
            <button type="button" class="danger" onClick={() => void remove()}>
              Remove it
            </button>
          </Show>
        </Show>
        <button type="button" onClick={() => setMaking(true)} disabled={state() === undefined}>
          {state() === 'none' ? 'Make a recovery code' : 'Make a new recovery code'}
        </button>
      </div>
      <RecoveryKitDialog
        open={making()}
        replacing={state() === 'set'}
        onClose={() => {
          setMaking(false);
          void refetch();
        }}
      />
    </section>
  );
}
