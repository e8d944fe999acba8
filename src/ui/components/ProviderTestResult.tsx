import { Match, Show, Switch } from 'solid-js';
import { explainProviderError } from '../state/provider-errors';
import type { ProviderTestOutcome } from '../state/provider-settings';
import { connectedText, identityText } from '../state/provider-settings-text';
import { ProviderErrorDetails } from './ProviderErrorDetails';

/**
 * The result of Test connection, in a live region: "Testing…" with Cancel, the success line
 * ("Connected: KV v2 at secret, 12 secrets.") and who the credentials are, or what failed and
 * what to do about it.
 */
export function ProviderTestResult(props: {
  outcome: ProviderTestOutcome | undefined;
  /** This page's origin, which a CORS fix must allow. */
  pageOrigin: string;
  onCancel?: () => void;
}) {
  return (
    <div class="provider-test-result" role="status" aria-live="polite">
      <Switch>
        <Match when={props.outcome?.state === 'running'}>
          <p class="provider-testing">
            Testing the connection…{' '}
            <Show when={props.onCancel}>
              <button type="button" class="secondary" onClick={() => props.onCancel?.()}>
                Cancel
              </button>
            </Show>
          </p>
        </Match>
        <Match when={props.outcome?.state === 'ok' && props.outcome}>
          {(ok) => {
            const report = () => (ok() as Extract<ProviderTestOutcome, { state: 'ok' }>).report;
            return (
              <div class="notice ok">
                <p class="settings-last">
                  <strong>{connectedText(report())}</strong>
                  <Show when={identityText(report())}>{(who) => <> {who()}</>}</Show>
                </p>
              </div>
            );
          }}
        </Match>
        <Match when={props.outcome?.state === 'failed' && props.outcome}>
          {(failed) => {
            const explanation = () => {
              const outcome = failed() as Extract<ProviderTestOutcome, { state: 'failed' }>;
              return explainProviderError(outcome.error, {
                settings: outcome.settings,
                pageOrigin: props.pageOrigin,
              });
            };
            return <ProviderErrorDetails explanation={explanation()} />;
          }}
        </Match>
        <Match when={props.outcome?.state === 'error' && props.outcome}>
          {(other) => (
            <p class="error-text">
              {(other() as Extract<ProviderTestOutcome, { state: 'error' }>).text}
            </p>
          )}
        </Match>
      </Switch>
    </div>
  );
}
