import { createSignal } from 'solid-js';

/** A passphrase field with a Show/Hide toggle. The value is never rendered as text. */
export function PassphraseInput(props: {
  id: string;
  label: string;
  value: string;
  onInput: (value: string) => void;
  autocomplete: 'current-password' | 'new-password';
  describedBy?: string | undefined;
  invalid?: boolean | undefined;
  autofocus?: boolean | undefined;
}) {
  const [visible, setVisible] = createSignal(false);
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      <div class="input-with-actions">
        <input
          id={props.id}
          type={visible() ? 'text' : 'password'}
          value={props.value}
          onInput={(event) => props.onInput(event.currentTarget.value)}
          autocomplete={props.autocomplete}
          spellcheck={false}
          autocapitalize="off"
          aria-describedby={props.describedBy}
          aria-invalid={props.invalid ? 'true' : undefined}
          autofocus={props.autofocus}
        />
        <button
          type="button"
          class="secondary"
          aria-pressed={visible()}
          aria-label={
            visible() ? `Hide ${props.label.toLowerCase()}` : `Show ${props.label.toLowerCase()}`
          }
          onClick={() => setVisible(!visible())}
        >
          {visible() ? 'Hide' : 'Show'}
        </button>
      </div>
    </div>
  );
}
