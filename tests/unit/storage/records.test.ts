/**
 * The profile-key records (catalog rows, settings, the device record) report damage the same
 * way: one mapping from what opening threw to a CorruptDataError reason. Three copies of that
 * mapping once disagreed (the settings and device readers called an envelope from a newer
 * build 'malformed'); every reader is run against every kind of damage here.
 */
import { describe, expect, it } from 'vitest';
import {
  AuthenticationError,
  generateKey,
  KeyMismatchError,
  MalformedEnvelopeError,
  type ProfileKey,
  UnsupportedFormatError,
} from '../../../src/core/crypto';
import {
  CorruptDataError,
  type CorruptionReason,
  openVaultRecord,
  type RecordRef,
  readDeviceRecord,
  readSettings,
  sealVaultRecord,
  writeDeviceRecord,
  writeSettings,
} from '../../../src/core/storage';
import { corruptionReason } from '../../../src/core/storage/errors';
import { memoryDatabase } from '../../support/memory-db';

const vaultId = 'AAAAAAAAAAAAAAAAAAAAAA';

/** One reader: writes a good record with `sealKey`, damages its sealed bytes, reads with `readKey`. */
interface Reader {
  readonly name: string;
  readonly record: RecordRef;
  read(
    sealKey: ProfileKey,
    readKey: ProfileKey,
    damage: (sealed: Uint8Array) => Uint8Array,
  ): Promise<unknown>;
}

const readers: readonly Reader[] = [
  {
    name: 'catalog row (openVaultRecord)',
    record: { store: 'vaults', vaultId },
    async read(sealKey, readKey, damage) {
      const row = sealVaultRecord(sealKey, vaultId, generateKey('vault'), {
        name: 'Work',
        createdAt: 1,
      });
      return openVaultRecord(readKey, { id: row.id, sealed: damage(row.sealed) });
    },
  },
  {
    name: 'settings (readSettings)',
    record: { store: 'profile', id: 'settings' },
    async read(sealKey, readKey, damage) {
      const db = memoryDatabase();
      await writeSettings(db, sealKey, { theme: 'dark' });
      const row = await db.strict.profile.get('settings');
      await db.strict.profile.put({ id: 'settings', sealed: damage(row!.sealed) });
      return readSettings(db, readKey);
    },
  },
  {
    name: 'device record (readDeviceRecord)',
    record: { store: 'profile', id: 'device' },
    async read(sealKey, readKey, damage) {
      const db = memoryDatabase();
      await writeDeviceRecord(db, sealKey, {
        secretKey: new Uint8Array(32).fill(7),
        name: 'Laptop',
        createdAt: 1,
      });
      const row = await db.strict.profile.get('device');
      await db.strict.profile.put({ id: 'device', sealed: damage(row!.sealed) });
      return readDeviceRecord(db, readKey);
    },
  },
];

/** Each kind of damage, what it does to the sealed bytes, and the reason it must give. */
const damages: readonly {
  readonly name: string;
  readonly reason: CorruptionReason;
  /** Read with another profile key than the one that sealed. */
  readonly otherKey?: true;
  readonly damage: (sealed: Uint8Array) => Uint8Array;
}[] = [
  {
    name: 'an envelope format from a newer build',
    reason: 'unsupported-format',
    damage: (sealed) => Uint8Array.of(0x7f, ...sealed.subarray(1)),
  },
  {
    name: 'an unknown algorithm',
    reason: 'unsupported-format',
    damage: (sealed) => Uint8Array.of(sealed[0]!, 0x7f, ...sealed.subarray(2)),
  },
  {
    name: 'a record sealed with another key',
    reason: 'key-mismatch',
    otherKey: true,
    damage: (sealed) => sealed,
  },
  {
    name: 'one flipped ciphertext bit',
    reason: 'authentication',
    damage: (sealed) => {
      const copy = sealed.slice();
      copy[copy.length - 1]! ^= 1;
      return copy;
    },
  },
  {
    name: 'a record cut short',
    reason: 'malformed',
    damage: (sealed) => sealed.slice(0, 10),
  },
  {
    name: 'a record that is not bytes',
    reason: 'malformed',
    damage: () => 'text' as unknown as Uint8Array,
  },
];

describe('opening a profile-key record', () => {
  for (const reader of readers) {
    it(`${reader.name} reads back an undamaged record`, async () => {
      const key = generateKey('profile');
      await expect(reader.read(key, key, (sealed) => sealed)).resolves.toBeDefined();
    });
    for (const damage of damages) {
      it(`${reader.name} reports ${damage.name} as '${damage.reason}', naming the record`, async () => {
        const key = generateKey('profile');
        const readKey = damage.otherKey ? generateKey('profile') : key;
        const caught = await reader.read(key, readKey, damage.damage).then(
          () => undefined,
          (error: unknown) => error,
        );
        expect(caught).toBeInstanceOf(CorruptDataError);
        expect((caught as CorruptDataError).reason).toBe(damage.reason);
        expect((caught as CorruptDataError).record).toEqual(reader.record);
        expect((caught as CorruptDataError).code).toBe('corrupt-data');
      });
    }
  }
});

describe('corruptionReason', () => {
  it('maps the envelope errors by code, everything else to malformed', () => {
    expect(corruptionReason(new KeyMismatchError())).toBe('key-mismatch');
    expect(corruptionReason(new UnsupportedFormatError('format', 9))).toBe('unsupported-format');
    expect(corruptionReason(new AuthenticationError())).toBe('authentication');
    expect(corruptionReason(new MalformedEnvelopeError(3, 42))).toBe('malformed');
    expect(corruptionReason(new TypeError('not bytes'))).toBe('malformed');
    expect(corruptionReason(new SyntaxError('JSON'))).toBe('malformed');
    expect(corruptionReason('thrown text')).toBe('malformed');
  });

  it('does not go by name: an unrelated error named like a crypto one is malformed', () => {
    const impostor = new Error('x');
    impostor.name = 'KeyMismatchError';
    expect(corruptionReason(impostor)).toBe('malformed');
  });
});
