/**
 * A backup file is hostile input: damaged, truncated, reordered or appended-to files, made-up
 * headers and a wrong passphrase each get their own error, and nothing is derived from
 * implausible parameters nor written from a bad file.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type BackupContents,
  BackupInvalidError,
  BackupUnsupportedError,
  BackupWrongPassphraseError,
  backupHeaderLength,
  collectBackup,
  openBackup,
  openUnlockedBackup,
  restoreBackup,
  sealBackup,
  unlockBackup,
} from '../../../src/core/backup';
import { envelopeOverhead, scryptFloor } from '../../../src/core/crypto';
import { testCoffer } from '../../support/coffer';
import { backupPassphrase, countingKdf, dumpDatabase, fileOptions, fillProfile } from './support';

let contents: BackupContents;
/** Small chunks, so there are many to drop, swap and append. */
let file: Uint8Array;
const chunkLog = 8;
const sealedChunk = 2 ** chunkLog + envelopeOverhead;

beforeAll(async () => {
  const { coffer } = testCoffer();
  const session = await coffer.createProfile('pw');
  await fillProfile(session);
  contents = (await collectBackup(session)).contents;
  file = await sealBackup(contents, backupPassphrase, { ...fileOptions, chunkLog });
});

const flip = (bytes: Uint8Array, at: number, mask = 0x01) => {
  const copy = bytes.slice();
  copy[at] = copy[at]! ^ mask;
  return copy;
};

/** The header with new bytes at `at`, and a checksum that matches again (a forger's header). */
function forgeHeader(bytes: Uint8Array, at: number, values: number[]): Uint8Array {
  const copy = bytes.slice();
  copy.set(values, at);
  copy.set(sha256(copy.subarray(0, backupHeaderLength - 32)), backupHeaderLength - 32);
  return copy;
}

async function reason(promise: Promise<unknown>): Promise<unknown> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (error instanceof BackupInvalidError) return error.reason;
  return error;
}

