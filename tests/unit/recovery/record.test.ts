/**
 * The recovery record and the keyring recovery writes, without a database: round trips, and
 * the keyring made here unlocks with the crypto module's own unlockKeyring.
 */
import { describe, expect, it } from 'vitest';
import {
  generateKey,
  inProcessKdf,
  KdfParamsBelowFloorError,
  keyringForProfileKey,
  type ProfileId,
  randomBytes,
  unlockKeyring,
} from '../../../src/core/crypto';
import {
  formatRecoveryCode,
  openRecoveryRecord,
  parseRecoveryCode,
  type RecoveryCodeBytes,
  RecoveryCodeWrongError,
  recoveryRecordLength,
  recoveryRecordState,
  sealRecoveryRecord,
} from '../../../src/core/recovery';
import { CorruptDataError } from '../../../src/core/storage';
import { fastPolicy } from '../../support/coffer';

const newCode = () => parseRecoveryCode(formatRecoveryCode(randomBytes(16)));
const profileId = () => randomBytes(16) as ProfileId;

describe('recovery record', () => {
  it('round trips: the code opens the profile key and the date', () => {
    const code = newCode();
    const id = profileId();
    const key = generateKey('profile');
    const record = sealRecoveryRecord(code, id, key, 1234);
    expect(record.length).toBe(recoveryRecordLength);
    const opened = openRecoveryRecord(record, code);
    expect(opened.profileKey).toEqual(key);
    expect(opened.profileId).toEqual(id);
    expect(opened.createdAt).toBe(1234);
    expect(recoveryRecordState(record, key, id)).toEqual({ state: 'set', createdAt: 1234 });
  });

  it('another code is wrong (told before decrypting), and a record is bound to its profile id', () => {
    const id = profileId();
    const key = generateKey('profile');
    const record = sealRecoveryRecord(newCode(), id, key, 0);
    expect(() => openRecoveryRecord(record, newCode())).toThrow(RecoveryCodeWrongError);
    expect(recoveryRecordState(record, key, profileId())).toEqual({
      state: 'unusable',
      reason: 'foreign',
    });
    expect(recoveryRecordState(record, generateKey('profile'), id)).toEqual({
      state: 'unusable',
      reason: 'foreign',
    });
    const damaged = record.slice();
    damaged[50] = damaged[50]! ^ 1;
    expect(() => openRecoveryRecord(damaged, newCode())).toThrow(CorruptDataError);
    expect(recoveryRecordState(damaged, key, id)).toEqual({ state: 'unusable', reason: 'damaged' });
  });

  it('refuses bad inputs to seal', () => {
    const key = generateKey('profile');
    expect(() => sealRecoveryRecord(newCode(), randomBytes(15) as ProfileId, key, 0)).toThrow(
      TypeError,
    );
    expect(() => sealRecoveryRecord(newCode(), profileId(), key, -1)).toThrow(RangeError);
    expect(() => sealRecoveryRecord(newCode(), profileId(), key, 1.5)).toThrow(RangeError);
  });

  it('does not modify its inputs', () => {
    const code = newCode();
    const copy = code.slice() as RecoveryCodeBytes;
    const id = profileId();
    const idCopy = id.slice();
    const key = generateKey('profile');
    const keyCopy = key.slice();
    openRecoveryRecord(sealRecoveryRecord(code, id, key, 9), code);
    expect(code).toEqual(copy);
    expect(id).toEqual(idCopy);
    expect(key).toEqual(keyCopy);
  });
});

describe('the keyring recovery writes', () => {
  it('unlocks with the new passphrase to the same profile key and id', async () => {
    const id = profileId();
    const key = generateKey('profile');
    const keyring = await keyringForProfileKey('nouvelle phrase é', id, key, {
      kdf: inProcessKdf,
      policy: fastPolicy,
    });
    // The passphrase is NFC-normalised as for any keyring: typed decomposed, it still opens.
    const unlocked = await unlockKeyring(keyring, 'nouvelle phrase e\u0301', {
      kdf: inProcessKdf,
      policy: fastPolicy,
    });
    expect(unlocked.profileKey).toEqual(key);
    expect(unlocked.profileId).toEqual(id);
    expect(unlocked.upgraded).toBeUndefined();
  });

  it('refuses a target below the floor', async () => {
    const policy = { floor: fastPolicy.floor, target: { ...fastPolicy.target, logN: 9 } };
    await expect(
      keyringForProfileKey('x', profileId(), generateKey('profile'), { kdf: inProcessKdf, policy }),
    ).rejects.toThrow(KdfParamsBelowFloorError);
  });
});
