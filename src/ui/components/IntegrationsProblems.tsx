import { For, Show } from 'solid-js';
import type { FieldProblem } from '../../core/integrations';
import type { VaultId } from '../../core/profile';
import { messageText } from '../state/integration-check';

/**
 * The problems a check found at one field, under it ("No entry API_KEY in vault my-vault").
 * A missing vault permission offers the way to grant it.
 */
export function IntegrationsProblems(props: {
  id: string;
  problems: readonly FieldProblem[];
  onPermissions: (vault: VaultId | undefined) => void;
}) {
  return (
    <Show when={props.problems.length > 0}>
      <ul id={props.id} class="integration-problems">
        <For each={props.problems}>
          {(problem) => (
            <li class="error-text">
              {messageText(problem.message)}
              <Show when={problem.code === 'grant-missing'}>
                {' '}
                <button
                  type="button"
                  class="secondary small"
                  onClick={() => props.onPermissions(problem.vault)}
                >
                  Vault permissions
                </button>
              </Show>
            </li>
          )}
        </For>
      </ul>
    </Show>
  );
}
