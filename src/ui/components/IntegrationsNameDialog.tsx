import { createSignal, createUniqueId, Show } from 'solid-js';
import { describeIntegrationError } from '../state/integrations';
import { Dialog } from './Dialog';

const sameName = (a: string, b: string) =>
  a.trim().normalize('NFC').toLocaleLowerCase('en') ===
  b.trim().normalize('NFC').toLocaleLowerCase('en');

/**
 * Asks for an integration's name (creating or renaming). A name must not be empty and must not
 * be another integration's (ignoring case); what core still rejects on submit is shown too.
 */
export function IntegrationsNameDialog(props: {
  title: string;
  submitLabel: string;
  /** Names in use (the one being renamed is left out by `current`). */
  existing: readonly { readonly id: string; readonly name: string }[];
  current?: { readonly id: string; readonly name: string };
  onSubmit: (name: string) => Promise<void>;
  onClose: () => void;
}) {
  const inputId = createUniqueId();
  const errorId = createUniqueId();
  const [name, setName] = createSignal(props.current?.name ?? '');
  const [touched, setTouched] = createSignal(false);
  const [failure, setFailure] = createSignal<string | undefined>();
  const [busy, setBusy] = createSignal(false);
  const problem = () => {
    const trimmed = name().trim();
    if (trimmed === '') return 'Give the integration a name.';
    if (trimmed.length > 100) return 'A name has at most 100 characters.';
    const clash = props.existing.find(
      (other) => other.id !== props.current?.id && sameName(other.name, trimmed),
    );
    return clash ? `There is already an integration named ${clash.name}.` : undefined;
  };
  const shown = () => failure() ?? (touched() ? problem() : undefined);

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    setTouched(true);
    if (problem() || busy()) return;
    if (props.current && name().trim() === props.current.name) return props.onClose();
    setBusy(true);
    setFailure(undefined);
    try {
      await props.onSubmit(name().trim());
    } catch (error) {
      setFailure(describeIntegrationError(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog open title={props.title} onClose={props.onClose}>
      <form onSubmit={submit} noValidate>
        <div class="field">
          <label for={inputId}>Integration name</label>
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
              <span id={errorId} class="error-text" role={failure() ? 'alert' : undefined}>
                {message()}
              </span>
            )}
          </Show>
          <span class="hint">Unique among your integrations (ignoring case).</span>
        </div>
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
