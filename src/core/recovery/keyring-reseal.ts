/**
 * A keyring for a new passphrase around a profile key recovered from the code: the same bytes
 * as the crypto module's keyring (docs/crypto.md, "Keyring"), made here because that module
 * seals a keyring only from a passphrase it has just checked (createKeyring makes a new profile
 * key, rewrapKeyring needs the old passphrase). The result is read back with parseKeyring and
 * unlocked in the tests with unlockKeyring, so the two cannot drift apart unnoticed.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import {
  asKey,
  associatedData,
  concat,
  KdfParamsBelowFloorError,
  type KeyringOptions,
  keyIdOf,
  normalizePassphrase,
  type ProfileId,
  type ProfileKey,
  parseKeyring,
  randomBytes,
  seal,
  wipe,
} from '../crypto';

const keyringMagic = new Uint8Array([0x43, 0x46, 0x52, 0x4b]);
const keyringVersion = 0x01;
const kdfScrypt = 0x01;

/**
 * Seals `profileKey` under `passphrase` at the policy's target parameters with a new salt,
 * keeping the profile id: the whole keyring, for one put of the keyring row.
 */
export async function keyringForProfileKey(
  passphrase: string,
  profileId: ProfileId,
  profileKey: ProfileKey,
  options: KeyringOptions,
): Promise<Uint8Array> {
  const params = options.policy.target;
  const floor = options.policy.floor;
  if (params.logN < floor.logN || params.r < floor.r || params.p < floor.p)
    throw new KdfParamsBelowFloorError(params, floor);
  const salt = randomBytes(32);
  const secret = normalizePassphrase(passphrase);
  let derived: Uint8Array;
  try {
    derived = await options.kdf({ passphrase: secret, salt, params }, options.onProgress);
  } finally {
    wipe(secret);
  }
  try {
    const kek = asKey(derived, 'kek');
    const header = concat(
      keyringMagic,
      new Uint8Array([keyringVersion, kdfScrypt, params.logN, params.r, params.p]),
      salt,
      profileId,
      keyIdOf(kek),
    );
    const body = concat(header, seal(kek, profileKey, associatedData('profile-key', header)));
    const keyring = concat(body, sha256(body));
    parseKeyring(keyring);
    return keyring;
  } finally {
    wipe(derived);
  }
}
