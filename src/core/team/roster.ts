/**
 * The membership state at one point of the log, and what one accepted operation does to it.
 * Values are never changed in place: each accepted operation makes a new roster, so the state
 * an operation was written against can be kept and compared (derive.ts).
 */
import type { DeviceId } from '../ids';
import type { MemberId, OperationId } from './ids';
import type { Operation } from './operation';
import type { Role } from './roles';

export interface MemberRecord {
  readonly id: MemberId;
  /** As the operation that added it says: display only. */
  readonly name: string;
  readonly role: Role;
  /** Every device ever added for this member, in the order they were added. */
  readonly devices: readonly DeviceId[];
  readonly addedBy: OperationId;
  /** Set once the member is removed (`left`: it removed itself); a member never comes back. */
  readonly removed?: { readonly op: OperationId; readonly left: boolean };
}

export interface DeviceRecord {
  readonly id: DeviceId;
  readonly member: MemberId;
  readonly name: string;
  /** The adding operation's `at`, by its author's clock: display only, never compared. */
  readonly addedAt: number;
  readonly addedBy: OperationId;
  /** Set when the device, or its member, is removed; a device never comes back. */
  readonly removed?: { readonly op: OperationId };
}

export interface Roster {
  readonly members: ReadonlyMap<MemberId, MemberRecord>;
  readonly devices: ReadonlyMap<DeviceId, DeviceRecord>;
}

/**
 * A removal that happened: the devices that lost access at operation `op`. This is what must
 * start a new key epoch (src/core/sync/epoch-keys.ts).
 */
export interface Removal {
  readonly kind: 'member' | 'device';
  readonly member: MemberId;
  /** The devices removed by it that were still active just before. */
  readonly devices: readonly DeviceId[];
  readonly op: OperationId;
  /** The device that signed the removal. */
  readonly by: DeviceId;
  /** True when the member removed itself (`leave`). */
  readonly left: boolean;
}

export const emptyRoster: Roster = { members: new Map(), devices: new Map() };

/** The member behind a device, if both are present and neither is removed. */
export function activeMemberOf(roster: Roster, device: DeviceId): MemberRecord | undefined {
  const record = roster.devices.get(device);
  if (!record || record.removed) return undefined;
  const member = roster.members.get(record.member);
  return member && !member.removed ? member : undefined;
}

/** A member's devices that are not removed. */
export const activeDevicesOf = (roster: Roster, member: MemberRecord): DeviceId[] =>
  member.devices.filter((d) => !roster.devices.get(d)?.removed);

/**
 * The roster after `operation` (already judged allowed) and the removal it made, if any.
 * Only call it with an operation `mayDo` allowed on this roster.
 */
export function applyOperation(
  roster: Roster,
  id: OperationId,
  operation: Operation,
): { readonly roster: Roster; readonly removal?: Removal } {
  const members = new Map(roster.members);
  const devices = new Map(roster.devices);
  const addDevice = (device: DeviceId, member: MemberId, name: string) => {
    devices.set(device, { id: device, member, name, addedAt: operation.at, addedBy: id });
  };
  const removeMember = (member: MemberRecord, left: boolean): Removal => {
    const active = activeDevicesOf(roster, member);
    for (const device of active)
      devices.set(device, { ...devices.get(device)!, removed: { op: id } });
    members.set(member.id, { ...member, removed: { op: id, left } });
    return {
      kind: 'member',
      member: member.id,
      devices: active,
      op: id,
      by: operation.author,
      left,
    };
  };
  switch (operation.kind) {
    case 'genesis':
    case 'add-member': {
      const device = operation.kind === 'genesis' ? operation.author : operation.device;
      const role = operation.kind === 'genesis' ? 'owner' : operation.role;
      members.set(operation.member, {
        id: operation.member,
        name: operation.memberName,
        role,
        devices: [device],
        addedBy: id,
      });
      addDevice(device, operation.member, operation.deviceName);
      break;
    }
    case 'add-device': {
      const member = members.get(operation.member)!;
      members.set(member.id, { ...member, devices: [...member.devices, operation.device] });
      addDevice(operation.device, member.id, operation.deviceName);
      break;
    }
    case 'set-role': {
      const member = members.get(operation.member)!;
      members.set(member.id, { ...member, role: operation.role });
      break;
    }
    case 'transfer-ownership': {
      const to = members.get(operation.member)!;
      const from = activeMemberOf(roster, operation.author)!;
      // The previous owner stays, as an admin: handing over is not leaving.
      members.set(from.id, { ...from, role: 'admin' });
      members.set(to.id, { ...to, role: 'owner' });
      break;
    }
    case 'remove-member':
      return {
        roster: { members, devices },
        removal: removeMember(members.get(operation.member)!, false),
      };
    case 'leave':
      return {
        roster: { members, devices },
        removal: removeMember(activeMemberOf(roster, operation.author)!, true),
      };
    case 'remove-device': {
      const record = devices.get(operation.device)!;
      devices.set(record.id, { ...record, removed: { op: id } });
      const removal: Removal = {
        kind: 'device',
        member: record.member,
        devices: [record.id],
        op: id,
        by: operation.author,
        left: false,
      };
      return { roster: { members, devices }, removal };
    }
  }
  return { roster: { members, devices } };
}
