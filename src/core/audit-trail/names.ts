/**
 * Who the audit view names: the vault's devices (removed ones too) and its team's members, by
 * the names the vault's device list and membership log give them. Display only: a record's
 * author is its device id, checked by its signature, never a name.
 */
import type { DeviceId } from '../ids';
import type { VaultHandle } from '../vault';

/** A device that wrote records, with the name the vault's device list gives it. */
export interface AuditDevice {
  readonly id: DeviceId;
  readonly name: string | undefined;
}

/**
 * Each device's name; with a team, prefixed by its member's ("Ana · Firefox on Windows").
 * Empty for a closed vault.
 */
export function deviceNamesOf(handle: VaultHandle): Map<DeviceId, string> {
  const named = new Map<DeviceId, string>();
  if (handle.closed) return named;
  for (const device of handle.members.devices()) named.set(device.id, device.name);
  const team = handle.team.state();
  for (const [id, device] of team?.devices ?? []) {
    const member = team?.members.get(device.member);
    if (member) named.set(id, `${member.name} · ${device.name}`);
  }
  return named;
}

/** The team's members' names by member id (empty without a team, or for a closed vault). */
export function memberNamesOf(handle: VaultHandle): Map<string, string> {
  if (handle.closed) return new Map();
  const team = handle.team.state();
  return new Map([...(team?.members.values() ?? [])].map((m) => [m.id as string, m.name]));
}
