import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ImportFormatError } from '../../../src/core/transfer/errors';
import { KdbxError, readKdbx } from '../../../src/core/transfer/kdbx';
import type { ImportPhase } from '../../../src/core/transfer/types';
import { expectNoLeak } from '../vault/support';
import { addEntry, fixturePassword, kdbxweb, keePassXcKdf, makeKdbx } from './kdbx-fixtures';

const canary = 'CANARY-kdbx-7d1c';

/** A database as KeePassXC users have them: groups, a bin, an attachment, history. */
async function keePassDatabase(options: Parameters<typeof makeKdbx>[0] = {}) {
  return makeKdbx({
    ...options,
    async fill(db, lib) {
      const root = db.getDefaultGroup();
      addEntry(db, root, {
        Title: 'gmail',
        UserName: 'me@example.com',
        Password: { protected: canary },
        URL: 'https://mail.google.com',
        Notes: 'two-factor on',
        'Recovery code': { protected: 'rc-1234' },
        Plain: 'visible',
      });
      const work = db.createGroup(root, 'Work');
      const ops = db.createGroup(work, 'Ops');
      const deploy = addEntry(db, ops, {
        Title: 'deploy',
        UserName: '',
        Password: { protected: '' },
      });
      deploy.pushHistory();
      deploy.fields.set('Password', lib.ProtectedValue.fromString('new'));
      const withFile = addEntry(db, work, { Title: 'vpn', Password: { protected: 'p' } });
      const binary = await db.createBinary(lib.ProtectedValue.fromString('attachment bytes'));
      withFile.binaries.set('config.ovpn', binary);
      const trashed = addEntry(db, root, { Title: 'old', Password: { protected: 'gone' } });
      db.remove(trashed);
    },
  });
}

