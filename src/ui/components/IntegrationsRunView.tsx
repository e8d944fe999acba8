import { For, Show } from 'solid-js';
import type { IntegrationField } from '../../core/integrations';
import type { VaultId } from '../../core/profile';
import type { FailedConnection } from '../state/integration-auth';
import { fieldLabel, messageText } from '../state/integration-check';
import {
  describeToken,
  describeWaiting,
  formatDuration,
  type RunProgress,
  runPhaseLabels,
  runStatusLabels,
  shortSecretsWarning,
} from '../state/integration-run';

const time = (at: number) =>
  new Date(at).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });

const formatBytes = (bytes: number) =>
  bytes < 1024 ? `${bytes} bytes` : `${(bytes / 1024).toFixed(1)} KiB`;

/**
 * One run, going on or finished: its phases, a wait for a vault open elsewhere, a connection's
 * access token being fetched, the hooks' debug lines, the request as sent and the response,
 * and how it failed (a connection with empty credentials offers "Fill in" when the owner can
 * open that dialog). Everything arrives masked from core and is shown as text (never as HTML).
 */
export function IntegrationsRunView(props: {
  run: RunProgress;
  running: boolean;
  onJump?: (hook: 'before' | 'after', line: number) => void;
  onField?: (field: IntegrationField) => void;
  onPermissions?: (vault: VaultId | undefined) => void;
  /** Opens "Fill in" for a connection a run found incomplete; without it, no button. */
  onFillIn?: (connection: FailedConnection) => void;
}) {
  const record = () => props.run.record;
  const failure = () => record()?.failure;
  const current = () => props.run.phases.at(-1);
  const warning = () => shortSecretsWarning(record()?.unmaskedShortSecrets ?? 0);
  const token = () => (props.running ? describeToken(props.run.token) : undefined);
  const incomplete = () => {
    const failed = failure();
    return failed?.code === 'connection-incomplete' && props.onFillIn
      ? failed.connection
      : undefined;
  };

  return (
    <div class="run-view">
      <Show when={props.run.phases.length > 0}>
        <ol class="run-phases" aria-label="Phases">
          <For each={props.run.phases}>
            {(phase) => (
              <li
                aria-current={props.running && phase === current() ? 'step' : undefined}
                classList={{ 'run-phase-current': props.running && phase === current() }}
              >
                {runPhaseLabels[phase]}
                <Show when={props.running && phase === current()}>…</Show>
              </li>
            )}
          </For>
        </ol>
      </Show>
      <p class="visually-hidden" role="status">
        {props.running ? `${runPhaseLabels[current() ?? 'checking']}…` : ''}
      </p>
      <Show when={props.run.waiting}>
        {(waiting) => (
          <p class="notice warning run-waiting" role="status">
            {describeWaiting(waiting(), time)}
          </p>
        )}
      </Show>
      <Show when={token()}>
        {(text) => (
          <p class="notice run-token" role="status" data-testid="run-token">
            {text()}
          </p>
        )}
      </Show>
      <Show when={record()}>
        {(done) => (
          <p
            class="notice run-outcome"
            classList={{
              ok: done().status === 'succeeded',
              danger: done().status === 'failed',
            }}
          >
            <strong>{runStatusLabels[done().status]}</strong>
            {` in ${formatDuration(done().durationMs)}`}
            <Show when={done().response}>
              {(response) => ` · HTTP ${response().status} ${response().statusText}`}
            </Show>
          </p>
        )}
      </Show>
      <Show when={warning()}>{(text) => <p class="notice warning">{text()}</p>}</Show>
      <Show when={failure()}>
        {(failed) => (
          <div class="notice danger run-failure" role="alert">
            <p>{messageText(failed().message)}</p>
            <div class="button-row">
              <Show when={failed().hook !== undefined && failed().line !== undefined}>
                <button
                  type="button"
                  class="secondary small"
                  onClick={() => props.onJump?.(failed().hook ?? 'before', failed().line ?? 1)}
                >
                  {failed().hook === 'after' ? 'After hook' : 'Before hook'}, line {failed().line}
                </button>
              </Show>
              <Show when={failed().field}>
                {(field) => (
                  <button
                    type="button"
                    class="secondary small"
                    onClick={() => props.onField?.(field())}
                  >
                    Go to {fieldLabel(field())}
                  </button>
                )}
              </Show>
              <Show when={incomplete()}>
                {(connection) => (
                  <button
                    type="button"
                    class="secondary small"
                    onClick={() => props.onFillIn?.(connection())}
                  >
                    Fill in {connection().name}
                  </button>
                )}
              </Show>
              <Show when={failed().code === 'grant-missing'}>
                <button
                  type="button"
                  class="secondary small"
                  onClick={() => props.onPermissions?.(failed().vault)}
                >
                  Vault permissions
                </button>
              </Show>
            </div>
            <Show when={failed().code === 'request-failed' && failed().reason === 'cors'}>
              <p class="hint">
                Requests are sent by this page, so the browser shows it an answer only if the API
                allows this page's origin (CORS). The API's owner can allow it; Coffer cannot.
              </p>
            </Show>
          </div>
        )}
      </Show>

      <Show when={props.run.debug.length > 0}>
        <section class="run-section" aria-label="Debug output">
          <h4>Debug output</h4>
          <ol class="run-debug">
            <For each={props.run.debug}>
              {(line) => (
                <li>
                  <span class="run-debug-label">
                    <span class="badge">{line.hook === 'before' ? 'before' : 'after'}</span>{' '}
                    <Show when={line.label}>
                      <strong>{line.label}</strong>
                    </Show>
                  </span>
                  <pre class="value-view" tabindex="0">
                    {line.text}
                  </pre>
                </li>
              )}
            </For>
          </ol>
        </section>
      </Show>

      <Show when={props.run.request}>
        {(request) => (
          <section class="run-section" aria-label="Request sent">
            <h4>Request sent</h4>
            <pre class="value-view" tabindex="0">{`${request().method} ${request().url}`}</pre>
            <Show when={request().headers.length > 0}>
              <pre class="value-view" tabindex="0">
                {request()
                  .headers.map(([name, value]) => `${name}: ${value}`)
                  .join('\n')}
              </pre>
            </Show>
            <Show when={request().body !== undefined}>
              <pre class="value-view" tabindex="0">
                {request().body}
              </pre>
              <Show when={request().bodyTruncated}>
                <p class="hint">The body is cut short here.</p>
              </Show>
            </Show>
          </section>
        )}
      </Show>

      <Show when={props.run.response}>
        {(response) => (
          <section class="run-section" aria-label="Response">
            <h4>Response</h4>
            <pre
              class="value-view"
              tabindex="0"
            >{`${response().status} ${response().statusText}`}</pre>
            <Show when={response().headers.length > 0}>
              <pre class="value-view" tabindex="0">
                {response()
                  .headers.map(([name, value]) => `${name}: ${value}`)
                  .join('\n')}
              </pre>
            </Show>
            <pre class="value-view" tabindex="0">
              {response().body}
            </pre>
            <p class="hint">
              {formatBytes(response().bodyBytes)}
              {response().bodyTruncated ? '; only the first 64 KiB are shown.' : ''}
            </p>
          </section>
        )}
      </Show>

      <Show when={record()?.results.before !== undefined || record()?.results.after !== undefined}>
        <section class="run-section" aria-label="Hook results">
          <h4>Hook results</h4>
          <Show when={record()?.results.before}>
            {(text) => (
              <>
                <p class="label">Before hook returned</p>
                <pre class="value-view" tabindex="0">
                  {text()}
                </pre>
              </>
            )}
          </Show>
          <Show when={record()?.results.after}>
            {(text) => (
              <>
                <p class="label">After hook returned</p>
                <pre class="value-view" tabindex="0">
                  {text()}
                </pre>
              </>
            )}
          </Show>
        </section>
      </Show>
    </div>
  );
}
