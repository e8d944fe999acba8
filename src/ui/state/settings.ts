/** The user's preferences, saved sealed in the profile (see Session.saveSettings). */
export interface Settings {
  /** Lock every tab after this many minutes without input in any of them. */
  readonly autoLockMinutes: number;
  /** Clear the clipboard this many seconds after a copy, if it still holds the copied value. */
  readonly clipboardClearSeconds: number;
  /** Entries per page in a vault's list. */
  readonly pageSize: number;
  readonly theme: 'system' | 'light' | 'dark';
}

export const defaultSettings: Settings = {
  autoLockMinutes: 5,
  clipboardClearSeconds: 30,
  pageSize: 10,
  theme: 'system',
};

export const autoLockChoices = [1, 2, 5, 10, 15, 30, 60] as const;
export const clipboardChoices = [10, 20, 30, 60, 90] as const;
export const pageSizeChoices = [10, 25, 50, 100] as const;

/** Reads saved settings, keeping only known keys with sensible values. */
export function parseSettings(saved: unknown): Settings {
  if (typeof saved !== 'object' || saved === null) return defaultSettings;
  const s = saved as Record<string, unknown>;
  const pick = <T>(value: unknown, allowed: readonly T[], fallback: T): T =>
    allowed.includes(value as T) ? (value as T) : fallback;
  return {
    autoLockMinutes: pick(s.autoLockMinutes, autoLockChoices, defaultSettings.autoLockMinutes),
    clipboardClearSeconds: pick(
      s.clipboardClearSeconds,
      clipboardChoices,
      defaultSettings.clipboardClearSeconds,
    ),
    pageSize: pick(s.pageSize, pageSizeChoices, defaultSettings.pageSize),
    theme: pick(s.theme, ['system', 'light', 'dark'] as const, defaultSettings.theme),
  };
}
