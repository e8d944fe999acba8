import { createSignal, Show } from 'solid-js';
import { createNow, type VaultProvider } from '../state/vault-provider';
import { VaultProviderDialog } from './VaultProviderDialog';

/**
 * The sync bar's Provider button ("Provider: synced 2 min ago", "conflicts (2)", "not linked")
 * and the dialog it opens.
 */
export function VaultProviderButton(props: { provider: VaultProvider; vaultName: string }) {
  const [open, setOpen] = createSignal(false);
  const now = createNow();
  return (
    <>
      <button
        type="button"
        class="secondary"
        classList={{ 'vp-attention': (props.provider.info()?.link?.conflicts.length ?? 0) > 0 }}
        aria-haspopup="dialog"
        onClick={() => setOpen(true)}
      >
        {props.provider.buttonLabel(now())}
      </button>
      <Show when={open()}>
        <VaultProviderDialog
          provider={props.provider}
          vaultName={props.vaultName}
          onClose={() => setOpen(false)}
        />
      </Show>
    </>
  );
}
