/**
 * A vault's team as the UI shows it (issue 15): what this device may do to entries, which roles
 * it may give, and the words for members, roles and devices. Pure functions over core's
 * TeamState, so the Members dialog, the invitation dialog and the entry buttons ask the same
 * rules every peer enforces (core/team), and tests can check the words without a browser.
 */

import type { DeviceId } from '../../core/ids';
import {
  activeDevicesOf,
  type MemberRecord,
  manages,
  mayDo,
  mayOnEntries,
  type Role,
  roles,
  type TeamState,
} from '../../core/team';
import type { InviteRecord } from '../../core/vault';

/** What this device may do to the vault's entries, and why not, in one sentence. */
export interface EntryRights {
  /** Create, change and delete entries. */
  readonly canWrite: boolean;
  /** Use write-only secrets (in references and code; they are never shown anyway). */
  readonly canUseWriteOnly: boolean;
  /** Why writing (or using write-only secrets) is not allowed; absent when both are. */
  readonly why?: string;
}

const allRights: EntryRights = { canWrite: true, canUseWriteOnly: true };

/**
 * What `thisDevice` may do to entries under `team`. A vault without a team (from before teams,
 * or one still waiting for its members' log) leaves it to the device list, as before: all.
 */
export function entryRights(team: TeamState | undefined, thisDevice: string): EntryRights {
  if (!team) return allRights;
  const device = thisDevice as DeviceId;
  const write = mayOnEntries(team, device, 'update');
  const writeOnly = mayOnEntries(team, device, 'read-write-only');
  if (write.allowed && writeOnly.allowed) return allRights;
  const refusal = write.allowed ? writeOnly : write;
  const reason = refusal.allowed ? 'role-too-low' : refusal.reason;
  const role = activeRole(team, device);
  return {
    canWrite: write.allowed,
    canUseWriteOnly: writeOnly.allowed,
    why: entryRefusalText(reason, role),
  };
}

function activeRole(team: TeamState, device: DeviceId): Role | undefined {
  const record = team.devices.get(device);
  const member = record && team.members.get(record.member);
  return member && !member.removed && !record.removed ? member.role : undefined;
}

function entryRefusalText(reason: string, role: Role | undefined): string {
  if (reason === 'author-removed')
    return 'This device was removed from this vault: it can no longer change entries.';
  if (reason === 'unknown-author')
    return 'This device is not a member of this vault yet: it can change entries once the device that invited it has let it in.';
  if (role === 'viewer')
    return 'You are a viewer in this vault: viewers read entries but cannot change them.';
  return `Your role in this vault (${role ?? 'none'}) does not allow changing entries.`;
}

/** A role as a word in the UI. */
export const roleLabels: Readonly<Record<Role, string>> = {
  owner: 'Owner',
  admin: 'Admin',
  editor: 'Editor',
  viewer: 'Viewer',
};

/** What each role may do, one sentence each (the table in docs/sync.md, "Members and roles"). */
export const roleSentences: Readonly<Record<Role, string>> = {
  owner: 'Does everything, including handing over ownership and deleting the vault.',
  admin: 'Reads and changes entries, and adds, re-roles and removes editors and viewers.',
  editor: 'Reads and changes entries, and uses write-only secrets in references and code.',
  viewer: 'Reads entries, but cannot change them or use write-only secrets.',
};

/**
 * The roles a member of role `mine` may give someone new: admin, editor, viewer for the owner;
 * editor, viewer for an admin; none for an editor or a viewer. Never owner (only by transfer).
 */
export function invitableRoles(mine: Role | undefined): Role[] {
  if (!mine) return [];
  return roles.filter((role) => role !== 'owner' && manages(mine, role));
}

/** The role an invitation offers first: editor when it may be given, else the lowest offered. */
export function defaultInviteRole(mine: Role | undefined): Role | undefined {
  const offered = invitableRoles(mine);
  return offered.includes('editor') ? 'editor' : offered.at(-1);
}

/** Why this member may invite only its own devices, or nothing when it may invite others. */
export function inviteLimitText(mine: Role | undefined): string | undefined {
  if (invitableRoles(mine).length > 0) return undefined;
  return mine
    ? `Only the owner and admins invite other people; as ${withArticle(mine)} you can add your own devices.`
    : 'This device is not an active member of this vault, so it cannot invite anyone.';
}

/**
 * What whoever holds an invitation gets, in bold at the top of the invitation dialog: `role`
 * is the new member's, absent for another device of one's own (or a vault without a team).
 */
export function inviteReach(role: Role | undefined): string {
  const base = 'Anyone who has this invitation gets this vault';
  if (role === 'viewer') return `${base} as a viewer: every entry, secrets included, to read`;
  if (role === 'admin')
    return `${base} as an admin: every entry, secrets included, the right to change them, and to manage editors and viewers`;
  if (role === 'editor')
    return `${base} as an editor: every entry, secrets included, and the right to change them`;
  return `${base}: every entry, secrets included, and the right to change them`;
}

/** Whom an open invitation is for, in the invitation list; nothing in a vault without a team. */
export function inviteForText(
  invite: Pick<InviteRecord, 'role' | 'member'>,
  team: TeamState | undefined,
  me: MemberRecord | undefined,
): string | undefined {
  if (!team) return undefined;
  if (invite.member !== undefined) {
    if (invite.member === me?.id) return 'another of your devices';
    const member = team.members.get(invite.member as MemberRecord['id']);
    return `a device of ${member?.name ?? 'a member'}`;
  }
  return `someone new, as ${withArticle(invite.role ?? 'editor')}`;
}

