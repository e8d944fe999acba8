import { createResource, createSignal, For, Show } from 'solid-js';
import type { EntryId } from '../../core/vault';
import { changesText } from '../state/entry-history';
import { describeError } from '../state/error-text';
import { timeText, useVaultHistory } from '../state/history-view';
import type { OpenVault } from '../state/open-vault';
import { EntryHistoryCompare } from './EntryHistoryCompare';
import { ErrorAlert } from './ErrorAlert';
import '../styles/history.css';

/**
 * An entry's History: its versions, newest first (the order every device shows: arrival in
 * the shared document, not the devices' clocks), each with when, which device and what
 * changed. Pick two to compare them side by side; Restore writes a version as the current
 * one (a new version). Write-only values never show, only that they changed.
 */
export function EntryHistory(props: { vault: OpenVault; entryId: EntryId; entryName: string }) {
  const { history, tick, canWrite } = useVaultHistory(() => props.vault);
  const [open, setOpen] = createSignal(false);
  const [picked, setPicked] = createSignal<number[]>([]);
  const [comparing, setComparing] = createSignal<[number, number] | undefined>();
  const [status, setStatus] = createSignal('');
  const [failure, setFailure] = createSignal<string | undefined>();
  const [versions] = createResource(
    () => (open() ? { id: props.entryId, tick: tick() } : false),
    async (source) => (await history()?.versions(source.id))?.slice().reverse() ?? [],
  );
  const latest = () => versions()?.[0]?.index;
  const toggle = (index: number, on: boolean) => {
    const rest = picked().filter((other) => other !== index);
    // Two at most: picking a third lets go of the earliest pick.
    setPicked(on ? [...rest, index].slice(-2) : rest);
  };
  const restore = async (index: number, at: number) => {
    setFailure(undefined);
    setStatus('');
    try {
      await history()?.restoreVersion(props.entryId, index);
      setStatus(`Restored the version of ${timeText(at)}.`);
      setPicked([]);
    } catch (error) {
      setFailure(`Could not restore: ${describeError(error)}`);
    }
  };
  return (
    <section class="entry-history" aria-label="History">
      <button
        type="button"
        class="secondary"
        aria-expanded={open()}
        onClick={() => setOpen(!open())}
      >
        History
      </button>
      <Show when={open()}>
        <Show when={versions()} fallback={<p class="muted">Loading…</p>}>
          {(list) => (
            <>
              <Show
                when={list().length > 0}
                fallback={<p class="muted">No versions are recorded for this entry yet.</p>}
              >
                <ol class="history-list" aria-label="Versions">
                  <For each={list()}>
                    {(version) => (
                      <li class="history-row">
                        <label class="checkbox">
                          <input
                            type="checkbox"
                            checked={picked().includes(version.index)}
                            onChange={(event) => toggle(version.index, event.currentTarget.checked)}
                          />
                          <span class="visually-hidden">Compare the version of </span>
                          <time datetime={new Date(version.at).toISOString()}>
                            {timeText(version.at)}
                          </time>
                        </label>
                        <span class="history-device">
                          {history()?.deviceName(version.by) ?? ''}
                        </span>
                        <span class="history-changes">
                          {changesText(version.changes)}
                          {version.name !== props.entryName ? ` (as “${version.name}”)` : ''}
                        </span>
                        <Show
                          when={version.index !== latest()}
                          fallback={<span class="badge">current</span>}
                        >
                          <button
                            type="button"
                            class="secondary small"
                            disabled={!canWrite()}
                            aria-label={`Restore the version of ${timeText(version.at)}`}
                            onClick={() => void restore(version.index, version.at)}
                          >
                            Restore
                          </button>
                        </Show>
                      </li>
                    )}
                  </For>
                </ol>
                <div class="button-row">
                  <button
                    type="button"
                    class="secondary"
                    disabled={picked().length !== 2}
                    onClick={() => {
                      const [a, b] = [...picked()].sort((x, y) => x - y);
                      setComparing([a!, b!]);
                    }}
                  >
                    Compare selected
                  </button>
                  <span class="muted">Select two versions to compare them.</span>
                </div>
              </Show>
            </>
          )}
        </Show>
        <Show when={status()}>
          <p class="muted" role="status">
            {status()}
          </p>
        </Show>
        <ErrorAlert class="notice danger" message={failure()} />
      </Show>
      <Show when={comparing()} keyed>
        {(pair) => (
          <EntryHistoryCompare
            vault={props.vault}
            entryId={props.entryId}
            older={pair[0]}
            newer={pair[1]}
            onClose={() => setComparing(undefined)}
          />
        )}
      </Show>
    </section>
  );
}
