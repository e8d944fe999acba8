import { type JSX, Show } from 'solid-js';

/**
 * A credential of the provider form. With a saved value it shows only "Saved" and Replace: the
 * saved value is never given to the page, so it cannot end up in the DOM. Replacing shows an
 * empty password input (always masked, no Show toggle: nothing is rendered back as text) and a
 * button to keep the saved value after all.
 */
export function ProviderSecretInput(props: {
  id: string;
  label: string;
  /** A saved value is kept: show the saved state instead of the input. */
  saved: boolean;
  /** A saved value exists (so, while replacing, "Keep saved" is offered). */
  hasSaved: boolean;
  value: string;
  onInput: (value: string) => void;
  onReplace: () => void;
  onKeep: () => void;
  error?: string | undefined;
  hint?: JSX.Element | undefined;
}) {
  const describedBy = () =>
    [props.error ? `${props.id}-error` : null, props.hint ? `${props.id}-hint` : null]
      .filter(Boolean)
      .join(' ') || undefined;
  return (
    <div class="field provider-secret">
      <Show
        when={props.saved}
        fallback={
          <>
            <label for={props.id}>{props.label}</label>
            <div class="input-with-actions">
              <input
                id={props.id}
                type="password"
                value={props.value}
                autocomplete="off"
                spellcheck={false}
                autocapitalize="off"
                aria-invalid={props.error ? 'true' : undefined}
                aria-describedby={describedBy()}
                onInput={(event) => props.onInput(event.currentTarget.value)}
              />
              <Show when={props.hasSaved}>
                <button
                  type="button"
                  class="secondary"
                  aria-label={`Keep saved ${props.label}`}
                  onClick={() => props.onKeep()}
                >
                  Keep saved
                </button>
              </Show>
            </div>
          </>
        }
      >
        <span class="label" id={`${props.id}-label`}>
          {props.label}
        </span>
        <div class="provider-saved">
          <span class="badge ok" id={`${props.id}-saved`}>
            Saved
          </span>
          <button
            id={`${props.id}-replace`}
            type="button"
            class="secondary"
            aria-label={`Replace ${props.label}`}
            aria-describedby={`${props.id}-saved`}
            onClick={() => props.onReplace()}
          >
            Replace
          </button>
        </div>
      </Show>
      <Show when={props.error}>
        <span id={`${props.id}-error`} class="error-text">
          {props.error}
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