/**
 * The roles `device` may set `member` to, its current role first among them in table order;
 * only the current role when it may change none (the select is then not offered).
 */
export function roleOptionsFor(team: TeamState, device: string, member: MemberRecord): Role[] {
  const author = device as DeviceId;
  return roles.filter(
    (role) =>
      role === member.role ||
      mayDo(team, author, { kind: 'set-role', member: member.id, role }).allowed,
  );
}

/** Members to list: active ones by role (owner first) then name; removed ones last. */
export function membersInOrder(team: TeamState): MemberRecord[] {
  const rank = (m: MemberRecord) => (m.removed ? 0 : roles.length - roles.indexOf(m.role));
  return [...team.members.values()].sort(
    (a, b) => rank(b) - rank(a) || a.name.localeCompare(b.name),
  );
}

/** The members that hold the vault now (removed ones and those who left not counted). */
export function activeMemberCount(team: TeamState): number {
  return [...team.members.values()].filter((member) => !member.removed).length;
}

/** "Ada, editor, 2 devices (you)": a member in one line, for labels and announcements. */
export function memberLine(team: TeamState, member: MemberRecord, me?: MemberRecord): string {
  if (member.removed) return `${member.name}, ${member.removed.left ? 'left' : 'removed'}`;
  const count = activeDevicesOf(team, member).length;
  const devices = `${count} ${count === 1 ? 'device' : 'devices'}`;
  const you = me?.id === member.id ? ' (you)' : '';
  return `${member.name}, ${member.role}, ${devices}${you}`;
}

/**
 * When a device was last heard from: "online now", "last seen <time>" (a change from it applied
 * here, or its latest audit record, whichever is later) or "not seen yet". Nothing for this
 * device or a removed one.
 */
export function deviceSeenText(
  device: { readonly thisDevice: boolean; readonly online: boolean; readonly removed: boolean },
  lastSeen: number | undefined,
  formatTime: (ms: number) => string,
): string | undefined {
  if (device.thisDevice || device.removed) return undefined;
  if (device.online) return 'online now';
  if (lastSeen !== undefined) return `last seen ${formatTime(lastSeen)}`;
  return 'not seen yet';
}

/** What removing a member does and does not do, one plain sentence each. */
export const memberRemovalConsequences: readonly string[] = [
  'Changes from their devices are refused from now on by every device of this vault.',
  'They keep what they already have, the secrets included.',
  'The vault gets a new key: nothing written from now on can be read with the keys they have.',
  'What they knew stays known to them: change the secrets they should no longer have.',
];

/** What leaving does, for the confirmation. */
export const leaveConsequences: readonly string[] = [
  'Your devices stop being members: changes made on them are no longer accepted by the others.',
  'The copy of the vault on this device stays until you delete it.',
  'Only an owner or admin can invite you back.',
];

/** What handing over ownership does, for the confirmation. */
export function transferConsequences(name: string): string[] {
  return [
    `${name} becomes the owner: the only member who can hand over ownership or delete the vault.`,
    'You stay in the vault as an admin.',
    `Only ${name} can make you the owner again.`,
  ];
}

/** Why this member manages nobody, or whom it cannot manage (admins); nothing for the owner. */
export function manageLimitText(mine: Role | undefined): string | undefined {
  if (!mine || mine === 'owner') return undefined;
  if (mine === 'admin')
    return 'As an admin you manage editors and viewers; the owner manages admins.';
  return `Only the owner and admins manage members; you are ${withArticle(mine)} here.`;
}

/** A membership change waiting for its confirmation. */
export type PendingChange =
  | { readonly kind: 'remove-member'; readonly member: MemberRecord }
  | { readonly kind: 'remove-device'; readonly device: string; readonly name: string }
  | { readonly kind: 'transfer-ownership'; readonly member: MemberRecord }
  | { readonly kind: 'leave' };

/** The question, what follows, and the confirming button's words, for a change. */
export function confirmationOf(change: PendingChange): {
  readonly question: string;
  readonly consequences: readonly string[];
  readonly confirm: string;
} {
  switch (change.kind) {
    case 'remove-member':
      return {
        question: `Remove ${change.member.name} (${change.member.role}) from this vault?`,
        consequences: memberRemovalConsequences,
        confirm: 'Remove member',
      };
    case 'remove-device':
      return {
        question: `Remove the device ${change.name}?`,
        consequences: removalConsequences,
        confirm: 'Remove device',
      };
    case 'transfer-ownership':
      return {
        question: `Make ${change.member.name} the owner of this vault?`,
        consequences: transferConsequences(change.member.name),
        confirm: 'Make owner',
      };
    case 'leave':
      return {
        question: 'Leave this vault?',
        consequences: leaveConsequences,
        confirm: 'Leave vault',
      };
  }
}

/** What removing a device does and does not do, one plain sentence each (both dialogs). */
export const removalConsequences: readonly string[] = [
  'Its changes from now on are refused by every device of this vault.',
  'It keeps what it already has, the secrets included.',
  'The vault gets a new key: nothing written from now on can be read with the keys it has.',
  'What it knew stays known to it: change the secrets it should no longer have.',
];

const withArticle = (role: string) => (/^[aeiou]/.test(role) ? `an ${role}` : `a ${role}`);
