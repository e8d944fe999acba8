import { createResource, createSignal, For, onCleanup, Show } from 'solid-js';
import { useServices } from '../state/context';
import { daysLeft, vaultHistory } from '../state/entry-history';
import { describeError } from '../state/error-text';
import type { OpenVault } from '../state/open-vault';
import '../styles/history.css';

function timeText(ms: number): string {
  return new Date(ms).toLocaleString();
}

/**
 * The vault's Recently deleted entries: when, by which device, how many days are left before
 * they are purged, and Restore (under the old name, or `NAME_2` if it was taken since). Values
 * never show here.
 */
export function RecentlyDeleted(props: { vault: OpenVault; onRestored?: (name: string) => void }) {
  const { app } = useServices();
  const history = () => vaultHistory(app.session(), props.vault);
  const [tick, setTick] = createSignal(0);
  const [status, setStatus] = createSignal('');
  const [failure, setFailure] = createSignal<string | undefined>();
  const stop = history()?.onChange(() => setTick((n) => n + 1));
  onCleanup(() => stop?.());
  const [deleted] = createResource(tick, async () => (await history()?.deleted()) ?? []);
  const canWrite = () => !props.vault.writesHeld() && props.vault.sync?.rights().canWrite !== false;
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
      <Show when={failure()}>
        <p class="notice danger" role="alert">
          {failure()}
        </p>
      </Show>
    </section>
  );
}
