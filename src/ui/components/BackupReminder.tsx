import { createResource, createSignal, onCleanup, Show } from 'solid-js';
import { backupReminder } from '../state/backup';
import { useServices } from '../state/context';

const minute = 60 * 1000;

/**
 * Reminds the user to make a backup: after 30 days without one (7 where the browser refused
 * persistent storage), or never made once the profile has vaults. Dismissing it hides it for
 * one period (the time is saved, sealed, with the settings).
 */
export function BackupReminder(props: { onBackup?: () => void }) {
  const { app, storage } = useServices();
  // Re-checked every minute (a tab left open for days still reminds), and whenever the settings
  // change (opening a vault records it there, so a first vault is seen at once).
  const [now, setNow] = createSignal(Date.now());
  const timer = setInterval(() => setNow(Date.now()), minute);
  onCleanup(() => clearInterval(timer));
  const [vaults] = createResource(
    () => ({ at: now(), settings: app.settings() }),
    () => app.session().listVaults(),
  );
  const reminder = () =>
    backupReminder(app.settings(), {
      now: now(),
      persisted: storage.persisted(),
      hasVaults: (vaults()?.length ?? 0) > 0,
    });
  const due = () => {
    const current = reminder();
    return current.due ? current : undefined;
  };
  return (
    <Show when={vaults() !== undefined && due()}>
      {(current) => (
        <section class="notice warning backup-reminder" aria-label="Backup reminder">
          <p class="settings-last">
            {current().never
              ? 'You have not made a backup yet.'
              : `No backup for ${current().days} days or more.`}{' '}
            Coffer keeps your vaults only in this browser
            {storage.persisted() === false ? ', which may delete them' : ''}: make an encrypted
            backup in Settings → Backup.
          </p>
          <div class="button-row">
            <Show when={props.onBackup}>
              <button type="button" class="small" onClick={() => props.onBackup?.()}>
                Back up now
              </button>
            </Show>
            <button
              type="button"
              class="secondary small"
              onClick={() =>
                void app
                  .updateSettings({ backupReminderDismissedAt: Date.now() })
                  .catch(() => undefined)
              }
            >
              Remind me later
            </button>
          </div>
        </section>
      )}
    </Show>
  );
}
