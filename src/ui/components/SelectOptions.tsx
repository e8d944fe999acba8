import { For } from 'solid-js';

/** The options of a select, the one whose value is `value` chosen. */
export function SelectOptions(props: {
  options: readonly { readonly value: string; readonly label: string }[];
  value: string;
}) {
  return (
    <For each={props.options}>
      {(option) => (
        <option value={option.value} selected={option.value === props.value}>
          {option.label}
        </option>
      )}
    </For>
  );
}
