import { For, Show } from 'solid-js';
import type { ProviderSettings } from '../../core/providers';
import type { ProviderErrorExplanation } from '../state/provider-error-types';
import { explainProviderError } from '../state/provider-errors';
import type { VaultProvider } from '../state/vault-provider';
import { heldForDeletion, linkProblemText, remoteIsGone } from '../state/vault-provider-problems';
import { busyText, failedHeadline } from '../state/vault-provider-text';
import { ProviderErrorDetails } from './ProviderErrorDetails';
import { VaultProviderRecreate } from './VaultProviderRecreate';

/** Link problems in this dialog's words; provider failures in explainProviderError's. */
function explanationOf(
  error: unknown,
  settings: ProviderSettings | undefined,
): ProviderErrorExplanation {
  const own = linkProblemText(error);
  if (own) return { ...own, snippets: [] };
  return explainProviderError(error, {
    settings,
    pageOrigin: globalThis.location?.origin ?? '',
  });
}

/**
 * What the last action did (role=status: added, changed, removed names, skipped keys and why,
 * "nothing to do"), what is under way, or why it failed, in the words of explainProviderError.
 * Names only: outcomes never carry values. A name the remote holds for deletion offers Restore.
 */
export function VaultProviderActivity(props: {
  provider: VaultProvider;
  settings: ProviderSettings | undefined;
}) {
  const explained = () => {
    const failure = props.provider.failure();
    return failure
      ? {
          headline: failedHeadline(failure.action),
          // Restore needs the link (it names the secret); unlinked, choosing another path is the way.
          restorable: heldForDeletion(failure.error) && props.provider.info()?.link !== undefined,
          gone: remoteIsGone(failure.error),
          explanation: explanationOf(failure.error, props.settings),
        }
      : undefined;
  };
  return (
    <>
      <div class="vp-activity" role="status" aria-live="polite">
        <Show when={props.provider.busy()}>{(action) => <p>{busyText(action())}</p>}</Show>
        <Show when={!props.provider.busy() && props.provider.result()}>
          {(result) => (
            <div class={`notice ${result().summary.attention ? 'warning' : 'ok'}`}>
              <p>
                <strong>{result().summary.headline}</strong>
              </p>
              <Show when={result().summary.details.length > 0}>
                <ul>
                  <For each={result().summary.details}>{(line) => <li>{line}</li>}</For>
                </ul>
              </Show>
              <Show when={result().remoteGone}>
                <VaultProviderRecreate provider={props.provider} />
              </Show>
            </div>
          )}
        </Show>
      </div>
      <Show when={explained()}>
        {(failure) => (
          <div class="vp-failure" role="alert">
            <p>
              <strong>{failure().headline}</strong>
            </p>
            <ProviderErrorDetails explanation={failure().explanation} />
            <div class="button-row">
              <Show when={failure().gone}>
                <VaultProviderRecreate provider={props.provider} />
              </Show>
              <Show when={failure().restorable}>
                <button
                  type="button"
                  disabled={props.provider.busy() !== undefined}
                  onClick={() => void props.provider.restoreRemote()}
                >
                  Restore the remote secret
                </button>
              </Show>
              <button
                type="button"
                class="secondary"
                onClick={() => props.provider.clearMessages()}
              >
                Dismiss
              </button>
            </div>
          </div>
        )}
      </Show>
    </>
  );
}
