import { createSignal, Show } from 'solid-js';

/**
 * A masked text field for a secret, with a Show/Hide toggle to check what was typed. The value
 * is set as the input's property (Solid does not write a `value` attribute), so it is never in
 * the page's markup; `autocomplete="off"` keeps it out of form autofill history.
 */
export function SecretField(props: {
  id: string;
  label: string;
  value: string;
  onInput: (value: string) => void;
  hint?: string | undefined;
  error?: string | undefined;
  placeholder?: string | undefined;
}) {
  const [visible, setVisible] = createSignal(false);
  const hintId = () => `${props.id}-hint`;
  const errorId = () => `${props.id}-error`;
  const describedBy = () =>
    [props.error ? errorId() : null, props.hint ? hintId() : null].filter(Boolean).join(' ') ||
    undefined;
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      <div class="input-with-actions">
        <input
          id={props.id}
          type={visible() ? 'text' : 'password'}
          value={props.value}
          onInput={(event) => props.onInput(event.currentTarget.value)}
          autocomplete="off"
          spellcheck={false}
          autocapitalize="off"
          placeholder={props.placeholder}
          aria-invalid={props.error ? 'true' : undefined}
          aria-describedby={describedBy()}
        />
        <button
          type="button"
          class="secondary"
          aria-pressed={visible()}
          aria-label={`${visible() ? 'Hide' : 'Show'} ${props.label.toLowerCase()}`}
          onClick={() => setVisible(!visible())}
        >
          {visible() ? 'Hide' : 'Show'}
        </button>
      </div>
      <Show when={props.error}>
        <span id={errorId()} class="error-text">
          {props.error}
        </span>
      </Show>
      <Show when={props.hint}>
        <span id={hintId()} class="hint">
          {props.hint}
        </span>
      </Show>
    </div>
  );
}
