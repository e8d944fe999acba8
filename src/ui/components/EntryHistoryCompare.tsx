import { createResource, createSignal, For, Show } from 'solid-js';
import type { EntryId } from '../../core/vault';
import { useServices } from '../state/context';
import { pathText, valueText, vaultHistory, versionText } from '../state/entry-history';
import { describeError } from '../state/error-text';
import type { OpenVault } from '../state/open-vault';
import { Dialog } from './Dialog';

function timeText(ms: number): string {
  return new Date(ms).toLocaleString();
}

/**
 * Two versions of an entry side by side, and what changed between them (by JSON path for
 * items and secrets, by field for connections). Secret values stay masked until Show; a
 * write-only value is never there to show: only "changed".
 */
export function EntryHistoryCompare(props: {
  vault: OpenVault;
  entryId: EntryId;
  older: number;
  newer: number;
  onClose: () => void;
}) {
  const { app } = useServices();
  const history = () => vaultHistory(app.session(), props.vault);
  const [shown, setShown] = createSignal(false);
  const [data] = createResource(async () => {
    const h = history();
    if (!h) return undefined;
    const versions = await h.versions(props.entryId);
    const lines = await h.compare(props.entryId, props.older, props.newer);
    return {
      older: versions.find((version) => version.index === props.older),
      newer: versions.find((version) => version.index === props.newer),
      lines,
    };
  });
  const secretKind = () => data()?.older?.kind === 'secret' || data()?.newer?.kind === 'secret';
  const hasSecret = () =>
    secretKind() || (data()?.lines.some((line) => line.secret && !line.hidden) ?? false);
  const masked = (secret: boolean, text: string) => (secret && !shown() ? '••••••••' : text);
  return (
    <Dialog
      open
      title="Compare versions"
      class="wide"
      onClose={() => props.onClose()}
      actions={
        <>
          <Show when={hasSecret()}>
            <button
              type="button"
              class="secondary"
              aria-pressed={shown()}
              onClick={() => setShown(!shown())}
            >
              {shown() ? 'Hide secret values' : 'Show secret values'}
            </button>
          </Show>
          <button type="button" class="secondary" onClick={() => props.onClose()}>
            Close
          </button>
        </>
      }
    >
      <Show
        when={!data.error}
        fallback={
          <p class="notice danger" role="alert">
            {describeError(data.error)}
          </p>
        }
      >
        <Show when={data()} fallback={<p class="muted">Loading…</p>}>
          {(result) => (
            <>
              <div class="history-compare">
                <For each={[result().older, result().newer]}>
                  {(version, i) => (
                    <figure class="history-side">
                      <figcaption>
                        {i() === 0 ? 'Older' : 'Newer'}:{' '}
                        {version ? timeText(version.at) : 'no longer kept'}
                        {version ? ` · ${history()?.deviceName(version.by) ?? ''}` : ''}
                      </figcaption>
                      <Show when={version}>
                        {(v) => (
                          <Show
                            when={!v().hidden}
                            fallback={<p class="notice">Write-only: this value cannot be shown.</p>}
                          >
                            <pre class="value-view">
                              {masked(v().kind === 'secret', versionText(v()))}
                            </pre>
                          </Show>
                        )}
                      </Show>
                    </figure>
                  )}
                </For>
              </div>
              <h3>Changes</h3>
              <Show
                when={result().lines.length > 0}
                fallback={<p class="muted">These versions are the same.</p>}
              >
                <table class="history-diff">
                  <thead>
                    <tr>
                      <th scope="col">Path</th>
                      <th scope="col">Change</th>
                      <th scope="col">Before</th>
                      <th scope="col">After</th>
                    </tr>
                  </thead>
                  <tbody>
                    <For each={result().lines}>
                      {(line) => (
                        <tr class={`diff-${line.change}`}>
                          <td>
                            <code>{pathText(line.path)}</code>
                          </td>
                          <td>{line.change}</td>
                          <Show
                            when={!line.hidden}
                            fallback={<td colSpan={2}>write-only: changed, not shown</td>}
                          >
                            <td>
                              <code>{masked(line.secret, valueText(line.before))}</code>
                            </td>
                            <td>
                              <code>{masked(line.secret, valueText(line.after))}</code>
                            </td>
                          </Show>
                        </tr>
                      )}
                    </For>
                  </tbody>
                </table>
              </Show>
            </>
          )}
        </Show>
      </Show>
    </Dialog>
  );
}
