import { describe, expect, it } from 'vitest';
import { type KdfRunner, runScrypt } from '../../../src/core/crypto';
import {
  createMemoryChannelHub,
  createMemoryLockManager,
  createVaultMutex,
} from '../../../src/core/lock';
import { Coffer } from '../../../src/core/profile';
import { CorruptDataError, type StoreName } from '../../../src/core/storage';
import { defaultCompactionPolicy } from '../../../src/core/vault';
import { createAppState } from '../../../src/ui/state/app-state';
import { defaultSettings } from '../../../src/ui/state/settings';
import { fastPolicy, testCoffer } from '../../support/coffer';

/** Flips the top bit of one byte: the smallest change, and never a no-op. */
function flipped(bytes: Uint8Array, index: number): Uint8Array {
  const damaged = bytes.slice();
  damaged[index] = damaged[index]! ^ 0x80;
  return damaged;
}

/** The error a promise rejects with (fails the test if it resolves). */
async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    (value) => {
      throw new Error(`expected a rejection, got ${JSON.stringify(value)}`);
    },
    (error: unknown) => error,
  );
}

/**
 * Flip every byte of every stored record, one at a time: each flip is reported as a
 * CorruptDataError naming exactly that record, and everything else still opens. That covers the
 * profile's own records too: the keyring (unlock reports damage, never a wrong passphrase, and
 * before any KDF runs, since its checksum is checked first: docs/crypto.md, "Keyring"), the
 * settings record and the device record.
 */
