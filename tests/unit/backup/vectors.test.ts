/**
 * The known-answer backup of tests/vectors/backup.json (docs/crypto.md, "Backups"), checked
 * step by step, each step also through an independent implementation where Node has one
 * (scrypt, HKDF, SHA-256, gzip), and the chunks opened with XChaCha20-Poly1305 directly, with
 * the associated data written out from the spec.
 */
import { createHash, hkdfSync, scryptSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { bytesToHex, hexToBytes } from '@noble/ciphers/utils.js';
import { describe, expect, it } from 'vitest';
import { openBackup } from '../../../src/core/backup';
import { encodeBackupHeader, sealChunks } from '../../../src/core/backup/format';
import { asKey, defaultKdfPolicy, inProcessKdf } from '../../../src/core/crypto';
import { sealWithNonce } from '../../../src/core/crypto/envelope';

const v = JSON.parse(readFileSync(new URL('../../vectors/backup.json', import.meta.url), 'utf8'));
const hex = (value: string) => hexToBytes(value);
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
const join = (...parts: Uint8Array[]) => new Uint8Array(parts.flatMap((part) => [...part]));
const text = (value: string) => new TextEncoder().encode(value);

describe('backup known answers (tests/vectors/backup.json)', () => {
  it('scrypt, HKDF and the key id, by Node own implementations', () => {
    const master = scryptSync(Buffer.from(v.passphrase.normalize('NFC')), hex(v.salt), 32, {
      N: 2 ** v.kdf.logN,
      r: v.kdf.r,
      p: v.kdf.p,
      maxmem: 256 * 2 ** 20,
    });
    expect(bytesToHex(master)).toBe(v.masterKey);
    const payloadKey = hkdfSync('sha256', master, new Uint8Array(), 'coffer/v1/backup-payload', 32);
    expect(bytesToHex(new Uint8Array(payloadKey))).toBe(v.payloadKey);
    const keyId = hkdfSync('sha256', hex(v.payloadKey), new Uint8Array(), 'coffer/v1/key-id', 16);
    expect(bytesToHex(new Uint8Array(keyId))).toBe(v.keyId);
  });

  it('the header, byte by byte, and its checksum', () => {
    const body = join(
      text('CFBK'),
      new Uint8Array([1, 1, v.kdf.logN, v.kdf.r, v.kdf.p]),
      hex(v.salt),
      hex(v.keyId),
      new Uint8Array([v.chunkLog, 1]),
    );
    const header = join(body, createHash('sha256').update(body).digest());
    expect(bytesToHex(header)).toBe(v.header);
    expect(
      bytesToHex(encodeBackupHeader(v.kdf, hex(v.salt), hex(v.keyId) as never, v.chunkLog)),
    ).toBe(v.header);
  });

  it('each chunk opens with XChaCha20-Poly1305 under the associated data the spec gives', () => {
    const key = hex(v.payloadKey);
    const size = 2 ** v.chunkLog;
    const opened: Uint8Array[] = [];
    v.chunks.forEach(
      (chunk: { sealed: string; last: boolean; associatedData: string }, i: number) => {
        const label = text('coffer/v1/backup-chunk');
        const header = hex(v.header);
        const ad = join(
          label,
          new Uint8Array([0]),
          u32(header.length),
          header,
          u32(8),
          u64(i),
          u32(8),
          u64(chunk.last ? 1 : 0),
        );
        expect(bytesToHex(ad)).toBe(chunk.associatedData);
        const sealed = hex(chunk.sealed);
        // The envelope: format 1, algorithm 1, key id, nonce, then ciphertext and tag; its
        // associated data is its own first 42 bytes followed by the context.
        expect(bytesToHex(sealed.subarray(2, 18))).toBe(v.keyId);
        const nonce = sealed.subarray(18, 42);
        const plain = xchacha20poly1305(key, nonce, join(sealed.subarray(0, 42), ad)).decrypt(
          sealed.subarray(42),
        );
        if (!chunk.last) expect(plain.length).toBe(size);
        opened.push(plain);
      },
    );
    expect(bytesToHex(join(...opened))).toBe(v.gzipStream);
    expect(bytesToHex(new Uint8Array(gunzipSync(hex(v.gzipStream))))).toBe(v.payload);
    expect(
      bytesToHex(join(hex(v.header), ...v.chunks.map((c: { sealed: string }) => hex(c.sealed)))),
    ).toBe(v.file);
  });

  it("Coffer's sealing, given the vector's nonces, writes the same file", () => {
    const key = asKey(hex(v.payloadKey), 'kek');
    let i = 0;
    const chunks = sealChunks(key, hex(v.header), v.chunkLog, hex(v.gzipStream), (k, plain, ad) =>
      sealWithNonce(k, plain, ad, hex(v.chunks[i++].nonce)),
    );
    expect(chunks.map((chunk) => bytesToHex(chunk))).toEqual(
      v.chunks.map((chunk: { sealed: string }) => chunk.sealed),
    );
  });

  it('opens with the passphrase under the default policy, to the manifest given', async () => {
    const contents = await openBackup(hex(v.file), v.passphrase, {
      kdf: inProcessKdf,
      policy: defaultKdfPolicy,
    });
    expect({
      v: 1,
      createdAt: contents.createdAt,
      scope: contents.scope,
      settings: contents.settings,
      vaults: contents.vaults.map(({ name, createdAt, nameStyle }) => ({
        name,
        createdAt,
        nameStyle,
      })),
    }).toEqual(v.manifest);
    const payload = hex(v.payload);
    const manifestLength = new DataView(payload.buffer).getUint32(0);
    const contentLength = new DataView(payload.buffer).getUint32(4 + manifestLength);
    expect(bytesToHex(contents.vaults[0]!.content)).toBe(
      bytesToHex(payload.subarray(8 + manifestLength, 8 + manifestLength + contentLength)),
    );
  });
});
