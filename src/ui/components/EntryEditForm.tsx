import { createResource, Match, Switch } from 'solid-js';
import { entryFormFromEntry } from '../state/entry-form';
import type { OpenVault } from '../state/open-vault';
import { EntryForm } from './EntryForm';

/**
 * Loads an entry into the entry form. Only the form's data is kept: for a write-only secret
 * that is everything but its value; a connection's write-only fields arrive as `hidden`, and
 * saving patches only the fields that changed, so they are kept without being read.
 */
export function EntryEditForm(props: {
  vault: OpenVault;
  name: string;
  onCancel: () => void;
  onSaved: (name: string) => void;
}) {
  const [loaded] = createResource(
    () => props.name,
    async (name) => {
      const entry = await props.vault.get(name);
      return entry ? entryFormFromEntry(entry) : null;
    },
  );
  return (
    <Switch fallback={<p>Loading…</p>}>
      <Match when={loaded.error}>
        <p class="notice danger" role="alert">
          Could not open “{props.name}”:{' '}
          {loaded.error instanceof Error ? loaded.error.message : String(loaded.error)}
        </p>
      </Match>
      <Match when={loaded.state === 'ready' && loaded() === null}>
        <p class="notice danger" role="alert">
          There is no entry named “{props.name}” any more.
        </p>
      </Match>
      <Match when={loaded.state === 'ready' && loaded()}>
        {(data) => (
          <EntryForm
            vault={props.vault}
            initial={data().form}
            origin={data().origin}
            onCancel={props.onCancel}
            onSaved={props.onSaved}
          />
        )}
      </Match>
    </Switch>
  );
}
