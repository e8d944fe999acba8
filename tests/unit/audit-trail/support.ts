/** Fixtures of the audit trail tests: a profile with one open vault and its trail. */
import { AuditTrail } from '../../../src/core/audit-trail';
import type { ThisDevice } from '../../../src/core/profile';
import { handleOf, type Vault, type VaultHandle } from '../../../src/core/vault';
import { testCoffer } from '../../support/coffer';

/** A canary value: it must never appear in an audit record's bytes. */
export const canary = 'CANARY-audit-7c41d2-secret';

export interface OneVault {
  readonly vault: Vault;
  readonly handle: VaultHandle;
  readonly device: ThisDevice;
  readonly trail: AuditTrail;
  /** Warnings the trail gave. */
  readonly warnings: string[];
  /** Sets the trail's clock. */
  at(time: number): void;
}

export async function oneVault(start = Date.UTC(2026, 5, 1)): Promise<OneVault> {
  const { coffer } = testCoffer();
  const session = await coffer.createProfile('pw');
  const device = await session.device();
  const created = await session.createVault('v');
  const vault = await session.openVault({ id: created.id });
  let now = start;
  const warnings: string[] = [];
  const trail = new AuditTrail({
    vault,
    device,
    clock: () => now,
    warn: (message) => warnings.push(message),
  });
  return {
    vault,
    handle: handleOf(vault),
    device,
    trail,
    warnings,
    at(time) {
      now = time;
    },
  };
}

/** Whether `haystack` holds `needle` as UTF-8 bytes. */
export function containsUtf8(haystack: Uint8Array, needle: string): boolean {
  const bytes = new TextEncoder().encode(needle);
  outer: for (let i = 0; i + bytes.length <= haystack.length; i++) {
    for (let j = 0; j < bytes.length; j++) {
      if (haystack[i + j] !== bytes[j]) continue outer;
    }
    return true;
  }
  return false;
}
