import type { VaultId } from '../ids';
import type { EntrySummary, Vault } from '../vault';
import type { VaultDirectory } from './vault-access';
import type { VaultListing } from './vault-names';

/**
 * Reads entries for `check` and the `@{` suggestions without waiting for anything: a vault open
 * in this tab is read through its handle; another is opened only if free, and closed after.
 * A vault busy elsewhere gives 'unknown' (its names are not checked now; the run checks them).
 */
export class EntryReader {
  readonly #found = new Map<VaultId, Vault | undefined>();
  readonly #owned: Vault[] = [];

  constructor(private readonly vaults: VaultDirectory) {}

  async vault(target: VaultListing): Promise<Vault | undefined> {
    if (this.#found.has(target.id)) return this.#found.get(target.id);
    let vault = this.vaults.openedVault(target.id);
    if (!vault) {
      try {
        vault = await this.vaults.openVault({ id: target.id }, { ifAvailable: true });
        this.#owned.push(vault);
      } catch {
        vault = undefined;
      }
    }
    this.#found.set(target.id, vault);
    return vault;
  }

  async entry(target: VaultListing, name: string) {
    const vault = await this.vault(target);
    if (!vault) return 'unknown' as const;
    return vault.getEntry(name);
  }

  async list(target: VaultListing): Promise<EntrySummary[] | undefined> {
    const vault = await this.vault(target);
    return vault ? vault.list() : undefined;
  }

  async names(target: VaultListing): Promise<string[] | undefined> {
    const vault = await this.vault(target);
    return vault ? (await vault.list()).map((entry) => entry.name) : undefined;
  }

  /** Closes what this reader opened (never the tab's own handles). */
  async close(): Promise<void> {
    const owned = this.#owned.splice(0);
    this.#found.clear();
    await Promise.all(owned.map((vault) => vault.close().catch(() => undefined)));
  }
}
