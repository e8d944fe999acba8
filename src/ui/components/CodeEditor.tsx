import { createEffect, createMemo, For, on } from 'solid-js';
import '../styles/integrations.css';

/**
 * A code editor for hooks: a monospace textarea with a gutter of line numbers that scrolls with
 * it. Tab inserts two spaces; Escape then Tab leaves the editor (so the keyboard is never
 * trapped). A line with an error is marked in the gutter; `jumpTo` (a new object each time)
 * focuses the editor and selects that line.
 */
export function CodeEditor(props: {
  id: string;
  /** The accessible name (the caller shows a visible label with `for={id}`, or not). */
  label: string;
  value: string;
  onInput: (value: string) => void;
  /** 1-based line to mark as wrong. */
  errorLine?: number | undefined;
  jumpTo?: { readonly line: number } | undefined;
  describedBy?: string | undefined;
  invalid?: boolean;
  rows?: number;
  placeholder?: string;
}) {
  let textarea!: HTMLTextAreaElement;
  let gutter!: HTMLDivElement;
  // After Escape, the next Tab moves focus instead of indenting.
  let tabLeaves = false;
  const lineCount = createMemo(() => props.value.split('\n').length);
  const lines = createMemo(() => Array.from({ length: lineCount() }, (_, i) => i + 1));

  const syncScroll = () => {
    gutter.scrollTop = textarea.scrollTop;
  };

  const focusLine = (line: number) => {
    const all = textarea.value.split('\n');
    const index = Math.min(Math.max(line, 1), all.length) - 1;
    let start = 0;
    for (let i = 0; i < index; i++) start += (all[i]?.length ?? 0) + 1;
    const end = start + (all[index]?.length ?? 0);
    textarea.focus();
    textarea.setSelectionRange(start, end);
    // Put the line in view: roughly, by its share of the text's height.
    const lineHeight = textarea.scrollHeight / Math.max(all.length, 1);
    textarea.scrollTop = Math.max(0, lineHeight * index - textarea.clientHeight / 3);
    syncScroll();
  };

  createEffect(
    on(
      () => props.jumpTo,
      (jump) => {
        if (jump) focusLine(jump.line);
      },
    ),
  );

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape') {
      tabLeaves = true;
      return;
    }
    if (
      event.key === 'Tab' &&
      !event.shiftKey &&
      !event.ctrlKey &&
      !event.altKey &&
      !event.metaKey
    ) {
      if (tabLeaves) {
        tabLeaves = false;
        return;
      }
      event.preventDefault();
      textarea.setRangeText('  ', textarea.selectionStart, textarea.selectionEnd, 'end');
      props.onInput(textarea.value);
      return;
    }
    tabLeaves = false;
  };

  return (
    <div class="code-editor" classList={{ invalid: props.invalid === true }}>
      <div ref={gutter} class="code-gutter" aria-hidden="true">
        <For each={lines()}>
          {(line) => <div classList={{ 'code-error-line': line === props.errorLine }}>{line}</div>}
        </For>
      </div>
      <textarea
        ref={textarea}
        id={props.id}
        class="code-text"
        aria-label={props.label}
        aria-describedby={props.describedBy}
        aria-invalid={props.invalid ? 'true' : undefined}
        value={props.value}
        rows={props.rows ?? 10}
        wrap="off"
        spellcheck={false}
        autocomplete="off"
        autocapitalize="off"
        placeholder={props.placeholder}
        onInput={(event) => {
          props.onInput(event.currentTarget.value);
          syncScroll();
        }}
        onScroll={syncScroll}
        onKeyDown={onKeyDown}
        onBlur={() => {
          tabLeaves = false;
        }}
      />
    </div>
  );
}
