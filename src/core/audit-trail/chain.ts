/**
 * Where this device's chain stands in a vault's stored audit records, and which devices a
 * verification accepts. Both read what the vault holds; neither writes.
 */
import { type AuditChainHead, headOf, readAuditRecord, type StoredAuditRecord } from '../audit';
import type { DeviceId } from '../ids';
import type { VaultHandle } from '../vault';

/**
 * The head of `device`'s chain among `stored`: its highest-seq authentic record (a record that
 * does not read is not one of its own), or null when it has none yet.
 */
export function ownHead(
  stored: Iterable<StoredAuditRecord>,
  device: DeviceId,
): AuditChainHead | null {
  let head: AuditChainHead | null = null;
  for (const item of stored) {
    try {
      const record = readAuditRecord(item.bytes, item.id);
      if (record.device !== device) continue;
      if (head === null || record.seq > head.seq) head = headOf(record);
    } catch {
      // Not authentic: verification reports it; it is no head of ours.
    }
  }
  return head;
}

/**
 * The head of `device`'s chain: the record the store's hint names when it reads as one of this
 * device's own, else the result of reading every stored record (`ownHead`).
 */
export function findOwnHead(store: VaultHandle['audit'], device: DeviceId): AuditChainHead | null {
  const hint = store.headHint(device);
  const hinted = hint === undefined ? undefined : store.get(hint);
  if (hinted) {
    try {
      const record = readAuditRecord(hinted.bytes, hinted.id);
      if (record.device === device) return headOf(record);
    } catch {
      // A hint to a record that does not read: look at them all.
    }
  }
  return ownHead(store.records(), device);
}

/**
 * Every device that is or was in the vault's device list, and this one (its own records are
 * genuine to it even before the list names it, as when a vault was created before sync).
 */
export function memberDevices(handle: VaultHandle, self: DeviceId): DeviceId[] {
  const ids = new Set<DeviceId>([self]);
  for (const device of handle.members.devices()) ids.add(device.id);
  return [...ids];
}
