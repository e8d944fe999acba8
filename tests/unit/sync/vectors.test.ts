import { createDecipheriv, createHash, createPublicKey, hkdfSync, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { inflateRawSync } from 'node:zlib';
import { bytesToHex, hexToBytes } from '@noble/ciphers/utils.js';
import { describe, expect, it } from 'vitest';
import {
  asKey,
  associatedData,
  type BulkKey,
  keyIdOf,
  open,
  toBase64url,
} from '../../../src/core/crypto';
import { sealBulkWithKey } from '../../../src/core/crypto/bulk';
import { sealWithNonce } from '../../../src/core/crypto/envelope';
import { deviceIdentityFromSecret } from '../../../src/core/device';
import {
  inviteMaterial,
  openEnvelope,
  parseInvite,
  roomNameOf,
  sealEnvelope,
  syncKeyOf,
  transportPasswordOf,
} from '../../../src/core/sync';

const vectors = JSON.parse(
  readFileSync(new URL('../../vectors/sync.json', import.meta.url), 'utf8'),
);
const hex = (value: string) => hexToBytes(value);
const nodeHkdf = (key: Uint8Array, label: string, length: number) =>
  new Uint8Array(hkdfSync('sha256', key, new Uint8Array(0), `coffer/v1/${label}`, length));

describe('sync known answers (tests/vectors/sync.json)', () => {
  it('derivations match the spec, computed with Node’s own HKDF', () => {
    const d = vectors.derivations;
    const key = asKey(hex(d.vaultKey), 'vault');
    expect(bytesToHex(syncKeyOf(key))).toBe(d.syncKey);
    expect(bytesToHex(nodeHkdf(key, 'sync', 32))).toBe(d.syncKey);
    expect(roomNameOf(key)).toBe(d.roomName);
    expect(`coffer-${toBase64url(nodeHkdf(key, 'room', 32))}`).toBe(d.roomName);
    expect(transportPasswordOf(key)).toBe(d.transportPassword);
    expect(toBase64url(nodeHkdf(key, 'transport', 32))).toBe(d.transportPassword);
  });

  it('the envelope is byte for byte the spec’s, and opens', async () => {
    const e = vectors.envelope;
    const vaultKey = asKey(hex(e.vaultKey), 'vault');
    const device = deviceIdentityFromSecret(hex(e.deviceSecret));
    // RFC 8032 test 1's key pair: our Ed25519 derives the published public key.
    expect(bytesToHex(device.publicKey)).toBe(e.devicePublic);
    expect(device.id).toBe(e.deviceId);
    const sealed = sealEnvelope({
      kind: 'update',
      vaultId: e.vaultId,
      author: device,
      seq: e.seq,
      syncKey: syncKeyOf(vaultKey),
      update: hex(e.update),
      knowledge: hex(e.knowledge),
      prev: hex(e.prev),
      sealPayload: (key, payload, context) => sealWithNonce(key, payload, context, hex(e.nonce)),
    });
    expect(bytesToHex(sealed)).toBe(e.envelope);
    const opened = await openEnvelope(hex(e.envelope), {
      vaultId: e.vaultId,
      syncKey: syncKeyOf(vaultKey),
      authorStatus: () => 'allowed',
    });
    expect(bytesToHex(opened.update)).toBe(e.update);
    expect(bytesToHex(opened.prev)).toBe(e.prev);
    expect(bytesToHex(opened.id)).toBe(e.id);
    expect(bytesToHex(opened.knowledge)).toBe(e.knowledge);
  });

  it('a second reading, from the spec’s offsets with Node’s Ed25519, agrees', () => {
    const e = vectors.envelope;
    const bytes = hex(e.envelope);
    expect(new TextDecoder().decode(bytes.subarray(0, 4))).toBe('CFSY');
    expect([bytes[4], bytes[5]]).toEqual([2, 1]);
    expect(toBase64url(bytes.subarray(6, 22))).toBe(e.vaultId);
    expect(bytesToHex(bytes.subarray(22, 54))).toBe(e.devicePublic);
    expect(Number(new DataView(bytes.buffer).getBigUint64(54))).toBe(e.seq);
    expect(bytesToHex(bytes.subarray(62, 94))).toBe(e.prev);
    const body = bytes.subarray(0, bytes.length - 64);
    const id = createHash('sha256').update(body).digest();
    expect(id.toString('hex')).toBe(e.id);
    const message = Buffer.concat([Buffer.from('coffer/v1/sync-envelope\0'), id]);
    const spki = Buffer.concat([
      Buffer.from('302a300506032b6570032100', 'hex'),
      bytes.subarray(22, 54),
    ]);
    const publicKey = createPublicKey({ key: spki, format: 'der', type: 'spki' });
    expect(verify(null, message, publicKey, bytes.subarray(bytes.length - 64))).toBe(true);
    const context = associatedData('sync', e.vaultId, e.deviceId, e.seq, 1, hex(e.prev));
    const payload = open(
      asKey(nodeHkdf(hex(e.vaultKey), 'sync', 32), 'sync'),
      body.subarray(94),
      context,
    );
    expect(bytesToHex(payload)).toBe(`00000002${e.knowledge}${e.update}`);
  });

  it('the envelope with a bulk is byte for byte the spec’s, and opens', async () => {
    const e = vectors.envelope;
    const b = vectors.bulkEnvelope;
    const vaultKey = asKey(hex(e.vaultKey), 'vault');
    const device = deviceIdentityFromSecret(hex(e.deviceSecret));
    const bulk = {
      ...(await sealBulkWithKey(
        hex(b.bulkKey) as BulkKey,
        new Uint8Array([0, 0, 0, 0, ...hex(b.update)]),
      )),
      deflated: false,
    };
    expect(bytesToHex(bulk.ciphertext)).toBe(b.bulk);
    const sealed = sealEnvelope({
      kind: 'checkpoint',
      vaultId: e.vaultId,
      author: device,
      seq: b.seq,
      syncKey: syncKeyOf(vaultKey),
      bulk,
      prev: hex(b.prev),
      sealPayload: (key, payload, context) => sealWithNonce(key, payload, context, hex(b.nonce)),
    });
    expect(bytesToHex(sealed)).toBe(b.envelope);
    const opened = await openEnvelope(sealed, {
      vaultId: e.vaultId,
      syncKey: syncKeyOf(vaultKey),
      authorStatus: () => 'allowed',
    });
    expect([bytesToHex(opened.update), bytesToHex(opened.id), opened.kind]).toEqual([
      b.update,
      b.id,
      'checkpoint',
    ]);
  });

  it('a second reading of the bulk envelope, with Node’s own Ed25519 and AES-256-GCM, agrees', () => {
    const e = vectors.envelope;
    const b = vectors.bulkEnvelope;
    const bytes = hex(b.envelope);
    expect([bytes[4], bytes[5]]).toEqual([3, 2]);
    const body = bytes.subarray(0, bytes.length - 64);
    const id = createHash('sha256').update(body).digest();
    expect(id.toString('hex')).toBe(b.id);
    const spki = Buffer.concat([
      Buffer.from('302a300506032b6570032100', 'hex'),
      bytes.subarray(22, 54),
    ]);
    const message = Buffer.concat([Buffer.from('coffer/v1/sync-envelope\0'), id]);
    const publicKey = createPublicKey({ key: spki, format: 'der', type: 'spki' });
    expect(verify(null, message, publicKey, bytes.subarray(bytes.length - 64))).toBe(true);
    // Bytes 94..184: the bulk key, sealed under the sync key with the "sync-bulk" context.
    const context = associatedData('sync-bulk', e.vaultId, e.deviceId, b.seq, 2, hex(b.prev));
    const bulkKey = open(
      asKey(nodeHkdf(hex(e.vaultKey), 'sync', 32), 'sync'),
      body.subarray(94, 184),
      context,
    );
    expect(bytesToHex(bulkKey)).toBe(b.bulkKey);
    // The rest of the body: AES-256-GCM under that key, a zero IV, no associated data.
    const bulk = body.subarray(184);
    const decipher = createDecipheriv('aes-256-gcm', bulkKey, Buffer.alloc(12));
    decipher.setAuthTag(bulk.subarray(bulk.length - 16));
    const payload = Buffer.concat([
      decipher.update(bulk.subarray(0, bulk.length - 16)),
      decipher.final(),
    ]);
    expect(payload.toString('hex')).toBe(`00000000${b.update}`);
  });

  it('the envelope with a deflated bulk (0x04) is byte for byte the spec’s, and opens', async () => {
    const e = vectors.envelope;
    const b = vectors.bulkEnvelope;
    const d = vectors.deflatedBulkEnvelope;
    const vaultKey = asKey(hex(e.vaultKey), 'vault');
    // The bulk's plaintext: both lengths, the deflated payload, zeros to 4096 bytes.
    const deflated = hex(d.deflated);
    const framed = new Uint8Array(4096);
    new DataView(framed.buffer).setUint32(0, 4 + hex(d.update).length);
    new DataView(framed.buffer).setUint32(4, deflated.length);
    framed.set(deflated, 8);
    const bulk = {
      ...(await sealBulkWithKey(hex(b.bulkKey) as BulkKey, framed)),
      deflated: true,
    };
    expect(bytesToHex(bulk.ciphertext)).toBe(d.bulk);
    const sealed = sealEnvelope({
      kind: 'checkpoint',
      vaultId: e.vaultId,
      author: deviceIdentityFromSecret(hex(e.deviceSecret)),
      seq: d.seq,
      syncKey: syncKeyOf(vaultKey),
      bulk,
      prev: hex(d.prev),
      sealPayload: (key, payload, context) => sealWithNonce(key, payload, context, hex(b.nonce)),
    });
    expect(bytesToHex(sealed)).toBe(d.envelope);
    expect([sealed[4], sealed[5]]).toEqual([4, 2]);
    const opened = await openEnvelope(sealed, {
      vaultId: e.vaultId,
      syncKey: syncKeyOf(vaultKey),
      authorStatus: () => 'allowed',
    });
    expect([bytesToHex(opened.update), bytesToHex(opened.id)]).toEqual([d.update, d.id]);
    // A second reading: the key under the "sync-bulk-deflate" context, Node's AES-256-GCM and
    // Node's zlib.
    const body = sealed.subarray(0, sealed.length - 64);
    const context = associatedData(
      'sync-bulk-deflate',
      e.vaultId,
      e.deviceId,
      d.seq,
      2,
      hex(d.prev),
    );
    const bulkKey = open(
      asKey(nodeHkdf(hex(e.vaultKey), 'sync', 32), 'sync'),
      body.subarray(94, 184),
      context,
    );
    const ciphertext = body.subarray(184);
    const decipher = createDecipheriv('aes-256-gcm', bulkKey, Buffer.alloc(12));
    decipher.setAuthTag(ciphertext.subarray(ciphertext.length - 16));
    const plain = Buffer.concat([
      decipher.update(ciphertext.subarray(0, ciphertext.length - 16)),
      decipher.final(),
    ]);
    const deflatedLength = plain.readUInt32BE(4);
    const payload = inflateRawSync(plain.subarray(8, 8 + deflatedLength));
    expect(payload.length).toBe(plain.readUInt32BE(0));
    expect(payload.toString('hex')).toBe(`00000000${d.update}`);
  });

  it('invitation derivations and token', () => {
    const v = vectors.invite;
    const material = inviteMaterial(hex(v.secret));
    expect(material.id).toBe(v.id);
    expect(toBase64url(nodeHkdf(hex(v.secret), 'invite-id', 16))).toBe(v.id);
    expect(material.room).toBe(v.room);
    expect(material.password).toBe(v.password);
    expect(bytesToHex(material.key)).toBe(v.key);
    const token = parseInvite(v.token);
    expect(bytesToHex(token.secret)).toBe(v.secret);
    expect(token.vaultId).toBe(vectors.envelope.vaultId);
    expect(token.keyId).toEqual(keyIdOf(asKey(hex(vectors.envelope.vaultKey), 'vault')));
    expect(token.expiresAt).toBe(1_900_000_000_000);
  });
});
