import type { IntegrationId, VaultId } from '../ids';
import { GrantMissingError, ReferenceUnresolvedError } from './errors';
import type { Grant, GrantAccess, Integration, IntegrationField } from './types';

/**
 * Which vault a name means for an integration, and whether it may be used: the checks every
 * way into a vault goes through (references, `withVault`, the `vault` object).
 */
export interface VaultListing {
  readonly id: VaultId;
  readonly name: string;
}

/** Vault names are unique in a profile ignoring case, after NFC (as in src/core/profile). */
const sameName = (a: string, b: string) =>
  a.normalize('NFC').toLocaleLowerCase() === b.normalize('NFC').toLocaleLowerCase();

export class VaultChooser {
  constructor(
    private readonly integration: Pick<Integration, 'id' | 'name' | 'defaultVault'>,
    private readonly vaults: readonly VaultListing[],
    private readonly grants: readonly Grant[],
  ) {}

  /** The default vault, or undefined if the integration has none (or it was deleted). */
  defaultVault(): VaultListing | undefined {
    return this.vaults.find((vault) => vault.id === this.integration.defaultVault);
  }

  /**
   * The vault a reference or a hook names: `name` undefined means the default vault.
   * `reference` is the text shown in the error (a reference as written, or `withVault("x")`).
   */
  find(name: string | undefined, reference: string, field?: IntegrationField): VaultListing {
    if (name === undefined) {
      const found = this.defaultVault();
      if (!found) {
        throw new ReferenceUnresolvedError(
          reference,
          'no-default-vault',
          this.integration.defaultVault
            ? 'the default vault of this integration no longer exists; choose another'
            : 'this integration has no default vault; choose one, or name the vault (@{vaults.NAME.KEY})',
          field,
        );
      }
      return found;
    }
    const matches = this.vaults.filter((vault) => sameName(vault.name, name));
    if (matches.length === 0) {
      throw new ReferenceUnresolvedError(
        reference,
        'no-vault',
        `there is no vault named "${name}"`,
        field,
      );
    }
    if (matches.length > 1) {
      throw new ReferenceUnresolvedError(
        reference,
        'ambiguous-vault',
        `${matches.length} vaults are named "${name}"; rename one`,
        field,
      );
    }
    return matches[0]!;
  }

  /** The access granted for a vault, if any. */
  access(vault: VaultId): GrantAccess | undefined {
    return this.grants.find(
      (grant) => grant.integration === this.integration.id && grant.vault === vault,
    )?.access;
  }

  /** Throws GrantMissingError unless the integration may `needed` the vault. */
  require(vault: VaultListing, needed: GrantAccess, field?: IntegrationField): void {
    const granted = this.access(vault.id);
    if (granted === 'read-write' || granted === needed) return;
    throw new GrantMissingError(
      this.integration.id as IntegrationId,
      this.integration.name,
      vault.id,
      vault.name,
      needed,
      field,
    );
  }

  /** The vault with this id, or undefined when it no longer exists. */
  byId(id: VaultId): VaultListing | undefined {
    return this.vaults.find((vault) => vault.id === id);
  }

  /** The vaults this integration may read. */
  readable(): VaultListing[] {
    return this.vaults.filter((vault) => this.access(vault.id) !== undefined);
  }
}
