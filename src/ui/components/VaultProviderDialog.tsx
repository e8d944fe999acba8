import '../styles/providers-vault.css';
import { onMount, Show } from 'solid-js';
import { createNow, type VaultProvider } from '../state/vault-provider';
import { Dialog } from './Dialog';
import { VaultProviderActivity } from './VaultProviderActivity';
import { VaultProviderConflicts } from './VaultProviderConflicts';
import { VaultProviderDanger } from './VaultProviderDanger';
import { VaultProviderLinked } from './VaultProviderLinked';
import { VaultProviderLinkForm } from './VaultProviderLinkForm';
import { VaultProviderMigrate } from './VaultProviderMigrate';
import { VaultProviderSettings } from './VaultProviderSettings';

/**
 * "Sync with a provider": one vault's link to HashiCorp Vault or AWS Secrets Manager. Whose
 * settings it uses, the link and its options, Pull and Push with what they did, conflicts to
 * review, moving to another path, and the danger zone. Every part reads the vault's provider
 * state (ui/state/vault-provider); nothing here holds a value or a credential.
 */
export function VaultProviderDialog(props: {
  provider: VaultProvider;
  vaultName: string;
  onClose: () => void;
}) {
  const now = createNow();
  const info = () => props.provider.info();
  const link = () => info()?.link;
  // The link may have moved since the vault opened (another tab's Pull All, a watch's push).
  onMount(() => void props.provider.load());
  return (
    <Dialog open title="Sync with a provider" onClose={props.onClose} class="provider-dialog">
      <p class="muted vp-vault">
        Vault <strong>{props.vaultName}</strong>
      </p>
      <VaultProviderSettings provider={props.provider} />
      <VaultProviderActivity provider={props.provider} settings={info()?.settings} />
      <Show when={info()}>
        <Show
          when={link()}
          fallback={
            <VaultProviderLinkForm
              provider={props.provider}
              ready={info()?.settings !== undefined}
            />
          }
        >
          {(current) => (
            <>
              <VaultProviderLinked provider={props.provider} link={current()} now={now()} />
              <Show when={current().conflicts.length > 0}>
                <VaultProviderConflicts
                  conflicts={current().conflicts}
                  busy={props.provider.busy() !== undefined}
                  onApply={(choices) => void props.provider.resolve(choices)}
                />
              </Show>
              <VaultProviderMigrate provider={props.provider} link={current()} />
              <VaultProviderDanger provider={props.provider} link={current()} now={now()} />
            </>
          )}
        </Show>
      </Show>
      <div class="dialog-actions">
        <button type="button" onClick={() => props.onClose()}>
          Close
        </button>
      </div>
    </Dialog>
  );
}
