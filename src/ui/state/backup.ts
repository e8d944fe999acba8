/**
 * Backups for the UI (src/core/backup does the work): making a backup file of the profile or of
 * one vault, opening a chosen file, restoring it into this profile or into a new one on the
 * first-run screen, and when to remind the user. Components call these; they never touch core.
 */
import {
  type BackupContents,
  type BackupProgress,
  collectBackup,
  openBackup,
  restoreBackup,
  sealBackup,
} from '../../core/backup';
import type { KdfRunner } from '../../core/crypto';
import type { Session, VaultId, VaultSummary } from '../../core/profile';
import type { AppState } from './app-state';
import { browserBackupKdf } from './backup-kdf';
import { describeError } from './error-text';
import { parseSettings, type Settings } from './settings';

export type { BackupProgress };

/** The file a backup is downloaded as: `coffer-backup-2026-12-02.coffer-backup`. */
export function backupFileName(at: number, vaultName?: string): string {
  const day = new Date(at).toISOString().slice(0, 10);
  const part = vaultName
    ? `-${vaultName
        .normalize('NFKD')
        .replace(/[^A-Za-z0-9_-]+/g, '-')
        .replace(/^-+|-+$/g, '')
        .slice(0, 40)}`
    : '';
  return `coffer-backup${part === '-' ? '' : part}-${day}.coffer-backup`;
}

/** A backup made, ready to download, and what it left out. */
export interface MadeBackup {
  readonly bytes: Uint8Array;
  readonly fileName: string;
  readonly vaults: number;
  /** Memory-only vaults (their values live in an outside secrets manager) left out. */
  readonly leftOut: readonly string[];
  /** Vaults backed up with only what could be read of them. */
  readonly partial: readonly string[];
}

export interface BackupDeps {
  readonly kdf?: KdfRunner;
  readonly now?: () => number;
}

/**
 * Makes a backup file of the whole profile, or of one vault, and records `lastBackupAt`.
 * @example
 * const made = await makeBackup(app, passphrase, { onProgress });
 */
