/**
 * Writes tests/vectors/sync.json: known answers for the sync parts of docs/crypto.md (derived
 * names and keys, a sync envelope, one with a bulk, one with a deflated bulk, an invitation token). Run when the format changes
 * (`tsx scripts/make-sync-vectors.ts`); the tests only read the file.
 */
import { writeFileSync } from 'node:fs';
import { deflateRawSync } from 'node:zlib';
import { bytesToHex, hexToBytes } from '@noble/ciphers/utils.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { asKey, type BulkKey, keyIdOf, toBase64url } from '../src/core/crypto';
import { sealBulkWithKey } from '../src/core/crypto/bulk';
import { sealWithNonce } from '../src/core/crypto/envelope';
import { deviceIdentityFromSecret } from '../src/core/device';
import {
  encodeInviteToken,
  inviteMaterial,
  roomNameOf,
  sealEnvelope,
  syncKeyOf,
  transportPasswordOf,
} from '../src/core/sync';

const vaultKey = asKey(
  hexToBytes('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f'),
  'vault',
);
const deviceSecret = hexToBytes('9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60');
const device = deviceIdentityFromSecret(deviceSecret);
const vaultIdBytes = hexToBytes('a0a1a2a3a4a5a6a7a8a9aaabacadaeaf');
const vaultId = toBase64url(vaultIdBytes);
const nonce = hexToBytes('404142434445464748494a4b4c4d4e4f5051525354555657');
const update = hexToBytes('010190ce03000401076a736f6e00'); // any bytes: the envelope does not parse them
const knowledge = hexToBytes('0101');
// The id of the author's previous envelope (any 32 bytes here; zeros start a chain).
const prev = hexToBytes('e0e1e2e3e4e5e6e7e8e9eaebecedeeeff0f1f2f3f4f5f6f7f8f9fafbfcfdfeff');
// A bulk key is random and seals one payload only; a fixed one here makes the answer known.
const bulkKey = hexToBytes(
  '606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f',
) as BulkKey;
const bulkNonce = hexToBytes('808182838485868788898a8b8c8d8e8f9091929394959697');
const checkpoint = hexToBytes('0102d2fe0a00070108656e7472696573012800'); // any bytes, as above
const bulk = {
  ...(await sealBulkWithKey(
    bulkKey,
    new Uint8Array([0, 0, 0, 0, ...checkpoint]), // an empty knowledge, then the state
  )),
  deflated: false,
};
// Version 0x04: the payload deflated (here by Node's zlib; any raw DEFLATE stream that inflates
// to the payload is as valid), framed with both lengths and padded with zeros to 4 KiB.
const repeated = new Uint8Array(Array.from({ length: 8 }, () => [...checkpoint]).flat());
const deflatedPayload = new Uint8Array(deflateRawSync(new Uint8Array([0, 0, 0, 0, ...repeated])));
const framedDeflated = new Uint8Array(4096);
new DataView(framedDeflated.buffer).setUint32(0, 4 + repeated.length);
new DataView(framedDeflated.buffer).setUint32(4, deflatedPayload.length);
framedDeflated.set(deflatedPayload, 8);
const deflatedBulk = {
  ...(await sealBulkWithKey(bulkKey, framedDeflated)),
  deflated: true,
};
const inviteSecret = hexToBytes('c0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedf');
const invite = inviteMaterial(inviteSecret);

const vectors = {
  description: 'Known answers for the sync parts of docs/crypto.md. Hex strings; text as is.',
  derivations: {
    vaultKey: bytesToHex(vaultKey),
    syncKey: bytesToHex(syncKeyOf(vaultKey)),
    roomName: roomNameOf(vaultKey),
    transportPassword: transportPasswordOf(vaultKey),
  },
  envelope: {
    vaultKey: bytesToHex(vaultKey),
    deviceSecret: bytesToHex(deviceSecret),
    devicePublic: bytesToHex(device.publicKey),
    deviceId: device.id,
    vaultId,
    seq: 1_800_000_000_000_000,
    kind: 'update',
    prev: bytesToHex(prev),
    nonce: bytesToHex(nonce),
    knowledge: bytesToHex(knowledge),
    update: bytesToHex(update),
    envelope: bytesToHex(
      sealEnvelope({
        kind: 'update',
        vaultId,
        author: device,
        seq: 1_800_000_000_000_000,
        syncKey: syncKeyOf(vaultKey),
        update,
        knowledge,
        prev,
        sealPayload: (key, payload, context) => sealWithNonce(key, payload, context, nonce),
      }),
    ),
    get id() {
      return bytesToHex(sha256(hexToBytes(this.envelope).subarray(0, -64)));
    },
  },
  bulkEnvelope: {
    // The same vault key, device and vault id as `envelope`.
    seq: 1_800_000_000_000_001,
    kind: 'checkpoint',
    prev: bytesToHex(prev),
    nonce: bytesToHex(bulkNonce),
    bulkKey: bytesToHex(bulkKey),
    update: bytesToHex(checkpoint),
    bulk: bytesToHex(bulk.ciphertext),
    envelope: bytesToHex(
      sealEnvelope({
        kind: 'checkpoint',
        vaultId,
        author: device,
        seq: 1_800_000_000_000_001,
        syncKey: syncKeyOf(vaultKey),
        bulk,
        prev,
        sealPayload: (key, payload, context) => sealWithNonce(key, payload, context, bulkNonce),
      }),
    ),
    get id() {
      return bytesToHex(sha256(hexToBytes(this.envelope).subarray(0, -64)));
    },
  },
  deflatedBulkEnvelope: {
    // The same vault key, device and vault id as `envelope`, and the bulk key and nonce of
    // `bulkEnvelope` (never reused so in earnest: a bulk key seals one payload).
    seq: 1_800_000_000_000_002,
    kind: 'checkpoint',
    prev: bytesToHex(prev),
    update: bytesToHex(repeated),
    deflated: bytesToHex(deflatedPayload),
    bulk: bytesToHex(deflatedBulk.ciphertext),
    envelope: bytesToHex(
      sealEnvelope({
        kind: 'checkpoint',
        vaultId,
        author: device,
        seq: 1_800_000_000_000_002,
        syncKey: syncKeyOf(vaultKey),
        bulk: deflatedBulk,
        prev,
        sealPayload: (key, payload, context) => sealWithNonce(key, payload, context, bulkNonce),
      }),
    ),
    get id() {
      return bytesToHex(sha256(hexToBytes(this.envelope).subarray(0, -64)));
    },
  },
  invite: {
    secret: bytesToHex(inviteSecret),
    id: invite.id,
    room: invite.room,
    password: invite.password,
    key: bytesToHex(invite.key),
    token: encodeInviteToken({
      secret: inviteSecret,
      vaultId,
      keyId: keyIdOf(vaultKey),
      expiresAt: 1_900_000_000_000,
    }),
  },
};

writeFileSync(
  new URL('../tests/vectors/sync.json', import.meta.url),
  `${JSON.stringify(vectors, null, 2)}\n`,
);
console.log('wrote tests/vectors/sync.json');
