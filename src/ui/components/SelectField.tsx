import { createUniqueId } from 'solid-js';
import { SelectOptions } from './SelectOptions';

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
        <SelectOptions options={props.options} value={props.value} />
      </select>
    </div>
  );
}
