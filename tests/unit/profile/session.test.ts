import { describe, expect, it } from 'vitest';
import { parseKeyring, WrongPassphraseError } from '../../../src/core/crypto';
import {
  NoProfileError,
  ProfileExistsError,
  ProfileLockedError,
  VaultNameTakenError,
  VaultNotFoundError,
} from '../../../src/core/profile';
import { CorruptDataError, StorageFullError } from '../../../src/core/storage';
import { VaultClosedError } from '../../../src/core/vault';
import { fastPolicy, testCoffer } from '../../support/coffer';
import { injectWriteFault } from '../../support/faults';
import { memoryDatabase } from '../../support/memory-db';

describe('profile', () => {
  it('is created once, unlocked with its passphrase, and refuses a wrong one with nothing unlocked', async () => {
    const { coffer, db } = testCoffer();
    expect(await coffer.hasProfile()).toBe(false);
    await expect(coffer.unlock('anything')).rejects.toBeInstanceOf(NoProfileError);
    const session = await coffer.createProfile('open sesame');
    await session.createVault('work');
    await expect(coffer.createProfile('again')).rejects.toBeInstanceOf(ProfileExistsError);
    await expect(coffer.unlock('open sesame?')).rejects.toBeInstanceOf(WrongPassphraseError);
    const again = await coffer.unlock('open sesame');
    expect((await again.listVaults()).map((v) => v.name)).toEqual(['work']);
    db.close();
  });

  it('changing the passphrase: the old one fails, the new one works, the vaults are intact', async () => {
    const { coffer } = testCoffer();
    const session = await coffer.createProfile('old passphrase');
    await session.createVault('work');
    await session.withVault('work', (vault) => vault.set('API_KEY', 'sk-123', { kind: 'secret' }));
    await expect(
      session.changePassphrase('wrong current', 'new passphrase'),
    ).rejects.toBeInstanceOf(WrongPassphraseError);
    await session.changePassphrase('old passphrase', 'new passphrase');
    await expect(coffer.unlock('old passphrase')).rejects.toBeInstanceOf(WrongPassphraseError);
    const unlocked = await coffer.unlock('new passphrase');
    expect(await unlocked.withVault('work', (vault) => vault.get('API_KEY'))).toBe('sk-123');
  });

  it('an interrupted change of passphrase leaves the old passphrase working', async () => {
    const db = memoryDatabase();
    // Middleware only takes effect if registered before the database opens.
    const fault = injectWriteFault(db.strict, ['keyring'], 'AbortError');
    const { coffer } = testCoffer({ db });
    const session = await coffer.createProfile('old passphrase');
    await session.createVault('work');
    fault.arm();
    await expect(session.changePassphrase('old passphrase', 'new passphrase')).rejects.toThrow(
      /saving the keyring/,
    );
    fault.disarm();
    await expect(coffer.unlock('new passphrase')).rejects.toBeInstanceOf(WrongPassphraseError);
    expect((await (await coffer.unlock('old passphrase')).listVaults()).map((v) => v.name)).toEqual(
      ['work'],
    );
  });

  it('upgrades the KDF parameters at the next unlock when the target rises', async () => {
    const { coffer, db } = testCoffer();
    await coffer.createProfile('pw');
    const raised = testCoffer({
      db,
      policy: { floor: fastPolicy.floor, target: { ...fastPolicy.target, logN: 11 } },
    });
    await raised.coffer.unlock('pw');
    const stored = (await db.strict.keyring.get('keyring'))!.bytes;
    expect(parseKeyring(stored).params.logN).toBe(11);
    await raised.coffer.unlock('pw');
  });

  it('a damaged keyring is CorruptDataError naming it, not a wrong passphrase', async () => {
    const { coffer, db } = testCoffer();
    await coffer.createProfile('pw');
    const row = (await db.strict.keyring.get('keyring'))!;
    const damaged = row.bytes.slice();
    damaged[100] = damaged[100]! ^ 1;
    await db.strict.keyring.put({ id: 'keyring', bytes: damaged });
    const error = await coffer.unlock('pw').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CorruptDataError);
    expect((error as CorruptDataError).record).toEqual({ store: 'keyring' });
  });

  it('locking closes open vaults, drops the keys, and refuses further work', async () => {
    const { coffer } = testCoffer();
    const session = await coffer.createProfile('pw');
    await session.createVault('work');
    const vault = await session.openVault('work');
    const reasons: string[] = [];
    vault.onClose((reason) => reasons.push(reason));
    await session.lock();
    expect(session.locked).toBe(true);
    expect(reasons).toEqual(['profile-locked']);
    await expect(vault.get('x')).rejects.toBeInstanceOf(VaultClosedError);
    await expect(session.listVaults()).rejects.toBeInstanceOf(ProfileLockedError);
    // A promise that rejects, never a throw before there is one (callers chain on it).
    let pending: Promise<unknown> | undefined;
    expect(() => {
      pending = session.device();
    }).not.toThrow();
    await expect(pending).rejects.toBeInstanceOf(ProfileLockedError);
    // The lock was released: another session opens the vault at once.
    const other = await coffer.unlock('pw');
    await (await other.openVault('work', { ifAvailable: true })).close();
  });
});

