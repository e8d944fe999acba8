/**
 * Who may do what: one function for membership operations, one for entries. Both answer from
 * a roster alone, so the same rules judge an operation at the state it was written against
 * and at the state it is applied to (derive.ts), and the UI can ask before offering a button.
 */
import type { DeviceId } from '../ids';
import type { OperationBody } from './operation';
import { type EntryAction, manages, roleMay } from './roles';
import { activeDevicesOf, activeMemberOf, type MemberRecord, type Roster } from './roster';

/** Why an operation or an entry action is not allowed. */
export type AuthorizationRefusal =
  | 'already-founded' // a genesis on a vault that has one
  | 'unknown-author' // the device is not (yet) in the roster
  | 'author-removed' // the device, or its member, was removed
  | 'role-too-low' // the role may not do this entry action
  | 'not-a-manager' // an editor or viewer managing members or others' devices
  | 'cannot-manage-target' // the target's role is not one the author manages (admins, the owner)
  | 'cannot-grant-role' // a role the author may not give (above an admin's; admin for an admin)
  | 'owner-only-by-transfer' // owner is given by transfer-ownership, never by add or set-role
  | 'unknown-member'
  | 'member-removed'
  | 'member-exists' // member ids are never reused, even after a removal
  | 'unknown-device'
  | 'device-removed'
  | 'device-exists' // device ids are never reused, even after a removal
  | 'last-device' // removing a member's last device: remove the member (or leave) instead
  | 'not-owner' // only the owner transfers ownership
  | 'transfer-to-self'
  | 'owner-must-transfer'; // the owner leaves only after handing over ownership

export type Decision =
  | { readonly allowed: true }
  | { readonly allowed: false; readonly reason: AuthorizationRefusal };

const allowed: Decision = { allowed: true };
const refuse = (reason: AuthorizationRefusal): Decision => ({ allowed: false, reason });

/** The author's member, or why it has none. */
function authorOf(roster: Roster, device: DeviceId): MemberRecord | AuthorizationRefusal {
  const record = roster.devices.get(device);
  if (!record) return 'unknown-author';
  return activeMemberOf(roster, device) ?? 'author-removed';
}

function targetOf(roster: Roster, member: string): MemberRecord | AuthorizationRefusal {
  const record = roster.members.get(member as MemberRecord['id']);
  if (!record) return 'unknown-member';
  return record.removed ? 'member-removed' : record;
}

/**
 * Whether the device `author` may perform `operation` on this roster. Pure; never throws.
 * @example
 * if (!mayDo(state, myDevice, { kind: 'leave' }).allowed) hideLeaveButton();
 */
export function mayDo(roster: Roster, author: DeviceId, operation: OperationBody): Decision {
  if (operation.kind === 'genesis') {
    return roster.members.size === 0 ? allowed : refuse('already-founded');
  }
  const who = authorOf(roster, author);
  if (typeof who === 'string') return refuse(who);
  const manager = roleMay(who.role, 'manage-members');
  switch (operation.kind) {
    case 'add-member':
      if (!manager) return refuse('not-a-manager');
      if (operation.role === 'owner') return refuse('owner-only-by-transfer');
      if (!manages(who.role, operation.role)) return refuse('cannot-grant-role');
      if (roster.members.has(operation.member)) return refuse('member-exists');
      if (roster.devices.has(operation.device)) return refuse('device-exists');
      return allowed;
    case 'add-device': {
      const target = targetOf(roster, operation.member);
      if (typeof target === 'string') return refuse(target);
      if (target.id !== who.id) {
        if (!manager) return refuse('not-a-manager');
        if (!manages(who.role, target.role)) return refuse('cannot-manage-target');
      }
      return roster.devices.has(operation.device) ? refuse('device-exists') : allowed;
    }
    case 'set-role':
    case 'remove-member': {
      const target = targetOf(roster, operation.member);
      if (typeof target === 'string') return refuse(target);
      if (!manager) return refuse('not-a-manager');
      if (!manages(who.role, target.role)) return refuse('cannot-manage-target');
      if (operation.kind === 'set-role') {
        if (operation.role === 'owner') return refuse('owner-only-by-transfer');
        if (!manages(who.role, operation.role)) return refuse('cannot-grant-role');
      }
      return allowed;
    }
    case 'remove-device': {
      const record = roster.devices.get(operation.device);
      if (!record) return refuse('unknown-device');
      const owner = roster.members.get(record.member)!;
      if (record.removed || owner.removed) return refuse('device-removed');
      if (owner.id !== who.id) {
        if (!manager) return refuse('not-a-manager');
        if (!manages(who.role, owner.role)) return refuse('cannot-manage-target');
      }
      return activeDevicesOf(roster, owner).length <= 1 ? refuse('last-device') : allowed;
    }
    case 'transfer-ownership': {
      if (who.role !== 'owner') return refuse('not-owner');
      const target = targetOf(roster, operation.member);
      if (typeof target === 'string') return refuse(target);
      return target.id === who.id ? refuse('transfer-to-self') : allowed;
    }
    case 'leave':
      return who.role === 'owner' ? refuse('owner-must-transfer') : allowed;
  }
}

/**
 * Whether `device` may do `action` to the vault's entries (or the vault) on this roster: it
 * must be an active device of an active member whose role the table allows.
 * @example
 * mayOnEntries(state, envelopeAuthor, 'update').allowed; // false for a viewer
 */
export function mayOnEntries(roster: Roster, device: DeviceId, action: EntryAction): Decision {
  const who = authorOf(roster, device);
  if (typeof who === 'string') return refuse(who);
  return roleMay(who.role, action) ? allowed : refuse('role-too-low');
}
