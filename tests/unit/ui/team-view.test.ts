/**
 * The UI's view of a vault's team (issue 15): what each role may do to entries and why not,
 * the roles each member may give, and the words for members, devices and confirmations. Built
 * on real signed team logs (the team tests' fixtures), so these follow the rules every peer
 * enforces rather than a copy of them.
 */
import { describe, expect, it } from 'vitest';
import type { Role } from '../../../src/core/team';
import {
  activeMemberCount,
  confirmationOf,
  defaultInviteRole,
  deviceSeenText,
  entryRights,
  invitableRoles,
  inviteForText,
  inviteLimitText,
  inviteReach,
  manageLimitText,
  memberLine,
  membersInOrder,
  roleOptionsFor,
  roleSentences,
} from '../../../src/ui/state/team-view';
import { removalConsequences } from '../../../src/ui/state/vault-sync';
import { device, member, standardTeam } from '../team/support';

const team = standardTeam().state();
const me = (label: string) => team.members.get(member(label))!;
const deviceOf = (label: string) => device(`${label}-1`).id;

describe('entryRights', () => {
  it('lets the owner, admins and editors write and use write-only secrets', () => {
    for (const label of ['owner', 'admin', 'editor']) {
      expect(entryRights(team, deviceOf(label)), label).toEqual({
        canWrite: true,
        canUseWriteOnly: true,
      });
    }
  });

  it('keeps a viewer to reading, and says so', () => {
    expect(entryRights(team, deviceOf('viewer'))).toEqual({
      canWrite: false,
      canUseWriteOnly: false,
      why: 'You are a viewer in this vault: viewers read entries but cannot change them.',
    });
  });

  it('allows everything in a vault without a team (the device list decides, as before)', () => {
    expect(entryRights(undefined, deviceOf('viewer'))).toEqual({
      canWrite: true,
      canUseWriteOnly: true,
    });
  });

  it('refuses a removed device and one not yet admitted, each with its own reason', () => {
    const log = standardTeam();
    log.write('owner-1', { kind: 'remove-member', member: member('editor') });
    const removed = entryRights(log.state(), deviceOf('editor'));
    expect(removed.canWrite).toBe(false);
    expect(removed.why).toMatch(/removed from this vault/);
    const stranger = entryRights(team, device('stranger-1').id);
    expect(stranger.canWrite).toBe(false);
    expect(stranger.why).toMatch(/not a member of this vault yet/);
  });
});

describe('the roles a member may give', () => {
  it('offers the owner admin, editor and viewer; an admin editor and viewer; others none', () => {
    const offered: Record<Role, Role[]> = {
      owner: ['admin', 'editor', 'viewer'],
      admin: ['editor', 'viewer'],
      editor: [],
      viewer: [],
    };
    for (const [role, roles] of Object.entries(offered)) {
      expect(invitableRoles(role as Role), role).toEqual(roles);
    }
    expect(invitableRoles(undefined)).toEqual([]);
  });

  it('starts invitations at editor, and has none to start for editors and viewers', () => {
    expect(defaultInviteRole('owner')).toBe('editor');
    expect(defaultInviteRole('admin')).toBe('editor');
    expect(defaultInviteRole('editor')).toBeUndefined();
  });

  it('tells editors and viewers why they may add only their own devices', () => {
    expect(inviteLimitText('owner')).toBeUndefined();
    expect(inviteLimitText('admin')).toBeUndefined();
    expect(inviteLimitText('editor')).toBe(
      'Only the owner and admins invite other people; as an editor you can add your own devices.',
    );
    expect(inviteLimitText('viewer')).toMatch(/as a viewer you can add your own devices/);
  });

  it('offers in the role select only the roles the rules allow, the current one included', () => {
    // The owner may set an editor to any role but owner.
    expect(roleOptionsFor(team, deviceOf('owner'), me('editor'))).toEqual([
      'admin',
      'editor',
      'viewer',
    ]);
    // An admin manages editors and viewers, and gives only those roles.
    expect(roleOptionsFor(team, deviceOf('admin'), me('viewer'))).toEqual(['editor', 'viewer']);
    // An admin does not manage another admin, nor anyone the owner: nothing to choose.
    expect(roleOptionsFor(team, deviceOf('admin'), me('admin2'))).toEqual(['admin']);
    expect(roleOptionsFor(team, deviceOf('owner'), me('owner'))).toEqual(['owner']);
    // An editor manages nobody.
    expect(roleOptionsFor(team, deviceOf('editor'), me('viewer'))).toEqual(['viewer']);
  });

  it('has one sentence for each role, and says what a viewer cannot do', () => {
    for (const sentence of Object.values(roleSentences)) expect(sentence).toMatch(/^[A-Z].*\.$/);
    expect(roleSentences.viewer).toMatch(/cannot change them or use write-only secrets/);
  });

  it('says what the holder of an invitation gets, by its role', () => {
    expect(inviteReach(undefined)).toMatch(/^Anyone who has this invitation gets this vault: /);
    expect(inviteReach('viewer')).toMatch(/as a viewer: every entry, secrets included, to read$/);
    expect(inviteReach('admin')).toMatch(/manage editors and viewers$/);
  });

  it('names whom each open invitation is for', () => {
    expect(inviteForText({ role: 'viewer' }, team, me('owner'))).toBe('someone new, as a viewer');
    expect(inviteForText({}, team, me('owner'))).toBe('someone new, as an editor');
    expect(inviteForText({ member: member('owner') }, team, me('owner'))).toBe(
      'another of your devices',
    );
    expect(inviteForText({ member: member('editor') }, team, me('owner'))).toBe(
      'a device of editor',
    );
    expect(inviteForText({ role: 'viewer' }, undefined, undefined)).toBeUndefined();
  });
});

