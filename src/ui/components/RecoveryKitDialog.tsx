import { createSignal, Match, Show, Switch } from 'solid-js';
import { useServices } from '../state/context';
import { recoveryKitErrorText } from '../state/recovery-text';
import { Dialog } from './Dialog';
import { KeyProgress } from './KeyProgress';
import { PassphraseInput } from './PassphraseInput';
import { RecoveryKitSheet } from './RecoveryKitSheet';

/**
 * Makes a recovery code and shows it once: first the passphrase (a code opens the profile as
 * the passphrase does, so only someone who knows it may make one), then the kit to print or
 * copy by hand, and "I saved it". Closing drops the code from the page and from memory.
 */
export function RecoveryKitDialog(props: {
  open: boolean;
  /** A code exists already: making a new one revokes it. */
  replacing: boolean;
  onClose: (made: boolean) => void;
}) {
  const { app } = useServices();
  const [passphrase, setPassphrase] = createSignal('');
  const [error, setError] = createSignal<string | null>(null);
  const [progress, setProgress] = createSignal<number | null>(null);
  const [made, setMade] = createSignal<{ code: string; createdAt: number } | null>(null);
  const close = () => {
    const wasMade = made() !== null;
    setMade(null);
    setPassphrase('');
    setError(null);
    props.onClose(wasMade);
  };
  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    if (progress() !== null) return;
    if (!passphrase()) {
      setError('Enter your passphrase.');
      return;
    }
    setError(null);
    setProgress(0);
    try {
      setMade(await app.recovery.make(passphrase(), setProgress));
      setPassphrase('');
    } catch (caught) {
      setError(recoveryKitErrorText(caught));
    } finally {
      setProgress(null);
    }
  };
  return (
    <Dialog
      open={props.open}
      title={made() ? 'Save your recovery kit' : 'Make a recovery code'}
      onClose={close}
      class="recovery-dialog"
      actions={
        <Show
          when={made()}
          fallback={
            <>
              <button type="button" class="secondary" onClick={close}>
                Cancel
              </button>
              <button type="submit" form="recovery-make-form" disabled={progress() !== null}>
                Make the code
              </button>
            </>
          }
        >
          <button type="button" class="secondary" onClick={() => window.print()}>
            Print the kit
          </button>
          <button type="button" onClick={close}>
            I saved it
          </button>
        </Show>
      }
    >
      <Switch>
        <Match when={made()}>
          {(kit) => (
            <>
              <p class="notice" role="status">
                This code is shown once. Print the kit or write the code down now: Coffer keeps no
                readable copy.
              </p>
              <RecoveryKitSheet
                code={kit().code}
                createdAt={kit().createdAt}
                place={location.host}
              />
            </>
          )}
        </Match>
        <Match when={!made()}>
          <form id="recovery-make-form" onSubmit={submit} noValidate>
            <p>
              A recovery code opens this profile if you forget your passphrase. Enter your
              passphrase to make one.
            </p>
            <Show when={props.replacing}>
              <p class="notice warning" role="note">
                The recovery code you have now stops working when the new one is made.
              </p>
            </Show>
            <PassphraseInput
              id="recovery-passphrase"
              label="Your passphrase"
              value={passphrase()}
              onInput={setPassphrase}
              autocomplete="current-password"
              describedBy={error() ? 'recovery-make-error' : undefined}
              invalid={!!error()}
              autofocus
            />
            <KeyProgress progress={progress()} label="Checking your passphrase" />
            <Show when={error()}>
              <p id="recovery-make-error" class="error-text" role="alert">
                {error()}
              </p>
            </Show>
          </form>
        </Match>
      </Switch>
    </Dialog>
  );
}
