/** When the backup reminder shows, what a backup file is called, and lastBackupAt in settings. */
import { describe, expect, it } from 'vitest';
import { backupFileName, backupReminder } from '../../../src/ui/state/backup';
import { defaultSettings, parseSettings } from '../../../src/ui/state/settings';

const day = 24 * 60 * 60 * 1000;
const now = Date.UTC(2026, 11, 2, 12);
const never = { lastBackupAt: null, backupReminderDismissedAt: null };

describe('the backup reminder', () => {
  it('waits for the profile to hold something before asking for a first backup', () => {
    expect(backupReminder(never, { now, persisted: true, hasVaults: false }).due).toBe(false);
    expect(backupReminder(never, { now, persisted: true, hasVaults: true })).toEqual({
      due: true,
      never: true,
      days: 30,
    });
  });

  it('shows 30 days after the last backup, 7 where storage may be evicted', () => {
    const at = (days: number) => ({ ...never, lastBackupAt: now - days * day });
    const persisted = { now, persisted: true, hasVaults: true };
    const evictable = { now, persisted: false, hasVaults: true };
    expect(backupReminder(at(29), persisted).due).toBe(false);
    expect(backupReminder(at(30), persisted)).toEqual({ due: true, never: false, days: 30 });
    expect(backupReminder(at(6), evictable).due).toBe(false);
    expect(backupReminder(at(7), evictable)).toEqual({ due: true, never: false, days: 7 });
    // Not yet known whether storage persists: the longer period.
    expect(backupReminder(at(8), { ...persisted, persisted: undefined }).due).toBe(false);
  });

  it('stays away for one period after a dismissal, then comes back', () => {
    const settings = { lastBackupAt: now - 100 * day, backupReminderDismissedAt: now - 3 * day };
    expect(backupReminder(settings, { now, persisted: false, hasVaults: true }).due).toBe(false);
    expect(
      backupReminder(settings, { now: now + 4 * day, persisted: false, hasVaults: true }).due,
    ).toBe(true);
    const dismissedNever = { lastBackupAt: null, backupReminderDismissedAt: now - 29 * day };
    expect(backupReminder(dismissedNever, { now, persisted: true, hasVaults: true }).due).toBe(
      false,
    );
  });
});

describe('backup files and settings', () => {
  it('names the file after the day, and the vault for a vault backup', () => {
    expect(backupFileName(now)).toBe('coffer-backup-2026-12-02.coffer-backup');
    expect(backupFileName(now, 'Work / Prod é')).toBe(
      'coffer-backup-Work-Prod-e-2026-12-02.coffer-backup',
    );
    expect(backupFileName(now, '////')).toBe('coffer-backup-2026-12-02.coffer-backup');
  });

  it('keeps lastBackupAt and the dismissal time through the settings record, and drops junk', () => {
    expect(defaultSettings.lastBackupAt).toBeNull();
    const saved = parseSettings({ lastBackupAt: now, backupReminderDismissedAt: now - day });
    expect(saved.lastBackupAt).toBe(now);
    expect(saved.backupReminderDismissedAt).toBe(now - day);
    for (const junk of ['yesterday', -5, 1.5, Number.NaN, null, {}]) {
      expect(parseSettings({ lastBackupAt: junk }).lastBackupAt).toBeNull();
    }
  });
});

describe('restoring through the UI state', () => {
  it('takes the backup settings, forgets the old last vault, and counts the backup as made', async () => {
    const { testCoffer } = await import('../../support/coffer');
    const { collectBackup } = await import('../../../src/core/backup');
    const { restoreIntoProfile } = await import('../../../src/ui/state/backup');
    const source = await testCoffer().coffer.createProfile('pw');
    const vault = await source.createVault('kept');
    await source.saveSettings({ autoLockMinutes: 15, lastVaultId: vault.id, lastBackupAt: null });
    const { contents } = await collectBackup(source, { now: () => now });

    const target = await testCoffer().coffer.createProfile('pw');
    let settings = defaultSettings;
    const app = {
      session: () => target,
      settings: () => settings,
      updateSettings: async (patch: Partial<typeof settings>) => {
        settings = { ...settings, ...patch };
        await target.saveSettings({ ...settings });
      },
    };
    const summary = await restoreIntoProfile(app, contents, { replaceSettings: true });
    expect(summary.vaults).toEqual(['kept']);
    expect(settings.autoLockMinutes).toBe(15);
    expect(settings.lastVaultId).toBeNull();
    expect(settings.lastBackupAt).toBe(now);
    expect(parseSettings(await target.loadSettings()).lastBackupAt).toBe(now);
  });
});
