import { createResource, createSignal, createUniqueId, Show } from 'solid-js';
import { useServices } from '../state/context';
import { parseSignalingUrls } from '../state/settings';

/**
 * Sync settings: this device's name as other devices see it, and the signaling relays that
 * introduce devices to each other (this server's own by default; they only see room names).
 */
export function SettingsSync() {
  const { app, sync } = useServices();
  const nameId = createUniqueId();
  const nameStatusId = createUniqueId();
  const relaysId = createUniqueId();
  const relaysStatusId = createUniqueId();
  const [device, { mutate }] = createResource(() => app.session().device());
  const [name, setName] = createSignal<string | undefined>();
  const [nameStatus, setNameStatus] = createSignal<{ ok: boolean; text: string } | undefined>();
  const [relays, setRelays] = createSignal(app.settings().signalingUrls.join('\n'));
  const [relaysStatus, setRelaysStatus] = createSignal<{ ok: boolean; text: string } | undefined>();

  const saveName = async (event: SubmitEvent) => {
    event.preventDefault();
    const value = (name() ?? device()?.name ?? '').trim();
    if (value.length === 0 || value.length > 100) {
      setNameStatus({ ok: false, text: 'A device name has 1 to 100 characters.' });
      return;
    }
    try {
      await app.session().setDeviceName(value);
      const current = device();
      if (current) mutate({ ...current, name: value });
      setNameStatus({ ok: true, text: 'Saved. Vaults show it from their next opening.' });
    } catch (error) {
      setNameStatus({ ok: false, text: error instanceof Error ? error.message : String(error) });
    }
  };
  const saveRelays = async (event: SubmitEvent) => {
    event.preventDefault();
    const parsed = parseSignalingUrls(relays());
    if ('problem' in parsed) {
      setRelaysStatus({ ok: false, text: parsed.problem });
      return;
    }
    try {
      await app.updateSettings({ signalingUrls: parsed.urls });
      setRelaysStatus({
        ok: true,
        text: 'Saved. Vaults use them from their next opening.',
      });
    } catch (error) {
      setRelaysStatus({ ok: false, text: error instanceof Error ? error.message : String(error) });
    }
  };

  return (
    <section class="settings-section" aria-labelledby="settings-sync">
      <h3 id="settings-sync">Sync</h3>
      <form onSubmit={saveName} class="field">
        <label for={nameId}>This device's name</label>
        <div class="input-row">
          <input
            id={nameId}
            type="text"
            maxLength={100}
            autocomplete="off"
            value={name() ?? device()?.name ?? ''}
            aria-describedby={nameStatusId}
            onInput={(event) => {
              setName(event.currentTarget.value);
              setNameStatus(undefined);
            }}
          />
          <button type="submit" class="secondary">
            Save name
          </button>
        </div>
        <span id={nameStatusId} class={nameStatus()?.ok === false ? 'error-text' : 'hint'}>
          {nameStatus()?.text ?? 'Other devices of your vaults see this name in their device list.'}
        </span>
      </form>
      <form onSubmit={saveRelays} class="field">
        <label for={relaysId}>Signaling relays</label>
        <textarea
          id={relaysId}
          rows={3}
          spellcheck={false}
          placeholder={sync.defaultSignaling}
          value={relays()}
          aria-describedby={relaysStatusId}
          onInput={(event) => {
            setRelays(event.currentTarget.value);
            setRelaysStatus(undefined);
          }}
        />
        <span id={relaysStatusId} class={relaysStatus()?.ok === false ? 'error-text' : 'hint'}>
          <Show
            when={relaysStatus()}
            fallback={
              <>
                One WebSocket URL per line. Empty: this server's own relay. A relay introduces
                devices to each other; it sees derived room names, never a vault's name, key or
                contents. No public relay or STUN server is used unless you add it.
              </>
            }
          >
            {(status) => status().text}
          </Show>
        </span>
        <div class="button-row">
          <button type="submit" class="secondary">
            Save relays
          </button>
        </div>
      </form>
    </section>
  );
}
