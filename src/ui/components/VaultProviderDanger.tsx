import { createSignal, createUniqueId, Show } from 'solid-js';
import type { VaultProvider } from '../state/vault-provider';
import { describeDeleted } from '../state/vault-provider-problems';
import type { ProviderLinkView } from '../state/vault-provider-types';
import { VaultProviderKeepCopy } from './VaultProviderKeepCopy';

type Asking = 'stop' | 'delete' | 'destroy' | undefined;

/**
 * What cannot be taken back lightly: stop syncing (a memory-only vault asks whether to keep a
 * local copy), delete the remote secret (soft: it can be restored), destroy it for good (typing
 * the remote path to confirm), and restore after a delete.
 */
export function VaultProviderDanger(props: {
  provider: VaultProvider;
  link: ProviderLinkView;
  now: number;
}) {
  const inputId = createUniqueId();
  const [asking, setAsking] = createSignal<Asking>();
  const [typed, setTyped] = createSignal('');
  const busy = () => props.provider.busy() !== undefined;
  const ask = (what: Asking) => {
    setTyped('');
    setAsking(what);
  };
  const done = () => setAsking(undefined);
  return (
    <section class="vp-danger" aria-labelledby={`${inputId}-title`}>
      <h3 id={`${inputId}-title`}>Danger zone</h3>
      <Show when={props.provider.deleted()}>
        {(deleted) => (
          <div class="notice warning" role="status">
            <p>{describeDeleted(deleted(), props.now, props.provider.info()?.settings?.kind)}</p>
            <Show when={deleted().restorable}>
              <button
                type="button"
                disabled={busy()}
                onClick={() => void props.provider.restoreRemote()}
              >
                Restore the remote secret
              </button>
            </Show>
          </div>
        )}
      </Show>
      <div class="button-row">
        <button type="button" class="secondary" onClick={() => ask('stop')}>
          Stop syncing
        </button>
        <button type="button" class="danger" onClick={() => ask('delete')}>
          Delete the remote secret
        </button>
        <button type="button" class="danger" onClick={() => ask('destroy')}>
          Destroy the remote secret permanently
        </button>
      </div>
      <Show when={asking() === 'stop'}>
        <Show
          when={props.link.memoryOnly}
          fallback={
            <div class="notice warning vp-question">
              <p>
                <strong>Stop syncing this vault?</strong> Its values stay in this vault; the remote
                secret at <span class="mono">{props.link.path}</span> is left as it is.
              </p>
              <div class="button-row">
                <button type="button" class="secondary" onClick={done}>
                  Cancel
                </button>
                <button
                  type="button"
                  disabled={busy()}
                  onClick={() => {
                    done();
                    void props.provider.unlink(true);
                  }}
                >
                  Stop syncing
                </button>
              </div>
            </div>
          }
        >
          <VaultProviderKeepCopy
            question="Stop syncing this vault?"
            withoutCopy="Without one, the synced entries are removed from this vault; their values stay in the provider."
            busy={busy()}
            onCancel={done}
            onAnswer={(keep) => {
              done();
              void props.provider.unlink(keep);
            }}
          />
        </Show>
      </Show>
      <Show when={asking() === 'delete'}>
        <div class="notice danger vp-question">
          <p>
            <strong>Delete the remote secret at {props.link.path}?</strong> This is a soft delete:
            it can be restored (HashiCorp KV version 2 keeps the version; AWS keeps the secret for
            its recovery window). A KV version 1 mount has no soft delete: Coffer refuses there, and
            only Destroy removes it.
          </p>
          <div class="button-row">
            <button type="button" class="secondary" onClick={done}>
              Cancel
            </button>
            <button
              type="button"
              class="danger"
              disabled={busy()}
              onClick={() => {
                done();
                void props.provider.deleteRemote();
              }}
            >
              Delete the remote secret
            </button>
          </div>
        </div>
      </Show>
      <Show when={asking() === 'destroy'}>
        <form
          class="notice danger vp-question"
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            if (typed() !== props.link.path || busy()) return;
            done();
            void props.provider.destroyRemote(typed());
          }}
        >
          <p>
            <strong>Destroy the remote secret permanently?</strong> Every version at the provider is
            removed and cannot be restored.{' '}
            <Show when={props.link.memoryOnly} fallback="This vault keeps its own values.">
              This vault holds its values in memory only: they are gone when you lock. Stop syncing
              with a local copy first to keep them.
            </Show>
          </p>
          <div class="field">
            <label for={inputId}>
              Type the remote path <span class="mono">{props.link.path}</span> to confirm
            </label>
            <input
              id={inputId}
              type="text"
              class="mono"
              autocomplete="off"
              spellcheck={false}
              autocapitalize="off"
              value={typed()}
              onInput={(event) => setTyped(event.currentTarget.value)}
            />
          </div>
          <div class="button-row">
            <button type="button" class="secondary" onClick={done}>
              Cancel
            </button>
            <button type="submit" class="danger" disabled={typed() !== props.link.path || busy()}>
              Destroy permanently
            </button>
          </div>
        </form>
      </Show>
    </section>
  );
}
