import { createResource, createSignal, createUniqueId, Show } from 'solid-js';
import { useServices } from '../state/context';
import { parseRelayUrls, parseSignalingUrls } from '../state/settings';

/**
 * Sync settings: this device's name as other devices see it, the signaling relays that
 * introduce devices to each other (this server's own by default; they only see room names),
 * and the mailbox relays where sealed changes wait for devices that are closed.
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
      <MailboxRelaySettings />
    </section>
  );
}

/** The mailbox relays: on or off, and their addresses (this server's own by default). */
function MailboxRelaySettings() {
  const { app, sync } = useServices();
  const switchHintId = createUniqueId();
  const addressesId = createUniqueId();
  const statusId = createUniqueId();
  const [addresses, setAddresses] = createSignal(app.settings().relayUrls.join('\n'));
  const [status, setStatus] = createSignal<{ ok: boolean; text: string } | undefined>();
  const [switchProblem, setSwitchProblem] = createSignal<string | undefined>();

  const setEnabled = async (enabled: boolean) => {
    try {
      await app.updateSettings({ relayEnabled: enabled });
      setSwitchProblem(undefined);
    } catch (error) {
      setSwitchProblem(error instanceof Error ? error.message : String(error));
    }
  };
  const save = async (event: SubmitEvent) => {
    event.preventDefault();
    const parsed = parseRelayUrls(addresses());
    if ('problem' in parsed) {
      // What was typed stays in the field to be corrected; the saved addresses are unchanged.
      setStatus({ ok: false, text: parsed.problem });
      return;
    }
    try {
      await app.updateSettings({ relayUrls: parsed.urls });
      setStatus({ ok: true, text: 'Saved. Vaults use them from their next opening.' });
    } catch (error) {
      setStatus({ ok: false, text: error instanceof Error ? error.message : String(error) });
    }
  };

  return (
    <form onSubmit={save} class="field">
      <label class="checkbox">
        <input
          type="checkbox"
          role="switch"
          checked={app.settings().relayEnabled}
          aria-checked={app.settings().relayEnabled}
          aria-describedby={switchHintId}
          onChange={(event) => {
            const wanted = event.currentTarget.checked;
            // The switch follows the saved setting, not the click, until it is saved.
            event.currentTarget.checked = app.settings().relayEnabled;
            void setEnabled(wanted);
          }}
        />
        Use a relay for devices that are not open at the same time
      </label>
      <span id={switchHintId} class={switchProblem() ? 'error-text' : 'hint'}>
        {switchProblem() ??
          'The relay keeps sealed changes until your other devices next open; it only ever sees sealed bytes it cannot read, never a vault’s name, key or contents.'}
      </span>
      <label for={addressesId}>Relay addresses</label>
      <textarea
        id={addressesId}
        rows={2}
        spellcheck={false}
        placeholder={sync.defaultRelay}
        value={addresses()}
        disabled={!app.settings().relayEnabled}
        aria-describedby={statusId}
        onInput={(event) => {
          setAddresses(event.currentTarget.value);
          setStatus(undefined);
        }}
      />
      <span id={statusId} class={status()?.ok === false ? 'error-text' : 'hint'}>
        <Show
          when={status()}
          fallback={
            <>
              One WebSocket URL per line (wss://, or ws:// on your own network). Empty: this
              server's own relay. With several, changes go to each.
            </>
          }
        >
          {(current) => current().text}
        </Show>
      </span>
      <div class="button-row">
        <button type="submit" class="secondary" disabled={!app.settings().relayEnabled}>
          Save relay addresses
        </button>
      </div>
    </form>
  );
}
