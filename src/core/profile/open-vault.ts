/**
 * Opening a vault for a Session (Session.openVault states the contract): the vault is read
 * and built while its single-opener lock is awaited, then handed a handle once the lock is
 * held. Given the session's parts (session-parts.ts).
 */
import type { VaultMutex } from '../lock';
import { CorruptDataError, mapStorageError, openVaultRecord, type VaultRow } from '../storage';
import {
  defaultCompactionPolicy,
  discardPrepared,
  type OpenVaultOptions,
  prepareVault,
  type Vault,
  VaultHandle,
  vaultView,
} from '../vault';
import { VaultNotFoundError } from './errors';
import { lockNameFor, type SessionParts } from './session-parts';
import type { VaultSelector } from './session-types';
import { type CatalogVault, introductionOf } from './vault-catalog';

/**
 * The vault `selector` names, as `parts.find` finds it; by id, only its own row is read and
 * opened (opening a vault stays O(1) in the catalog's size). A row that does not open is not
 * found, as in `find`, whose catalog read lists it apart.
 */
async function findOne(
  parts: SessionParts,
  selector: VaultSelector,
  operation: string,
): Promise<CatalogVault> {
  if (typeof selector === 'string') return parts.find(selector, operation);
  const profileKey = parts.profileKey(operation);
  let row: VaultRow | undefined;
  try {
    row = await parts.db.strict.vaults.get(selector.id);
  } catch (error) {
    throw mapStorageError(error, operation);
  }
  if (!row) throw new VaultNotFoundError({ id: selector.id });
  try {
    const opened = openVaultRecord(profileKey, row);
    return { ...opened, memoryOnly: opened.metadata.memoryOnly === true };
  } catch (error) {
    if (error instanceof CorruptDataError) throw new VaultNotFoundError({ id: selector.id });
    throw error;
  }
}

/** Opens the vault; `opened` is told of the handle before its view is returned. */
export async function openVault(
  parts: SessionParts,
  selector: VaultSelector,
  options: OpenVaultOptions,
  opened: (handle: VaultHandle) => void,
): Promise<Vault> {
  const { mutex } = parts.options;
  let target = await findOne(parts, selector, 'opening a vault');
  const partsFor = (vault: CatalogVault) => ({
    db: parts.db,
    vaultId: vault.id,
    key: vault.key,
    clock: parts.clock,
    newId: parts.newId,
    // A memory-only vault's document is the session's, never the database's.
    ...(vault.memoryOnly ? { memory: parts.memory } : {}),
  });
  let common = partsFor(target);
  // Read and build the vault while waiting for its lock (another tab may hold it): once the
  // lock is ours, only what that tab wrote meanwhile is left to read.
  let prepared = prepareVault(common);
  prepared.catch(() => undefined);
  let lease: Awaited<ReturnType<VaultMutex['acquire']>>;
  try {
    lease = await mutex.acquire(lockNameFor(target.id), options);
  } catch (error) {
    void prepared.then(discardPrepared, () => undefined);
    throw error;
  }
  try {
    // The profile may have been locked while we waited for the vault.
    parts.profileKey('opening a vault');
    // The holder we waited for may have moved the vault to memory or back: a vault must
    // never be written where its catalog row says it is not kept.
    const current = await findOne(parts, { id: target.id }, 'opening a vault');
    if (current.memoryOnly !== target.memoryOnly) {
      void prepared.then(discardPrepared, () => undefined);
      target = current;
      common = partsFor(current);
      prepared = prepareVault(common);
    }
    const lockName = lockNameFor(target.id);
    const device = parts.device();
    const handle = await VaultHandle.open(
      {
        ...common,
        vaultName: target.metadata.name,
        lease,
        hasWaiters: () => mutex.hasWaiters(lockName),
        compaction: parts.options.compaction ?? defaultCompactionPolicy,
        // Off-thread snapshots are sealed for IndexedDB: a memory-only vault compacts in place.
        ...(parts.options.snapshots && !target.memoryOnly
          ? { snapshots: parts.options.snapshots }
          : {}),
        ...introductionOf(target.metadata),
        ...(device ? { deviceId: (await device).id } : {}),
      },
      prepared,
    );
    opened(handle);
    return vaultView(handle);
  } catch (error) {
    await lease.release();
    throw error;
  }
}
