import { createSignal, For, Show } from 'solid-js';
import {
  applyCompletion,
  type CompletionOption,
  type Suggestions,
} from '../state/integration-completion';
import '../styles/integrations.css';

const kindHints: Readonly<Record<CompletionOption['kind'], string>> = {
  root: 'reference',
  vault: 'vault',
  entry: 'entry',
  kept: 'kept',
};

/**
 * A text field (one line, or several) that may hold references such as `@{vault.API_KEY}`.
 * Typing `@{`, or moving into an unfinished reference, lists what may come next (vault names,
 * entries, kept names): arrow keys move in the list, Enter or Tab picks, Escape closes it. The
 * one-line field is an ARIA combobox; the several-line one a textbox with the same list.
 */
export function ReferenceInput(props: {
  id: string;
  /** The accessible name, when no visible <label for={id}> names the field. */
  ariaLabel?: string | undefined;
  value: string;
  onInput: (value: string) => void;
  suggest: (text: string, cursor: number) => Suggestions | undefined;
  multiline?: boolean;
  rows?: number;
  describedBy?: string | undefined;
  invalid?: boolean;
  placeholder?: string | undefined;
  class?: string;
}) {
  let field!: HTMLInputElement | HTMLTextAreaElement;
  const listId = () => `${props.id}-suggestions`;
  const optionId = (index: number) => `${props.id}-suggestion-${index}`;
  const [suggestions, setSuggestions] = createSignal<Suggestions | undefined>();
  const [active, setActive] = createSignal(0);
  const open = () => suggestions() !== undefined;

  const update = () => {
    const cursor = field.selectionStart ?? field.value.length;
    const found =
      field.selectionStart === field.selectionEnd ? props.suggest(field.value, cursor) : undefined;
    setSuggestions(found);
    setActive(0);
  };
  const close = () => setSuggestions(undefined);

  const pick = (option: CompletionOption) => {
    const current = suggestions();
    if (!current) return;
    const result = applyCompletion(field.value, current.completion, option);
    field.value = result.text;
    field.setSelectionRange(result.cursor, result.cursor);
    props.onInput(result.text);
    // A vault name is followed by its entries: offer them at once.
    update();
  };

  const onKeyDown = (event: KeyboardEvent) => {
    const current = suggestions();
    if (!current) return;
    const count = current.options.length;
    switch (event.key) {
      case 'ArrowDown':
        event.preventDefault();
        setActive((active() + 1) % count);
        break;
      case 'ArrowUp':
        event.preventDefault();
        setActive((active() - 1 + count) % count);
        break;
      case 'Enter':
      case 'Tab': {
        if (event.shiftKey || event.altKey || event.ctrlKey || event.metaKey) return;
        const option = current.options[active()];
        if (!option) return;
        event.preventDefault();
        pick(option);
        break;
      }
      case 'Escape':
        // Closes the list only: a dialog around the field stays open.
        event.preventDefault();
        event.stopPropagation();
        close();
        break;
    }
  };
  const onKeyUp = (event: KeyboardEvent) => {
    if (['ArrowLeft', 'ArrowRight', 'Home', 'End'].includes(event.key)) update();
  };

  const onInput = (event: { currentTarget: HTMLInputElement | HTMLTextAreaElement }) => {
    props.onInput(event.currentTarget.value);
    update();
  };

  return (
    <div class="reference-input">
      {/*
        Two elements, not one <Dynamic>: Dynamic with an element name brings Solid's generic
        `spread` into the first screen's bundle (+2.6 KiB gzip), for one attribute list.
      */}
      <Show
        when={props.multiline}
        fallback={
          <input
            ref={(element) => {
              field = element;
            }}
            id={props.id}
            type="text"
            role="combobox"
            aria-expanded={open()}
            aria-label={props.ariaLabel}
            aria-describedby={props.describedBy}
            aria-invalid={props.invalid ? 'true' : undefined}
            aria-autocomplete="list"
            aria-controls={open() ? listId() : undefined}
            aria-activedescendant={open() ? optionId(active()) : undefined}
            value={props.value}
            spellcheck={false}
            autocomplete="off"
            autocapitalize="off"
            placeholder={props.placeholder}
            class={props.class}
            onInput={onInput}
            onKeyDown={onKeyDown}
            onKeyUp={onKeyUp}
            onClick={update}
            onBlur={close}
          />
        }
      >
        <textarea
          ref={(element) => {
            field = element;
          }}
          id={props.id}
          rows={props.rows ?? 6}
          aria-label={props.ariaLabel}
          aria-describedby={props.describedBy}
          aria-invalid={props.invalid ? 'true' : undefined}
          aria-autocomplete="list"
          aria-controls={open() ? listId() : undefined}
          aria-activedescendant={open() ? optionId(active()) : undefined}
          value={props.value}
          spellcheck={false}
          autocomplete="off"
          autocapitalize="off"
          placeholder={props.placeholder}
          class={props.class}
          onInput={onInput}
          onKeyDown={onKeyDown}
          onKeyUp={onKeyUp}
          onClick={update}
          onBlur={close}
        />
      </Show>
      <Show when={suggestions()}>
        {(current) => (
          <div id={listId()} class="reference-suggestions" role="listbox" aria-label="Suggestions">
            <For each={current().options}>
              {(option, index) => (
                <div
                  id={optionId(index())}
                  role="option"
                  tabIndex={-1}
                  aria-selected={index() === active()}
                  // Keeps the focus in the field, so the pick lands where the cursor was.
                  onMouseDown={(event) => event.preventDefault()}
                  onClick={() => pick(option)}
                  onKeyDown={(event) => {
                    if (event.key === 'Enter') pick(option);
                  }}
                >
                  <span class="mono">{option.label}</span>
                  <span class="muted reference-kind">{kindHints[option.kind]}</span>
                </div>
              )}
            </For>
          </div>
        )}
      </Show>
    </div>
  );
}
