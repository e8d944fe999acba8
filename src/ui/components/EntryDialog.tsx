import { Show } from 'solid-js';
import { emptyEntryForm } from '../state/entry-form';
import type { OpenVault } from '../state/open-vault';
import { Dialog } from './Dialog';
import { EntryEditForm } from './EntryEditForm';
import { EntryForm } from './EntryForm';

/**
 * Creates an entry (`mode` 'create', starting empty) or edits `entryName` of `vault`. The form
 * is built each time the dialog opens, so nothing typed last time lingers. `onSaved` gets the
 * saved entry's (possibly new) name.
 */
export function EntryDialog(props: {
  open: boolean;
  mode: 'create' | 'edit';
  vault: OpenVault;
  entryName?: string | undefined;
  onClose: () => void;
  onSaved: (name: string) => void;
}) {
  return (
    <Dialog
      open={props.open}
      title={props.mode === 'create' ? 'New entry' : 'Edit entry'}
      onClose={props.onClose}
      class="entry-dialog"
    >
      <Show
        when={props.mode === 'edit' && props.entryName !== undefined}
        fallback={
          <EntryForm
            vault={props.vault}
            initial={emptyEntryForm()}
            onCancel={props.onClose}
            onSaved={props.onSaved}
          />
        }
      >
        <EntryEditForm
          vault={props.vault}
          name={props.entryName ?? ''}
          onCancel={props.onClose}
          onSaved={props.onSaved}
        />
      </Show>
    </Dialog>
  );
}
