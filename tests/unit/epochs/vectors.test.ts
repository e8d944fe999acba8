/**
 * The key epoch vectors (vectors.json, made by make-vectors.ts), checked twice: against this
 * implementation (byte for byte, from the same seeded randomness), and read a second time from
 * docs/crypto.md alone, with Node's own Ed25519, X25519, HKDF and SHA-512, noble's
 * XChaCha20-Poly1305 called directly, and the Ed25519 -> X25519 map written out in BigInt.
 */
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  hkdfSync,
  verify,
} from 'node:crypto';
import { readFileSync } from 'node:fs';
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { bytesToHex, hexToBytes } from '@noble/ciphers/utils.js';
import { describe, expect, it } from 'vitest';
import { type DeviceIdentity, deviceIdentityFromSecret } from '../../../src/core/device';
import { openEpochRecord, rotateEpoch, verifyEpochRecord } from '../../../src/core/epochs';
import { asVaultId } from '../../../src/core/ids';
import { causeOf, rfc8032Secrets, seededRandom, vectorSeed } from './support';

const vectors = JSON.parse(readFileSync(new URL('./vectors.json', import.meta.url), 'utf8'));
const hex = hexToBytes;
const b64url = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');
const ascii = (text: string) => new Uint8Array(Buffer.from(text, 'ascii'));
const u32 = (n: number) => {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, n);
  return out;
};
const u64 = (n: number) => {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, BigInt(n));
  return out;
};
const join = (...parts: Uint8Array[]) => new Uint8Array(Buffer.concat(parts));
/** docs/crypto.md, "Associated data", written out again. */
const context = (label: string, ...fields: Uint8Array[]) =>
  join(
    ascii(`coffer/v1/${label}`),
    new Uint8Array([0]),
    ...fields.flatMap((f) => [u32(f.length), f]),
  );
const nodeHkdf = (ikm: Uint8Array, info: Uint8Array, length: number) =>
  new Uint8Array(hkdfSync('sha256', ikm, new Uint8Array(0), info, length));
const keyId = (key: Uint8Array) => nodeHkdf(key, ascii('coffer/v1/key-id'), 16);

/** RFC 7748 section 4.1's map from an Ed25519 public key (y) to the X25519 u-coordinate. */
function edwardsToMontgomery(publicKey: Uint8Array): Uint8Array {
  const p = 2n ** 255n - 19n;
  const bytes = publicKey.slice();
  bytes[31] = bytes[31]! & 0x7f;
  const y = BigInt(`0x${Buffer.from(bytes).reverse().toString('hex')}`);
  const power = (base: bigint, exponent: bigint): bigint => {
    let result = 1n;
    let b = base % p;
    for (let e = exponent; e > 0n; e >>= 1n) {
      if (e & 1n) result = (result * b) % p;
      b = (b * b) % p;
    }
    return result;
  };
  const u = ((1n + y) * power((1n - y + p) % p, p - 2n)) % p;
  return new Uint8Array(Buffer.from(u.toString(16).padStart(64, '0'), 'hex').reverse());
}

/** Opens Coffer's envelope by its layout: header 42 bytes, aad = header || context. */
function openByHand(key: Uint8Array, envelope: Uint8Array, aadContext: Uint8Array): Uint8Array {
  expect(envelope[0]).toBe(1);
  expect(envelope[1]).toBe(1);
  expect(bytesToHex(envelope.subarray(2, 18))).toBe(bytesToHex(keyId(key)));
  const header = envelope.subarray(0, 42);
  return xchacha20poly1305(key, envelope.subarray(18, 42), join(header, aadContext)).decrypt(
    envelope.subarray(42),
  );
}

const devices: DeviceIdentity[] = rfc8032Secrets.map((s) => deviceIdentityFromSecret(hex(s)));
const vaultId = asVaultId(vectors.vaultId);

