/**
 * Sentences for the history errors (src/core/vault/history), chosen by code. Never a value:
 * versions of secrets are secrets.
 */
import type {
  DeletedEntryNotFoundError,
  HistorySettingsError,
  VersionNotFoundError,
} from '../../core/vault';

export type HistoryCoreError =
  | VersionNotFoundError
  | DeletedEntryNotFoundError
  | HistorySettingsError;

const settingWords = {
  versionsPerEntry: 'Versions kept per entry',
  deletedDays: 'Days a deleted entry is kept',
  settings: 'History settings',
} as const;

/**
 * What went wrong with a history action, in words a person can act on; nothing was changed.
 * @example
 * historyErrorText(new VersionNotFoundError(id, 3, 2)); // 'That version is no longer kept…'
 */
export function historyErrorText(error: HistoryCoreError): string {
  switch (error.code) {
    case 'version-not-found':
      return 'That version is no longer kept (the history changed, perhaps on another device). Nothing was changed.';
    case 'deleted-entry-not-found':
      return 'That entry is no longer among the recently deleted (it was restored or purged, perhaps on another device). Nothing was changed.';
    case 'history-settings-invalid':
      return `${settingWords[error.setting]} must be ${error.expected}. Nothing was changed.`;
  }
}