describe('opening a backup file', () => {
  it('has many chunks to tamper with', () => {
    expect((file.length - backupHeaderLength) / sealedChunk).toBeGreaterThan(3);
  });

  it('refuses a wrong passphrase as such, after one derivation', async () => {
    const counted = countingKdf();
    const error = await openBackup(file, 'not the passphrase', {
      ...fileOptions,
      kdf: counted.kdf,
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(BackupWrongPassphraseError);
    expect((error as Error).message).not.toContain('not the passphrase');
    expect(counted.calls()).toBe(1);
  });

  it('refuses any flipped header byte before deriving (a newer version as unsupported)', async () => {
    for (let at = 0; at < backupHeaderLength; at++) {
      const counted = countingKdf();
      const error = await openBackup(flip(file, at), backupPassphrase, {
        ...fileOptions,
        kdf: counted.kdf,
      }).catch((caught: unknown) => caught);
      if (at === 4) {
        expect(error, `byte ${at}`).toBeInstanceOf(BackupUnsupportedError);
      } else {
        expect(error, `byte ${at}`).toBeInstanceOf(BackupInvalidError);
        expect(['magic', 'header-checksum'], `byte ${at}`).toContain(
          (error as BackupInvalidError).reason,
        );
      }
      expect(counted.calls(), `byte ${at}`).toBe(0);
    }
  });

  it('refuses a flipped byte anywhere in the chunks (a sample, every bit position)', async () => {
    const unlocked = await unlockBackup(file, backupPassphrase, fileOptions);
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: backupHeaderLength, max: file.length - 1 }),
        fc.integer({ min: 0, max: 7 }),
        async (at, bit) => {
          const error = await openUnlockedBackup(flip(file, at, 1 << bit), unlocked).catch(
            (caught: unknown) => caught,
          );
          expect(error).toBeInstanceOf(BackupInvalidError);
          expect((error as BackupInvalidError).reason).toBe('chunk');
          expect((error as BackupInvalidError).chunk).toBe(
            Math.floor((at - backupHeaderLength) / sealedChunk),
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it('refuses a file cut short, anywhere, and one whose last chunks are dropped', async () => {
    const unlocked = await unlockBackup(file, backupPassphrase, fileOptions);
    const body = file.length - backupHeaderLength;
    const cuts = [1, 17, envelopeOverhead, sealedChunk, sealedChunk + 1, 2 * sealedChunk];
    for (const cut of cuts.filter((n) => n < body)) {
      const short = file.subarray(0, file.length - cut);
      expect(await reason(openUnlockedBackup(short, unlocked)), `cut ${cut}`).toMatch(
        /^(chunk|length)$/,
      );
    }
    // Whole chunks dropped from the end: every remaining chunk is intact, the last flag is not.
    const whole = file.subarray(0, backupHeaderLength + 2 * sealedChunk);
    expect(await reason(openUnlockedBackup(whole, unlocked))).toBe('chunk');
    expect(await reason(openBackup(file.subarray(0, 40), backupPassphrase, fileOptions))).toBe(
      'length',
    );
    expect(await reason(openBackup(new Uint8Array(), backupPassphrase, fileOptions))).toBe(
      'length',
    );
  });

  it('refuses bytes appended: one, a chunk of junk, a copy of the last chunk', async () => {
    const unlocked = await unlockBackup(file, backupPassphrase, fileOptions);
    const lastStart =
      backupHeaderLength +
      Math.floor((file.length - backupHeaderLength - 1) / sealedChunk) * sealedChunk;
    const endings = [
      new Uint8Array([0]),
      new Uint8Array(sealedChunk).fill(0xaa),
      file.slice(lastStart),
    ];
    for (const ending of endings) {
      const longer = new Uint8Array(file.length + ending.length);
      longer.set(file);
      longer.set(ending, file.length);
      expect(await reason(openUnlockedBackup(longer, unlocked))).toMatch(/^(chunk|length)$/);
    }
  });

  it('refuses chunks swapped', async () => {
    const unlocked = await unlockBackup(file, backupPassphrase, fileOptions);
    const swapped = file.slice();
    const a = backupHeaderLength;
    const b = backupHeaderLength + sealedChunk;
    swapped.set(file.subarray(b, b + sealedChunk), a);
    swapped.set(file.subarray(a, a + sealedChunk), b);
    expect(await reason(openUnlockedBackup(swapped, unlocked))).toBe('chunk');
  });

  it('refuses huge or below-floor KDF parameters before deriving, even with a good checksum', async () => {
    const cases: [number[], string][] = [
      [[30, 8, 1], 'implausible-kdf'],
      [[20, 32, 1], 'implausible-kdf'],
      [[17, 8, 255], 'implausible-kdf'],
      [[0, 8, 1], 'implausible-kdf'],
      [[9, 8, 1], 'kdf-below-floor'],
    ];
    for (const [params, expected] of cases) {
      const counted = countingKdf();
      const forged = forgeHeader(file, 6, params);
      expect(
        await reason(openBackup(forged, backupPassphrase, { ...fileOptions, kdf: counted.kdf })),
        params.join(','),
      ).toBe(expected);
      expect(counted.calls()).toBe(0);
    }
    // The default policy's floor is scrypt's real one: a fast test file is refused by it.
    const counted = countingKdf();
    expect(
      await reason(
        openBackup(file, backupPassphrase, {
          kdf: counted.kdf,
          policy: { floor: scryptFloor, target: scryptFloor },
        }),
      ),
    ).toBe('kdf-below-floor');
    expect(counted.calls()).toBe(0);
  });

  it('refuses a newer version, KDF or compression as unsupported', async () => {
    const newer = file.slice();
    newer[4] = 2;
    expect(await openBackup(newer, backupPassphrase, fileOptions).catch((e) => e)).toMatchObject({
      code: 'backup-unsupported',
      field: 'version',
    });
    expect(
      await openBackup(forgeHeader(file, 5, [2]), backupPassphrase, fileOptions).catch((e) => e),
    ).toMatchObject({ code: 'backup-unsupported', field: 'kdf' });
    expect(
      await openBackup(forgeHeader(file, 58, [7]), backupPassphrase, fileOptions).catch((e) => e),
    ).toMatchObject({ code: 'backup-unsupported', field: 'compression' });
    expect(
      await reason(openBackup(forgeHeader(file, 57, [40]), backupPassphrase, fileOptions)),
    ).toBe('chunk-size');
  });

  it('writes nothing into a profile from a damaged file or with a wrong passphrase', async () => {
    const { coffer, db } = testCoffer();
    const session = await coffer.createProfile('pw');
    const mine = await session.createVault('mine');
    await session.withVault({ id: mine.id }, (vault) => vault.set('KEY', 'kept'));
    const before = await dumpDatabase(db);
    const attempts = [
      () => openBackup(file, 'wrong', fileOptions),
      () => openBackup(flip(file, file.length - 5), backupPassphrase, fileOptions),
      () => openBackup(file.subarray(0, file.length - 1), backupPassphrase, fileOptions),
    ];
    for (const attempt of attempts) {
      // The app's order: open the whole file first, restore only what opened.
      await expect(attempt().then((opened) => restoreBackup(session, opened))).rejects.toThrow();
    }
    expect(await dumpDatabase(db)).toBe(before);
    expect(await session.withVault({ id: mine.id }, (vault) => vault.get('KEY'))).toBe('kept');
  });

  it('a correct file still opens (the tampering tests above are not vacuous)', async () => {
    const opened = await openBackup(file, backupPassphrase, fileOptions);
    expect(opened.vaults.map((vault) => vault.name)).toEqual(contents.vaults.map((v) => v.name));
  });
});
