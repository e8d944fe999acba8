/**
 * What is inside a backup: no plaintext in the file (in any spelling, nor the compressed
 * stream's bytes), and a payload reader that accepts only what the writer makes.
 */

import { beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  type BackupContents,
  BackupInvalidError,
  BackupUnsupportedError,
  collectBackup,
  sealBackup,
} from '../../../src/core/backup';
import { gunzip, gzip } from '../../../src/core/backup/compress';
import { decodePayload, encodePayload } from '../../../src/core/backup/payload';
import { concat, u32be, utf8 } from '../../../src/core/crypto';
import { testCoffer } from '../../support/coffer';
import { backupPassphrase, canaries, fileOptions, fillProfile } from './support';

let contents: BackupContents;
let file: Uint8Array;

beforeAll(async () => {
  const { coffer } = testCoffer();
  const session = await coffer.createProfile('pw');
  await fillProfile(session);
  contents = (await collectBackup(session)).contents;
  file = await sealBackup(contents, backupPassphrase, fileOptions);
});

const contains = (haystack: Uint8Array, needle: Uint8Array): boolean =>
  Buffer.from(haystack).indexOf(Buffer.from(needle)) !== -1;

function spellings(text: string): Uint8Array[] {
  return [
    utf8(text),
    Buffer.from(text, 'utf16le'),
    utf8(Buffer.from(text).toString('base64').slice(0, 12)),
    utf8(Buffer.from(text).toString('hex')),
    utf8(JSON.stringify(text)),
  ];
}

describe('the backup file holds no plaintext', () => {
  it('the payload does hold every canary (so the scan below looks for real things)', () => {
    const payload = encodePayload(contents);
    for (const canary of Object.values(canaries))
      expect(contains(payload, utf8(canary))).toBe(true);
  });

  it('no canary in any spelling, nor any 16-byte run of the payload or its gzip stream', async () => {
    for (const canary of Object.values(canaries)) {
      for (const spelling of spellings(canary))
        expect(contains(file, spelling), canary).toBe(false);
    }
    for (const stream of [encodePayload(contents), await gzip(encodePayload(contents))]) {
      for (let at = 0; at + 16 <= stream.length; at += 8) {
        expect(contains(file, stream.subarray(at, at + 16)), `offset ${at}`).toBe(false);
      }
    }
    // Nor the passphrase.
    expect(contains(file, utf8(backupPassphrase))).toBe(false);
  });
});

describe('the payload reader', () => {
  const manifest = (value: unknown) => {
    const bytes = utf8(JSON.stringify(value));
    return concat(u32be(bytes.length), bytes);
  };
  const valid = { v: 1, createdAt: 1, scope: 'vault', settings: null, vaults: [] };

  it('reads back what the writer wrote', () => {
    const decoded = decodePayload(encodePayload(contents));
    expect(decoded).toEqual(contents);
  });

  it('refuses a newer payload version as unsupported', () => {
    expect(() => decodePayload(manifest({ ...valid, v: 2 }))).toThrow(BackupUnsupportedError);
  });

  it.each([
    ['not JSON', concat(u32be(3), utf8('{{{'))],
    ['no version', manifest({ ...valid, v: undefined })],
    ['a bad scope', manifest({ ...valid, scope: 'all' })],
    ['settings not an object', manifest({ ...valid, settings: [1] })],
    [
      'a vault without its content',
      manifest({ ...valid, vaults: [{ name: 'a', createdAt: 1, nameStyle: 'default' }] }),
    ],
    [
      'a bad name style',
      manifest({ ...valid, vaults: [{ name: 'a', createdAt: 1, nameStyle: 'x' }] }),
    ],
    ['trailing bytes', concat(manifest(valid), new Uint8Array([0]))],
    ['a length past the end', u32be(1000)],
    ['nothing', new Uint8Array()],
  ])('refuses %s', (_what, payload) => {
    const error = (() => {
      try {
        decodePayload(payload);
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(BackupInvalidError);
    expect((error as BackupInvalidError).reason).toBe('payload');
  });

  it('refuses a vault document with roots other than content maps, or not a Yjs update', () => {
    const doc = new Y.Doc();
    doc.getMap('entries').set('a', 1);
    doc.getMap('members').set('device', 'x');
    const withMembers = Y.encodeStateAsUpdate(doc);
    const vault = { name: 'a', createdAt: 1, nameStyle: 'default' };
    for (const content of [withMembers, new Uint8Array([1, 2, 3, 4, 5])]) {
      const payload = concat(
        manifest({ ...valid, vaults: [vault] }),
        u32be(content.length),
        content,
      );
      expect(() => decodePayload(payload)).toThrow(BackupInvalidError);
    }
  });

  it('refuses to inflate past its bound, and refuses what is not gzip', async () => {
    const big = await gzip(new Uint8Array(1 << 20));
    await expect(gunzip(big, 1000)).rejects.toMatchObject({ reason: 'too-large' });
    await expect(gunzip(new Uint8Array([1, 2, 3]), 1000)).rejects.toMatchObject({
      reason: 'compression',
    });
    expect(await gunzip(big, 1 << 20)).toHaveLength(1 << 20);
  });
});
