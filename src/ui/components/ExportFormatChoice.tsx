import { createUniqueId, For } from 'solid-js';
import { type ExportFormat, exportFormats } from '../state/export';

/** The export dialog's format choice: KDBX (encrypted) first, then the plaintext ones. */
export function ExportFormatChoice(props: {
  format: ExportFormat;
  onFormat: (format: ExportFormat) => void;
  disabled?: boolean;
}) {
  const name = createUniqueId();
  return (
    <fieldset class="field" disabled={props.disabled}>
      <legend>Format</legend>
      <For each={exportFormats}>
        {(option) => {
          const hintId = createUniqueId();
          return (
            <div>
              <label class="checkbox">
                <input
                  type="radio"
                  name={name}
                  value={option.value}
                  checked={props.format === option.value}
                  aria-describedby={hintId}
                  onChange={() => props.onFormat(option.value)}
                />
                {option.label}
              </label>
              <span id={hintId} class="hint">
                {option.hint}
              </span>
            </div>
          );
        }}
      </For>
    </fieldset>
  );
}
