import type { OpenVault } from '../state/open-vault';

/**
 * Placeholder for one entry's view. Contract: shows entry `name` of `vault`; `onEdit` opens the
 * edit dialog; `onDeleted` after a confirmed delete; `onClose` returns to the list.
 */
export function EntryDetails(props: {
  vault: OpenVault;
  name: string;
  onEdit: () => void;
  onDeleted: () => void;
  onClose: () => void;
}) {
  return <h3>{props.name}</h3>;
}
