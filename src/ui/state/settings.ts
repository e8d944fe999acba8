/** The user's preferences, saved sealed in the profile (see Session.saveSettings). */
export interface Settings {
  /** Lock every tab after this many minutes without input in any of them. */
  readonly autoLockMinutes: number;
  /** Clear the clipboard this many seconds after a copy, if it still holds the copied value. */
  readonly clipboardClearSeconds: number;
  /** Entries per page in a vault's list. */
  readonly pageSize: number;
  readonly theme: 'system' | 'light' | 'dark';
  /**
   * WebSocket URLs of the signaling relays that introduce devices to each other. Empty: the
   * relay of the server Coffer is loaded from. Relays only see derived room names.
   */
  readonly signalingUrls: readonly string[];
  /**
   * WebSocket URLs of the mailbox relays where sealed changes wait for devices that are closed
   * (docs/sync.md, "The mailbox relay"). Empty: the relay of the server Coffer is loaded from.
   */
  readonly relayUrls: readonly string[];
  /** Whether vaults use the mailbox relays at all (off: devices sync only while both are open). */
  readonly relayEnabled: boolean;
  /** The vault opened last, reopened after the next unlock (by id). */
  readonly lastVaultId: string | null;
  /**
   * The user dismissed the "browser may delete Coffer's data" notice while storage was not
   * persisted. Cleared when storage becomes persisted, so the notice returns if it stops being.
   */
  readonly evictionNoticeDismissed: boolean;
  /** How long an integration's before or after hook may run, in seconds. */
  readonly hookTimeLimitSeconds: number;
  /** Audit records older than this many days are trimmed (docs/audit.md, "Retention"). */
  readonly auditRetentionDays: number;
  /** At most this many audit records per vault; the oldest are trimmed. */
  readonly auditRetentionRecords: number;
  /** When the last backup of the profile or of a vault was made (ms), or null: never. */
  readonly lastBackupAt: number | null;
  /** When the backup reminder was last dismissed (ms): it stays away for one period after. */
  readonly backupReminderDismissedAt: number | null;
}

export const defaultSettings: Settings = {
  autoLockMinutes: 5,
  clipboardClearSeconds: 30,
  pageSize: 10,
  theme: 'system',
  signalingUrls: [],
  relayUrls: [],
  relayEnabled: true,
  lastVaultId: null,
  evictionNoticeDismissed: false,
  hookTimeLimitSeconds: 10,
  auditRetentionDays: 365,
  auditRetentionRecords: 20_000,
  lastBackupAt: null,
  backupReminderDismissedAt: null,
};

/**
 * Checks signaling relay URLs typed one per line: each must be ws:// or wss://, at most 5.
 * Returns the URLs, or a message saying which line is wrong and why.
 */
export function parseSignalingUrls(
  text: string,
): { readonly urls: string[] } | { readonly problem: string } {
  const lines = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
  if (lines.length > 5) return { problem: `Give at most 5 relays; there are ${lines.length}.` };
  const urls: string[] = [];
  for (const [index, line] of lines.entries()) {
    let url: URL;
    try {
      url = new URL(line);
    } catch {
      return { problem: `Line ${index + 1} is not a URL.` };
    }
    if (url.protocol !== 'ws:' && url.protocol !== 'wss:')
      return {
        problem: `Line ${index + 1} must start with wss:// (or ws:// on your own network).`,
      };
    if (url.username || url.password)
      return { problem: `Line ${index + 1} has a user name or password in it; relays take none.` };
    urls.push(url.href);
  }
  return { urls };
}

/** Checks mailbox relay URLs typed one per line, by the same rules as signaling relays. */
export const parseRelayUrls = parseSignalingUrls;

/** Reads a saved list of relay URLs; anything invalid falls back to the default (empty). */
function savedUrls(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  const parsed = parseSignalingUrls(
    value.filter((u): u is string => typeof u === 'string').join('\n'),
  );
  return 'urls' in parsed ? parsed.urls : [];
}

export const autoLockChoices = [1, 2, 5, 10, 15, 30, 60] as const;
export const clipboardChoices = [10, 20, 30, 60, 90] as const;
export const pageSizeChoices = [10, 25, 50, 100] as const;
export const hookTimeLimitChoices = [2, 5, 10, 30, 60] as const;
export const auditRetentionDayChoices = [30, 90, 180, 365, 730, 1825] as const;
export const auditRetentionRecordChoices = [1_000, 5_000, 10_000, 20_000, 50_000] as const;

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
    signalingUrls: Array.isArray(s.signalingUrls)
      ? (() => {
          const parsed = parseSignalingUrls(
            s.signalingUrls.filter((u): u is string => typeof u === 'string').join('\n'),
          );
          return 'urls' in parsed ? parsed.urls : defaultSettings.signalingUrls;
        })()
      : defaultSettings.signalingUrls,
    relayUrls: savedUrls(s.relayUrls),
    relayEnabled: s.relayEnabled !== false,
    lastVaultId:
      typeof s.lastVaultId === 'string' && /^[A-Za-z0-9_-]{22}$/.test(s.lastVaultId)
        ? s.lastVaultId
        : null,
    evictionNoticeDismissed: s.evictionNoticeDismissed === true,
    hookTimeLimitSeconds: pick(
      s.hookTimeLimitSeconds,
      hookTimeLimitChoices,
      defaultSettings.hookTimeLimitSeconds,
    ),
    auditRetentionDays: pick(
      s.auditRetentionDays,
      auditRetentionDayChoices,
      defaultSettings.auditRetentionDays,
    ),
    auditRetentionRecords: pick(
      s.auditRetentionRecords,
      auditRetentionRecordChoices,
      defaultSettings.auditRetentionRecords,
    ),
    lastBackupAt: isTime(s.lastBackupAt) ? s.lastBackupAt : null,
    backupReminderDismissedAt: isTime(s.backupReminderDismissedAt)
      ? s.backupReminderDismissedAt
      : null,
  };
}

/** A time in ms since 1970 as settings keep one. */
const isTime = (value: unknown): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value) && value > 0;
