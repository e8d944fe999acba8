import { createSignal, createUniqueId, Show } from 'solid-js';
import type { VaultProvider } from '../state/vault-provider';
import { remotePathProblem } from '../state/vault-provider-problems';
import { describeMigration } from '../state/vault-provider-text';
import type { ProviderLinkView } from '../state/vault-provider-types';

/**
 * Moving the link to another remote path: copy, check the copy, switch, then soft-delete the
 * old secret. A move that stopped halfway says after which step, and what Resume and Undo each
 * do, in plain words.
 */
export function VaultProviderMigrate(props: { provider: VaultProvider; link: ProviderLinkView }) {
  const inputId = createUniqueId();
  const hintId = createUniqueId();
  const [path, setPath] = createSignal('');
  const [touched, setTouched] = createSignal(false);
  const problem = () =>
    remotePathProblem(path()) ??
    (path() === props.link.path ? 'This is the path the vault uses now.' : undefined);
  const busy = () => props.provider.busy() !== undefined;
  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    setTouched(true);
    if (problem() || busy()) return;
    void props.provider.migrate(path());
  };
  return (
    <section class="vp-migrate" aria-labelledby={`${inputId}-title`}>
      <h3 id={`${inputId}-title`}>Migrate to another path</h3>
      <Show
        when={props.link.migration}
        fallback={
          <form onSubmit={submit} noValidate>
            <div class="field">
              <label for={inputId}>New remote path</label>
              <div class="input-row">
                <input
                  id={inputId}
                  type="text"
                  value={path()}
                  autocomplete="off"
                  spellcheck={false}
                  autocapitalize="off"
                  aria-invalid={touched() && problem() ? 'true' : undefined}
                  aria-describedby={hintId}
                  onInput={(event) => setPath(event.currentTarget.value)}
                />
                <button type="submit" class="secondary" disabled={busy()}>
                  Migrate
                </button>
              </div>
              <span id={hintId} class="hint">
                <Show
                  when={touched() && problem()}
                  fallback="The values are copied and checked first; the old secret is then deleted, and can be restored."
                >
                  {(words) => <span class="error-text">{words()}</span>}
                </Show>
              </span>
            </div>
          </form>
        }
      >
        {(migration) => (
          <div class="notice warning" role="status">
            <p>
              <strong>{describeMigration(migration()).headline}</strong>
            </p>
            <p>{describeMigration(migration()).resume}</p>
            <p>{describeMigration(migration()).undo}</p>
            <div class="button-row">
              <button
                type="button"
                class="secondary"
                disabled={busy()}
                onClick={() => void props.provider.undoMigration()}
              >
                Undo the move
              </button>
              <button
                type="button"
                disabled={busy()}
                onClick={() => void props.provider.resumeMigration()}
              >
                Resume the move
              </button>
            </div>
          </div>
        )}
      </Show>
    </section>
  );
}
