import { type JSX, Show } from 'solid-js';

/**
 * One plain text field of the provider form: label, input, the problem (if any) and a hint.
 * Never for a credential that must stay hidden: ProviderSecretInput is.
 */
export function ProviderTextField(props: {
  id: string;
  label: string;
  value: string;
  onInput: (value: string) => void;
  error?: string | undefined;
  hint?: JSX.Element | undefined;
  /** A warning that does not stop saving (mixed content). */
  warning?: string | undefined;
  placeholder?: string | undefined;
  inputMode?: 'url' | 'text' | undefined;
}) {
  const describedBy = () =>
    [
      props.error ? `${props.id}-error` : null,
      props.warning ? `${props.id}-warning` : null,
      props.hint ? `${props.id}-hint` : null,
    ]
      .filter(Boolean)
      .join(' ') || undefined;
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      <input
        id={props.id}
        type="text"
        value={props.value}
        inputMode={props.inputMode}
        placeholder={props.placeholder}
        autocomplete="off"
        spellcheck={false}
        autocapitalize="off"
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={describedBy()}
        onInput={(event) => props.onInput(event.currentTarget.value)}
      />
      <Show when={props.error}>
        <span id={`${props.id}-error`} class="error-text">
          {props.error}
        </span>
      </Show>
      <Show when={props.warning}>
        <span id={`${props.id}-warning`} class="provider-warning">
          {props.warning}
        </span>
      </Show>
      <Show when={props.hint}>
        <span id={`${props.id}-hint`} class="hint">
          {props.hint}
        </span>
      </Show>
    </div>
  );
}
