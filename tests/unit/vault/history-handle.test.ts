/**
 * History through an open vault (the `Vault` view the UI gets): versions carry this device's
 * id, a restore is one saved change, restores and settings are refused as writes are (nothing
 * changes), and expired deleted entries are purged when the vault opens.
 */
import { describe, expect, it } from 'vitest';
import {
  DeletedEntryNotFoundError,
  HistorySettingsError,
  NameTakenError,
  VersionNotFoundError,
} from '../../../src/core/vault';
import { testCoffer } from '../../support/coffer';

const DAY = 86_400_000;

async function setup() {
  let now = 1_000_000;
  const { coffer } = testCoffer({ clock: () => now });
  const session = await coffer.createProfile('pw');
  const device = await session.device();
  const { id } = await session.createVault('v');
  const vault = await session.openVault({ id });
  return {
    session,
    vaultId: id,
    vault,
    deviceId: device.id,
    advance(ms: number) {
      now += ms;
    },
  };
}

describe('history on the Vault view', () => {
  it('records versions by this device, restores one as one saved change', async () => {
    const { vault, deviceId } = await setup();
    await vault.set('cfg', { port: 80 });
    await vault.set('cfg', { port: 443 });
    await vault.set('cfg', { port: 8443 });
    const { id } = (await vault.getEntry('cfg'))!;
    const versions = await vault.history(id);
    expect(versions.map((v) => v.value)).toEqual([{ port: 80 }, { port: 443 }, { port: 8443 }]);
    expect(versions.map((v) => v.by)).toEqual([deviceId, deviceId, deviceId]);
    expect(await vault.compareVersions(id, 0, 2)).toEqual([
      {
        path: ['value', 'port'],
        change: 'changed',
        before: 80,
        after: 8443,
        secret: false,
        hidden: false,
      },
    ]);
    const rows = vault.storedBytes;
    await vault.restoreVersion(id, 0);
    expect(await vault.get('cfg')).toEqual({ port: 80 });
    expect(vault.storedBytes).toBeGreaterThan(rows);
    expect((await vault.history(id)).length).toBe(4);
    await expect(vault.restoreVersion(id, 10)).rejects.toBeInstanceOf(VersionNotFoundError);
    expect(await vault.get('cfg')).toEqual({ port: 80 });
  });

  it('deleted entries are listed and restored; refusals change nothing', async () => {
    const { vault } = await setup();
    await vault.set('API_KEY', 'sk-1', { kind: 'secret', writeOnly: true });
    const { id } = (await vault.getEntry('API_KEY'))!;
    await vault.delete('API_KEY');
    const [listed] = await vault.deletedEntries();
    expect(listed).toMatchObject({ id, name: 'API_KEY', kind: 'secret', writeOnly: true });
    await vault.set('API_KEY', 'other');
    await expect(vault.restoreDeleted(id, 'API_KEY')).rejects.toBeInstanceOf(NameTakenError);
    expect(await vault.get('API_KEY')).toBe('other');
    expect(await vault.deletedEntries()).toHaveLength(1);
    const restored = await vault.restoreDeleted(id, 'API_KEY_OLD');
    expect(restored).toMatchObject({ id, name: 'API_KEY_OLD', writeOnly: true });
    expect(await vault.get('API_KEY_OLD')).toBe('sk-1');
    await expect(vault.restoreDeleted(id)).rejects.toBeInstanceOf(DeletedEntryNotFoundError);
  });

  it('bad settings reject with HistorySettingsError and change nothing', async () => {
    const { vault } = await setup();
    await vault.setHistorySettings({ versionsPerEntry: 10, deletedDays: 30 });
    await expect(vault.setHistorySettings({ versionsPerEntry: 0 })).rejects.toBeInstanceOf(
      HistorySettingsError,
    );
    await expect(
      vault.setHistorySettings({ versionsPerEntry: 5, deletedDays: 99_999 }),
    ).rejects.toBeInstanceOf(HistorySettingsError);
    expect(await vault.historySettings()).toEqual({ versionsPerEntry: 10, deletedDays: 30 });
  });

  it('history survives closing and opening; expired deleted entries are hidden, and purged by the next write', async () => {
    const { session, vaultId, vault, advance } = await setup();
    await vault.setHistorySettings({ deletedDays: 1 });
    await vault.set('gone', 1);
    await vault.set('kept', 1);
    await vault.set('kept', 2);
    const gone = (await vault.getEntry('gone'))!.id;
    const kept = (await vault.getEntry('kept'))!.id;
    await vault.delete('gone');
    await vault.close();
    let again = await session.openVault({ id: vaultId });
    expect((await again.history(kept)).map((v) => v.value)).toEqual([1, 2]);
    expect((await again.deletedEntries()).map((d) => d.id)).toEqual([gone]);
    await again.close();
    advance(DAY);
    again = await session.openVault({ id: vaultId });
    expect(await again.deletedEntries()).toEqual([]);
    expect(await again.history(gone)).toHaveLength(1);
    await again.set('marker', true);
    expect(await again.history(gone)).toEqual([]);
    await again.close();
  });
});