describe('vaults', () => {
  it('create, list, rename and delete, with names unique ignoring case', async () => {
    const { coffer, db } = testCoffer();
    const session = await coffer.createProfile('pw');
    await session.createVault('Work');
    await session.createVault('personal');
    await expect(session.createVault('work')).rejects.toBeInstanceOf(VaultNameTakenError);
    await expect(session.renameVault('personal', 'WORK')).rejects.toBeInstanceOf(
      VaultNameTakenError,
    );
    await session.renameVault('personal', 'Home');
    expect((await session.listVaults()).map((v) => v.name)).toEqual(['Home', 'Work']);
    await session.withVault('Home', (vault) => vault.set('x', 1));
    await session.deleteVault('Home');
    expect((await session.listVaults()).map((v) => v.name)).toEqual(['Work']);
    await expect(session.openVault('Home')).rejects.toBeInstanceOf(VaultNotFoundError);
    expect(await db.relaxed.updates.count()).toBe(0);
  });

  it('rejects a bad vault name saying why, and keeps what exists', async () => {
    const { coffer } = testCoffer();
    const session = await coffer.createProfile('pw');
    await session.createVault('work');
    await expect(session.createVault('   ')).rejects.toThrow(/empty/i);
    await expect(session.renameVault('work', 'a\u0000b')).rejects.toThrow(/control character/i);
    expect((await session.listVaults()).map((v) => v.name)).toEqual(['work']);
  });

  it('a damaged catalog row hides only that vault', async () => {
    const { coffer, db } = testCoffer();
    const session = await coffer.createProfile('pw');
    const a = await session.createVault('a');
    await session.createVault('b');
    const row = (await db.strict.vaults.get(a.id))!;
    const sealed = row.sealed.slice();
    sealed[60] = sealed[60]! ^ 1;
    await db.strict.vaults.put({ id: row.id, sealed });
    expect((await session.listVaults()).map((v) => v.name)).toEqual(['b']);
    const damaged = await session.damagedVaults();
    expect(damaged.map((e) => e.record)).toEqual([{ store: 'vaults', vaultId: a.id }]);
  });
});

