import { For, Show } from 'solid-js';
import type { MemberRecord, Role } from '../../core/team';
import { deviceSeenText, type PendingChange, roleLabels, roleOptionsFor } from '../state/team-view';
import type { VaultSyncView } from '../state/vault-sync';

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const timeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'short', timeStyle: 'short' });

/**
 * One member of a vault in the Members dialog: name, role, "you", its devices (online, last
 * seen, added, key), and the changes this device may make to it. A change this device may not
 * make is not offered: the dialog says once why (only the owner and admins manage members).
 */
export function VaultMemberItem(props: {
  sync: VaultSyncView;
  member: MemberRecord;
  /** Asks for a confirmation of a change (removals, handing over ownership). */
  onAsk: (change: PendingChange) => void;
  /** A role change, made at once; the dialog shows its failure. */
  onRole: (member: MemberRecord, role: Role) => Promise<boolean>;
}) {
  const team = () => props.sync.team()!;
  const mine = () => props.sync.me()?.id === props.member.id;
  const removed = () => props.member.removed !== undefined;
  const online = () => new Set(props.sync.status().peerDevices);
  const roleOptions = () =>
    removed() ? [] : roleOptionsFor(team(), props.sync.thisDevice, props.member);
  const may = (change: Parameters<VaultSyncView['may']>[0]) =>
    !removed() && props.sync.may(change).allowed;
  const devices = () =>
    props.member.devices.flatMap((id) => {
      const record = team().devices.get(id);
      return record ? [record] : [];
    });
  const seen = (id: string, deviceRemoved: boolean) => {
    // Read the status so that "last seen" follows sync's events (lastSeenAt is not a signal).
    props.sync.status();
    return deviceSeenText(
      {
        thisDevice: id === props.sync.thisDevice,
        online: online().has(id),
        removed: deviceRemoved,
      },
      props.sync.lastSeenAt(id),
      (ms) => timeFormat.format(ms),
    );
  };

  return (
    <li class="member" classList={{ removed: removed() }}>
      <div class="member-head">
        <span class="member-name">
          <strong>{props.member.name}</strong>
          <Show
            when={roleOptions().length > 1}
            fallback={<span class="badge role">{roleLabels[props.member.role]}</span>}
          >
            <select
              class="member-role"
              aria-label={`Role of ${props.member.name}`}
              value={props.member.role}
              onChange={(event) => {
                const select = event.currentTarget;
                void props.onRole(props.member, select.value as Role).then((done) => {
                  // Refused: show the role the member still has.
                  if (!done) select.value = props.member.role;
                });
              }}
            >
              <For each={roleOptions()}>
                {(role) => <option value={role}>{roleLabels[role]}</option>}
              </For>
            </select>
          </Show>
          <Show when={mine()}>
            <span class="badge">you</span>
          </Show>
          <Show when={props.member.removed}>
            {(gone) => <span class="badge danger">{gone().left ? 'left' : 'removed'}</span>}
          </Show>
        </span>
        <span class="button-row">
          <Show when={!mine() && may({ kind: 'transfer-ownership', member: props.member.id })}>
            <button
              type="button"
              class="secondary"
              aria-label={`Make ${props.member.name} the owner`}
              onClick={() => props.onAsk({ kind: 'transfer-ownership', member: props.member })}
            >
              Make owner
            </button>
          </Show>
          <Show when={!mine() && may({ kind: 'remove-member', member: props.member.id })}>
            <button
              type="button"
              class="secondary"
              aria-label={`Remove member ${props.member.name}`}
              onClick={() => props.onAsk({ kind: 'remove-member', member: props.member })}
            >
              Remove member
            </button>
          </Show>
        </span>
      </div>
      <ul class="device-list member-devices" aria-label={`Devices of ${props.member.name}`}>
        <For each={devices()}>
          {(device) => (
            <li classList={{ removed: device.removed !== undefined }}>
              <span class="device-name">
                {device.name}
                <Show when={device.id === props.sync.thisDevice}>
                  <span class="badge">this device</span>
                </Show>
                <Show when={online().has(device.id) && device.removed === undefined}>
                  <span class="badge ok">online now</span>
                </Show>
                <Show when={device.removed !== undefined}>
                  <span class="badge danger">removed</span>
                </Show>
              </span>
              <span class="muted device-added">
                <Show
                  when={!online().has(device.id) && seen(device.id, device.removed !== undefined)}
                >
                  {(words) => <>{words()} · </>}
                </Show>
                Added {dateFormat.format(device.addedAt)}
                {/* Two devices often share a name ("Chrome on Windows"): the key tells them apart. */}
                <span class="device-key" title="The start of this device's public key">
                  {' '}
                  · key {device.id.slice(0, 8)}
                </span>
              </span>
              <Show
                when={
                  device.id !== props.sync.thisDevice &&
                  may({ kind: 'remove-device', device: device.id })
                }
              >
                <button
                  type="button"
                  class="secondary"
                  aria-label={`Remove device ${device.name}`}
                  onClick={() =>
                    props.onAsk({ kind: 'remove-device', device: device.id, name: device.name })
                  }
                >
                  Remove device
                </button>
              </Show>
            </li>
          )}
        </For>
      </ul>
    </li>
  );
}
