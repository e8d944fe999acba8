/**
 * Recovering a profile with its code (Coffer.recover, makeRecoveryCode, removeRecoveryCode,
 * recoveryStatus) over fake-indexeddb: every vault stays, the new passphrase replaces the old,
 * a new code revokes the old, and every failure leaves every stored byte as it was.
 */
import { describe, expect, it } from 'vitest';
import {
  generateKey,
  InvalidPassphraseError,
  parseKeyring,
  WrongPassphraseError,
} from '../../../src/core/crypto';
import type { Coffer, Session } from '../../../src/core/profile';
import { ProfileLockedError } from '../../../src/core/profile';
import {
  formatRecoveryCode,
  parseRecoveryCode,
  RecoveryCodeInvalidError,
  RecoveryCodeWrongError,
  RecoveryNotSetError,
  sealRecoveryRecord,
} from '../../../src/core/recovery';
import { type CofferDatabase, CorruptDataError } from '../../../src/core/storage';
import { testCoffer, vaultContents } from '../../support/coffer';

const passphrase = 'old passphrase';
const entries = { API_KEY: 'sk-canary-1', config: { region: 'eu', retries: 3 } };

/** A profile with two vaults and entries, and a recovery code made with its passphrase. */
async function profileWithCode(clock = () => 1_767_225_600_000) {
  const made = testCoffer({ clock });
  const session = await made.coffer.createProfile(passphrase);
  await session.createVault('alpha');
  await session.createVault('beta');
  await session.withVault('alpha', async (vault) => {
    await vault.set('API_KEY', entries.API_KEY, { kind: 'secret' });
    await vault.set('config', entries.config);
  });
  await session.withVault('beta', (vault) => vault.set('flag', true));
  await session.saveSettings({ theme: 'dark' });
  const { code } = await made.coffer.makeRecoveryCode(passphrase);
  await session.lock();
  return { ...made, code };
}

async function contents(session: Session) {
  return {
    alpha: await session.withVault('alpha', vaultContents),
    beta: await session.withVault('beta', vaultContents),
    settings: await session.loadSettings(),
  };
}

/** Every row of every store, as text: "nothing changed" compares two of these. */
async function everything(db: CofferDatabase): Promise<string> {
  const stores = db.strict.tables.map((table) => table.name).sort();
  const dump: Record<string, unknown> = {};
  for (const name of stores) dump[name] = await db.strict.table(name).toArray();
  return JSON.stringify(dump, (_key, value) =>
    value instanceof Uint8Array ? Buffer.from(value).toString('hex') : value,
  );
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
}

async function expectUnchanged(
  db: CofferDatabase,
  coffer: Coffer,
  attempt: () => Promise<unknown>,
) {
  const before = await everything(db);
  const error = await rejection(attempt());
  expect(await everything(db)).toBe(before);
  // And the passphrase still opens everything.
  const session = await coffer.unlock(passphrase);
  expect((await contents(session)).alpha).toEqual(entries);
  await session.lock();
  return error;
}

describe('recovering with the code', () => {
  it('sets a new passphrase and keeps every vault, entry and setting', async () => {
    const { coffer, code } = await profileWithCode();
    const session = await coffer.recover(code, 'new passphrase');
    const recovered = await contents(session);
    expect(recovered).toEqual({
      alpha: entries,
      beta: { flag: true },
      settings: { theme: 'dark' },
    });
    await session.lock();
    expect(await rejection(coffer.unlock(passphrase))).toBeInstanceOf(WrongPassphraseError);
    const again = await coffer.unlock('new passphrase');
    expect(await contents(again)).toEqual(recovered);
    await again.lock();
  });

  it('keeps the code valid afterwards, and the profile id of the keyring', async () => {
    const { coffer, db, code } = await profileWithCode();
    const profileId = parseKeyring((await db.strict.keyring.get('keyring'))!.bytes).profileId;
    await (await coffer.recover(code, 'second')).lock();
    await (await coffer.recover(code.toLowerCase(), 'third')).lock();
    expect(parseKeyring((await db.strict.keyring.get('keyring'))!.bytes).profileId).toEqual(
      profileId,
    );
    expect((await contents(await coffer.unlock('third'))).alpha).toEqual(entries);
  });

  it('still works after the passphrase was changed', async () => {
    const { coffer, code } = await profileWithCode();
    const session = await coffer.unlock(passphrase);
    await session.changePassphrase(passphrase, 'changed');
    await session.lock();
    const recovered = await coffer.recover(code, 'recovered');
    expect((await contents(recovered)).alpha).toEqual(entries);
  });

  it('repairs a damaged keyring', async () => {
    const { coffer, db, code } = await profileWithCode();
    const row = (await db.strict.keyring.get('keyring'))!;
    const damaged = row.bytes.slice();
    damaged[100] = damaged[100]! ^ 1;
    await db.strict.keyring.put({ id: 'keyring', bytes: damaged });
    expect(await rejection(coffer.unlock(passphrase))).toBeInstanceOf(CorruptDataError);
    const session = await coffer.recover(code, 'repaired');
    expect((await contents(session)).alpha).toEqual(entries);
  });
});

