import { sha256 } from '@noble/hashes/sha2.js';
import { describe, expect, it, vi } from 'vitest';
import {
  createKeyring,
  InvalidPassphraseError,
  inProcessKdf,
  KdfParamsBelowFloorError,
  type KdfPolicy,
  type KdfRunner,
  KeyringDamagedError,
  parseKeyring,
  rewrapKeyring,
  type ScryptParams,
  UnsupportedFormatError,
  unlockKeyring,
  WrongPassphraseError,
} from '../../../src/core/crypto';

// Low parameters keep these tests fast; the floor itself is tested with the real policy.
const fast: ScryptParams = { algorithm: 'scrypt', logN: 10, r: 8, p: 1 };
const policy: KdfPolicy = { floor: fast, target: fast };
const options = { kdf: inProcessKdf, policy };

function withChecksum(body: Uint8Array): Uint8Array {
  const out = new Uint8Array(body.length + 32);
  out.set(body);
  out.set(sha256(body), body.length);
  return out;
}

describe('keyring', () => {
  it('unlocks with the passphrase it was created with', async () => {
    const { keyring, profileKey } = await createKeyring('open sesame', options);
    const unlocked = await unlockKeyring(keyring, 'open sesame', options);
    expect(unlocked.profileKey).toEqual(profileKey);
    expect(unlocked.upgraded).toBeUndefined();
  });

  it('rejects a wrong passphrase with WrongPassphraseError', async () => {
    const { keyring } = await createKeyring('open sesame', options);
    await expect(unlockKeyring(keyring, 'open sesame!', options)).rejects.toBeInstanceOf(
      WrongPassphraseError,
    );
  });

  it('reports progress while deriving', async () => {
    const progress: number[] = [];
    await createKeyring('open sesame', { ...options, onProgress: (f) => progress.push(f) });
    expect(progress.length).toBeGreaterThan(1);
    expect(Math.max(...progress)).toBeLessThanOrEqual(1);
  });

  it('reports a flipped byte anywhere as damage, never as a wrong passphrase', async () => {
    const { keyring } = await createKeyring('open sesame', options);
    for (let index = 0; index < keyring.length; index++) {
      const damaged = keyring.slice();
      damaged[index] = damaged[index]! ^ 0x01;
      await expect(
        unlockKeyring(damaged, 'open sesame', options),
        `byte ${index}`,
      ).rejects.toBeInstanceOf(KeyringDamagedError);
    }
  });

  it('rejects a keyring from a newer version (valid checksum, unknown version)', async () => {
    const { keyring } = await createKeyring('open sesame', options);
    const body = keyring.slice(0, keyring.length - 32);
    body[4] = 2;
    await expect(unlockKeyring(withChecksum(body), 'open sesame', options)).rejects.toBeInstanceOf(
      UnsupportedFormatError,
    );
  });

  it('refuses parameters below the floor before deriving anything', async () => {
    const { keyring } = await createKeyring('open sesame', options);
    const kdf = vi.fn<KdfRunner>(inProcessKdf);
    const strict: KdfPolicy = { floor: { ...fast, logN: 11 }, target: { ...fast, logN: 11 } };
    await expect(
      unlockKeyring(keyring, 'open sesame', { kdf, policy: strict }),
    ).rejects.toBeInstanceOf(KdfParamsBelowFloorError);
    expect(kdf).not.toHaveBeenCalled();
  });

  it('refuses a keyring tampered down to weak parameters (with a recomputed checksum)', async () => {
    const { keyring } = await createKeyring('open sesame', options);
    const body = keyring.slice(0, keyring.length - 32);
    body[6] = 4; // logN 4: N = 16
    await expect(unlockKeyring(withChecksum(body), 'open sesame', options)).rejects.toThrow(
      /below the accepted floor \(N=2\^10/,
    );
  });

  it('the default policy refuses anything under scrypt N=2^17, r=8, p=1', async () => {
    const { keyring } = await createKeyring('open sesame', options);
    await expect(
      unlockKeyring(keyring, 'open sesame', {
        kdf: inProcessKdf,
        policy: (await import('../../../src/core/crypto')).defaultKdfPolicy,
      }),
    ).rejects.toBeInstanceOf(KdfParamsBelowFloorError);
  });

  it('upgrades to the target at the next unlock, and the upgrade unlocks with the same key', async () => {
    const { keyring, profileKey } = await createKeyring('open sesame', options);
    const raised: KdfPolicy = { floor: fast, target: { ...fast, logN: 11 } };
    const { upgraded } = await unlockKeyring(keyring, 'open sesame', {
      kdf: inProcessKdf,
      policy: raised,
    });
    expect(upgraded).toBeDefined();
    expect(parseKeyring(upgraded!).params.logN).toBe(11);
    const again = await unlockKeyring(upgraded!, 'open sesame', {
      kdf: inProcessKdf,
      policy: raised,
    });
    expect(again.profileKey).toEqual(profileKey);
    expect(again.upgraded).toBeUndefined();
  });

  it('changing the passphrase keeps the profile key; the old passphrase stops working', async () => {
    const { keyring, profileKey } = await createKeyring('old one', options);
    const changed = await rewrapKeyring(keyring, 'old one', 'new one', options);
    expect((await unlockKeyring(changed, 'new one', options)).profileKey).toEqual(profileKey);
    await expect(unlockKeyring(changed, 'old one', options)).rejects.toBeInstanceOf(
      WrongPassphraseError,
    );
    // The old record is untouched, so until the new one is stored the old passphrase works.
    expect((await unlockKeyring(keyring, 'old one', options)).profileKey).toEqual(profileKey);
  });

  it('a change needs the current passphrase', async () => {
    const { keyring } = await createKeyring('old one', options);
    await expect(rewrapKeyring(keyring, 'not it', 'new one', options)).rejects.toBeInstanceOf(
      WrongPassphraseError,
    );
  });

  it('rejects an empty passphrase and never echoes a passphrase in errors', async () => {
    await expect(createKeyring('', options)).rejects.toBeInstanceOf(InvalidPassphraseError);
    const { keyring } = await createKeyring('canary-passphrase-7f3a', options);
    const error = await unlockKeyring(keyring, 'canary-guess-9b2c', options).catch(
      (e: unknown) => e,
    );
    expect(String(error)).not.toContain('canary');
    expect(JSON.stringify(error)).not.toContain('canary');
  });
});
