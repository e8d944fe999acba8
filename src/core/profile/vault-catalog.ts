/**
 * The profile's catalog of vaults: one sealed row per vault (its name, key and where it came
 * from). Reading opens every row; a row that does not open is reported beside the readable
 * ones, never dropped. Vaults are found by id, or by name for code (a name two vaults share is
 * refused, never guessed).
 */
import { asKey, type ProfileKey } from '../crypto';
import { asVaultId, isVaultId } from '../ids';
import {
  type CofferDatabase,
  CorruptDataError,
  countVaultRecords,
  type OpenedVaultRecord,
  openVaultRecord,
  readVaultRows,
  sealCatalogRow,
  writeVaultRow,
} from '../storage';
import type { Vault, VaultParts } from '../vault';
import { AmbiguousVaultNameError, VaultNotFoundError } from './errors';
import type {
  JoinedVault,
  UnreadableVault,
  VaultCatalog,
  VaultSelector,
  VaultSummary,
} from './session-types';
import { nameForJoinedVault, sameName } from './vault-naming';

/** A vault's catalog row, opened: its id, key, metadata and whether it is memory-only. */
export interface CatalogVault extends OpenedVaultRecord {
  /** Its document lives only in the session's memory (docs/data-model.md, "Memory-only vaults"). */
  readonly memoryOnly: boolean;
}

/** The catalog as stored: the rows that opened, and an error for each that did not. */
export interface CatalogRead {
  readonly vaults: CatalogVault[];
  readonly damaged: CorruptDataError[];
}

export async function readCatalog(db: CofferDatabase, key: ProfileKey): Promise<CatalogRead> {
  const vaults: CatalogVault[] = [];
  const damaged: CorruptDataError[] = [];
  for (const row of await readVaultRows(db)) {
    try {
      const opened = openVaultRecord(key, row);
      vaults.push({ ...opened, memoryOnly: opened.metadata.memoryOnly === true });
    } catch (error) {
      if (error instanceof CorruptDataError) damaged.push(error);
      else throw error;
    }
  }
  return { vaults, damaged };
}

export const summaryOf = (vault: CatalogVault): VaultSummary => ({
  id: vault.id,
  name: vault.metadata.name,
  createdAt: vault.metadata.createdAt,
  memoryOnly: vault.memoryOnly,
});

/** The vault `selector` names. VaultNotFoundError, or AmbiguousVaultNameError for a shared name. */
export function findVault<T extends OpenedVaultRecord>(
  vaults: readonly T[],
  selector: VaultSelector,
): T {
  if (typeof selector !== 'string') {
    const found = vaults.find((vault) => vault.id === selector.id);
    if (!found) throw new VaultNotFoundError({ id: selector.id });
    return found;
  }
  let matches = vaults.filter((vault) => vault.metadata.name === selector);
  if (matches.length === 0)
    matches = vaults.filter((vault) => sameName(vault.metadata.name, selector));
  if (matches.length > 1) {
    throw new AmbiguousVaultNameError(
      selector,
      matches.map((vault) => vault.id),
    );
  }
  const [found] = matches;
  if (!found) throw new VaultNotFoundError({ name: selector });
  return found;
}

/**
 * What `Session.catalog()` shows: readable vaults sorted by name (then id), and each row that
 * does not open with why and how many records of its contents are stored.
 */
export async function describeCatalog(
  db: CofferDatabase,
  read: CatalogRead,
): Promise<VaultCatalog> {
  const vaults = read.vaults
    .map((vault) => summaryOf(vault))
    .sort((a, b) => a.name.localeCompare(b.name) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const unreadable: UnreadableVault[] = [];
  for (const error of read.damaged) {
    const id = error.record.vaultId;
    // A catalog row's key is always a canonical vault id when Coffer wrote it: a row under
    // any other key was put there from outside, and is left alone rather than offered.
    if (!isVaultId(id)) continue;
    unreadable.push({
      id,
      reason: error.reason,
      storedRecords: await countVaultRecords(db, id),
    });
  }
  unreadable.sort((a, b) => (a.id < b.id ? -1 : 1));
  return { vaults, unreadable };
}

/** For a vault received by invitation: who let this device in, as its catalog row says. */
export function introductionOf(
  metadata: OpenedVaultRecord['metadata'],
): Pick<VaultParts, 'introducedBy' | 'introducedMembers' | 'teamGenesis'> {
  return {
    ...(metadata.teamGenesis !== undefined ? { teamGenesis: metadata.teamGenesis } : {}),
    ...(metadata.introducedBy !== undefined ? { introducedBy: metadata.introducedBy } : {}),
    ...(metadata.introducedMembers !== undefined
      ? { introducedMembers: metadata.introducedMembers }
      : {}),
  };
}

/**
 * Every entry `source` can read, as `setMany` takes them (write-only secrets and connections
 * included: this stays in core), for a copy of a vault into a new one.
 */
export async function copyableEntries(source: Vault): Promise<Parameters<Vault['setMany']>[0]> {
  const entries: Parameters<Vault['setMany']>[0][number][] = [];
  for (const summary of await source.list()) {
    const entry = await source.getEntry(summary.name);
    if (!entry) continue;
    entries.push({
      name: entry.name,
      value: entry.value,
      kind: entry.kind,
      ...(entry.kind === 'secret' && entry.writeOnly ? { writeOnly: true } : {}),
    });
  }
  return entries;
}

/**
 * Seals and saves one vault's catalog row (its key and metadata, under the profile key), with
 * the memory-only flag when `vault.memoryOnly` (a rename keeps it: the record it renames has it).
 */
export async function saveCatalogRow(
  db: CofferDatabase,
  profileKey: ProfileKey,
  vault: Pick<CatalogVault, 'id' | 'key' | 'metadata'> & { readonly memoryOnly?: boolean },
  operation: string,
): Promise<void> {
  await writeVaultRow(
    db,
    sealCatalogRow(profileKey, vault.id, vault.key, vault.metadata, vault.memoryOnly === true),
    operation,
  );
}

/**
 * Adds a vault received by invitation (`Session.addJoinedVault`): its key re-sealed under the
 * profile key, under a free name. A readable copy already here is kept as it is. An
 * unreadable record of the same vault is replaced: joining again from a device that has the
 * vault is how such a record is recovered, and the vault's stored contents (sealed under the
 * same vault key) open again.
 */
export async function addJoinedVaultRow(
  db: CofferDatabase,
  profileKey: ProfileKey,
  vaults: readonly CatalogVault[],
  vault: JoinedVault,
  createdAt: number,
): Promise<VaultSummary> {
  const key = asKey(vault.key, 'vault');
  const id = asVaultId(vault.id);
  const here = vaults.find((existing) => existing.id === id);
  if (here) return summaryOf(here);
  const name = await nameForJoinedVault(vault.name, vaults);
  const metadata = {
    name,
    createdAt,
    introducedBy: vault.introducedBy,
    ...(vault.members !== undefined ? { introducedMembers: vault.members } : {}),
    ...(vault.genesis !== undefined ? { teamGenesis: vault.genesis } : {}),
  };
  await saveCatalogRow(db, profileKey, { id, key, metadata }, 'adding the vault');
  return { id, name, createdAt, memoryOnly: false };
}
