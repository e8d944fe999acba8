import { createMemo, Show } from 'solid-js';
import { formatJsonText, jsonTextProblem } from '../state/field-checks';

/**
 * A JSON text editor: a textarea that parses what is typed with the vault's own parser and says
 * where the first problem is ("Line 3, column 7: ..."), and a Format button that pretty-prints
 * valid JSON with two spaces. `error` is a problem found on saving (a value too large, ...).
 */
export function JsonEditor(props: {
  id: string;
  label: string;
  value: string;
  onInput: (value: string) => void;
  error?: string | undefined;
}) {
  let textarea!: HTMLTextAreaElement;
  const problem = createMemo(() => jsonTextProblem(props.value));
  const shownError = () => problem()?.message ?? props.error;
  const errorId = () => `${props.id}-error`;
  const format = () => {
    const found = problem();
    if (found) {
      // Nothing to format: take the user to the problem instead.
      textarea.focus();
      textarea.setSelectionRange(found.offset, found.offset);
      return;
    }
    props.onInput(formatJsonText(props.value));
  };
  return (
    <div class="field">
      <div class="json-editor-head">
        <label for={props.id}>{props.label}</label>
        <button type="button" class="secondary small" onClick={format}>
          Format
        </button>
      </div>
      <textarea
        ref={textarea}
        id={props.id}
        value={props.value}
        onInput={(event) => props.onInput(event.currentTarget.value)}
        spellcheck={false}
        autocomplete="off"
        autocapitalize="off"
        rows={10}
        aria-invalid={shownError() ? 'true' : undefined}
        aria-describedby={shownError() ? errorId() : undefined}
      />
      <Show when={shownError()}>
        <span id={errorId()} class="error-text">
          {shownError()}
        </span>
      </Show>
    </div>
  );
}
