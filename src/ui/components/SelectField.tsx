import { createUniqueId, For } from 'solid-js';

/** A labelled select in a form: one choice among `options`, reported by value as it changes. */
export function SelectField(props: {
  label: string;
  options: readonly { readonly value: string; readonly label: string }[];
  /** The value shown as chosen. */
  value: string;
  onChange: (value: string) => void;
}) {
  const id = createUniqueId();
  return (
    <div class="field">
      <label for={id}>{props.label}</label>
      <select id={id} onChange={(event) => props.onChange(event.currentTarget.value)}>
        <For each={props.options}>
          {(option) => (
            <option value={option.value} selected={option.value === props.value}>
              {option.label}
            </option>
          )}
        </For>
      </select>
    </div>
  );
}