async function failure(promise: Promise<unknown>): Promise<KdbxError> {
  const error = await promise.then(
    () => {
      throw new Error('expected readKdbx to fail');
    },
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(KdbxError);
  expect((error as KdbxError).code).toBe('kdbx-failed');
  return error as KdbxError;
}

describe('readKdbx: files as KeePassXC makes them', () => {
  it("reads KeePassXC's defaults (KDBX 4, Argon2d 64 MiB, 2 lanes) with key-derivation progress", async () => {
    const file = await keePassDatabase({ argon2: keePassXcKdf });
    const phases: [ImportPhase, number, number][] = [];
    const parsed = await readKdbx(
      file,
      { password: fixturePassword },
      { onProgress: (phase, done, total) => phases.push([phase, done, total]) },
    );
    expect(parsed.format).toBe('kdbx');
    expect(parsed.records.map((record) => record.name)).toEqual([
      'gmail',
      'Work.vpn',
      'Work.Ops.deploy',
    ]);
    expect(parsed.records[0]).toEqual({
      name: 'gmail',
      from: { record: 1 },
      input: {
        kind: 'connection',
        value: {
          type: 'basic-auth',
          fields: {
            username: { value: 'me@example.com', secret: false },
            password: { value: canary, secret: true },
            url: { value: 'https://mail.google.com', secret: false },
            notes: { value: 'two-factor on', secret: false },
            'Recovery code': { value: 'rc-1234', secret: true },
            Plain: { value: 'visible', secret: false },
          },
        },
      },
    });
    // Empty user and password: waiting for credentials; the current value, not the history.
    expect(parsed.records[2]!.input).toEqual({
      kind: 'connection',
      value: {
        type: 'basic-auth',
        fields: {
          username: { value: null, secret: false },
          password: { value: 'new', secret: true },
        },
      },
    });
    expect(parsed.records[2]!.from).toEqual({ record: 3, path: 'Work/Ops' });
    const messages = parsed.warnings.map((warning) => warning.message).join('\n');
    expect(messages).toMatch(/an attachment was left out/);
    expect(messages).toMatch(/1 entry in the Recycle Bin was left out/);
    expect(messages).toMatch(/history of 1 entry was left out/);
    expect(parsed.warnings.find((w) => /attachment/.test(w.message))!.from).toEqual({
      record: 2,
      path: 'Work',
    });
    const derivation = phases.filter(([phase]) => phase === 'deriving-key');
    expect(derivation.length).toBeGreaterThan(2);
    expect(derivation.at(-1)).toEqual(['deriving-key', 100, 100]);
    expect(phases.at(-1)).toEqual(['reading', 1, 1]);
  });

  it('reads KDBX 3.1 with AES-KDF', async () => {
    const file = await keePassDatabase({ version: 3, aesRounds: 6000 });
    expect(new DataView(file).getUint16(10, true)).toBe(3);
    const parsed = await readKdbx(file, { password: fixturePassword });
    expect(parsed.records.map((record) => record.name)).toEqual([
      'gmail',
      'Work.vpn',
      'Work.Ops.deploy',
    ]);
  });

  it('reads KDBX 4 with Argon2id, with AES-KDF, and with the ChaCha20 cipher', async () => {
    for (const options of [
      { kdf: 'argon2id' as const },
      { kdf: 'aes' as const },
      { cipher: 'chacha20' as const },
    ]) {
      const parsed = await readKdbx(await keePassDatabase(options), { password: fixturePassword });
      expect(parsed.records).toHaveLength(3);
    }
  });

  it('opens with a key file, alone or with a password', async () => {
    const keyFile = await kdbxweb.Credentials.createRandomKeyFile(2);
    const keyBytes = keyFile.buffer.slice(
      keyFile.byteOffset,
      keyFile.byteOffset + keyFile.byteLength,
    ) as ArrayBuffer;
    const both = await keePassDatabase({ keyFile: keyBytes });
    expect(
      (await readKdbx(both, { password: fixturePassword, keyFile: keyBytes })).records,
    ).toHaveLength(3);
    expect((await failure(readKdbx(both, { password: fixturePassword }))).reason).toBe('wrong-key');
    const other = await kdbxweb.Credentials.createRandomKeyFile(2);
    const wrong = other.buffer.slice(
      other.byteOffset,
      other.byteOffset + other.byteLength,
    ) as ArrayBuffer;
    expect(
      (await failure(readKdbx(both, { password: fixturePassword, keyFile: wrong }))).reason,
    ).toBe('wrong-key');
  });

  it("leaves the caller's bytes as they were", async () => {
    const file = await keePassDatabase();
    const before = new Uint8Array(file).slice();
    await readKdbx(file, { password: fixturePassword });
    expect(new Uint8Array(file)).toEqual(before);
  });
});

describe('readKdbx: bad keys and bad files', () => {
  it('says wrong-key for a wrong password, in KDBX 4 and 3.1, without the password', async () => {
    for (const version of [4, 3] as const) {
      const file = await keePassDatabase({ version });
      const error = await failure(readKdbx(file, { password: `${canary}-wrong` }));
      expect(error.reason).toBe('wrong-key');
      expect(error.message).toMatch(/password or key file/);
      expectNoLeak(error, canary);
    }
  });

  it('says damaged for a KDBX 4 file cut short anywhere', async () => {
    const file = await keePassDatabase();
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: file.byteLength - 1 }), async (length) => {
        const error = await failure(readKdbx(file.slice(0, length), { password: fixturePassword }));
        expect(error.reason).toBe('damaged');
      }),
      { numRuns: 60 },
    );
  });

  it('says damaged for a KDBX 4 file cut anywhere in its outer header (not unsupported)', async () => {
    const file = await keePassDatabase();
    // The header, its hash and its HMAC end before byte 400: a cut there never reads as a wrong key.
    for (let cut = 12; cut < 400; cut++) {
      const error = await failure(readKdbx(file.slice(0, cut), { password: fixturePassword }));
      expect(error.reason, `cut at ${cut}`).toBe('damaged');
    }
  });

  it('says damaged for a KDBX 3.1 file cut short in its payload', async () => {
    const file = await keePassDatabase({ version: 3 });
    for (const cut of [1, 7, 100]) {
      const error = await failure(
        readKdbx(file.slice(0, file.byteLength - cut), { password: fixturePassword }),
      );
      expect(error.reason).toBe('damaged');
    }
  });

  it('says damaged for a changed byte after the header (KDBX 4 HMAC blocks)', async () => {
    const file = await keePassDatabase();
    const bytes = new Uint8Array(file.slice(0));
    bytes[bytes.length - 40]! ^= 0x01;
    expect((await failure(readKdbx(bytes.buffer, { password: fixturePassword }))).reason).toBe(
      'damaged',
    );
  });

  it('says damaged for binary junk, even junk that starts like KeePass', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 2048 }), fc.boolean(), async (junk, magic) => {
        const bytes = new Uint8Array(junk.length + (magic ? 12 : 0));
        if (magic) new DataView(bytes.buffer).setUint32(0, 0x9aa2d903, true);
        if (magic) new DataView(bytes.buffer).setUint32(4, 0xb54bfb67, true);
        if (magic) new DataView(bytes.buffer).setUint16(10, 4, true);
        bytes.set(junk, magic ? 12 : 0);
        const error = await failure(readKdbx(bytes.buffer, { password: fixturePassword }));
        expect(['damaged', 'unsupported']).toContain(error.reason);
        if (!magic) expect(error.reason).toBe('damaged');
      }),
      { numRuns: 60 },
    );
  });

  it('says unsupported for KeePass 1.x and for a KDBX newer than 4', async () => {
    const old = new Uint8Array(124);
    new DataView(old.buffer).setUint32(0, 0x9aa2d903, true);
    new DataView(old.buffer).setUint32(4, 0xb54bfb65, true);
    expect((await failure(readKdbx(old.buffer, { password: 'x' }))).message).toMatch(/1\.x/);
    const file = new Uint8Array((await keePassDatabase()).slice(0));
    new DataView(file.buffer).setUint16(10, 5, true);
    const error = await failure(readKdbx(file.buffer, { password: fixturePassword }));
    expect(error.reason).toBe('unsupported');
  });

  it('refuses an Argon2 memory over 1 GiB before deriving', async () => {
    // Writing such a file would take 2 GiB: patch a small one's header (and its hash) instead.
    const small = new Uint8Array((await makeKdbx()).slice(0));
    const patched = await patchArgon2Memory(small, 2 * 1024 * 1024 * 1024);
    const error = await failure(
      readKdbx(patched.buffer as ArrayBuffer, { password: fixturePassword }),
    );
    expect(error.reason).toBe('unsupported');
    expect(error.message).toMatch(/2048 MiB/);
  });

  it('stops with cancelled when the signal fires', async () => {
    const file = await keePassDatabase({
      argon2: { memoryKib: 16 * 1024, parallelism: 1, iterations: 4 },
    });
    const controller = new AbortController();
    const promise = readKdbx(
      file,
      { password: fixturePassword },
      {
        signal: controller.signal,
        onProgress: (phase, done) => phase === 'deriving-key' && done > 5 && controller.abort(),
      },
    );
    expect((await failure(promise)).reason).toBe('cancelled');
    const aborted = new AbortController();
    aborted.abort();
    expect(
      (await failure(readKdbx(file, { password: fixturePassword }, { signal: aborted.signal })))
        .reason,
    ).toBe('cancelled');
  });

  it('says which record holds a Coffer entry that is not valid', async () => {
    const file = await makeKdbx({
      fill(db) {
        const root = db.getDefaultGroup();
        addEntry(db, root, {
          Title: 'ok',
          'coffer.kind': 'item',
          'coffer.value': { protected: '1' },
        });
        addEntry(db, root, {
          Title: 'bad',
          'coffer.kind': 'item',
          'coffer.value': { protected: `{${canary}` },
        });
      },
    });
    const error = await readKdbx(file, { password: fixturePassword }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(ImportFormatError);
    expect((error as ImportFormatError).from).toEqual({ record: 2 });
    expectNoLeak(error, canary);
  });
});

