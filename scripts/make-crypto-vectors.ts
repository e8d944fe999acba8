/**
 * Writes tests/vectors/crypto.json: known answers for docs/crypto.md, so a second
 * implementation can check itself and this one cannot drift. Run once when the format changes
 * (`tsx scripts/make-crypto-vectors.ts`); the tests load the file, they do not regenerate it.
 */
import { writeFileSync } from 'node:fs';
import { bytesToHex, hexToBytes } from '@noble/ciphers/utils.js';
import {
  asKey,
  associatedData,
  createKeyring,
  deriveSubkey,
  inProcessKdf,
  keyIdOf,
  scryptFloor,
  sealWithNonce,
  utf8,
} from '../src/core/crypto';

const key = asKey(
  hexToBytes('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f'),
  'vault',
);
const nonce = hexToBytes('404142434445464748494a4b4c4d4e4f5051525354555657');
const vaultId = hexToBytes('a0a1a2a3a4a5a6a7a8a9aaabacadaeaf');
const context = associatedData('update', vaultId, 7);
const plaintext = utf8('{"API_KEY":"s3cr3t"}');
const passphrase = 'correct horse battery staple é';

const { keyring, profileKey } = await createKeyring(passphrase, {
  kdf: inProcessKdf,
  policy: { floor: scryptFloor, target: scryptFloor },
});

const vectors = {
  description: 'Known answers for docs/crypto.md. Hex strings; text as UTF-8.',
  keyId: { key: bytesToHex(key), keyId: bytesToHex(keyIdOf(key)) },
  subkeys: {
    key: bytesToHex(key),
    storage: bytesToHex(deriveSubkey(key, 'storage')),
    transport: bytesToHex(deriveSubkey(key, 'transport')),
  },
  associatedData: {
    label: 'update',
    fields: [{ bytes: bytesToHex(vaultId) }, { u64: 7 }],
    encoded: bytesToHex(context),
  },
  envelope: {
    key: bytesToHex(key),
    nonce: bytesToHex(nonce),
    plaintext: bytesToHex(plaintext),
    context: bytesToHex(context),
    envelope: bytesToHex(sealWithNonce(key, plaintext, context, nonce)),
  },
  keyring: {
    passphrase,
    keyring: bytesToHex(keyring),
    profileKey: bytesToHex(profileKey),
  },
};

writeFileSync(
  new URL('../tests/vectors/crypto.json', import.meta.url),
  `${JSON.stringify(vectors, null, 2)}\n`,
);
console.log('wrote tests/vectors/crypto.json');
