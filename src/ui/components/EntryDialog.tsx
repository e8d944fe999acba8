import type { OpenVault } from '../state/open-vault';
import { Dialog } from './Dialog';

/**
 * Placeholder for the create / edit entry dialog. Contract: `mode` 'create' starts empty;
 * 'edit' loads `entryName` from `vault`. `onSaved` gets the saved entry's (possibly new) name.
 */
export function EntryDialog(props: {
  open: boolean;
  mode: 'create' | 'edit';
  vault: OpenVault;
  entryName?: string;
  onClose: () => void;
  onSaved: (name: string) => void;
}) {
  return (
    <Dialog
      open={props.open}
      title={props.mode === 'create' ? 'New entry' : 'Edit entry'}
      onClose={props.onClose}
    >
      <p>Not built yet.</p>
    </Dialog>
  );
}
