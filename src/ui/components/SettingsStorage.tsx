import { Match, Switch } from 'solid-js';
import { useServices } from '../state/context';

/** Whether the browser promised to keep Coffer's data, and what that means when it did not. */
export function SettingsStorage() {
  const { storage } = useServices();
  return (
    <section class="settings-section" aria-labelledby="settings-storage">
      <h3 id="settings-storage">Storage on this device</h3>
      <Switch>
        <Match when={storage.persisted() === true}>
          <p class="notice ok">
            <strong>Persistent storage is on.</strong> The browser will not delete Coffer's data to
            free up space.
          </p>
        </Match>
        <Match when={storage.persisted() !== true}>
          <div class="notice warning">
            <p>
              <strong>
                {storage.persisted() === false
                  ? 'Persistent storage was not granted.'
                  : 'This browser has not said whether it will keep Coffer’s data.'}
              </strong>
            </p>
            <p class="settings-last">
              Coffer's vaults live only in this browser. The browser may delete them when the device
              runs short of space, and Safari deletes them after 7 days without a visit. Keep a
              synced device or a backup so you never depend on this browser alone.
            </p>
          </div>
        </Match>
      </Switch>
    </section>
  );
}
