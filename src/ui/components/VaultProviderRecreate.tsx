import type { VaultProvider } from '../state/vault-provider';

/** Writes the vault's keys again where the linked secret was deleted at the provider. */
export function VaultProviderRecreate(props: { provider: VaultProvider }) {
  return (
    <button
      type="button"
      disabled={props.provider.busy() !== undefined}
      onClick={() => void props.provider.recreate()}
    >
      Write this vault's keys to the provider again
    </button>
  );
}
