import { createMemo, createSignal, createUniqueId, For, Match, Show, Switch } from 'solid-js';
import { useServices } from '../state/context';
import type { OpenVault } from '../state/open-vault';
import { createEntriesView } from '../state/vault-view';
import { EntryDetails } from './EntryDetails';
import { EntryDialog } from './EntryDialog';
import { RecentlyDeleted } from './RecentlyDeleted';
import { VaultEntryRow } from './VaultEntryRow';
import { VaultPagination } from './VaultPagination';

type EntryDialogMode =
  | { readonly mode: 'create' }
  | { readonly mode: 'edit'; readonly name: string };

/**
 * An open vault's entries: filter as you type, one page at a time, and one entry's details.
 * Filtering is in memory over `entries()` and only the current page is in the DOM, so a vault
 * of 10,000 entries stays quick.
 */
export function VaultEntries(props: { vault: OpenVault }) {
  const { app } = useServices();
  const filterId = createUniqueId();
  const view = createEntriesView(
    () => props.vault.entries(),
    () => app.settings().pageSize || 10,
  );
  const [details, setDetails] = createSignal<string | undefined>();
  const [dialog, setDialog] = createSignal<EntryDialogMode | undefined>();
  const [showDeleted, setShowDeleted] = createSignal(false);
  const total = () => props.vault.entries().length;
  const toReview = createMemo(
    () => new Set(props.vault.sync?.reviews().map((review) => review.entryId) ?? []),
  );

  const count = () => {
    const shown = view.filtered().length;
    const noun = (n: number) => (n === 1 ? 'entry' : 'entries');
    return view.query().trim() === ''
      ? `${total()} ${noun(total())}`
      : `${shown} of ${total()} ${noun(total())} match`;
  };

  return (
    <>
      {/* New entry stays at hand while an entry is shown; the filter belongs to the list. */}
      <div class="toolbar">
        <Show
          when={details() === undefined}
          fallback={
            <div class="grow">
              <button type="button" class="secondary" onClick={() => setDetails(undefined)}>
                <span aria-hidden="true">←</span> Back to entries
              </button>
            </div>
          }
        >
          <div class="grow">
            <label for={filterId} class="visually-hidden">
              Filter entries
            </label>
            <input
              id={filterId}
              type="search"
              placeholder="Filter entries"
              autocomplete="off"
              spellcheck={false}
              value={view.query()}
              onInput={(event) => view.setQuery(event.currentTarget.value)}
            />
          </div>
        </Show>
        <button
          type="button"
          disabled={props.vault.writesHeld() || props.vault.sync?.rights().canWrite === false}
          onClick={() => setDialog({ mode: 'create' })}
        >
          New entry
        </button>
        <button
          type="button"
          class="secondary"
          aria-pressed={showDeleted()}
          onClick={() => setShowDeleted(!showDeleted())}
        >
          Recently deleted
        </button>
      </div>
      <Show when={showDeleted()}>
        <RecentlyDeleted
          vault={props.vault}
          onRestored={(name) => {
            view.reveal(name);
          }}
        />
      </Show>
      {/* A viewer (or a removed device) sees why New entry, Edit and Delete are unavailable. */}
      <Show when={props.vault.sync?.rights().why}>
        {(why) => <p class="muted entry-rights">{why()}</p>}
      </Show>
      <Show
        when={details()}
        keyed
        fallback={
          <Switch>
            <Match when={total() === 0 && props.vault.damaged.length > 0}>
              <p class="empty-state">Nothing in this vault could be read (see above).</p>
            </Match>
            <Match when={total() === 0}>
              <p class="empty-state">
                No entries yet. Choose New entry to add an item, a secret or a connection.
              </p>
            </Match>
            <Match when={view.filtered().length === 0}>
              <p class="empty-state" role="status">
                No entries match “{view.query().trim()}”.
              </p>
            </Match>
            <Match when={true}>
              <p class="muted entry-count" role="status">
                {count()}
              </p>
              <ul class="entry-list" aria-label="Entries">
                <For each={view.visible()}>
                  {(entry) => (
                    <VaultEntryRow
                      entry={entry}
                      onOpen={setDetails}
                      review={toReview().has(entry.id)}
                    />
                  )}
                </For>
              </ul>
              <VaultPagination window={view.window()} buttons={view.buttons()} onGo={view.goTo} />
            </Match>
          </Switch>
        }
      >
        {(name) => (
          <>
            <EntryDetails
              vault={props.vault}
              name={name}
              onEdit={() => setDialog({ mode: 'edit', name })}
              onDeleted={() => setDetails(undefined)}
            />
          </>
        )}
      </Show>
      <Show when={dialog()} keyed>
        {(current) => (
          <EntryDialog
            open
            mode={current.mode}
            vault={props.vault}
            {...(current.mode === 'edit' ? { entryName: current.name } : {})}
            onClose={() => setDialog(undefined)}
            onSaved={(name) => {
              setDialog(undefined);
              // The list is fresh (OpenVault.save re-reads it); put the saved entry in view.
              view.reveal(name);
              setDetails(name);
            }}
          />
        )}
      </Show>
    </>
  );
}
