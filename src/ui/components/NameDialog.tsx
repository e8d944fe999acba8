import { createSignal, createUniqueId, type JSX, Show } from 'solid-js';
import { Dialog } from './Dialog';

type Named = { readonly id: string; readonly name: string };

/**
 * Asks for a name (creating or renaming something), checking it as the user types with
 * `problem`; what `onSubmit` still rejects is shown too, described by `describeError`. Submitting
 * a rename that keeps the current name just closes. `children` are further fields, under the name.
 */
export function NameDialog(props: {
  open: boolean;
  title: string;
  submitLabel: string;
  /** The field's label, such as "Vault name". */
  label: string;
  /** The rules, under the field. */
  hint: string;
  /** The things there are (names already in use). */
  existing: readonly Named[];
  /** The thing being renamed: the field starts with its name, which is not a clash. */
  current?: Named | undefined;
  /** What is wrong with a name among `existing` (leaving out `currentId`), if anything. */
  problem: (name: string, existing: readonly Named[], currentId?: string) => string | undefined;
  describeError: (error: unknown) => string;
  /** Gets the name as typed (not trimmed). */
  onSubmit: (name: string) => Promise<void>;
  onClose: () => void;
  children?: JSX.Element;
}) {
  const inputId = createUniqueId();
  const errorId = createUniqueId();
  const [name, setName] = createSignal(props.current?.name ?? '');
  const [touched, setTouched] = createSignal(false);
  const [failure, setFailure] = createSignal<string | undefined>();
  const [busy, setBusy] = createSignal(false);
  const problem = () => props.problem(name(), props.existing, props.current?.id);
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
      await props.onSubmit(name());
    } catch (error) {
      setFailure(props.describeError(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog open={props.open} title={props.title} onClose={props.onClose}>
      <form onSubmit={submit} noValidate>
        <div class="field">
          <label for={inputId}>{props.label}</label>
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
          <span class="hint">{props.hint}</span>
        </div>
        {props.children}
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
