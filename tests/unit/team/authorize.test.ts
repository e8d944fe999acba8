/**
 * The table of docs/sync.md ("Members and roles"), written out here by hand: each role may do
 * exactly what it says, and nothing more. Membership rows are checked twice: with `mayDo` on
 * the standard team, and by deriving a genuinely signed operation on top of it.
 */
import { describe, expect, it } from 'vitest';
import {
  type EntryAction,
  entryActions,
  mayDo,
  mayOnEntries,
  type OperationBody,
  type Role,
} from '../../../src/core/team';
import { device, member, standardTeam } from './support';

const team = standardTeam();
const base = team.state();
/** The acting member for each role, and another member of each role to act on. */
const actor: Record<Role, string> = {
  owner: 'owner',
  admin: 'admin',
  editor: 'editor',
  viewer: 'viewer',
};
const other: Record<Exclude<Role, 'owner'>, string> = {
  admin: 'admin2',
  editor: 'editor2',
  viewer: 'viewer2',
};

// y = allowed, . = refused; columns: owner admin editor viewer (the acting role)
const entryTable: Record<EntryAction, string> = {
  read: 'yyyy',
  'read-write-only': 'yyy.',
  create: 'yyy.',
  update: 'yyy.',
  delete: 'yyy.',
  'manage-members': 'yy..',
  'delete-vault': 'y...',
};

const roleOrder: readonly Role[] = ['owner', 'admin', 'editor', 'viewer'];

describe('mayOnEntries: the entry table', () => {
  for (const action of entryActions) {
    it(`${action}: ${entryTable[action]}`, () => {
      const got = roleOrder
        .map((role) =>
          mayOnEntries(base, device(`${actor[role]}-2`).id, action).allowed ? 'y' : '.',
        )
        .join('');
      expect(got).toBe(entryTable[action]);
    });
  }

  it('an unknown or removed device may do nothing, whatever its role was', () => {
    expect(mayOnEntries(base, device('stranger-1').id, 'read')).toEqual({
      allowed: false,
      reason: 'unknown-author',
    });
    const log = team.fork();
    log.write('owner-1', { kind: 'remove-member', member: member('admin') });
    expect(mayOnEntries(log.state(), device('admin-1').id, 'read')).toEqual({
      allowed: false,
      reason: 'author-removed',
    });
  });
});

/** Membership operations, by what they act on; each row is the same 4 columns. */
const membershipTable: Record<
  string,
  { readonly body: () => OperationBody; readonly row: string }
> = {};
const fresh = (n: number) => ({ member: member(`new-${n}`), device: device(`new-${n}-1`).id });
let n = 0;
for (const role of ['admin', 'editor', 'viewer', 'owner'] as const) {
  const row = { admin: 'y...', editor: 'yy..', viewer: 'yy..', owner: '....' }[role];
  membershipTable[`add-member as ${role}`] = {
    row,
    body: () => ({ kind: 'add-member', role, memberName: 'N', deviceName: 'D', ...fresh(n++) }),
  };
}
for (const target of ['admin', 'editor', 'viewer'] as const) {
  const row = target === 'admin' ? 'y...' : 'yy..';
  membershipTable[`remove-member ${target}`] = {
    row,
    body: () => ({ kind: 'remove-member', member: member(other[target]) }),
  };
  membershipTable[`add-device for another ${target}`] = {
    row,
    body: () => ({
      kind: 'add-device',
      member: member(other[target]),
      device: device(`new-${n++}`).id,
      deviceName: 'D',
    }),
  };
  membershipTable[`remove-device of another ${target}`] = {
    row,
    body: () => ({ kind: 'remove-device', device: device(`${other[target]}-2`).id }),
  };
  for (const to of ['admin', 'editor', 'viewer', 'owner'] as const) {
    const setRow = to === 'owner' ? '....' : target === 'admin' || to === 'admin' ? 'y...' : 'yy..';
    membershipTable[`set-role ${target} -> ${to}`] = {
      row: setRow,
      body: () => ({ kind: 'set-role', member: member(other[target]), role: to }),
    };
  }
}
membershipTable['set-role of the owner'] = {
  row: '....',
  body: () => ({ kind: 'set-role', member: member('owner'), role: 'admin' }),
};
membershipTable['remove-member the owner'] = {
  row: '....',
  body: () => ({ kind: 'remove-member', member: member('owner') }),
};
membershipTable['transfer-ownership to an editor'] = {
  row: 'y...',
  body: () => ({ kind: 'transfer-ownership', member: member('editor2') }),
};
membershipTable.leave = { row: '.yyy', body: () => ({ kind: 'leave' }) };

