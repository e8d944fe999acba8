import { createSignal, createUniqueId, Show } from 'solid-js';

/**
 * A command or policy to copy (never a credential): shown as code, with a Copy button. Copied
 * with the Clipboard API directly, not the clearing clipboard service: it holds no secret, and
 * the user may need it long after (in a ticket to the operator).
 */
export function ProviderSnippet(props: { label: string; text: string }) {
  const id = createUniqueId();
  const [copied, setCopied] = createSignal<boolean | undefined>();
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(props.text);
      setCopied(true);
    } catch {
      setCopied(false);
    }
  };
  return (
    <section class="provider-snippet" aria-labelledby={id}>
      <div class="provider-snippet-head">
        <span class="label" id={id}>
          {props.label}
        </span>
        <button
          type="button"
          class="secondary"
          aria-label={`Copy: ${props.label}`}
          onClick={() => void copy()}
        >
          Copy
        </button>
        <span class="hint" role="status">
          <Show when={copied() !== undefined}>
            {copied() ? 'Copied.' : 'The browser did not allow copying: select the text instead.'}
          </Show>
        </span>
      </div>
      <pre class="value-view">{props.text}</pre>
    </section>
  );
}
