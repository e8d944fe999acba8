/**
 * Retention: how many versions each entry keeps and how many days a deleted entry stays
 * restorable. Kept in the vault's `meta` map, so every device of the vault prunes alike.
 */
import type * as Y from 'yjs';
import { MetaKey } from '../entry-doc';
import { HistorySettingsError } from './errors';

/**
 * A vault's retention.
 * @example
 * const settings: HistorySettings = { versionsPerEntry: 50, deletedDays: 90 };
 */
export interface HistorySettings {
  /** Versions kept per entry, the current one included (1 to MAX_VERSIONS_PER_ENTRY). */
  readonly versionsPerEntry: number;
  /** Days a deleted entry can be restored (1 to MAX_DELETED_DAYS), by the deleting device's clock. */
  readonly deletedDays: number;
}

/** The defaults of issue 17: 50 versions, 90 days. */
export const DEFAULT_HISTORY_SETTINGS: HistorySettings = Object.freeze({
  versionsPerEntry: 50,
  deletedDays: 90,
});

/** Upper bounds: enough for anyone, and a bound on what one vault may grow to. */
export const MAX_VERSIONS_PER_ENTRY = 1000;
export const MAX_DELETED_DAYS = 3650;

const DAY_MS = 86_400_000;

/** A day in milliseconds, for expiry arithmetic. */
export const dayMs = DAY_MS;

function wholeIn(raw: unknown, min: number, max: number): number | undefined {
  return typeof raw === 'number' && Number.isInteger(raw) && raw >= min && raw <= max
    ? raw
    : undefined;
}

/**
 * The vault's retention: a stored value out of range (a newer or damaged peer) reads as the
 * default, so a bad value can never make a device prune everything.
 * @example
 * readHistorySettings(doc.getMap('meta')).versionsPerEntry; // 50
 */
export function readHistorySettings(meta: Y.Map<unknown>): HistorySettings {
  return {
    versionsPerEntry:
      wholeIn(meta.get(MetaKey.historyVersions), 1, MAX_VERSIONS_PER_ENTRY) ??
      DEFAULT_HISTORY_SETTINGS.versionsPerEntry,
    deletedDays:
      wholeIn(meta.get(MetaKey.deletedDays), 1, MAX_DELETED_DAYS) ??
      DEFAULT_HISTORY_SETTINGS.deletedDays,
  };
}

const shown = (raw: unknown): string =>
  typeof raw === 'number' ? String(raw) : raw === null ? 'null' : typeof raw;

/**
 * Checks a change of settings; throws HistorySettingsError naming the first bad one.
 * @example
 * checkHistorySettings({ versionsPerEntry: 20 }); // ok
 */
export function checkHistorySettings(change: unknown): Partial<HistorySettings> {
  if (typeof change !== 'object' || change === null || Array.isArray(change)) {
    throw new HistorySettingsError('settings', 'an object', shown(change));
  }
  const { versionsPerEntry, deletedDays, ...rest } = change as Record<string, unknown>;
  const unknownKey = Object.keys(rest)[0];
  if (unknownKey !== undefined) {
    throw new HistorySettingsError(
      'settings',
      'versionsPerEntry and/or deletedDays',
      `a key ${JSON.stringify(unknownKey.slice(0, 40))}`,
    );
  }
  const out: { versionsPerEntry?: number; deletedDays?: number } = {};
  if (versionsPerEntry !== undefined)
    out.versionsPerEntry = checkedSetting('versionsPerEntry', versionsPerEntry);
  if (deletedDays !== undefined) out.deletedDays = checkedSetting('deletedDays', deletedDays);
  return out;
}

const settingMaximum: Readonly<Record<keyof HistorySettings, number>> = {
  versionsPerEntry: MAX_VERSIONS_PER_ENTRY,
  deletedDays: MAX_DELETED_DAYS,
};

/** `raw` when it is a whole number in the setting's range; HistorySettingsError otherwise. */
function checkedSetting(setting: keyof HistorySettings, raw: unknown): number {
  const value = wholeIn(raw, 1, settingMaximum[setting]);
  if (value === undefined)
    throw new HistorySettingsError(
      setting,
      `a whole number from 1 to ${settingMaximum[setting]}`,
      shown(raw),
    );
  return value;
}

/**
 * Writes checked settings into `meta`; call inside a transaction. Returns whether anything
 * changed.
 * @example
 * doc.transact(() => writeHistorySettings(meta, checkHistorySettings({ deletedDays: 30 })));
 */
export function writeHistorySettings(
  meta: Y.Map<unknown>,
  change: Partial<HistorySettings>,
): boolean {
  let changed = false;
  if (
    change.versionsPerEntry !== undefined &&
    meta.get(MetaKey.historyVersions) !== change.versionsPerEntry
  ) {
    meta.set(MetaKey.historyVersions, change.versionsPerEntry);
    changed = true;
  }
  if (change.deletedDays !== undefined && meta.get(MetaKey.deletedDays) !== change.deletedDays) {
    meta.set(MetaKey.deletedDays, change.deletedDays);
    changed = true;
  }
  return changed;
}
