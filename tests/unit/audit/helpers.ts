/** Shared fixtures of the audit tests: fixed devices, one vault, chains of records. */
import {
  type AuditChainHead,
  type AuditRecord,
  auditEntryName,
  headOf,
  type RecordableAuditEvent,
  writeAuditRecord,
} from '../../../src/core/audit';
import { type DeviceIdentity, deviceIdentityFromSecret } from '../../../src/core/device';
import { vaultIdOf } from '../../../src/core/ids';

export const vault = vaultIdOf(new Uint8Array(16).fill(7));
export const otherVault = vaultIdOf(new Uint8Array(16).fill(8));

/** A device with a fixed key (n = 1, 2, ...). */
export const device = (n: number): DeviceIdentity =>
  deviceIdentityFromSecret(new Uint8Array(32).fill(n));

export const alice = device(1);
export const bob = device(2);
export const mallory = device(66);
export const members = [alice.id, bob.id];

/** `count` records by `identity`, one minute apart from `start`, cycling through some events. */
export function chain(
  identity: DeviceIdentity,
  count: number,
  options: { start?: number; step?: number; head?: AuditChainHead | null } = {},
): AuditRecord[] {
  const records: AuditRecord[] = [];
  let head = options.head ?? null;
  const start = options.start ?? Date.UTC(2026, 0, 1);
  for (let i = 0; i < count; i++) {
    const record = writeAuditRecord(identity, head, {
      vault,
      time: start + i * (options.step ?? 60_000),
      event: eventAt(i),
    });
    records.push(record);
    head = headOf(record);
  }
  return records;
}

function eventAt(i: number): RecordableAuditEvent {
  const entry = auditEntryName(`ENTRY_${i % 5}`);
  switch (i % 4) {
    case 0:
      return { action: 'secret-shown', entry };
    case 1:
      return { action: 'entry-changed', entry };
    case 2:
      return { action: 'vault-opened' };
    default:
      return { action: 'entry-renamed', from: entry, to: auditEntryName(`RENAMED_${i}`) };
  }
}

export const bytesOf = (records: readonly AuditRecord[]) => records.map((r) => r.bytes);

/** A copy of `bytes` with one byte flipped. */
export function flipped(bytes: Uint8Array, at: number): Uint8Array {
  const copy = bytes.slice();
  copy[at]! ^= 0x01;
  return copy;
}
