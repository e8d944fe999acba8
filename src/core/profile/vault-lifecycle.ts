/**
 * Making, checking, renaming, deleting vaults and moving them between storage and memory: the
 * bodies of Session.createVault, checkVault, renameVault, deleteVault, removeUnreadableVault
 * and setVaultMemoryOnly (session.ts states their contracts). Each is given the session's parts
 * (session-parts.ts).
 */
import { deriveSubkey, generateKey } from '../crypto';
import type { VaultId } from '../ids';
import { deleteVaultRecords, VaultLog } from '../storage';
import { type OpenVaultOptions, validateVaultName } from '../vault';
import { VaultNotFoundError } from './errors';
import { newVaultId } from './ids';
import { moveToMemory, moveToStorage } from './memory-only';
import { lockNameFor, type SessionParts } from './session-parts';
import type {
  CreateVaultOptions,
  MemoryOnlyOptions,
  VaultCheck,
  VaultSelector,
  VaultSummary,
} from './session-types';
import { type CatalogVault, saveCatalogRow, summaryOf } from './vault-catalog';
import { assertNameFree } from './vault-naming';

export async function createVault(
  parts: SessionParts,
  name: string,
  options: CreateVaultOptions,
): Promise<VaultSummary> {
  const profileKey = parts.profileKey('creating a vault');
  const trimmed = validateVaultName(name);
  const names = await parts.catalogNames(profileKey, 'creating a vault');
  // assertNameFree reads only the names of the records it is given.
  await assertNameFree(
    trimmed,
    names.map((taken) => ({ metadata: { name: taken } }) as CatalogVault),
  );
  const id = newVaultId();
  const key = generateKey('vault');
  const createdAt = parts.clock();
  const metadata = { name: trimmed, createdAt };
  const memoryOnly = options.memoryOnly === true;
  await saveCatalogRow(
    parts.db,
    profileKey,
    { id, key, metadata, memoryOnly },
    'creating the vault',
  );
  if (options.nameStyle && options.nameStyle !== 'default') {
    await parts.withVault({ id }, (vault) => vault.setNameStyle(options.nameStyle!));
  }
  return { id, name: trimmed, createdAt, memoryOnly };
}

export async function checkVault(
  parts: SessionParts,
  selector: VaultSelector,
): Promise<VaultCheck> {
  const target = await parts.find(selector, 'checking a vault');
  const { damaged, records } = await VaultLog.verify({
    db: parts.db,
    vaultId: target.id,
    key: deriveSubkey(target.key, 'storage'),
  });
  return { id: target.id, damaged, records };
}

export async function renameVault(
  parts: SessionParts,
  selector: VaultSelector,
  newName: string,
): Promise<VaultSummary> {
  const profileKey = parts.profileKey('renaming a vault');
  const trimmed = validateVaultName(newName);
  const { vaults } = await parts.catalog('renaming a vault');
  const target = await parts.find(selector, 'renaming a vault');
  await assertNameFree(
    trimmed,
    vaults.filter((vault) => vault.id !== target.id),
  );
  const metadata = { ...target.metadata, name: trimmed };
  await saveCatalogRow(parts.db, profileKey, { ...target, metadata }, 'renaming the vault');
  return { ...summaryOf(target), name: trimmed };
}

/** Deletes a vault's records (catalog row and contents) under its lock, and its memory copy. */
async function deleteUnderLock(
  parts: SessionParts,
  id: VaultId,
  options: OpenVaultOptions,
): Promise<void> {
  const lease = await parts.options.mutex.acquire(lockNameFor(id), options);
  try {
    await deleteVaultRecords(parts.db, id);
    parts.memory.drop(id);
  } finally {
    await lease.release();
  }
}

export async function deleteVault(
  parts: SessionParts,
  selector: VaultSelector,
  options: { signal?: AbortSignal },
): Promise<void> {
  const target = await parts.find(selector, 'deleting a vault');
  await deleteUnderLock(
    parts,
    target.id,
    options.signal ? { signal: options.signal } : { ifAvailable: true },
  );
}

export async function removeUnreadableVault(parts: SessionParts, id: VaultId): Promise<void> {
  const { damaged } = await parts.catalog('removing an unreadable vault');
  if (!damaged.some((error) => error.record.vaultId === id)) {
    throw new VaultNotFoundError({ id });
  }
  await deleteUnderLock(parts, id, { ifAvailable: true });
}

export async function setVaultMemoryOnly(
  parts: SessionParts,
  selector: VaultSelector,
  on: boolean,
  options: MemoryOnlyOptions,
): Promise<VaultSummary> {
  const doing = on ? 'moving a vault to memory' : 'storing a vault on this device';
  const { id } = await parts.find(selector, doing);
  const lease = await parts.options.mutex.acquire(lockNameFor(id), { ifAvailable: true });
  try {
    // Read again under the lock: the vault may have changed while it was held elsewhere.
    const vault = await parts.find({ id }, doing);
    if (vault.memoryOnly !== on) {
      const move = {
        db: parts.db,
        profileKey: parts.profileKey(doing),
        memory: parts.memory,
        vault,
        clock: parts.clock,
        newId: parts.newId,
      };
      if (on) await moveToMemory(move);
      else await moveToStorage(move, options.keepLocalCopy === true);
    }
    return { ...summaryOf(vault), memoryOnly: on };
  } finally {
    await lease.release();
  }
}
