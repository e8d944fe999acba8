import { createSignal, Show } from 'solid-js';
import type { OpenVault } from '../state/open-vault';
import { ExportDialog } from './ExportDialog';

/** The vault's "Export…" action and its dialog (disabled until the vault is open here). */
export function ExportButton(props: { vault: OpenVault | undefined }) {
  const [open, setOpen] = createSignal(false);
  return (
    <>
      <button
        type="button"
        class="secondary small"
        disabled={!props.vault}
        onClick={() => setOpen(true)}
      >
        Export…
      </button>
      <Show when={open() && props.vault}>
        {(vault) => <ExportDialog vault={vault()} onClose={() => setOpen(false)} />}
      </Show>
    </>
  );
}