describe('the vault handle', () => {
  it('reads and writes every kind, and `await using` closes it', async () => {
    const { coffer, anotherTab } = testCoffer();
    const session = await coffer.createProfile('pw');
    await session.createVault('my-vault');
    {
      await using vault = await session.openVault('my-vault');
      await vault.set('my-item', { servers: ['a', 'b'], port: 8080 });
      await vault.set('API_KEY', 'sk-live-1', { kind: 'secret', writeOnly: true });
      await vault.set(
        'db',
        {
          type: 'basic-auth',
          fields: { user: { value: 'me', secret: false }, password: { value: null, secret: true } },
        },
        { kind: 'connection' },
      );
      expect(await vault.has('my-item')).toBe(true);
      expect((await vault.list()).map((e) => [e.name, e.kind])).toEqual([
        ['API_KEY', 'secret'],
        ['db', 'connection'],
        ['my-item', 'item'],
      ]);
    }
    // Released by `await using`: another tab gets it without waiting.
    const other = await anotherTab().unlock('pw');
    const vault = await other.openVault('my-vault', { ifAvailable: true });
    expect(await vault.get('my-item')).toEqual({ servers: ['a', 'b'], port: 8080 });
    expect(await vault.get('API_KEY')).toBe('sk-live-1');
    expect((await vault.getEntry('API_KEY'))?.writeOnly).toBe(true);
    await vault.rename('my-item', 'config');
    expect(await vault.get('config')).toEqual({ servers: ['a', 'b'], port: 8080 });
    expect(await vault.delete('config')).toBe(true);
    expect(await vault.get('config')).toBeUndefined();
    await vault.close();
  });

  it('a waiter can see who holds the vault, and since when', async () => {
    let now = 1_000;
    const { coffer, anotherTab } = testCoffer({ clock: () => now });
    const session = await coffer.createProfile('pw');
    await session.createVault('v');
    expect(await session.whoHolds('v')).toBeUndefined();
    const vault = await session.openVault('v');
    now = 5_000;
    const other = await anotherTab('tab-2').unlock('pw');
    expect(await other.whoHolds('v')).toMatchObject({ label: 'tab-1', heldHere: false });
    expect(await session.whoHolds('v')).toMatchObject({ heldHere: true });
    await vault.close();
    expect(await other.whoHolds('v')).toBeUndefined();
  });

  it('withVault closes the vault even when the function throws', async () => {
    const { coffer } = testCoffer();
    const session = await coffer.createProfile('pw');
    await session.createVault('v');
    await expect(session.withVault('v', () => Promise.reject(new Error('boom')))).rejects.toThrow(
      'boom',
    );
    await (await session.openVault('v', { ifAvailable: true })).close();
  });

  it('a full disk: StorageFullError, the change is undone, and nothing saved is lost', async () => {
    const db = memoryDatabase();
    const fault = injectWriteFault(db.relaxed, ['updates'], 'QuotaExceededError');
    const { coffer } = testCoffer({ db });
    const session = await coffer.createProfile('pw');
    await session.createVault('v');
    const vault = await session.openVault('v');
    await vault.set('kept', 'original');
    fault.arm();
    const error = await vault.set('kept', 'replacement-canary').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageFullError);
    expect(String(error)).not.toContain('replacement-canary');
    expect(await vault.get('kept')).toBe('original');
    await expect(vault.set('new', 1)).rejects.toBeInstanceOf(StorageFullError);
    expect(await vault.has('new')).toBe(false);
    fault.disarm();
    await vault.set('after', 2);
    await vault.close();
    const reopened = await session.openVault('v');
    expect(await reopened.get('kept')).toBe('original');
    expect(await reopened.get('after')).toBe(2);
    expect(await reopened.has('new')).toBe(false);
    await reopened.close();
  });

  it('keeps storage bounded: 10,000 overwrites of one entry keep the live value and the retained versions, not a record per write', async () => {
    const { coffer, db } = testCoffer();
    const session = await coffer.createProfile('pw');
    await session.createVault('v');
    const vault = await session.openVault('v');
    await vault.set('other', { unrelated: true });
    const writes = 10_000;
    let value = { counter: 0, note: 'overwritten again and again' };
    for (let i = 0; i < writes; i++) {
      value = { counter: i, note: 'overwritten again and again' };
      await vault.set('counter', value);
    }
    const summary = (await vault.list()).find((entry) => entry.name === 'counter');
    const versions = await vault.history(summary!.id);
    // History keeps the default 50 versions: their content is what retention pays for.
    expect(versions.length).toBe(50);
    await vault.close();
    const rows = await db.relaxed.updates.toArray();
    const snapshots = await db.relaxed.snapshots.toArray();
    const stored = [...rows, ...snapshots].reduce((sum, row) => sum + row.bytes.length, 0);
    const live = JSON.stringify({ counter: value, other: { unrelated: true } }).length;
    const retained = versions.reduce((sum, v) => sum + JSON.stringify(v.value).length, 0);
    // What must not happen is the content of pruned versions or overwritten values staying
    // stored, nor a record per write: each write is one item appended to the entry's chain
    // (src/core/vault/entry-doc.ts), so one device's overwrites merge into one tombstone
    // (docs/history.md, "Storage"). The layout with a value register beside the history array
    // left ~19 bytes per write; keeping pruned content would cost > 60.
    const overhead = stored - 2 * (live + retained);
    expect(
      overhead / writes,
      `${stored} bytes stored for ${live} live + ${retained} retained`,
    ).toBeLessThan(1);
    const reopened = await session.openVault('v');
    expect(await reopened.get('counter')).toEqual(value);
    await reopened.close();
  }, 180_000);

  it('rejects bad input saying what is wrong, and keeps what was there', async () => {
    const { coffer } = testCoffer();
    const session = await coffer.createProfile('pw');
    await session.createVault('env', { nameStyle: 'environment' });
    const vault = await session.openVault('env');
    await vault.set('API_KEY', 'kept');
    await expect(vault.set('api_key', 'x')).rejects.toMatchObject({ name: 'InvalidNameError' });
    await expect(vault.set('API_KEY', Number.NaN)).rejects.toMatchObject({
      name: 'InvalidJsonError',
    });
    await expect(vault.set('BIG', 'x'.repeat(1024 * 1024 + 1))).rejects.toMatchObject({
      name: 'ValueTooLargeError',
    });
    expect(await vault.get('API_KEY')).toBe('kept');
    expect((await vault.list()).map((e) => e.name)).toEqual(['API_KEY']);
    await vault.close();
  });
});

describe('settings', () => {
  it('are sealed under the profile key and survive a lock', async () => {
    const { coffer, db } = testCoffer();
    const session = await coffer.createProfile('pw');
    expect(await session.loadSettings()).toBeUndefined();
    await session.saveSettings({ autoLockMinutes: 7, theme: 'dark-canary' });
    const row = (await db.strict.profile.get('settings'))!;
    expect(new TextDecoder().decode(row.sealed)).not.toContain('dark-canary');
    await session.lock();
    await expect(session.loadSettings()).rejects.toBeInstanceOf(ProfileLockedError);
    expect(await (await coffer.unlock('pw')).loadSettings()).toEqual({
      autoLockMinutes: 7,
      theme: 'dark-canary',
    });
  });
});
