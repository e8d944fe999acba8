/**
 * The recovery kit's known-answer vectors (tests/vectors/recovery.json, written by
 * make-vectors.ts), checked against this implementation and read a second time from
 * docs/crypto.md ("Recovery kit") alone: Node's HKDF and SHA-256, noble's XChaCha20-Poly1305
 * called directly with the header and context written out, the check symbols by hand.
 */
import { createHash, hkdfSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { describe, expect, it } from 'vitest';
import { asKey, type ProfileId } from '../../../src/core/crypto';
import {
  deriveRecoveryKey,
  formatRecoveryCode,
  openRecoveryRecord,
  parseRecoveryCode,
  type RecoveryCodeBytes,
} from '../../../src/core/recovery';

const vectors = JSON.parse(
  readFileSync(new URL('../../vectors/recovery.json', import.meta.url), 'utf8'),
) as {
  code: {
    bytes: string;
    groups: number[];
    checks: { group: number; data: string; check: string }[];
    text: string;
    typed: string[];
  };
  recoveryKey: { codeBytes: string; profileId: string; info: string; key: string; keyId: string };
  record: {
    codeBytes: string;
    profileId: string;
    profileKey: string;
    createdAt: number;
    header: string;
    keyNonce: string;
    keyContext: string;
    infoNonce: string;
    infoContext: string;
    record: string;
  };
};

const bytes = (hex: string) => new Uint8Array(Buffer.from(hex, 'hex'));
const hex = (data: Uint8Array) => Buffer.from(data).toString('hex');
const u32 = (n: number) => {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(n);
  return out;
};
/** `context(label, f...)` as docs/crypto.md, "Associated data", writes it. */
const context = (label: string, ...fields: Uint8Array[]) =>
  new Uint8Array(
    Buffer.concat([
      Buffer.from(`coffer/v1/${label}`),
      Buffer.from([0]),
      ...fields.flatMap((f) => [u32(f.length), Buffer.from(f)]),
    ]),
  );
const nodeHkdf = (ikm: Uint8Array, salt: Uint8Array, info: string, length: number) =>
  new Uint8Array(hkdfSync('sha256', ikm, salt, Buffer.from(info), length));

describe('recovery vectors: this implementation', () => {
  it('writes and reads the code', () => {
    expect(formatRecoveryCode(bytes(vectors.code.bytes))).toBe(vectors.code.text);
    for (const typed of [vectors.code.text, ...vectors.code.typed]) {
      expect(hex(parseRecoveryCode(typed))).toBe(vectors.code.bytes);
    }
  });

  it('derives the recovery key and opens the record to the profile key', () => {
    const code = bytes(vectors.recoveryKey.codeBytes) as RecoveryCodeBytes;
    const key = deriveRecoveryKey(code, bytes(vectors.recoveryKey.profileId) as ProfileId);
    expect(hex(key)).toBe(vectors.recoveryKey.key);
    const opened = openRecoveryRecord(bytes(vectors.record.record), code);
    expect(hex(opened.profileKey)).toBe(vectors.record.profileKey);
    expect(hex(opened.profileId)).toBe(vectors.record.profileId);
    expect(opened.createdAt).toBe(vectors.record.createdAt);
  });
});

describe('recovery vectors: read again from docs/crypto.md alone', () => {
  const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ*~$=U';

  it('the code: Crockford base32 of the bytes, in groups, each with its mod-37 check', () => {
    // Base32 by hand: 5 bits at a time, most significant first, padded with zero bits.
    let bits = '';
    for (const byte of bytes(vectors.code.bytes)) bits += byte.toString(2).padStart(8, '0');
    bits = bits.padEnd(130, '0');
    let data = '';
    for (let i = 0; i < 130; i += 5) data += alphabet[Number.parseInt(bits.slice(i, i + 5), 2)];
    let at = 0;
    const groups = vectors.code.groups.map((size, index) => {
      const part = data.slice(at, at + size);
      at += size;
      // (g * 32^n + value) mod 37, with BigInt so no step is rounded.
      let value = BigInt(index + 1);
      for (const symbol of part) value = value * 32n + BigInt(alphabet.indexOf(symbol));
      return part + alphabet[Number(value % 37n)];
    });
    expect(groups.join('-')).toBe(vectors.code.text);
  });

  it('the record, byte by byte', () => {
    const v = vectors.record;
    const code = bytes(v.codeBytes);
    const profileId = bytes(v.profileId);
    const recoveryKey = nodeHkdf(code, profileId, 'coffer/v1/recovery', 32);
    expect(hex(recoveryKey)).toBe(vectors.recoveryKey.key);
    const keyId = nodeHkdf(recoveryKey, new Uint8Array(), 'coffer/v1/key-id', 16);
    expect(hex(keyId)).toBe(vectors.recoveryKey.keyId);
    const header = Buffer.concat([Buffer.from('CFRC'), Buffer.from([1]), profileId, keyId]);
    expect(hex(header)).toBe(v.header);
    expect(hex(context('recovery-key', header))).toBe(v.keyContext);
    expect(hex(context('recovery-info', header))).toBe(v.infoContext);

    const record = bytes(v.record);
    expect(record.length).toBe(225);
    expect(hex(record.subarray(0, 37))).toBe(v.header);
    expect(hex(record.subarray(193))).toBe(
      createHash('sha256').update(record.subarray(0, 193)).digest('hex'),
    );
    const envelopeOf = (at: number, length: number) => record.subarray(at, at + length);
    const wrapped = envelopeOf(37, 90);
    expect([wrapped[0], wrapped[1]]).toEqual([1, 1]);
    expect(hex(wrapped.subarray(2, 18))).toBe(hex(keyId));
    expect(hex(wrapped.subarray(18, 42))).toBe(v.keyNonce);
    const profileKey = xchacha20poly1305(
      recoveryKey,
      wrapped.subarray(18, 42),
      Buffer.concat([wrapped.subarray(0, 42), bytes(v.keyContext)]),
    ).decrypt(wrapped.subarray(42));
    expect(hex(profileKey)).toBe(v.profileKey);

    const info = envelopeOf(127, 66);
    const profileKeyId = nodeHkdf(profileKey, new Uint8Array(), 'coffer/v1/key-id', 16);
    expect(hex(info.subarray(2, 18))).toBe(hex(profileKeyId));
    expect(hex(info.subarray(18, 42))).toBe(v.infoNonce);
    const createdAt = xchacha20poly1305(
      profileKey,
      info.subarray(18, 42),
      Buffer.concat([info.subarray(0, 42), bytes(v.infoContext)]),
    ).decrypt(info.subarray(42));
    expect(Buffer.from(createdAt).readBigUInt64BE()).toBe(BigInt(v.createdAt));
    // The profile key is an ordinary profile key: it seals with the usual key id.
    expect(hex(asKey(profileKey, 'profile'))).toBe(v.profileKey);
  });
});