/** Rows that depend on the actor: its own devices. */
const ownRows: Record<
  string,
  { readonly body: (role: Role) => OperationBody; readonly row: string }
> = {
  'add-device for itself': {
    row: 'yyyy',
    body: (role) => ({
      kind: 'add-device',
      member: member(actor[role]),
      device: device(`${actor[role]}-3`).id,
      deviceName: 'D',
    }),
  },
  'remove-device of its own (it has two)': {
    row: 'yyyy',
    body: (role) => ({ kind: 'remove-device', device: device(`${actor[role]}-2`).id }),
  },
};

describe('mayDo: the membership table', () => {
  const cases = [
    ...Object.entries(membershipTable).map(([name, c]) => [name, c.row, () => c.body()] as const),
    ...Object.entries(ownRows).map(([name, c]) => [name, c.row, c.body] as const),
  ];
  for (const [name, row, body] of cases) {
    it(`${name}: ${row}`, () => {
      const asked = roleOrder.map((role) => {
        const author = device(`${actor[role]}-1`).id;
        return mayDo(base, author, body(role)).allowed ? 'y' : '.';
      });
      expect(asked.join('')).toBe(row);
      // The same operations, genuinely signed and derived on top of the team.
      const derived = roleOrder.map((role) => {
        const log = team.fork();
        const op = log.write(`${actor[role]}-1`, body(role));
        return log.state().applied.has(op.id) ? 'y' : '.';
      });
      expect(derived.join('')).toBe(row);
    });
  }

  it('says why: a viewer adding, an editor re-roling, an admin touching an admin', () => {
    const viewer = device('viewer-1').id;
    expect(mayDo(base, viewer, membershipTable['add-member as viewer']!.body())).toEqual({
      allowed: false,
      reason: 'not-a-manager',
    });
    expect(
      mayDo(base, device('editor-1').id, {
        kind: 'set-role',
        member: member('viewer'),
        role: 'editor',
      }),
    ).toEqual({ allowed: false, reason: 'not-a-manager' });
    expect(
      mayDo(base, device('admin-1').id, { kind: 'remove-member', member: member('admin2') }),
    ).toEqual({ allowed: false, reason: 'cannot-manage-target' });
    expect(
      mayDo(base, device('admin-1').id, membershipTable['add-member as admin']!.body()),
    ).toEqual({ allowed: false, reason: 'cannot-grant-role' });
    expect(mayDo(base, device('owner-1').id, { kind: 'leave' })).toEqual({
      allowed: false,
      reason: 'owner-must-transfer',
    });
  });

  it('a member cannot remove its last device, nor reuse a removed id', () => {
    const log = team.fork();
    log.write('editor-1', { kind: 'remove-device', device: device('editor-2').id });
    const state = log.state();
    expect(
      mayDo(state, device('editor-1').id, { kind: 'remove-device', device: device('editor-1').id }),
    ).toEqual({ allowed: false, reason: 'last-device' });
    expect(
      mayDo(state, device('owner-1').id, {
        kind: 'add-device',
        member: member('editor'),
        device: device('editor-2').id,
        deviceName: 'again',
      }),
    ).toEqual({ allowed: false, reason: 'device-exists' });
  });
});
