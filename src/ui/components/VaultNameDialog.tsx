import { createResource, createSignal, createUniqueId, Show } from 'solid-js';
import type { NameStyle } from '../../core/vault';
import { describeVaultError, lookalikesReady, vaultNameProblem } from '../state/vaults';
import { Dialog } from './Dialog';

/**
 * Asks for a vault name (creating or renaming), checking it as the user types: the core's
 * rules and uniqueness ignoring case. What the core still rejects on submit is shown too.
 */
export function VaultNameDialog(props: {
  open: boolean;
  title: string;
  submitLabel: string;
  /** The vaults there are (names already in use). */
  existing: readonly { readonly id: string; readonly name: string }[];
  /** The vault being renamed: its own name (in any case) is not a clash. */
  current?: { readonly id: string; readonly name: string };
  /** Offer the environment-style checkbox (when creating). */
  offerStyle?: boolean;
  onSubmit: (name: string, style: NameStyle) => Promise<void>;
  onClose: () => void;
}) {
  const inputId = createUniqueId();
  const errorId = createUniqueId();
  const [name, setName] = createSignal(props.current?.name ?? '');
  const [environment, setEnvironment] = createSignal(false);
  const [touched, setTouched] = createSignal(false);
  const [failure, setFailure] = createSignal<string | undefined>();
  const [busy, setBusy] = createSignal(false);
  // Look-alikes are checked once Unicode's confusables table is here (it loads on first need).
  const [lookalikes] = createResource(() => lookalikesReady().then(() => true));
  const problem = () => {
    lookalikes();
    return vaultNameProblem(name(), props.existing, props.current?.id);
  };
  // Nothing is wrong with a name not typed yet; the message appears once the user starts.
  const shown = () => failure() ?? (touched() ? problem() : undefined);
  const unchanged = () => props.current !== undefined && name().trim() === props.current.name;

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    setTouched(true);
    if (problem() || busy()) return;
    if (unchanged()) return props.onClose();
    setBusy(true);
    setFailure(undefined);
    try {
      await props.onSubmit(name(), environment() ? 'environment' : 'default');
    } catch (error) {
      setFailure(describeVaultError(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog open={props.open} title={props.title} onClose={props.onClose}>
      <form onSubmit={submit} noValidate>
        <div class="field">
          <label for={inputId}>Vault name</label>
          <input
            id={inputId}
            type="text"
            autocomplete="off"
            spellcheck={false}
            value={name()}
            aria-invalid={shown() ? 'true' : undefined}
            aria-describedby={shown() ? errorId : undefined}
            onInput={(event) => {
              setName(event.currentTarget.value);
              setTouched(true);
              setFailure(undefined);
            }}
            autofocus
          />
          <Show when={shown()}>
            {(message) => (
              // Announced when a submit fails; while typing, aria-describedby carries it.
              <span id={errorId} class="error-text" role={failure() ? 'alert' : undefined}>
                {message()}
              </span>
            )}
          </Show>
          <span class="hint">1 to 100 characters, unique in this profile (ignoring case).</span>
        </div>
        <Show when={props.offerStyle}>
          <div class="field">
            <label class="checkbox">
              <input
                type="checkbox"
                checked={environment()}
                onChange={(event) => setEnvironment(event.currentTarget.checked)}
              />
              Environment-style names (UPPER_SNAKE_CASE)
            </label>
            <span class="hint">Entry names such as API_KEY only, as in environment variables.</span>
          </div>
        </Show>
        <div class="dialog-actions">
          <button type="button" class="secondary" onClick={() => props.onClose()}>
            Cancel
          </button>
          <button type="submit" disabled={busy()}>
            {props.submitLabel}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
