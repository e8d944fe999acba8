import { hkdfSync, scryptSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { bytesToHex, hexToBytes } from '@noble/ciphers/utils.js';
import { describe, expect, it } from 'vitest';
import {
  asKey,
  associatedData,
  deriveSubkey,
  inProcessKdf,
  keyIdOf,
  open,
  runScrypt,
  scryptFloor,
  unlockKeyring,
} from '../../../src/core/crypto';
import { sealWithNonce } from '../../../src/core/crypto/envelope';

const vectors = JSON.parse(
  readFileSync(new URL('../../vectors/crypto.json', import.meta.url), 'utf8'),
);
const hex = (value: string) => hexToBytes(value);

describe('known answers (tests/vectors/crypto.json)', () => {
  it('key id and subkeys', () => {
    const key = asKey(hex(vectors.keyId.key), 'vault');
    expect(bytesToHex(keyIdOf(key))).toBe(vectors.keyId.keyId);
    expect(bytesToHex(deriveSubkey(key, 'storage'))).toBe(vectors.subkeys.storage);
    expect(bytesToHex(deriveSubkey(key, 'transport'))).toBe(vectors.subkeys.transport);
  });

  it("HKDF derivations agree with Node's own HKDF (an independent implementation)", () => {
    const key = hex(vectors.keyId.key);
    const nodeKeyId = new Uint8Array(
      hkdfSync('sha256', key, new Uint8Array(0), 'coffer/v1/key-id', 16),
    );
    expect(bytesToHex(nodeKeyId)).toBe(vectors.keyId.keyId);
    const nodeStorage = new Uint8Array(
      hkdfSync('sha256', key, new Uint8Array(0), 'coffer/v1/storage', 32),
    );
    expect(bytesToHex(nodeStorage)).toBe(vectors.subkeys.storage);
  });

  it('associated data encoding', () => {
    const [idField, seqField] = vectors.associatedData.fields;
    expect(
      bytesToHex(associatedData(vectors.associatedData.label, hex(idField.bytes), seqField.u64)),
    ).toBe(vectors.associatedData.encoded);
  });

  it('envelope seal and open', () => {
    const v = vectors.envelope;
    // Any sealing key; the vector's key bytes are also the vault key of the other vectors.
    const key = asKey(hex(v.key), 'storage');
    expect(bytesToHex(sealWithNonce(key, hex(v.plaintext), hex(v.context), hex(v.nonce)))).toBe(
      v.envelope,
    );
    expect(bytesToHex(open(key, hex(v.envelope), hex(v.context)))).toBe(v.plaintext);
  });

  it('keyring unlocks to the recorded profile key', async () => {
    const { profileKey } = await unlockKeyring(
      hex(vectors.keyring.keyring),
      vectors.keyring.passphrase,
      {
        kdf: inProcessKdf,
        policy: { floor: scryptFloor, target: scryptFloor },
      },
    );
    expect(bytesToHex(profileKey)).toBe(vectors.keyring.profileKey);
  });

  it('the same passphrase in decomposed form (NFD) unlocks the vector keyring', async () => {
    const decomposed = vectors.keyring.passphrase.normalize('NFD');
    expect(decomposed).not.toBe(vectors.keyring.passphrase);
    const { profileKey } = await unlockKeyring(hex(vectors.keyring.keyring), decomposed, {
      kdf: inProcessKdf,
      policy: { floor: scryptFloor, target: scryptFloor },
    });
    expect(bytesToHex(profileKey)).toBe(vectors.keyring.profileKey);
  });

  it("scrypt agrees with Node's OpenSSL scrypt", async () => {
    const passphrase = new TextEncoder().encode('pässword');
    const salt = hex('0011223344556677889900112233445566778899001122334455667788990011');
    for (const params of [
      { logN: 10, r: 8, p: 1 },
      { logN: 12, r: 4, p: 2 },
    ]) {
      const ours = await runScrypt({
        passphrase,
        salt,
        params: { algorithm: 'scrypt', ...params },
      });
      const node = scryptSync(passphrase, salt, 32, {
        N: 2 ** params.logN,
        r: params.r,
        p: params.p,
      });
      expect(bytesToHex(ours)).toBe(node.toString('hex'));
    }
  });
});
