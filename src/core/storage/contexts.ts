import { associatedData } from '../crypto';

/** The associated data a vault's update row is sealed with (docs/crypto.md, "Records"). */
export const updateContext = (vaultId: string, seq: number) =>
  associatedData('update', vaultId, seq);

/** The associated data a vault's snapshot is sealed with, for the seq it covers up to. */
export const snapshotContext = (vaultId: string, seq: number) =>
  associatedData('snapshot', vaultId, seq);
