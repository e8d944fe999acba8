import { createUniqueId, Index, Show } from 'solid-js';
import type { FieldProblem } from '../../core/integrations';
import type { VaultId } from '../../core/profile';
import { fieldControlId, problemsAt } from '../state/integration-check';
import { type PairList, withNewPair, withoutPair, withPair } from '../state/integration-draft';
import type { IntegrationEditor } from '../state/integration-editor';
import { IntegrationsProblems } from './IntegrationsProblems';
import { ReferenceInput } from './ReferenceInput';

/**
 * Query parameters or headers as editable rows: name, value (both may hold references), a
 * checkbox to send it or not, and Remove; "Add" appends an empty row.
 */
export function IntegrationsPairs(props: {
  editor: IntegrationEditor;
  list: PairList;
  /** "Query parameter" or "Header": each control's accessible name starts with it. */
  noun: string;
  title: string;
  idPrefix: string;
  onPermissions: (vault: VaultId | undefined) => void;
}) {
  const headingId = createUniqueId();
  const part = () => (props.list === 'query' ? 'query' : 'header');
  const pairs = () => props.editor.draft()?.request[props.list] ?? [];
  const at = (index: number, side: 'name' | 'value'): FieldProblem[] =>
    problemsAt(props.editor.problems(), { part: part(), index, side });
  const controlId = (index: number, side: 'name' | 'value') =>
    fieldControlId(props.idPrefix, { part: part(), index, side });
  const lower = () => props.noun.toLowerCase();

  return (
    <section class="integration-pairs" aria-labelledby={headingId}>
      <h3 id={headingId}>{props.title}</h3>
      <Show when={pairs().length > 0} fallback={<p class="muted">None.</p>}>
        <div class="pair-head" aria-hidden="true">
          <span>Name</span>
          <span>Value</span>
          <span>Send</span>
          <span />
        </div>
        <ul class="pair-list">
          <Index each={pairs()}>
            {(pair, position) => (
              <li class="pair-row">
                <div class="pair-cell">
                  <ReferenceInput
                    id={controlId(position, 'name')}
                    ariaLabel={`${props.noun} ${position + 1} name`}
                    value={pair().name}
                    invalid={at(position, 'name').length > 0}
                    describedBy={
                      at(position, 'name').length > 0
                        ? `${controlId(position, 'name')}-problems`
                        : undefined
                    }
                    suggest={props.editor.suggest}
                    onInput={(value) =>
                      props.editor.update((draft) =>
                        withPair(draft, props.list, position, { name: value }),
                      )
                    }
                  />
                  <IntegrationsProblems
                    id={`${controlId(position, 'name')}-problems`}
                    problems={at(position, 'name')}
                    onPermissions={props.onPermissions}
                  />
                </div>
                <div class="pair-cell">
                  <ReferenceInput
                    id={controlId(position, 'value')}
                    ariaLabel={`${props.noun} ${position + 1} value`}
                    value={pair().value}
                    invalid={at(position, 'value').length > 0}
                    describedBy={
                      at(position, 'value').length > 0
                        ? `${controlId(position, 'value')}-problems`
                        : undefined
                    }
                    suggest={props.editor.suggest}
                    onInput={(value) =>
                      props.editor.update((draft) =>
                        withPair(draft, props.list, position, { value }),
                      )
                    }
                  />
                  <IntegrationsProblems
                    id={`${controlId(position, 'value')}-problems`}
                    problems={at(position, 'value')}
                    onPermissions={props.onPermissions}
                  />
                </div>
                <label class="checkbox pair-enabled">
                  <input
                    type="checkbox"
                    checked={pair().enabled}
                    aria-label={`Send ${lower()} ${position + 1}`}
                    onChange={(event) => {
                      const enabled = event.currentTarget.checked;
                      props.editor.update((draft) =>
                        withPair(draft, props.list, position, { enabled }),
                      );
                    }}
                  />
                  <span class="pair-enabled-text">Send</span>
                </label>
                <button
                  type="button"
                  class="secondary small"
                  aria-label={`Remove ${lower()} ${position + 1}`}
                  onClick={() =>
                    props.editor.update((draft) => withoutPair(draft, props.list, position))
                  }
                >
                  Remove
                </button>
              </li>
            )}
          </Index>
        </ul>
      </Show>
      <button
        type="button"
        class="secondary small"
        onClick={() => props.editor.update((draft) => withNewPair(draft, props.list))}
      >
        <span aria-hidden="true">+</span> Add {lower()}
      </button>
    </section>
  );
}
