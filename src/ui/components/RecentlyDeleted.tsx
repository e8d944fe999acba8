import { createResource, createSignal, For, Show } from 'solid-js';
import { daysLeft } from '../state/entry-history';
import { describeError } from '../state/error-text';
import { timeText, useVaultHistory } from '../state/history-view';
import type { OpenVault } from '../state/open-vault';
import { ErrorAlert } from './ErrorAlert';
import '../styles/history.css';

/**
 * The vault's Recently deleted entries: when, by which device, how many days are left before
 * they are purged, and Restore (under the old name, or `NAME_2` if it was taken since). Values
 * never show here.
 */
export function RecentlyDeleted(props: { vault: OpenVault; onRestored?: (name: string) => void }) {
  const { history, tick, canWrite } = useVaultHistory(() => props.vault);
  const [status, setStatus] = createSignal('');
  const [failure, setFailure] = createSignal<string | undefined>();
  const [deleted] = createResource(tick, async () => (await history()?.deleted()) ?? []);
  const restore = async (id: string, name: string) => {
    setFailure(undefined);
    setStatus('');
    try {
      const summary = await history()?.restoreDeleted(id);
      if (!summary) return;
      setStatus(
        summary.name === name ? `Restored “${name}”.` : `Restored “${name}” as “${summary.name}”.`,
      );
      props.onRestored?.(summary.name);
    } catch (error) {
      setFailure(`Could not restore “${name}”: ${describeError(error)}`);
    }
  };
  return (
    <section class="recently-deleted" aria-labelledby="recently-deleted-title">
      <h3 id="recently-deleted-title">Recently deleted</h3>
      <Show when={deleted()} fallback={<p class="muted">Loading…</p>}>
        {(list) => (
          <Show
            when={list().length > 0}
            fallback={<p class="empty-state">No recently deleted entries.</p>}
          >
            <ul class="entry-list" aria-label="Recently deleted entries">
              <For each={list()}>
                {(entry) => {
                  const left = daysLeft(entry.expiresAt, Date.now());
                  return (
                    <li class="history-row">
                      <span class="entry-title">{entry.name}</span>
                      <span class="badge">{entry.kind}</span>
                      <span class="muted">
                        deleted {timeText(entry.deletedAt)} by{' '}
                        {history()?.deviceName(entry.by) ?? ''}; {left}{' '}
                        {left === 1 ? 'day' : 'days'} left
                      </span>
                      <button
                        type="button"
                        class="secondary small"
                        disabled={!canWrite()}
                        aria-label={`Restore ${entry.name}`}
                        onClick={() => void restore(entry.id, entry.name)}
                      >
                        Restore
                      </button>
                    </li>
                  );
                }}
              </For>
            </ul>
          </Show>
        )}
      </Show>
      <Show when={status()}>
        <p class="muted" role="status">
          {status()}
        </p>
      </Show>
      <ErrorAlert class="notice danger" message={failure()} />
    </section>
  );
}