/**
 * Rewrites the `M` (memory) value in a KDBX 4 header's KDF parameters, in place, and the
 * header's SHA-256 after it, so that only the (keyed) header HMAC no longer matches.
 */
async function patchArgon2Memory(bytes: Uint8Array, memory: number): Promise<Uint8Array> {
  const view = new DataView(bytes.buffer, bytes.byteOffset);
  // KDBX 4 header fields: uint8 id, uint32 length, data; id 0 ends it.
  let end = 12;
  for (;;) {
    const id = view.getUint8(end);
    end += 5 + view.getUint32(end + 1, true);
    if (id === 0) break;
  }
  // VarDictionary item: type 0x05 (UInt64), key length 1, key "M", value length 8, value.
  for (let i = 12; i < bytes.length - 14; i++) {
    if (bytes[i] === 0x05 && bytes[i + 1] === 1 && bytes[i + 5] === 0x4d && bytes[i + 6] === 8) {
      view.setUint32(i + 10, memory % 2 ** 32, true);
      view.setUint32(i + 14, Math.floor(memory / 2 ** 32), true);
      const hash = await crypto.subtle.digest('SHA-256', bytes.slice(0, end));
      bytes.set(new Uint8Array(hash), end);
      return bytes;
    }
  }
  throw new Error('no M parameter found');
}
