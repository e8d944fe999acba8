import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type Argon2Runner,
  DEFAULT_KDBX_KDF,
  type KdbxWriteEntry,
  readKdbx,
  runArgon2Inline,
  writeKdbx,
} from '../../../src/core/transfer/kdbx';
import type { ConnectionField, EntryInput, JsonValue } from '../../../src/core/vault';
import { kdbxweb, smallKdf, useNobleArgon2 } from './kdbx-fixtures';

const passphrase = 'a passphrase typed by the user ✓';
const kdf = { type: 'argon2id' as const, ...smallKdf };

const jsonValue: fc.Arbitrary<JsonValue> = fc
  .jsonValue({ maxDepth: 2 })
  .map((value) => JSON.parse(JSON.stringify(value)) as JsonValue);
const fieldText = fc.string({ unit: 'grapheme', maxLength: 20 });
const field: fc.Arbitrary<ConnectionField> = fc.record({
  value: fc.option(fieldText, { nil: null }),
  secret: fc.boolean(),
});
const input: fc.Arbitrary<EntryInput> = fc.oneof(
  jsonValue.map((value): EntryInput => ({ kind: 'item', value })),
  jsonValue.map((value): EntryInput => ({ kind: 'secret', value })),
  fc
    .record({
      type: fc.stringMatching(/^[a-z0-9-]{1,12}$/),
      fields: fc.dictionary(fc.stringMatching(/^[a-z_]{1,10}$/), field, { maxKeys: 4 }),
    })
    .map((value): EntryInput => ({ kind: 'connection', value })),
);
const entries = fc.uniqueArray(
  fc.record({ name: fc.stringMatching(/^[A-Za-z][A-Za-z0-9_.-]{0,12}$/), input }),
  { selector: (entry) => entry.name, maxLength: 6 },
);

describe('writeKdbx then readKdbx', () => {
  it('gives back the same entries, in order (property)', async () => {
    await fc.assert(
      fc.asyncProperty(entries, async (written: KdbxWriteEntry[]) => {
        const file = await writeKdbx(written, passphrase, { kdf });
        const parsed = await readKdbx(file, { password: passphrase });
        expect(parsed.records.map(({ name, input: read }) => ({ name, input: read }))).toEqual(
          written,
        );
        expect(parsed.warnings).toEqual([]);
      }),
      { numRuns: 25 },
    );
  });

  it("writes KeePassXC's defaults (KDBX 4, Argon2d 64 MiB, 2 lanes, AES-256) that kdbxweb opens", async () => {
    const progress: string[] = [];
    const file = await writeKdbx(
      [{ name: 'API_KEY', input: { kind: 'secret', value: 'sk-live-1' } }],
      passphrase,
      {
        databaseName: 'prod',
        onProgress: (phase, done, total) => progress.push(`${phase} ${done}/${total}`),
      },
    );
    expect(progress).toContain('deriving-key 100/100');
    expect(progress).toContain('writing 1/1');
    useNobleArgon2();
    const db = await kdbxweb.Kdbx.load(
      file.slice(0),
      new kdbxweb.Credentials(kdbxweb.ProtectedValue.fromString(passphrase)),
    );
    expect(db.header.versionMajor).toBe(4);
    const params = db.header.kdfParameters!;
    expect(kdbxweb.ByteUtils.bytesToBase64(params.get('$UUID') as ArrayBuffer)).toBe(
      kdbxweb.Consts.KdfId.Argon2d,
    );
    expect((params.get('M') as kdbxweb.Int64).value).toBe(DEFAULT_KDBX_KDF.memoryKib * 1024);
    expect(DEFAULT_KDBX_KDF.memoryKib).toBe(65536);
    expect(params.get('P')).toBe(2);
    expect((params.get('I') as kdbxweb.Int64).value).toBe(3);
    expect(db.header.dataCipherUuid!.toString()).toBe(kdbxweb.Consts.CipherId.Aes);
    expect(db.meta.name).toBe('prod');
    const [entry] = [...db.getDefaultGroup().allEntries()];
    expect(entry!.fields.get('Title')).toBe('API_KEY');
    expect((entry!.fields.get('Password') as kdbxweb.ProtectedValue).getText()).toBe('sk-live-1');
    expect(entry!.fields.get('coffer.kind')).toBe('secret');
    expect(entry!.fields.get('coffer.value')).toBeInstanceOf(kdbxweb.ProtectedValue);
  });

  it('derives through the runner it is given, and refuses an empty passphrase', async () => {
    const calls: string[] = [];
    const argon2: Argon2Runner = (request, onProgress, signal) => {
      calls.push(
        `${request.type} ${request.memoryKib} ${request.iterations} ${request.parallelism}`,
      );
      return runArgon2Inline(request, onProgress, signal);
    };
    const file = await writeKdbx([], passphrase, { kdf, argon2 });
    await readKdbx(file, { password: passphrase }, { argon2 });
    expect(calls).toEqual(['argon2id 64 1 1', 'argon2id 64 1 1']);
    await expect(writeKdbx([], '', { kdf })).rejects.toMatchObject({ code: 'invalid-passphrase' });
  });
});
