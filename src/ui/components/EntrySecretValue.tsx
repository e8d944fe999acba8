import { createEffect, createSignal, on, Show } from 'solid-js';
import { useServices } from '../state/context';

/**
 * A secret shown masked, with Show/Hide and Copy. The value is rendered only while shown: until
 * then the page holds a fixed mask, no hidden copy, attribute or title. Copying clears the
 * clipboard after the user's delay (Settings), and says so.
 */
export function EntrySecretValue(props: {
  value: string;
  /** Names the buttons ("Show Password") when several secrets share a view. */
  label?: string | undefined;
  /** Pretty-printed JSON: shown as a block rather than inline. */
  block?: boolean | undefined;
  /** Told when the value is shown or copied (the audit log records it, by entry name). */
  onAccess?: ((how: 'shown' | 'copied') => void) | undefined;
}) {
  const { app, clipboard } = useServices();
  const [revealed, setRevealed] = createSignal(false);
  const [status, setStatus] = createSignal('');
  const [copied, setCopied] = createSignal(false);
  const named = (verb: string) => (props.label ? `${verb} ${props.label}` : undefined);
  createEffect(
    on(clipboard.pendingClear, (left) => {
      if (copied() && left === null) {
        setCopied(false);
        setStatus('The clipboard was cleared.');
      }
    }),
  );
  const copy = async () => {
    const seconds = app.settings().clipboardClearSeconds;
    if (await clipboard.copy(props.value, seconds)) {
      setCopied(true);
      props.onAccess?.('copied');
      setStatus(`Copied. The clipboard clears in ${seconds} s.`);
    } else {
      setStatus('Could not copy: the browser did not allow access to the clipboard.');
    }
  };
  return (
    <div class="secret-value">
      <Show
        when={revealed()}
        fallback={
          <span class="masked secret-mask" role="img" aria-label="Hidden value">
            ••••••••
          </span>
        }
      >
        <Show when={props.block} fallback={<code class="secret-text">{props.value}</code>}>
          <pre class="value-view">{props.value}</pre>
        </Show>
      </Show>
      <div class="button-row">
        <button
          type="button"
          class="secondary small"
          aria-pressed={revealed()}
          aria-label={named(revealed() ? 'Hide' : 'Show')}
          onClick={() => {
            if (!revealed()) props.onAccess?.('shown');
            setRevealed(!revealed());
          }}
        >
          {revealed() ? 'Hide' : 'Show'}
        </button>
        <button type="button" class="secondary small" aria-label={named('Copy')} onClick={copy}>
          Copy
        </button>
      </div>
      <span class="hint" role="status">
        {status()}
      </span>
    </div>
  );
}
