import { useServices } from '../state/context';
import '../styles/settings.css';
import { RecoverySettings } from './RecoverySettings';
import { SettingsBackup } from './SettingsBackup';
import { SettingsPassphrase } from './SettingsPassphrase';
import { SettingsPreferences } from './SettingsPreferences';
import { SettingsProviders } from './SettingsProviders';
import { SettingsStorage } from './SettingsStorage';
import { SettingsSync } from './SettingsSync';

/**
 * The settings screen: preferences, locking, sync, outside secrets managers, the passphrase,
 * the recovery kit, and what the browser keeps.
 */
export function SettingsPage() {
  const { app } = useServices();
  return (
    <div class="settings">
      <h2>Settings</h2>
      <SettingsPreferences />
      <section class="settings-section" aria-labelledby="settings-lock">
        <h3 id="settings-lock">Lock</h3>
        <p>Locking drops the keys from memory in every tab. Unlocking needs your passphrase.</p>
        <div class="button-row">
          <button type="button" onClick={() => void app.lock('manual')}>
            Lock now
          </button>
        </div>
      </section>
      <SettingsSync />
      <SettingsProviders />
      <SettingsPassphrase />
      <RecoverySettings />
      <SettingsBackup />
      <SettingsStorage />
    </div>
  );
}
