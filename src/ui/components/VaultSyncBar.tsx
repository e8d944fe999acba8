import '../styles/sync.css';
import { createSignal, Show } from 'solid-js';
import type { OpenVault } from '../state/open-vault';
import { activeMemberCount } from '../state/team-view';
import {
  describeRefused,
  describeRelayProblem,
  describeRelayState,
  describeSyncState,
  memberCount,
  refusedExplanation,
  relayExplanation,
  removedDevices,
} from '../state/vault-sync';
import { AuditLogDialog } from './AuditLogDialog';
import { ShareVaultDialog } from './ShareVaultDialog';
import { VaultDevicesDialog } from './VaultDevicesDialog';
import { VaultMembersDialog } from './VaultMembersDialog';
import { VaultProviderButton } from './VaultProviderButton';

const timeFormat = new Intl.DateTimeFormat(undefined, { timeStyle: 'short' });

/**
 * A vault's sync at a glance: offline / connecting / connected to N devices, when a change last
 * came in, entries to review; and the way to add a device and to see the devices. The Provider
 * button (its link to HashiCorp Vault or AWS) shows whether or not device sync runs.
 */
export function VaultSyncBar(props: { vault: OpenVault }) {
  const [dialog, setDialog] = createSignal<'share' | 'devices' | 'audit' | undefined>();
  // The provider link works without device sync, so its button shows in both cases.
  const providerButton = () => (
    <Show when={props.vault.provider}>
      {(provider) => <VaultProviderButton provider={provider()} vaultName={props.vault.name} />}
    </Show>
  );
  return (
    <Show
      when={props.vault.sync}
      fallback={
        <div class="sync-bar">
          <p class="sync-state muted" role="status">
            Sync is unavailable in this tab; the vault works here as usual.
          </p>
          {providerButton()}
        </div>
      }
    >
      {(sync) => (
        <div class="sync-bar">
          <p class="sync-state" role="status" aria-live="polite">
            <span class={`sync-dot ${sync().status().state}`} aria-hidden="true" />
            <span>
              {describeSyncState(
                sync().status(),
                memberCount(sync().devices()),
                removedDevices(sync().devices()),
              )}
            </span>
            <Show when={describeRelayState(sync().status())}>
              {(words) => (
                <span class="muted relay-state" title={relayExplanation}>
                  {' '}
                  · {words()}
                </span>
              )}
            </Show>
            <Show when={describeRefused(sync().status())}>
              {(words) => (
                <span class="muted" title={refusedExplanation}>
                  {' '}
                  · {words()}
                </span>
              )}
            </Show>
            <Show when={sync().status().lastReceivedAt}>
              {(at) => <span class="muted"> · last change received {timeFormat.format(at())}</span>}
            </Show>
            <Show when={sync().status().membership === 'joining'}>
              <span class="muted"> · waiting for the device that invited this one</span>
            </Show>
            <Show when={sync().reviews().length > 0}>
              <span class="badge warning">{sync().reviews().length} to review</span>
            </Show>
          </p>
          <div class="button-row">
            {providerButton()}
            <button type="button" class="secondary" onClick={() => setDialog('devices')}>
              {/* A vault with a team lists people and their devices; one without, devices. */}
              <Show when={sync().team()} fallback={<>Devices ({memberCount(sync().devices())})</>}>
                {(team) => <>Members ({activeMemberCount(team())})</>}
              </Show>
            </button>
            <Show when={props.vault.audit}>
              <button type="button" class="secondary" onClick={() => setDialog('audit')}>
                Audit log
              </button>
            </Show>
            <button
              type="button"
              class="secondary"
              disabled={sync().status().membership !== 'member'}
              onClick={() => setDialog('share')}
            >
              Add a device
            </button>
          </div>
          <Show when={dialog() === 'share'}>
            <ShareVaultDialog vault={props.vault} onClose={() => setDialog(undefined)} />
          </Show>
          <Show when={dialog() === 'devices'}>
            <Show
              when={sync().team() !== undefined}
              fallback={
                <VaultDevicesDialog vault={props.vault} onClose={() => setDialog(undefined)} />
              }
            >
              <VaultMembersDialog vault={props.vault} onClose={() => setDialog(undefined)} />
            </Show>
          </Show>
          <Show when={dialog() === 'audit' && props.vault.audit}>
            {(trail) => (
              <AuditLogDialog
                trail={trail()}
                vaultName={props.vault.name}
                onClose={() => setDialog(undefined)}
              />
            )}
          </Show>
          <Show when={describeRelayProblem(sync().status())}>
            {(words) => (
              <p class="notice warning relay-problem" role="status">
                {words()}
              </p>
            )}
          </Show>
          <Show when={sync().status().membership === 'removed'}>
            <p class="notice danger" role="alert">
              This device was removed from the vault by another device. Changes made here are no
              longer accepted by the others.
            </p>
          </Show>
        </div>
      )}
    </Show>
  );
}
