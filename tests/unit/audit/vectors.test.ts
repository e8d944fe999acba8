/**
 * The audit record test vector of docs/crypto.md ("Audit records"): this implementation writes
 * it byte for byte, and the bytes are read a second time from the documented offsets alone,
 * with Node's own SHA-256 and Ed25519.
 */
import { createHash, createPublicKey, verify as nodeVerify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  auditEntryName,
  auditMemberRef,
  isRecordId,
  readAuditRecord,
  writeAuditRecord,
} from '../../../src/core/audit';
import { deviceIdentityFromSecret } from '../../../src/core/device';
import { vaultIdOf } from '../../../src/core/ids';

/** RFC 8032 section 7.1, test 1: the device's secret key. */
const deviceSecret = '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60';
const vector = {
  vault: 'AAECAwQFBgcICQoLDA0ODw', // bytes 00 01 .. 0f
  device: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo',
  seq: 2,
  prev: 'ERERERERERERERERERERERERERERERERERERERERERE', // 32 bytes of 0x11
  time: 1767225600000, // 2026-01-01T00:00:00Z
  member: 'alice',
  event: { action: 'entry-renamed', from: 'OLD_NAME', to: 'NEW_NAME' },
  id: 'y2LEDQ3w-voEBm9z1_MUO60Oq-gISS4LnvHWO1-3_2A',
  bytes:
    '434641550107000102030405060708090a0b0c0d0e0fd75a980182b10ab7d54bfed3c964073a0ee172f3daa6' +
    '2325af021a68f707511a000000000000000211111111111111111111111111111111111111111111111111' +
    '111111111111110000019b76daa80000000005616c696365000000084f4c445f4e414d45000000084e4557' +
    '5f4e414d45d4bc52de66b7bb5eb657e819ef7b64e6de9106983612b723daf16dd718eb02e4effd096cf1f1' +
    'f8df418d7b379a0c0584e5960faa5b930d920fe1db5470fef508',
} as const;
const bytes = Uint8Array.from(Buffer.from(vector.bytes, 'hex'));

describe('audit record vector', () => {
  it('this implementation writes it byte for byte, and reads it back', () => {
    const identity = deviceIdentityFromSecret(Buffer.from(deviceSecret, 'hex'));
    expect(identity.id).toBe(vector.device);
    expect(isRecordId(vector.prev)).toBe(true);
    const record = writeAuditRecord(
      identity,
      { seq: vector.seq - 1, id: vector.prev as never },
      {
        vault: vaultIdOf(Uint8Array.from({ length: 16 }, (_, i) => i)),
        member: auditMemberRef(vector.member),
        time: vector.time,
        event: {
          action: 'entry-renamed',
          from: auditEntryName(vector.event.from),
          to: auditEntryName(vector.event.to),
        },
      },
    );
    expect(Buffer.from(record.bytes).toString('hex')).toBe(vector.bytes);
    expect(record.id).toBe(vector.id);
    const read = readAuditRecord(bytes, vector.id);
    expect(read).toMatchObject({
      vault: vector.vault,
      device: vector.device,
      member: vector.member,
      seq: vector.seq,
      prev: vector.prev,
      time: vector.time,
      event: vector.event,
    });
  });

  it('reads again from the documented offsets, with Node crypto', () => {
    const b = Buffer.from(bytes);
    expect(b.subarray(0, 4).toString('latin1')).toBe('CFAU');
    expect(b[4]).toBe(0x01); // version
    expect(b[5]).toBe(7); // entry-renamed is the 7th action
    expect(b.subarray(6, 22).toString('base64url')).toBe(vector.vault);
    const author = b.subarray(22, 54);
    expect(author.toString('base64url')).toBe(vector.device);
    expect(Number(b.readBigUInt64BE(54))).toBe(vector.seq);
    expect(b.subarray(62, 94).toString('base64url')).toBe(vector.prev);
    expect(Number(b.readBigUInt64BE(94))).toBe(vector.time);
    // Length-prefixed fields: member, then the old and the new name.
    let at = 102;
    const field = () => {
      const length = b.readUInt32BE(at);
      const value = b.subarray(at + 4, at + 4 + length).toString('utf8');
      at += 4 + length;
      return value;
    };
    expect([field(), field(), field()]).toEqual(['alice', 'OLD_NAME', 'NEW_NAME']);
    expect(b.length - at).toBe(64);
    const id = createHash('sha256').update(b.subarray(0, at)).digest();
    expect(id.toString('base64url')).toBe(vector.id);
    const key = createPublicKey({
      key: { kty: 'OKP', crv: 'Ed25519', x: author.toString('base64url') },
      format: 'jwk',
    });
    const message = Buffer.concat([Buffer.from('coffer/v1/audit\0', 'latin1'), id]);
    expect(nodeVerify(null, message, key, b.subarray(at))).toBe(true);
  });
});
