/**
 * Errors of entry history. They name the entry (by id) and the position asked for; never a
 * value, since versions of secrets are secrets.
 */
import { CofferError } from '../../errors';

/**
 * No version at this position of the entry's history (pruned, or never there).
 * @example
 * try { await vault.restoreVersion(id, 99); } catch (e) { if (e instanceof VersionNotFoundError) refresh(); }
 */
export class VersionNotFoundError extends CofferError {
  override readonly name = 'VersionNotFoundError';
  override readonly code = 'version-not-found' as const;
  constructor(
    readonly entryId: string,
    readonly index: number,
    readonly count: number,
  ) {
    super(
      `entry ${entryId} has no version ${String(index)} (it has ${count} version${count === 1 ? '' : 's'})`,
    );
  }
}

/**
 * The entry is not among the recently deleted (restored already, purged, or never deleted).
 * @example
 * try { await vault.restoreDeleted(id); } catch (e) { if (e instanceof DeletedEntryNotFoundError) refresh(); }
 */
export class DeletedEntryNotFoundError extends CofferError {
  override readonly name = 'DeletedEntryNotFoundError';
  override readonly code = 'deleted-entry-not-found' as const;
  constructor(readonly entryId: string) {
    super(`entry ${entryId} is not among the recently deleted entries of this vault`);
  }
}

/**
 * A retention setting out of range or not a whole number; nothing was changed.
 * @example
 * try { await vault.setHistorySettings({ versionsPerEntry: 0 }); } catch (e) { if (e instanceof HistorySettingsError) show(e.setting); }
 */
export class HistorySettingsError extends CofferError {
  override readonly name = 'HistorySettingsError';
  override readonly code = 'history-settings-invalid' as const;
  constructor(
    readonly setting: 'versionsPerEntry' | 'deletedDays' | 'settings',
    readonly expected: string,
    readonly received: string,
  ) {
    super(`the history setting ${setting} must be ${expected}, not ${received}`);
  }
}
