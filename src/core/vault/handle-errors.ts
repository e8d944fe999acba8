import { CofferError } from '../errors';
import type { CorruptDataError } from '../storage';

/** Why a handle stopped working. */
export type VaultCloseReason = 'closed' | 'taken-over' | 'profile-locked';

/** The handle was closed (by its user, by a take-over in another tab, or by locking the profile). */
export class VaultClosedError extends CofferError {
  override readonly name = 'VaultClosedError';
  override readonly code = 'vault-closed' as const;
  constructor(
    readonly vaultName: string,
    readonly reason: VaultCloseReason,
  ) {
    super(
      reason === 'taken-over'
        ? `vault "${vaultName}" was taken over by another tab or window; open it again to take it back`
        : reason === 'profile-locked'
          ? `vault "${vaultName}" was closed because the profile was locked`
          : `vault "${vaultName}" is closed`,
    );
  }
}

/**
 * Some of the vault's stored records could not be read, so what is in memory may lack entries
 * or changes: writing now could bury the damaged part under a new state. Entry writes are
 * held back until the user decides (`acceptDamage()`); the damaged records stay as they are.
 */
export class VaultDamagedError extends CofferError {
  override readonly name = 'VaultDamagedError';
  override readonly code = 'vault-damaged' as const;
  constructor(
    readonly vaultName: string,
    readonly damaged: readonly CorruptDataError['record'][],
  ) {
    super(
      `vault "${vaultName}" has ${damaged.length === 1 ? 'a damaged record' : `${damaged.length} damaged records`}, so changes to its entries are held back until you choose to write anyway (nothing stored was changed)`,
    );
  }
}
