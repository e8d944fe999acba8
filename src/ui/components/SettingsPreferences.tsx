import { retentionDaysLabel } from '../state/audit-view';
import { useServices } from '../state/context';
import {
  auditRetentionDayChoices,
  auditRetentionRecordChoices,
  autoLockChoices,
  clipboardChoices,
  hookTimeLimitChoices,
  pageSizeChoices,
  type Settings,
} from '../state/settings';
import { SettingsSelect } from './SettingsSelect';

const themeOptions = [
  { value: 'system', label: 'Same as the system' },
  { value: 'light', label: 'Light' },
  { value: 'dark', label: 'Dark' },
] as const;

function minutes(count: number): string {
  return count === 1 ? '1 minute' : `${count} minutes`;
}

/** The preferences, each saved (sealed in the profile) the moment it changes. */
export function SettingsPreferences() {
  const { app } = useServices();
  const save = (patch: Partial<Settings>) => app.updateSettings(patch);
  return (
    <section class="settings-section" aria-labelledby="settings-preferences">
      <h3 id="settings-preferences">Preferences</h3>
      <SettingsSelect
        id="setting-auto-lock"
        label="Lock after inactivity"
        hint="Every tab locks after this long without a key press, click or scroll in any of them."
        value={String(app.settings().autoLockMinutes)}
        options={autoLockChoices.map((value) => ({ value: String(value), label: minutes(value) }))}
        onSave={(value) => save({ autoLockMinutes: Number(value) })}
      />
      <SettingsSelect
        id="setting-clipboard"
        label="Clear copied values after"
        hint="A copied value is wiped from the clipboard after this delay, unless you copied something else since."
        value={String(app.settings().clipboardClearSeconds)}
        options={clipboardChoices.map((value) => ({
          value: String(value),
          label: `${value} seconds`,
        }))}
        onSave={(value) => save({ clipboardClearSeconds: Number(value) })}
      />
      <SettingsSelect
        id="setting-page-size"
        label="Entries per page"
        hint="How many entries a vault's list shows at once."
        value={String(app.settings().pageSize)}
        options={pageSizeChoices.map((value) => ({ value: String(value), label: String(value) }))}
        onSave={(value) => save({ pageSize: Number(value) })}
      />
      <SettingsSelect
        id="setting-theme"
        label="Theme"
        hint="Light or dark, or follow this device's setting."
        value={app.settings().theme}
        options={themeOptions}
        onSave={(value) => save({ theme: value as Settings['theme'] })}
      />
      <SettingsSelect
        id="setting-hook-time-limit"
        label="Hook time limit"
        hint="An integration's before or after hook is stopped if it runs longer than this. Waiting for a vault open elsewhere does not count."
        value={String(app.settings().hookTimeLimitSeconds)}
        options={hookTimeLimitChoices.map((value) => ({
          value: String(value),
          label: `${value} seconds`,
        }))}
        onSave={(value) => save({ hookTimeLimitSeconds: Number(value) })}
      />
      <SettingsSelect
        id="setting-audit-days"
        label="Keep audit records for"
        hint="Older records of a vault's audit log are removed when the vault is opened here; what is kept still verifies."
        value={String(app.settings().auditRetentionDays)}
        options={auditRetentionDayChoices.map((value) => ({
          value: String(value),
          label: retentionDaysLabel(value),
        }))}
        onSave={(value) => save({ auditRetentionDays: Number(value) })}
      />
      <SettingsSelect
        id="setting-audit-records"
        label="Keep at most, per vault"
        hint="When a vault's audit log holds more records than this, the oldest are removed."
        value={String(app.settings().auditRetentionRecords)}
        options={auditRetentionRecordChoices.map((value) => ({
          value: String(value),
          label: `${value.toLocaleString('en')} audit records`,
        }))}
        onSave={(value) => save({ auditRetentionRecords: Number(value) })}
      />
    </section>
  );
}
