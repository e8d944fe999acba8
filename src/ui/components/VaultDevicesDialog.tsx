import '../styles/sync.css';
import { createSignal, For, Show } from 'solid-js';
import type { SyncStatus } from '../../core/sync';
import type { OpenVault } from '../state/open-vault';
import { describeRefused, refusedExplanation, removalConsequences } from '../state/vault-sync';
import { Dialog } from './Dialog';

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/**
 * The devices that hold this vault: which is this one, which are online now, which were
 * removed; and removing one (after a confirmation that says what removal does and does not do).
 */
export function VaultDevicesDialog(props: { vault: OpenVault; onClose: () => void }) {
  const sync = () => props.vault.sync!;
  const [removing, setRemoving] = createSignal<{ id: string; name: string } | undefined>();
  const [failure, setFailure] = createSignal<string | undefined>();
  const online = () => new Set(sync().status().peerDevices);
  const confirmRemove = async () => {
    const target = removing();
    if (!target) return;
    setFailure(undefined);
    try {
      await sync().removeDevice(target.id);
      setRemoving(undefined);
    } catch (error) {
      setFailure(error instanceof Error ? error.message : String(error));
    }
  };
  return (
    <Dialog
      open
      title="Devices that hold this vault"
      onClose={props.onClose}
      class="devices-dialog"
    >
      <ul class="device-list" aria-label="Devices">
        <For each={sync().devices()}>
          {(device) => (
            <li classList={{ removed: device.revokedAfterSeq !== undefined }}>
              <span class="device-name">
                {device.name}
                <Show when={device.id === sync().thisDevice}>
                  <span class="badge">this device</span>
                </Show>
                <Show when={online().has(device.id)}>
                  <span class="badge ok">online now</span>
                </Show>
                <Show when={device.revokedAfterSeq !== undefined}>
                  <span class="badge danger">removed</span>
                </Show>
              </span>
              <span class="muted device-added">
                Added {dateFormat.format(device.addedAt)}
                {/* Two devices often share a name ("Chrome on Windows"): the key tells them apart. */}
                <span class="device-key" title="The start of this device's public key">
                  {' '}
                  · key {device.id.slice(0, 8)}
                </span>
              </span>
              <Show when={device.id !== sync().thisDevice && device.revokedAfterSeq === undefined}>
                <button
                  type="button"
                  class="secondary"
                  aria-label={`Remove ${device.name}`}
                  onClick={() => setRemoving({ id: device.id, name: device.name })}
                >
                  Remove
                </button>
              </Show>
            </li>
          )}
        </For>
      </ul>
      <RefusedChanges status={sync().status()} />
      <Show when={removing()}>
        {(target) => (
          <div class="notice danger" role="alert">
            <p>
              <strong>Remove {target().name}?</strong>
            </p>
            <ul>
              <For each={removalConsequences}>{(sentence) => <li>{sentence}</li>}</For>
            </ul>
            <Show when={failure()}>
              <p>Could not remove it: {failure()}</p>
            </Show>
            <div class="button-row">
              <button type="button" class="secondary" onClick={() => setRemoving(undefined)}>
                Keep it
              </button>
              <button type="button" class="danger" onClick={() => void confirmRemove()}>
                Remove device
              </button>
            </div>
          </div>
        )}
      </Show>
      <div class="dialog-actions">
        <button type="button" onClick={() => props.onClose()}>
          Close
        </button>
      </div>
    </Dialog>
  );
}

/** "3 changes refused since this vault was opened", and what that means; nothing if none were. */
export function RefusedChanges(props: { status: SyncStatus }) {
  return (
    <Show when={describeRefused(props.status)}>
      {(words) => (
        <p class="muted">
          {words()} since this vault was opened. {refusedExplanation}
        </p>
      )}
    </Show>
  );
}
