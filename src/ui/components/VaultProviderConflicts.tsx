import { createSignal, createUniqueId, For } from 'solid-js';
import {
  choicesFor,
  chooseAll,
  conflictsUnchosen,
  describeChoices,
} from '../state/vault-provider-choices';
import { countOf } from '../state/vault-provider-text';
import type { ConflictChoice, ConflictChoices } from '../state/vault-provider-types';

/**
 * Keys changed both here and at the provider since the last sync: for each, keep mine or take
 * theirs, then Apply. Names only: neither side's value is shown here (a secret's value never
 * reaches this dialog), so the choice is made knowing which key, not what it holds.
 */
export function VaultProviderConflicts(props: {
  conflicts: readonly string[];
  busy: boolean;
  onApply: (choices: ConflictChoices) => void;
}) {
  const titleId = createUniqueId();
  const group = createUniqueId();
  const [choices, setChoices] = createSignal<ConflictChoices>({});
  const current = () => choicesFor(props.conflicts, choices());
  const choose = (key: string, choice: ConflictChoice) =>
    setChoices({ ...current(), [key]: choice });
  return (
    <section class="notice warning vp-conflicts" aria-labelledby={titleId}>
      <h3 id={titleId}>{countOf(props.conflicts.length, 'key')} changed on both sides</h3>
      <p>
        Nothing was overwritten. Choose, key by key, which value stays: this vault's (mine) or the
        provider's (theirs).
      </p>
      <ul class="vp-conflict-list">
        <For each={props.conflicts}>
          {(key, index) => (
            <li>
              <fieldset>
                <legend class="mono">{key}</legend>
                <label class="checkbox">
                  <input
                    type="radio"
                    name={`${group}-${index()}`}
                    checked={current()[key] === 'mine'}
                    onChange={() => choose(key, 'mine')}
                  />
                  Keep mine
                </label>
                <label class="checkbox">
                  <input
                    type="radio"
                    name={`${group}-${index()}`}
                    checked={current()[key] === 'theirs'}
                    onChange={() => choose(key, 'theirs')}
                  />
                  Take theirs
                </label>
              </fieldset>
            </li>
          )}
        </For>
      </ul>
      <p class="hint" role="status">
        {describeChoices(props.conflicts, current())}
      </p>
      <div class="button-row">
        <button
          type="button"
          class="secondary"
          onClick={() => setChoices(chooseAll(props.conflicts, 'mine'))}
        >
          Keep all mine
        </button>
        <button
          type="button"
          class="secondary"
          onClick={() => setChoices(chooseAll(props.conflicts, 'theirs'))}
        >
          Take all theirs
        </button>
        <button
          type="button"
          disabled={props.busy || conflictsUnchosen(props.conflicts, current()).length > 0}
          onClick={() => props.onApply(current())}
        >
          Apply
        </button>
      </div>
    </section>
  );
}
