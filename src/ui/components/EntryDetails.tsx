import { createResource, createSignal, For, Match, Show, Switch } from 'solid-js';
import { connectionTypeSpec } from '../state/connection-types';
import { entryView } from '../state/entry-view';
import type { OpenVault } from '../state/open-vault';
import { ConnectionStatusLine } from './ConnectionStatusLine';
import { Dialog } from './Dialog';
import { EntryHistory } from './EntryHistory';
import { EntrySecretValue } from './EntrySecretValue';
import '../styles/entries.css';

function timeText(ms: number): string {
  return new Date(ms).toLocaleString();
}

/**
 * One entry: its name and kind, its value as the kind allows (items as pretty JSON text,
 * secrets masked until shown, write-only secrets never; a connection's status line, its
 * fields without Coffer's upkeep fields, write-only ones as "Saved"), times, Edit and Delete
 * (confirmed; the entry goes to Recently deleted), and its History (EntryHistory).
 * The entry is reloaded whenever the vault's list says it changed.
 */
export function EntryDetails(props: {
  vault: OpenVault;
  name: string;
  onEdit: () => void;
  onDeleted: () => void;
}) {
  const headingId = `entry-details-${Math.random().toString(36).slice(2)}`;
  const [confirming, setConfirming] = createSignal(false);
  const [deleting, setDeleting] = createSignal(false);
  const [deleteError, setDeleteError] = createSignal<string | null>(null);
  const [view] = createResource(
    () => {
      const summary = props.vault.entries().find((entry) => entry.name === props.name);
      return { name: props.name, id: summary?.id, updatedAt: summary?.updatedAt };
    },
    async (source) => {
      const entry = await props.vault.get(source.name);
      // The view keeps no value of a write-only secret: entryView drops it here.
      return entry ? entryView(entry) : null;
    },
  );
  const entryId = () => props.vault.entries().find((entry) => entry.name === props.name)?.id;
  const remove = async () => {
    setDeleting(true);
    setDeleteError(null);
    try {
      await props.vault.remove(props.name);
      setConfirming(false);
      props.onDeleted();
    } catch (error) {
      setDeleteError(`Could not delete: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      setDeleting(false);
    }
  };
  return (
    <section class="entry-details" aria-labelledby={headingId}>
      <Switch fallback={<p>Loading…</p>}>
        <Match when={view.error}>
          <h3 id={headingId}>{props.name}</h3>
          <p class="notice danger" role="alert">
            Could not open this entry:{' '}
            {view.error instanceof Error ? view.error.message : String(view.error)}
          </p>
        </Match>
        <Match when={view.state !== 'pending' && view.latest === null}>
          <h3 id={headingId}>{props.name}</h3>
          <p class="notice">There is no entry named “{props.name}” any more.</p>
        </Match>
        <Match when={view.latest} keyed>
          {(entry) => (
            <>
              <header class="entry-details-head">
                <h3 id={headingId}>
                  <span class="entry-title">{entry.name}</span>{' '}
                  <span class="badge">{entry.kindLabel}</span>
                  <Show when={entry.kind === 'connection' && entry.missing}>
                    {' '}
                    <span class="badge warning">missing credentials</span>
                  </Show>
                </h3>
                <div class="button-row">
                  <button
                    type="button"
                    class="secondary"
                    disabled={
                      props.vault.writesHeld() || props.vault.sync?.rights().canWrite === false
                    }
                    onClick={() => props.onEdit()}
                  >
                    Edit
                  </button>
                  <button
                    type="button"
                    class="secondary"
                    disabled={
                      props.vault.writesHeld() || props.vault.sync?.rights().canWrite === false
                    }
                    onClick={() => setConfirming(true)}
                  >
                    Delete
                  </button>
                </div>
              </header>

              <Show when={props.vault.sync?.reviews().find((review) => review.name === entry.name)}>
                <div class="notice warning" role="status">
                  <p>
                    <strong>Changed on two devices while they were apart.</strong> Both changes were
                    merged: where both changed the same part, one of them was kept (the same one on
                    every device). Check that this is what you want.
                  </p>
                  <button
                    type="button"
                    class="secondary"
                    onClick={() => void props.vault.sync?.markReviewed(entry.name)}
                  >
                    Mark as reviewed
                  </button>
                </div>
              </Show>
              <Switch>
                <Match when={entry.kind === 'item' && entry}>
                  {(item) => <pre class="value-view">{item().text}</pre>}
                </Match>
                <Match when={entry.kind === 'secret' && entry.writeOnly}>
                  <p class="notice">Write-only: this value cannot be shown.</p>
                  <button
                    type="button"
                    class="secondary"
                    disabled={
                      props.vault.writesHeld() || props.vault.sync?.rights().canWrite === false
                    }
                    onClick={() => props.onEdit()}
                  >
                    Replace
                  </button>
                </Match>
                <Match when={entry.kind === 'secret' && !entry.writeOnly && entry}>
                  {(secret) => (
                    <EntrySecretValue
                      value={'text' in secret() ? (secret() as { text: string }).text : ''}
                      block={(secret() as { text: string }).text.includes('\n')}
                      onAccess={(how) => void props.vault.audit?.secretAccessed(how, props.name)}
                    />
                  )}
                </Match>
                <Match when={entry.kind === 'connection' && entry}>
                  {(connection) => {
                    const data = connection() as Extract<typeof entry, { kind: 'connection' }>;
                    return (
                      <>
                        {/* An unknown type has no known requirements: "Ready" would be a guess. */}
                        <Show when={connectionTypeSpec(data.type)}>
                          <ConnectionStatusLine value={data.value} />
                        </Show>
                        <dl class="connection-fields">
                          <dt>Type</dt>
                          <dd>{data.typeLabel}</dd>
                          <For each={data.fields}>
                            {(field) => (
                              <>
                                <dt>{field.label}</dt>
                                <dd>
                                  <Switch>
                                    <Match when={field.hidden}>
                                      <span class="connection-saved">Saved (write-only)</span>
                                    </Match>
                                    <Match when={field.value === null && field.required}>
                                      <span class="badge warning">missing</span>
                                    </Match>
                                    <Match when={field.value === null}>
                                      <span class="connection-unset">not set</span>
                                    </Match>
                                    <Match when={field.secret}>
                                      <EntrySecretValue
                                        value={field.value ?? ''}
                                        label={field.label}
                                        onAccess={(how) =>
                                          void props.vault.audit?.secretAccessed(how, props.name)
                                        }
                                      />
                                    </Match>
                                    <Match when={!field.secret}>
                                      <span class="connection-text">{field.value}</span>
                                    </Match>
                                  </Switch>
                                </dd>
                              </>
                            )}
                          </For>
                        </dl>
                      </>
                    );
                  }}
                </Match>
              </Switch>

              <dl class="entry-meta">
                <dt>Created</dt>
                <dd>
                  <time datetime={new Date(entry.createdAt).toISOString()}>
                    {timeText(entry.createdAt)}
                  </time>
                </dd>
                <dt>Updated</dt>
                <dd>
                  <time datetime={new Date(entry.updatedAt).toISOString()}>
                    {timeText(entry.updatedAt)}
                  </time>
                </dd>
              </dl>

              <Dialog
                open={confirming()}
                title="Delete entry"
                onClose={() => setConfirming(false)}
                actions={
                  <>
                    <button type="button" class="secondary" onClick={() => setConfirming(false)}>
                      Cancel
                    </button>
                    <button type="button" class="danger" disabled={deleting()} onClick={remove}>
                      Delete
                    </button>
                  </>
                }
              >
                <p>
                  Delete “{entry.name}”? It stays in the vault’s Recently deleted list, with its
                  history, until the vault’s retention runs out.
                </p>
                <Show when={deleteError()}>
                  <p class="notice danger" role="alert">
                    {deleteError()}
                  </p>
                </Show>
              </Dialog>
            </>
          )}
        </Match>
      </Switch>
      {/* Outside the keyed view above, which is rebuilt on every change: a restore must not
          close the history it was made from. */}
      <Show when={view.latest && entryId()} keyed>
        {(id) => <EntryHistory vault={props.vault} entryId={id} entryName={props.name} />}
      </Show>
    </section>
  );
}
