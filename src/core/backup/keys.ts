/**
 * The backup's key (docs/crypto.md, "Backups"): the passphrase through scrypt with the header's
 * salt and parameters, then HKDF to the payload key. The parameters come from the file, so they
 * are treated as hostile: refused before anything is derived when they are implausible or below
 * the floor.
 */
import {
  asKey,
  hkdfLabel,
  type KdfPolicy,
  type KdfProgress,
  type KdfRunner,
  normalizePassphrase,
  type ScryptParams,
  type SealingKey,
  wipe,
} from '../crypto';
import { BackupInvalidError } from './errors';

/**
 * The most a backup may ask of a reader: 1 GiB of scrypt memory (128 * N * r bytes) and p <= 4.
 * What Coffer writes (N = 2^17, r = 8: 128 MiB) is far below; a file asking for more is made
 * up to exhaust the reader.
 */
export const backupKdfCeiling = { memoryBytes: 2 ** 30, logN: 20, r: 32, p: 4 } as const;

export function isPlausibleBackupKdf(params: ScryptParams): boolean {
  const { logN, r, p } = params;
  return (
    Number.isInteger(logN) &&
    Number.isInteger(r) &&
    Number.isInteger(p) &&
    logN >= 1 &&
    r >= 1 &&
    p >= 1 &&
    logN <= backupKdfCeiling.logN &&
    r <= backupKdfCeiling.r &&
    p <= backupKdfCeiling.p &&
    128 * 2 ** logN * r <= backupKdfCeiling.memoryBytes
  );
}

/** Refuses, before deriving, parameters no reader should run (see BackupDamage). */
export function assertBackupKdf(params: ScryptParams, policy: KdfPolicy): void {
  if (!isPlausibleBackupKdf(params)) throw new BackupInvalidError('implausible-kdf');
  const { floor } = policy;
  if (params.logN < floor.logN || params.r < floor.r || params.p < floor.p)
    throw new BackupInvalidError('kdf-below-floor');
}

/**
 * `payload key = HKDF-SHA-256(ikm = scrypt(NFC(passphrase), salt, N, r, p, 32),
 * info = "coffer/v1/backup-payload")`. Branded 'kek' (a passphrase-derived sealing key) since
 * the crypto module has no purpose of its own for backups; it seals only backup chunks.
 */
export async function deriveBackupKey(
  kdf: KdfRunner,
  passphrase: string,
  salt: Uint8Array,
  params: ScryptParams,
  onProgress?: KdfProgress,
): Promise<SealingKey> {
  const secret = normalizePassphrase(passphrase);
  let master: Uint8Array;
  try {
    master = await kdf({ passphrase: secret, salt, params }, onProgress);
  } finally {
    wipe(secret);
  }
  try {
    return asKey(hkdfLabel(master, 'backup-payload', 32), 'kek');
  } finally {
    wipe(master);
  }
}