describe('member and device lines', () => {
  it('lists the owner first, then by role and name, removed members last', () => {
    const log = standardTeam();
    log.write('owner-1', { kind: 'remove-member', member: member('admin') });
    const state = log.state();
    expect(membersInOrder(state).map((m) => m.name)).toEqual([
      'Olive',
      'admin2',
      'editor',
      'editor2',
      'viewer',
      'viewer2',
      'admin',
    ]);
    expect(activeMemberCount(state)).toBe(6);
  });

  it('says a member in one line: name, role, devices, and "you"', () => {
    expect(memberLine(team, me('editor'), me('owner'))).toBe('editor, editor, 2 devices');
    expect(memberLine(team, me('owner'), me('owner'))).toBe('Olive, owner, 2 devices (you)');
    const log = standardTeam();
    log.write('viewer-1', { kind: 'leave' });
    log.write('owner-1', { kind: 'remove-member', member: member('editor') });
    const state = log.state();
    expect(memberLine(state, state.members.get(member('viewer'))!)).toBe('viewer, left');
    expect(memberLine(state, state.members.get(member('editor'))!)).toBe('editor, removed');
  });

  it('says when a device was last heard from, and nothing for this one or a removed one', () => {
    const time = (ms: number) => `at ${ms}`;
    const other = { thisDevice: false, online: false, removed: false };
    expect(deviceSeenText({ ...other, online: true }, 5, time)).toBe('online now');
    expect(deviceSeenText(other, 5, time)).toBe('last seen at 5');
    expect(deviceSeenText(other, undefined, time)).toBe('not seen yet');
    expect(deviceSeenText({ ...other, thisDevice: true }, 5, time)).toBeUndefined();
    expect(deviceSeenText({ ...other, removed: true }, 5, time)).toBeUndefined();
  });

  it('tells each member whom it manages', () => {
    expect(manageLimitText('owner')).toBeUndefined();
    expect(manageLimitText('admin')).toMatch(/manage editors and viewers/);
    expect(manageLimitText('editor')).toBe(
      'Only the owner and admins manage members; you are an editor here.',
    );
  });
});

describe('confirmations', () => {
  it('say what a removal does, and that the key is not rotated yet', () => {
    const removal = confirmationOf({ kind: 'remove-member', member: me('editor') });
    expect(removal.question).toBe('Remove editor (editor) from this vault?');
    expect(removal.confirm).toBe('Remove member');
    expect(removal.consequences.join(' ')).toMatch(
      /The vault gets a new key: nothing written from now on can be read with the keys they have/,
    );
    const device = confirmationOf({ kind: 'remove-device', device: 'x', name: 'Laptop' });
    expect(device.question).toBe('Remove the device Laptop?');
    expect(device.consequences).toBe(removalConsequences);
  });

  it('say what handing over ownership and leaving do', () => {
    const transfer = confirmationOf({ kind: 'transfer-ownership', member: me('admin') });
    expect(transfer.confirm).toBe('Make owner');
    expect(transfer.consequences).toContain('You stay in the vault as an admin.');
    expect(confirmationOf({ kind: 'leave' }).confirm).toBe('Leave vault');
  });
});
