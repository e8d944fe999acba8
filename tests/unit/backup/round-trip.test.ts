/**
 * A backup made from a profile and restored gives back every vault, entry (write-only secrets
 * and connections too), version and setting, as new vaults; never overwriting what is there.
 */
import { describe, expect, it, vi } from 'vitest';
import {
  BACKUP_CONTENT_MAPS,
  collectBackup,
  openBackup,
  restoreBackup,
  sealBackup,
} from '../../../src/core/backup';
import { StorageFullError } from '../../../src/core/storage';
import { CONTENT_MAPS } from '../../../src/core/vault/entry-doc';
import { testCoffer } from '../../support/coffer';
import {
  backupPassphrase,
  canaries,
  contentOf,
  dumpDatabase,
  entriesOf,
  fileOptions,
  fillProfile,
} from './support';

async function source() {
  const { coffer, db } = testCoffer();
  const session = await coffer.createProfile('profile passphrase one');
  await fillProfile(session);
  return { session, db };
}

describe('backup and restore', () => {
  it('carries exactly the content maps the vault module names', () => {
    expect([...BACKUP_CONTENT_MAPS].sort()).toEqual([...CONTENT_MAPS].sort());
  });

  it('restores a whole profile into a fresh one: vaults, entries, history, settings', async () => {
    const { session } = await source();
    const originals = await session.listVaults();
    const { contents } = await collectBackup(session);
    const file = await sealBackup(contents, backupPassphrase, fileOptions);

    const fresh = testCoffer();
    const target = await fresh.coffer.createProfile('a different profile passphrase');
    const opened = await openBackup(file, backupPassphrase, fileOptions);
    const restored = await restoreBackup(target, opened, { settings: 'replace' });

    expect(restored.vaults.map((vault) => vault.name).sort()).toEqual(
      originals.map((vault) => vault.name).sort(),
    );
    expect(restored.settingsRestored).toBe(true);
    expect(await target.loadSettings()).toEqual(await session.loadSettings());
    for (const original of originals) {
      const copy = restored.vaults.find((vault) => vault.name === original.name)!;
      expect(copy.id).not.toBe(original.id);
      expect(await entriesOf(target, copy.id)).toEqual(await entriesOf(session, original.id));
      expect(await contentOf(target, copy.id)).toEqual(await contentOf(session, original.id));
    }
    const work = restored.vaults.find((vault) => vault.name === canaries.vaultName)!;
    const history = ((await contentOf(target, work.id)) as { history: Record<string, unknown> })
      .history;
    expect(JSON.stringify(history)).toContain(canaries.history);
    const env = restored.vaults.find((vault) => vault.name === 'env')!;
    // The naming rule came with the content, and the restored vault takes new writes.
    await target.withVault({ id: env.id }, async (vault) => {
      expect(await vault.nameStyle()).toBe('environment');
      await vault.set('NEW_ONE', 'after restore');
      expect(await vault.get('NEW_ONE')).toBe('after restore');
    });
  });

  it('restores into a profile that has a vault of the same name, as a new vault', async () => {
    const { session } = await source();
    const { contents } = await collectBackup(session);
    const file = await sealBackup(contents, backupPassphrase, fileOptions);

    const other = testCoffer();
    const target = await other.coffer.createProfile('pw');
    const mine = await target.createVault(canaries.vaultName);
    await target.withVault({ id: mine.id }, (vault) => vault.set('mine', 'untouched'));
    await target.saveSettings({ autoLockMinutes: 1 });
    const restored = await restoreBackup(
      target,
      await openBackup(file, backupPassphrase, fileOptions),
    );

    expect(restored.renamed.get(canaries.vaultName)).toBe(`${canaries.vaultName} (restored)`);
    expect((await target.listVaults()).map((vault) => vault.name).sort()).toEqual(
      [canaries.vaultName, `${canaries.vaultName} (restored)`, 'env'].sort(),
    );
    expect(await entriesOf(target, mine.id)).toEqual({
      mine: expect.objectContaining({ value: 'untouched' }),
    });
    // Settings stay as they are unless asked.
    expect(restored.settingsRestored).toBe(false);
    expect(await target.loadSettings()).toEqual({ autoLockMinutes: 1 });

    // Restoring the same file again gives numbered names, still overwriting nothing.
    const again = await restoreBackup(
      target,
      await openBackup(file, backupPassphrase, fileOptions),
    );
    expect(again.vaults.map((vault) => vault.name).sort()).toEqual(
      [`${canaries.vaultName} (restored 2)`, 'env (restored)'].sort(),
    );
  });

  it('backs up one vault: only it, and no settings', async () => {
    const { session } = await source();
    const [first] = await session.listVaults();
    const { contents } = await collectBackup(session, { vaults: [first!.id] });
    expect(contents.scope).toBe('vault');
    expect(contents.settings).toBeNull();
    expect(contents.vaults.map((vault) => vault.name)).toEqual([first!.name]);
  });

  it('reads a vault this session has open without waiting for its lock', async () => {
    const { session } = await source();
    const [first] = await session.listVaults();
    const open = await session.openVault({ id: first!.id });
    const { contents } = await collectBackup(session);
    expect(contents.vaults).toHaveLength(2);
    expect(open.closed).toBe(false);
    await open.close();
  });

  it('a failed write part way deletes the vaults it made, and nothing else changes', async () => {
    const { session } = await source();
    const { contents } = await collectBackup(session);
    const other = testCoffer();
    const target = await other.coffer.createProfile('pw');
    const kept = await target.createVault('kept');
    await target.withVault({ id: kept.id }, (vault) => vault.set('a', 1));
    const before = await target.listVaults();
    const create = target.createVault.bind(target);
    let calls = 0;
    vi.spyOn(target, 'createVault').mockImplementation(async (name, options) => {
      calls++;
      if (calls === 2) throw new StorageFullError('creating the vault');
      return create(name, options);
    });
    await expect(restoreBackup(target, contents, { settings: 'replace' })).rejects.toBeInstanceOf(
      StorageFullError,
    );
    expect(await target.listVaults()).toEqual(before);
    expect(await entriesOf(target, kept.id)).toEqual({ a: expect.objectContaining({ value: 1 }) });
    expect(await target.loadSettings()).toBeUndefined();
    // The half-made vault's catalog row and content rows are gone, not just hidden.
    expect(await other.db.strict.vaults.count()).toBe(1);
    const rows = [
      ...(await other.db.strict.updates.toArray()),
      ...(await other.db.strict.snapshots.toArray()),
    ];
    expect(rows.length).toBeGreaterThan(0);
    expect(new Set(rows.map((row) => row.vault))).toEqual(new Set([kept.id]));
    expect(await dumpDatabase(other.db)).not.toContain(canaries.vaultName);
  });
});
