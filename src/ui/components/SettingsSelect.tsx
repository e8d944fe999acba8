import { createSignal, Show } from 'solid-js';
import { SelectOptions } from './SelectOptions';

/**
 * One preference as a labelled select that saves as soon as it changes, then says so. The
 * confirmation is a polite live region, so a screen reader hears "Saved" without losing focus.
 */
export function SettingsSelect(props: {
  id: string;
  label: string;
  hint: string;
  value: string;
  options: readonly { value: string; label: string }[];
  onSave: (value: string) => Promise<void>;
}) {
  const [status, setStatus] = createSignal<'idle' | 'saving' | 'saved' | 'failed'>('idle');
  const [error, setError] = createSignal('');
  const change = async (value: string) => {
    setStatus('saving');
    try {
      await props.onSave(value);
      setStatus('saved');
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : String(caught));
      setStatus('failed');
    }
  };
  return (
    <div class="field settings-field">
      <label for={props.id}>{props.label}</label>
      <div class="settings-control">
        <select
          id={props.id}
          value={props.value}
          aria-describedby={`${props.id}-hint ${props.id}-status`}
          onChange={(event) => void change(event.currentTarget.value)}
        >
          <SelectOptions options={props.options} value={props.value} />
        </select>
        <span id={`${props.id}-status`} class="settings-status" role="status">
          <Show when={status() === 'saving'}>Saving…</Show>
          <Show when={status() === 'saved'}>
            <span class="settings-saved">Saved</span>
          </Show>
        </span>
      </div>
      <span id={`${props.id}-hint`} class="hint">
        {props.hint}
      </span>
      <Show when={status() === 'failed'}>
        <span class="error-text" role="alert">
          Could not save: {error()}
        </span>
      </Show>
    </div>
  );
}
