import { createSignal, Show } from 'solid-js';
import type { OpenVault } from '../state/open-vault';
import { ImportDialog } from './ImportDialog';

/** The vault's "Import…" action and its dialog (disabled until the vault is open here). */
export function ImportButton(props: { vault: OpenVault | undefined }) {
  const [open, setOpen] = createSignal(false);
  const target = () => props.vault?.importTarget;
  return (
    <>
      <button
        type="button"
        class="secondary small"
        disabled={!target() || props.vault?.writesHeld()}
        onClick={() => setOpen(true)}
      >
        Import…
      </button>
      <Show when={open() && props.vault && target()}>
        {(importTarget) => (
          <ImportDialog
            target={importTarget()}
            vaultName={props.vault?.name ?? ''}
            onClose={() => setOpen(false)}
          />
        )}
      </Show>
    </>
  );
}
