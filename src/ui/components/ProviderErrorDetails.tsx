import { For } from 'solid-js';
import type { ProviderErrorExplanation } from '../state/provider-error-types';
import { ProviderSnippet } from './ProviderSnippet';

/**
 * A provider failure explained (explainProviderError): the title, the paragraphs, and each
 * command or policy to copy. For Test connection, and for a vault's sync errors.
 */
export function ProviderErrorDetails(props: { explanation: ProviderErrorExplanation }) {
  return (
    <div class="notice danger provider-error">
      <p>
        <strong>{props.explanation.title}</strong>
      </p>
      <For each={props.explanation.body}>{(line) => <p>{line}</p>}</For>
      <For each={props.explanation.snippets}>
        {(snippet) => <ProviderSnippet label={snippet.label} text={snippet.text} />}
      </For>
    </div>
  );
}
