/**
 * Writes tests/unit/epochs/vectors.json, the key epoch test vectors of docs/crypto.md ("Key
 * epochs"). Run `npx tsx tests/unit/epochs/make-vectors.ts`; the tests only read the file.
 *
 * Two records of one vault: the genesis record (epoch 0) sealed to three devices, and the
 * record of epoch 1 after the third was removed, sealed to the other two, with epoch 0's key in
 * its history. The devices are RFC 8032 section 7.1's tests 1, 2 and 3; device 1 signs. The
 * randomness is `seededRandom(seed)` (support.ts), and every value drawn from it is written out,
 * with every intermediate value of epoch 1, so a second implementation needs none of this code.
 */
import { writeFileSync } from 'node:fs';
import { bytesToHex, hexToBytes } from '@noble/ciphers/utils.js';
import { ed25519, x25519 } from '@noble/curves/ed25519.js';
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { associatedData, fromBase64url, hkdfLabel, keyIdOf } from '../../../src/core/crypto';
import { deviceIdentityFromSecret } from '../../../src/core/device';
import { rotateEpoch } from '../../../src/core/epochs';
import { compareBytes, decodeRecord } from '../../../src/core/epochs/format';
import { causeOf, rfc8032Secrets, seededRandom, vaultA, vectorSeed } from './support';

const hex = bytesToHex;

async function main() {
  const devices = rfc8032Secrets.map((secret) => deviceIdentityFromSecret(hexToBytes(secret)));
  const signer = devices[0]!;
  const random = seededRandom(vectorSeed);
  const genesisCause = causeOf('create vault A');
  const removalCause = causeOf('remove device 3');

  const genesisStart = random.used();
  const genesis = await rotateEpoch({
    vaultId: vaultA,
    previous: undefined,
    cause: genesisCause,
    devices: devices.map((d) => d.id),
    signer,
    random,
  });
  const rotationStart = random.used();
  const rotation = await rotateEpoch({
    vaultId: vaultA,
    previous: { epoch: 0, key: genesis.key },
    cause: removalCause,
    devices: [devices[1]!.id, devices[0]!.id],
    signer,
    random,
  });

  // Everything again, by hand, from the randomness the rotation drew, in its order.
  const replay = seededRandom(vectorSeed);
  replay(rotationStart);
  const key = replay(32);
  const historyNonce = replay(24);
  const historyKey = hkdfLabel(key, 'epoch-history', 32);
  const decoded = decodeRecord(rotation.record);
  const sorted = [devices[0]!, devices[1]!].sort((a, b) => compareBytes(a.publicKey, b.publicKey));
  const recipients = sorted.map((device, i) => {
    const ephemeralSecret = replay(32);
    const nonce = replay(24);
    const ephemeral = x25519.getPublicKey(ephemeralSecret);
    const x25519Public = ed25519.utils.toMontgomery(device.publicKey);
    const shared = x25519.getSharedSecret(ephemeralSecret, x25519Public);
    const wrapInfo = associatedData('epoch-wrap', vaultA, 1, device.id, ephemeral);
    const wrapKey = hkdf(sha256, shared, undefined, wrapInfo, 32);
    const slot = decoded.fields.recipients[i]!;
    return {
      deviceId: device.id,
      deviceSecret: hex(device.secretKey),
      devicePublic: hex(device.publicKey),
      x25519Public: hex(x25519Public),
      x25519Secret: hex(ed25519.utils.toMontgomerySecret(device.secretKey)),
      ephemeralSecret: hex(ephemeralSecret),
      ephemeral: hex(ephemeral),
      shared: hex(shared),
      wrapInfo: hex(wrapInfo),
      wrapKey: hex(wrapKey),
      wrapKeyId: hex(hkdfLabel(wrapKey, 'key-id', 16)),
      nonce: hex(nonce),
      context: hex(associatedData('epoch-key', vaultA, 1, device.id)),
      wrapped: hex(slot.wrapped),
    };
  });

  const vectors = {
    about:
      'Key epoch vectors (docs/crypto.md, "Key epochs"), written by tests/unit/epochs/make-vectors.ts. Hex unless named otherwise.',
    randomSeed: vectorSeed,
    vaultId: vaultA,
    vaultIdBytes: hex(fromBase64url(vaultA)),
    devices: devices.map((d) => ({ id: d.id, secret: hex(d.secretKey), public: hex(d.publicKey) })),
    signer: signer.id,
    genesis: {
      epoch: 0,
      cause: hex(genesisCause),
      devices: devices.map((d) => d.id),
      randomOffset: genesisStart,
      key: hex(genesis.key),
      keyId: hex(keyIdOf(genesis.key)),
      record: hex(genesis.record),
    },
    rotation: {
      epoch: 1,
      cause: hex(removalCause),
      devices: [devices[0]!.id, devices[1]!.id],
      removed: devices[2]!.id,
      randomOffset: rotationStart,
      key: hex(rotation.key),
      keyId: hex(keyIdOf(rotation.key)),
      previousKey: hex(genesis.key),
      previousKeyId: hex(keyIdOf(genesis.key)),
      historyKey: hex(historyKey),
      historyKeyId: hex(hkdfLabel(historyKey, 'key-id', 16)),
      historyNonce: hex(historyNonce),
      historyContext: hex(associatedData('epoch-history', vaultA, 1)),
      history: hex(decoded.fields.history),
      recipients,
      body: hex(decoded.body),
      signature: hex(decoded.signature),
      record: hex(rotation.record),
    },
  };
  if (hex(key) !== vectors.rotation.key) throw new Error('the replay drew another key');
  const out = new URL('./vectors.json', import.meta.url);
  writeFileSync(out, `${JSON.stringify(vectors, null, 2)}\n`);
  console.log(`wrote ${out.pathname}`);
}

await main();