describe('tamper sweep over every stored record', () => {
  it('every flipped byte is reported against its own record; the rest opens', async () => {
    // Rows stay rows on close here (small vaults are otherwise compacted), so every kind of
    // record is there to tamper with.
    const { coffer, db } = testCoffer({
      compaction: { ...defaultCompactionPolicy, onCloseSmallBytes: 0 },
    });
    const session = await coffer.createProfile('pw');
    await session.createVault('alpha');
    await session.createVault('beta');
    await session.withVault('alpha', async (vault) => {
      await vault.set('one', { a: 1 });
      await vault.set('two', 'secret', { kind: 'secret' });
      await vault.compact();
      await vault.set('three', [3]);
    });
    await session.withVault('beta', (vault) => vault.set('b', true));
    const savedSettings = { autoLockMinutes: 7, theme: 'dark' };
    await session.saveSettings(savedSettings);
    // Made and saved, sealed, the first time it is asked for.
    const deviceId = (await session.device()).id;
    // Another Coffer over the same database whose KDF runs are counted: a damaged keyring must
    // be refused before the passphrase is stretched.
    let kdfRuns = 0;
    const countingKdf: KdfRunner = (request, onProgress) => {
      kdfRuns += 1;
      return runScrypt(request, onProgress);
    };
    const counted = new Coffer({
      db,
      kdf: countingKdf,
      mutex: createVaultMutex({
        locks: createMemoryLockManager().forClient('counted'),
        channel: createMemoryChannelHub().channel(),
        holderLabel: 'counted',
      }),
      kdfPolicy: fastPolicy,
    });
    const vaultIds = new Map((await session.listVaults()).map((v) => [v.id as string, v.name]));

    type Target = {
      store: StoreName;
      key: unknown;
      field: 'bytes' | 'sealed';
      vaultId?: string;
      seq?: number;
    };
    const targets: Target[] = [
      { store: 'keyring', key: 'keyring', field: 'bytes' },
      { store: 'profile', key: 'settings', field: 'sealed' },
      { store: 'profile', key: 'device', field: 'sealed' },
      ...(await db.strict.vaults.toArray()).map((row) => ({
        store: 'vaults' as const,
        key: row.id,
        field: 'sealed' as const,
        vaultId: row.id,
      })),
      ...(await db.strict.updates.toArray()).map((row) => ({
        store: 'updates' as const,
        key: [row.vault, row.seq],
        field: 'bytes' as const,
        vaultId: row.vault,
        seq: row.seq,
      })),
      ...(await db.strict.snapshots.toArray()).map((row) => ({
        store: 'snapshots' as const,
        key: row.vault,
        field: 'bytes' as const,
        vaultId: row.vault,
        seq: row.seq,
      })),
    ];
    expect(targets.map((t) => t.store).sort()).toEqual([
      'keyring',
      'profile',
      'profile',
      'snapshots',
      'updates',
      'updates',
      'vaults',
      'vaults',
    ]);

    /** The vaults, settings and device still open (with the session's key in memory). */
    const restOpens = async (where: string, skip: 'settings' | 'device') => {
      expect(
        (await session.listVaults()).map((v) => v.name),
        where,
      ).toEqual(['alpha', 'beta']);
      if (skip !== 'settings') expect(await session.loadSettings(), where).toEqual(savedSettings);
      if (skip !== 'device') {
        // A fresh session, so the device record is read again (a session keeps it once read).
        const fresh = await coffer.unlock('pw');
        expect((await fresh.device()).id, where).toBe(deviceId);
        await fresh.lock();
      }
    };

    for (const target of targets) {
      const table = db.strict.table(target.store);
      const original = await table.get(target.key as never);
      const bytes: Uint8Array = original[target.field];
      for (let index = 0; index < bytes.length; index++) {
        await table.put({ ...original, [target.field]: flipped(bytes, index) });
        const where = `${target.store} ${JSON.stringify(target.key)} byte ${index}`;
        if (target.store === 'keyring') {
          // Every byte, the header included, is covered by the checksum, which is checked before
          // anything else: a flip is damage (never WrongPassphraseError, whatever the
          // passphrase), found without running the KDF. So the whole record is swept cheaply.
          for (const passphrase of ['pw', 'not the passphrase']) {
            const error = await rejectionOf(counted.unlock(passphrase));
            expect(error, where).toBeInstanceOf(CorruptDataError);
            expect((error as CorruptDataError).record, where).toEqual({ store: 'keyring' });
          }
          expect(kdfRuns, where).toBe(0);
          // The vaults and the other profile records are untouched (read with the key in memory).
          expect(
            (await session.listVaults()).map((v) => v.name),
            where,
          ).toEqual(['alpha', 'beta']);
          expect(await session.loadSettings(), where).toEqual(savedSettings);
        } else if (target.store === 'profile') {
          const which = target.key as 'settings' | 'device';
          const error = await rejectionOf(
            which === 'settings' ? session.loadSettings() : (await coffer.unlock('pw')).device(),
          );
          expect(error, where).toBeInstanceOf(CorruptDataError);
          expect((error as CorruptDataError).record, where).toEqual({
            store: 'profile',
            id: which,
          });
          await restOpens(where, which);
        } else if (target.store === 'vaults') {
          const damagedVaults = await session.damagedVaults();
          expect(
            damagedVaults.map((e) => e.record),
            where,
          ).toEqual([{ store: 'vaults', vaultId: target.vaultId }]);
          const listed = (await session.listVaults()).map((v) => v.name);
          expect(listed, where).toEqual(
            [...vaultIds]
              .filter(([id]) => id !== target.vaultId)
              .map(([, name]) => name)
              .sort(),
          );
        } else {
          const name = vaultIds.get(target.vaultId!)!;
          const vault = await session.openVault(name);
          expect(vault.damaged, where).toHaveLength(1);
          expect(vault.damaged[0], where).toBeInstanceOf(CorruptDataError);
          expect(vault.damaged[0]!.record, where).toEqual({
            store: target.store,
            vaultId: target.vaultId,
            seq: target.seq,
          });
          await vault.close();
          // The other vault is untouched.
          const other = [...vaultIds.values()].find((n) => n !== name)!;
          const otherVault = await session.openVault(other);
          expect(otherVault.damaged, where).toEqual([]);
          await otherVault.close();
        }
      }
      await table.put(original);
    }
    // Restored: everything opens clean and whole.
    expect(kdfRuns).toBe(0);
    const again = await counted.unlock('pw');
    expect(kdfRuns).toBe(1);
    expect(await again.loadSettings()).toEqual(savedSettings);
    expect((await again.device()).id).toBe(deviceId);
    const alpha = await session.openVault('alpha');
    expect(alpha.damaged).toEqual([]);
    expect((await alpha.list()).map((e) => e.name)).toEqual(['one', 'three', 'two']);
    await alpha.close();
  }, 120_000);

  it('a damaged settings record: the app unlocks with the default settings', async () => {
    const { coffer, db } = testCoffer();
    const session = await coffer.createProfile('pw');
    await session.saveSettings({ ...defaultSettings, autoLockMinutes: 1, pageSize: 50 });
    await session.lock();
    const row = (await db.strict.profile.get('settings'))!;
    await db.strict.profile.put({ ...row, sealed: flipped(row.sealed, row.sealed.length - 1) });

    const app = createAppState({
      coffer,
      channel: { postMessage: () => undefined, addEventListener: () => undefined },
      activityTarget: { addEventListener: () => undefined },
      setInterval: () => undefined,
    });
    await app.start();
    await app.unlock('pw');
    expect(app.phase().name).toBe('unlocked');
    expect(app.settings()).toEqual(defaultSettings);
    // Saving again replaces the damaged record.
    await app.updateSettings({ pageSize: 25 });
    expect(await app.session().loadSettings()).toEqual({ ...defaultSettings, pageSize: 25 });
  });
});
