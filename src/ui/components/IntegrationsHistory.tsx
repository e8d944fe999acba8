import { createSignal, For, onMount, Show } from 'solid-js';
import type { RunRecord } from '../../core/integrations';
import type { VaultId } from '../../core/profile';
import type { RunHistory } from '../state/integration-history';
import { formatDuration, runFromRecord, runStatusLabels } from '../state/integration-run';
import { ErrorAlert } from './ErrorAlert';
import { IntegrationsConfirmDialog } from './IntegrationsConfirmDialog';
import type { EditorTarget } from './IntegrationsEditor';
import { IntegrationsRunView } from './IntegrationsRunView';
import { ListOrEmpty } from './ListOrEmpty';

const when = (at: number) =>
  new Date(at).toLocaleString(undefined, {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });

const runKey = (record: RunRecord) => `${record.seq}`;

/**
 * The last 50 runs of an integration, newest first: when, how long, how it ended and the HTTP
 * status; opening one shows what the run showed. Clear history asks first.
 */
export function IntegrationsHistory(props: {
  history: RunHistory;
  name: string;
  onTarget: (target: EditorTarget) => void;
  onPermissions: (vault: VaultId | undefined) => void;
}) {
  const [open, setOpen] = createSignal<ReadonlySet<string>>(new Set());
  const [clearing, setClearing] = createSignal(false);
  onMount(() => void props.history.refresh());
  const toggle = (key: string) => {
    const next = new Set(open());
    if (next.has(key)) next.delete(key);
    else next.add(key);
    setOpen(next);
  };

  return (
    <section class="run-history" aria-labelledby="run-history-title">
      <div class="run-history-head">
        <h3 id="run-history-title">Run history</h3>
        <button
          type="button"
          class="secondary small"
          disabled={props.history.runs().length === 0}
          onClick={() => setClearing(true)}
        >
          Clear history
        </button>
      </div>
      <p class="hint">The last 50 runs are kept, sealed with your other data.</p>
      <ErrorAlert message={props.history.error()} />
      <ListOrEmpty
        count={props.history.runs().length}
        ready={props.history.loaded() && !props.history.error()}
        empty={<p class="muted">No runs yet.</p>}
      >
        <ul class="run-list">
          <For each={props.history.runs()}>
            {(record) => (
              <li>
                <button
                  type="button"
                  class="quiet run-summary"
                  aria-expanded={open().has(runKey(record))}
                  aria-controls={open().has(runKey(record)) ? `run-${runKey(record)}` : undefined}
                  onClick={() => toggle(runKey(record))}
                >
                  <span class="run-when">{when(record.startedAt)}</span>
                  <span class="muted">{formatDuration(record.durationMs)}</span>
                  <span
                    class="badge"
                    classList={{
                      'badge-ok': record.status === 'succeeded',
                      'badge-failed': record.status === 'failed',
                    }}
                  >
                    {runStatusLabels[record.status]}
                  </span>
                  <Show when={record.response}>
                    {(response) => <span class="mono">HTTP {response().status}</span>}
                  </Show>
                </button>
                <Show when={open().has(runKey(record))}>
                  <div id={`run-${runKey(record)}`} class="run-detail">
                    <IntegrationsRunView
                      run={runFromRecord(record)}
                      running={false}
                      onJump={(hook, line) => props.onTarget({ kind: 'line', hook, line })}
                      onField={(field) => props.onTarget({ kind: 'field', field })}
                      onPermissions={props.onPermissions}
                    />
                  </div>
                </Show>
              </li>
            )}
          </For>
        </ul>
      </ListOrEmpty>
      <Show when={clearing()}>
        <IntegrationsConfirmDialog
          title="Clear run history"
          confirmLabel="Clear run history"
          onClose={() => setClearing(false)}
          onConfirm={async () => {
            await props.history.clear();
            setClearing(false);
          }}
        >
          <p>
            This deletes every run kept for <strong class="vault-name-literal">{props.name}</strong>
            : their times, debug output, requests and responses.
          </p>
        </IntegrationsConfirmDialog>
      </Show>
    </section>
  );
}