describe('making and removing codes', () => {
  it('a new code revokes the old one', async () => {
    const { coffer, code: first } = await profileWithCode();
    const { code: second } = await coffer.makeRecoveryCode(passphrase);
    expect(second).not.toBe(first);
    const error = await rejection(coffer.recover(first, 'nope'));
    expect(error).toBeInstanceOf(RecoveryCodeWrongError);
    const session = await coffer.recover(second, 'with the new code');
    expect((await contents(session)).alpha).toEqual(entries);
  });

  it('needs the passphrase; a wrong one writes nothing', async () => {
    const { coffer, db, code } = await profileWithCode();
    const error = await expectUnchanged(db, coffer, () => coffer.makeRecoveryCode('not it'));
    expect(error).toBeInstanceOf(WrongPassphraseError);
    await (await coffer.recover(code, 'still the old code')).lock();
  });

  it('removing the code leaves no way but the passphrase', async () => {
    const { coffer, code } = await profileWithCode();
    await coffer.removeRecoveryCode();
    expect(await rejection(coffer.recover(code, 'x'))).toBeInstanceOf(RecoveryNotSetError);
    const session = await coffer.unlock(passphrase);
    expect(await coffer.recoveryStatus(session)).toEqual({ state: 'none' });
  });

  it('the status says when the code was made, and only while unlocked', async () => {
    let now = 1_000;
    const { coffer } = await profileWithCode(() => now);
    const session = await coffer.unlock(passphrase);
    expect(await coffer.recoveryStatus(session)).toEqual({ state: 'set', createdAt: 1_000 });
    now = 5_000;
    await coffer.makeRecoveryCode(passphrase);
    expect(await coffer.recoveryStatus(session)).toEqual({ state: 'set', createdAt: 5_000 });
    await session.lock();
    expect(await rejection(coffer.recoveryStatus(session))).toBeInstanceOf(ProfileLockedError);
  });

  it('the code is never stored: no form of it is in any store', async () => {
    const { db, code } = await profileWithCode();
    const dump = await everything(db);
    const bytes = Buffer.from(parseRecoveryCode(code));
    for (const form of [code, code.replace(/-/g, ''), bytes.toString('hex')]) {
      expect(dump).not.toContain(form);
    }
  });
});