describe('key epoch known answers (tests/unit/epochs/vectors.json)', () => {
  it('this implementation makes the same two records from the same randomness', async () => {
    expect(vectors.randomSeed).toBe(vectorSeed);
    expect(devices.map((d) => bytesToHex(d.publicKey))).toEqual(
      vectors.devices.map((d: { public: string }) => d.public),
    );
    const random = seededRandom(vectorSeed);
    const genesis = await rotateEpoch({
      vaultId,
      previous: undefined,
      cause: causeOf('create vault A'),
      devices: devices.map((d) => d.id),
      signer: devices[0]!,
      random,
    });
    expect(bytesToHex(genesis.record)).toBe(vectors.genesis.record);
    expect(random.used()).toBe(vectors.rotation.randomOffset);
    const rotation = await rotateEpoch({
      vaultId,
      previous: { epoch: 0, key: genesis.key },
      cause: causeOf('remove device 3'),
      devices: [devices[0]!.id, devices[1]!.id],
      signer: devices[0]!,
      random,
    });
    expect(bytesToHex(rotation.record)).toBe(vectors.rotation.record);
    expect(bytesToHex(rotation.key)).toBe(vectors.rotation.key);
  });

  it('the records open as the vectors say, and not for the removed device', async () => {
    const genesis = hex(vectors.genesis.record);
    const rotation = hex(vectors.rotation.record);
    for (const device of devices) {
      const opened = await openEpochRecord(genesis, { vaultId, device });
      expect(bytesToHex(opened.key)).toBe(vectors.genesis.key);
    }
    for (const device of devices.slice(0, 2)) {
      const opened = await openEpochRecord(rotation, { vaultId, device });
      expect(bytesToHex(opened.key)).toBe(vectors.rotation.key);
      expect(bytesToHex(opened.previousKey!)).toBe(vectors.genesis.key);
    }
    await expect(openEpochRecord(rotation, { vaultId, device: devices[2]! })).rejects.toMatchObject(
      { code: 'epoch-not-for-device' },
    );
    const info = await verifyEpochRecord(rotation, { vaultId, expectedSigner: devices[0]!.id });
    expect(bytesToHex(info.previousKeyId)).toBe(vectors.rotation.previousKeyId);
  });

  it('epoch 1’s record reads from the spec alone, with Node’s own primitives', () => {
    const r = vectors.rotation;
    const record = hex(r.record);
    // The fixed header.
    expect(Buffer.from(record.subarray(0, 4)).toString('ascii')).toBe('CFEP');
    expect(record[4]).toBe(1);
    expect(bytesToHex(record.subarray(5, 21))).toBe(vectors.vaultIdBytes);
    expect(bytesToHex(record.subarray(21, 29))).toBe(bytesToHex(u64(1)));
    expect(bytesToHex(record.subarray(29, 61))).toBe(r.cause);
    expect(b64url(record.subarray(61, 93))).toBe(vectors.signer);
    expect(bytesToHex(record.subarray(93, 109))).toBe(bytesToHex(keyId(hex(r.key))));
    expect(bytesToHex(record.subarray(109, 125))).toBe(bytesToHex(keyId(hex(r.previousKey))));
    // The signature: Ed25519 over "coffer/v1/epoch" || 0x00 || body.
    const body = record.subarray(0, record.length - 64);
    expect(bytesToHex(body)).toBe(r.body);
    const signer = createPublicKey({
      key: { kty: 'OKP', crv: 'Ed25519', x: b64url(record.subarray(61, 93)) },
      format: 'jwk',
    });
    const signed = join(ascii('coffer/v1/epoch'), new Uint8Array([0]), body);
    expect(verify(null, signed, signer, record.subarray(record.length - 64))).toBe(true);
    // The history: the previous key under HKDF(key, "coffer/v1/epoch-history").
    expect(bytesToHex(record.subarray(125, 129))).toBe('0000005a');
    const history = record.subarray(129, 219);
    const historyKey = nodeHkdf(hex(r.key), ascii('coffer/v1/epoch-history'), 32);
    expect(bytesToHex(historyKey)).toBe(r.historyKey);
    const historyContext = context('epoch-history', ascii(vectors.vaultId), u64(1));
    expect(bytesToHex(historyContext)).toBe(r.historyContext);
    expect(bytesToHex(history.subarray(18, 42))).toBe(r.historyNonce);
    expect(bytesToHex(openByHand(historyKey, history, historyContext))).toBe(r.previousKey);
    // The recipients: count, then device || ephemeral || u32be(90) || wrapped, sorted.
    expect(bytesToHex(record.subarray(219, 223))).toBe(bytesToHex(u32(2)));
    let at = 223;
    for (const v of r.recipients) {
      const device = record.subarray(at, at + 32);
      const ephemeral = record.subarray(at + 32, at + 64);
      expect(bytesToHex(record.subarray(at + 64, at + 68))).toBe('0000005a');
      const wrapped = record.subarray(at + 68, at + 158);
      at += 158;
      expect(bytesToHex(device)).toBe(v.devicePublic);
      expect(bytesToHex(ephemeral)).toBe(v.ephemeral);
      expect(bytesToHex(wrapped)).toBe(v.wrapped);
      // The device's side: X25519 secret = SHA-512(seed)[0..32], public = the mapped key.
      const x25519Public = edwardsToMontgomery(device);
      expect(bytesToHex(x25519Public)).toBe(v.x25519Public);
      const x25519Secret = createHash('sha512')
        .update(hex(v.deviceSecret))
        .digest()
        .subarray(0, 32);
      const secretKey = createPrivateKey({
        key: { kty: 'OKP', crv: 'X25519', d: b64url(x25519Secret), x: b64url(x25519Public) },
        format: 'jwk',
      });
      const ephemeralKey = createPublicKey({
        key: { kty: 'OKP', crv: 'X25519', x: b64url(ephemeral) },
        format: 'jwk',
      });
      const shared = new Uint8Array(
        diffieHellman({ privateKey: secretKey, publicKey: ephemeralKey }),
      );
      expect(bytesToHex(shared)).toBe(v.shared);
      const info = context(
        'epoch-wrap',
        ascii(vectors.vaultId),
        u64(1),
        ascii(v.deviceId),
        ephemeral,
      );
      expect(bytesToHex(info)).toBe(v.wrapInfo);
      const wrapKey = nodeHkdf(shared, info, 32);
      expect(bytesToHex(wrapKey)).toBe(v.wrapKey);
      const keyContext = context('epoch-key', ascii(vectors.vaultId), u64(1), ascii(v.deviceId));
      expect(bytesToHex(keyContext)).toBe(v.context);
      expect(bytesToHex(openByHand(wrapKey, wrapped, keyContext))).toBe(r.key);
    }
    expect(at).toBe(record.length - 64);
    // Sorted by device bytes.
    expect(Buffer.compare(record.subarray(223, 255), record.subarray(381, 413))).toBe(-1);
  });
});