export async function makeBackup(
  app: Pick<AppState, 'session' | 'updateSettings'>,
  passphrase: string,
  options: {
    readonly vault?: Pick<VaultSummary, 'id' | 'name'>;
    readonly onProgress?: (progress: BackupProgress) => void;
  } & BackupDeps = {},
): Promise<MadeBackup> {
  const now = options.now ?? Date.now;
  const session = app.session();
  const collected = await collectBackup(session, {
    ...(options.vault ? { vaults: [options.vault.id as VaultId] } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    now,
  });
  const bytes = await sealBackup(collected.contents, passphrase, {
    kdf: options.kdf ?? browserBackupKdf(),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  const at = now();
  await app.updateSettings({ lastBackupAt: at, backupReminderDismissedAt: null });
  return {
    bytes,
    fileName: backupFileName(at, options.vault?.name),
    vaults: collected.contents.vaults.length,
    leftOut: collected.memoryOnly.map((vault) => vault.name),
    partial: collected.partial.map((vault) => vault.name),
  };
}

/** Opens a backup file whole (nothing is written): rejects with the backup errors. */
export function openBackupFile(
  bytes: Uint8Array,
  passphrase: string,
  options: { readonly onProgress?: (progress: BackupProgress) => void } & BackupDeps = {},
): Promise<BackupContents> {
  return openBackup(bytes, passphrase, {
    kdf: options.kdf ?? browserBackupKdf(),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
}

/** What a restore added, in words for the screen. */
export interface RestoreSummary {
  readonly vaults: readonly string[];
  readonly renamed: readonly { readonly from: string; readonly to: string }[];
  readonly settingsRestored: boolean;
}

/**
 * Adds an opened backup's vaults to the unlocked profile as new vaults (a taken name gets
 * " (restored)"); with `replaceSettings`, its settings too (this tab's settings follow).
 */
export async function restoreIntoProfile(
  app: Pick<AppState, 'session' | 'updateSettings' | 'settings'>,
  contents: BackupContents,
  options: {
    readonly replaceSettings?: boolean;
    readonly onProgress?: (progress: BackupProgress) => void;
  } = {},
): Promise<RestoreSummary> {
  const session: Session = app.session();
  const restored = await restoreBackup(session, contents, {
    settings: options.replaceSettings ? 'replace' : 'keep',
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  if (restored.settingsRestored && contents.settings) {
    // The vault opened last was the original's: its id means nothing here. The backup itself
    // is a backup of what was just restored, made when the file was.
    const saved = parseSettings(contents.settings);
    const next: Settings = {
      ...saved,
      lastVaultId: null,
      lastBackupAt: Math.max(saved.lastBackupAt ?? 0, contents.createdAt),
    };
    await app.updateSettings(next);
  }
  return {
    vaults: restored.vaults.map((vault) => vault.name),
    renamed: [...restored.renamed].map(([from, to]) => ({ from, to })),
    settingsRestored: restored.settingsRestored,
  };
}

/**
 * Restores into a new profile, from the first-run screen: the file is opened whole first (so a
 * wrong passphrase or a damaged file creates nothing), then the profile is made with its own
 * passphrase, then the vaults and settings are added.
 */
export async function restoreIntoNewProfile(
  app: Pick<AppState, 'session' | 'updateSettings' | 'settings' | 'createProfile'>,
  contents: BackupContents,
  profilePassphrase: string,
  options: { readonly onProgress?: (progress: BackupProgress) => void } = {},
): Promise<RestoreSummary> {
  await app.createProfile(profilePassphrase);
  return restoreIntoProfile(app, contents, {
    replaceSettings: contents.settings !== null,
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
}

const day = 24 * 60 * 60 * 1000;

/** Days without a backup before the reminder shows: 30, or 7 where storage may be evicted. */
export const reminderDays = { persisted: 30, evictable: 7 } as const;

/** Whether to remind the user to make a backup, and why. */
export type BackupReminder =
  | { readonly due: false }
  | { readonly due: true; readonly never: boolean; readonly days: number };

/**
 * Due when no backup was made for the period (30 days; 7 where the browser refused persistent
 * storage), or never once the profile has vaults; a dismissal hides it for one period.
 * @example
 * backupReminder({ lastBackupAt: null, backupReminderDismissedAt: null }, { now, persisted: false, hasVaults: true });
 */
export function backupReminder(
  settings: Pick<Settings, 'lastBackupAt' | 'backupReminderDismissedAt'>,
  context: {
    readonly now: number;
    readonly persisted: boolean | undefined;
    readonly hasVaults: boolean;
  },
): BackupReminder {
  const days = context.persisted === false ? reminderDays.evictable : reminderDays.persisted;
  const period = days * day;
  const { lastBackupAt, backupReminderDismissedAt: dismissed } = settings;
  if (lastBackupAt === null && !context.hasVaults) return { due: false };
  const since = Math.max(
    lastBackupAt ?? Number.NEGATIVE_INFINITY,
    dismissed ?? Number.NEGATIVE_INFINITY,
  );
  if (context.now - since < period) return { due: false };
  return { due: true, never: lastBackupAt === null, days };
}

/** Reads a file the user chose into bytes (a File or Blob). */
export async function readChosenFile(file: Blob): Promise<Uint8Array> {
  return new Uint8Array(await file.arrayBuffer());
}

/** Words for a failed backup or restore: the backup errors' own, else the error's. */
export function backupFailureText(error: unknown, doing: 'backup' | 'restore'): string {
  const text = describeError(error);
  return doing === 'backup' ? `The backup was not made. ${text}` : text;
}

/** What the progress bar says in each phase. */
export const progressLabel: Readonly<Record<BackupProgress['phase'], string>> = {
  collecting: 'Reading your vaults',
  deriving: 'Deriving the backup key',
  sealing: 'Encrypting the backup',
  opening: 'Decrypting the backup',
  restoring: 'Restoring vaults',
};