describe('failures change nothing', () => {
  it('a well-formed code that is not this profile’s', async () => {
    const { coffer, db } = await profileWithCode();
    const other = formatRecoveryCode(new Uint8Array(16).fill(0x42));
    const error = await expectUnchanged(db, coffer, () => coffer.recover(other, 'new passphrase'));
    expect(error).toBeInstanceOf(RecoveryCodeWrongError);
  });

  it('a typo, named by its group, before anything is read', async () => {
    const { coffer, db, code } = await profileWithCode();
    const typo = `${code.slice(0, 7)}${code[7] === 'Z' ? 'Y' : 'Z'}${code.slice(8)}`;
    const error = await expectUnchanged(db, coffer, () => coffer.recover(typo, 'new passphrase'));
    expect(error).toBeInstanceOf(RecoveryCodeInvalidError);
    expect((error as RecoveryCodeInvalidError).group).toBe(2);
    expect((error as Error).message).not.toContain(code.slice(0, 6));
  });

  it('an empty new passphrase', async () => {
    const { coffer, db, code } = await profileWithCode();
    const error = await expectUnchanged(db, coffer, () => coffer.recover(code, ''));
    expect(error).toBeInstanceOf(InvalidPassphraseError);
  });

  it('every flipped byte of the recovery record is reported as damage to it', async () => {
    const { coffer, db, code } = await profileWithCode();
    const original = (await db.strict.keyring.get('recovery' as 'keyring'))!.bytes;
    expect(original.length).toBe(225);
    for (let index = 0; index < original.length; index += 1) {
      const damaged = original.slice();
      damaged[index] = damaged[index]! ^ 0x80;
      await db.strict.keyring.put({ id: 'recovery', bytes: damaged } as never);
      const before = await everything(db);
      const error = await rejection(coffer.recover(code, 'new passphrase'));
      expect(error).toBeInstanceOf(CorruptDataError);
      expect((error as CorruptDataError).record).toEqual({ store: 'keyring', id: 'recovery' });
      expect(await everything(db)).toBe(before);
    }
    await db.strict.keyring.put({ id: 'recovery', bytes: original } as never);
    await (await coffer.recover(code, 'after the sweep')).lock();
  });

  it('a truncated or empty recovery record', async () => {
    const { coffer, db, code } = await profileWithCode();
    const original = (await db.strict.keyring.get('recovery' as 'keyring'))!.bytes;
    for (const bytes of [original.subarray(0, 100), new Uint8Array(0), original.subarray(0, 224)]) {
      await db.strict.keyring.put({ id: 'recovery', bytes } as never);
      const error = await expectUnchanged(db, coffer, () => coffer.recover(code, 'x'));
      expect(error).toBeInstanceOf(CorruptDataError);
    }
  });
});

describe('someone with write access to IndexedDB', () => {
  it('swaps in a recovery row of their own: it opens nothing, and the passphrase still works', async () => {
    const { coffer, db, code } = await profileWithCode();
    const keyring = parseKeyring((await db.strict.keyring.get('keyring'))!.bytes);
    // They know the profile id (it is in the clear) and choose their own code and key.
    const theirCode = parseRecoveryCode(formatRecoveryCode(new Uint8Array(16).fill(7)));
    const theirKey = generateKey('profile');
    const row = sealRecoveryRecord(theirCode, keyring.profileId, theirKey, 0);
    await db.strict.keyring.put({ id: 'recovery', bytes: row } as never);

    // Their code opens their own row, but the key in it seals none of this profile's records:
    // refused before the keyring is replaced, so they cannot lock the owner out either.
    const theirs = await expectUnchanged(db, coffer, () =>
      coffer.recover(formatRecoveryCode(theirCode), 'attacker'),
    );
    expect(theirs).toBeInstanceOf(CorruptDataError);
    expect((theirs as CorruptDataError).reason).toBe('key-mismatch');
    // The owner's code no longer matches the row: wrong code, nothing written.
    const owners = await expectUnchanged(db, coffer, () => coffer.recover(code, 'owner'));
    expect(owners).toBeInstanceOf(RecoveryCodeWrongError);
    // Unlocked, the profile sees the row is not its own, and a new code replaces it.
    const session = await coffer.unlock(passphrase);
    expect(await coffer.recoveryStatus(session)).toEqual({ state: 'unusable', reason: 'foreign' });
    const { code: fresh } = await coffer.makeRecoveryCode(passphrase);
    expect((await coffer.recoveryStatus(session)).state).toBe('set');
    await session.lock();
    expect((await contents(await coffer.recover(fresh, 'fresh'))).alpha).toEqual(entries);
  });

  it('copies another profile’s recovery row in: refused, named as this record', async () => {
    const { coffer, db } = await profileWithCode();
    const other = testCoffer();
    await (await other.coffer.createProfile('other')).lock();
    const { code } = await other.coffer.makeRecoveryCode('other');
    const row = (await other.db.strict.keyring.get('recovery' as 'keyring'))!.bytes;
    await db.strict.keyring.put({ id: 'recovery', bytes: row } as never);
    const error = await expectUnchanged(db, coffer, () => coffer.recover(code, 'x'));
    expect(error).toBeInstanceOf(CorruptDataError);
    const session = await coffer.unlock(passphrase);
    expect(await coffer.recoveryStatus(session)).toEqual({ state: 'unusable', reason: 'foreign' });
  });
});
