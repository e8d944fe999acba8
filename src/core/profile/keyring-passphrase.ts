/**
 * Changing the profile's passphrase: the profile key is re-sealed under a key derived from the
 * new passphrase, in one write of the keyring record, so an interruption leaves the old
 * passphrase working. Vaults are not re-encrypted (their keys are sealed under the profile key,
 * which does not change).
 */
import { type KdfPolicy, type KdfProgress, rewrapKeyring } from '../crypto';
import { readKeyring, writeKeyring } from '../storage';
import { NoProfileError } from './errors';
import type { CofferOptions } from './session-types';

export async function rewriteKeyring(
  options: Pick<CofferOptions, 'db' | 'kdf'>,
  policy: KdfPolicy,
  current: string,
  next: string,
  progress?: { onProgress?: KdfProgress },
): Promise<void> {
  const keyring = await readKeyring(options.db);
  if (!keyring) throw new NoProfileError();
  const rewrapped = await rewrapKeyring(keyring, current, next, {
    kdf: options.kdf,
    policy,
    ...(progress?.onProgress ? { onProgress: progress.onProgress } : {}),
  });
  await writeKeyring(options.db, rewrapped);
}
