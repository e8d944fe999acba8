/**
 * Concurrent, conflicting changes made on partitioned devices: after merging, in either
 * direction, every device derives the same members, and the outcome is the rule's (higher
 * author role first, then removal before anything else, then the lower id).
 */
import { describe, expect, it } from 'vitest';
import { compareOperationIds, type SignedOperation, type TeamState } from '../../../src/core/team';
import { device, member, type Replica, standardTeam, summary } from './support';

/** Writes on two forks of the standard team, merges both ways, checks they agree. */
function partitioned(
  left: (log: Replica) => SignedOperation,
  right: (log: Replica) => SignedOperation,
): { state: TeamState; a: SignedOperation; b: SignedOperation } {
  const base = standardTeam();
  const one = base.fork();
  const two = base.fork();
  const a = left(one);
  const b = right(two);
  const merged1 = one.fork().receive(two).state();
  const merged2 = two.fork().receive(one).state();
  expect(summary(merged1)).toEqual(summary(merged2));
  expect(merged1.heads).toEqual([a.id, b.id].sort(compareOperationIds));
  return { state: merged1, a, b };
}

const lower = (a: SignedOperation, b: SignedOperation) =>
  compareOperationIds(a.id, b.id) < 0 ? [a, b] : [b, a];

describe('conflicts between partitions converge to the rule', () => {
  it("an admin removes editor X while the owner promotes X: the owner's change wins", () => {
    const { state, a } = partitioned(
      (log) => log.write('admin-1', { kind: 'remove-member', member: member('editor') }),
      (log) => log.write('owner-1', { kind: 'set-role', member: member('editor'), role: 'admin' }),
    );
    expect(state.members.get(member('editor'))).toMatchObject({ role: 'admin' });
    expect(state.members.get(member('editor'))?.removed).toBeUndefined();
    expect(state.refused).toEqual([{ id: a.id, reason: 'cannot-manage-target', stage: 'applied' }]);
    expect(state.removals).toEqual([]);
  });

  it('the owner removes an admin while that admin removes an editor: the admin is out first', () => {
    const { state, b } = partitioned(
      (log) => log.write('owner-1', { kind: 'remove-member', member: member('admin') }),
      (log) => log.write('admin-1', { kind: 'remove-member', member: member('editor') }),
    );
    expect(state.members.get(member('admin'))?.removed).toBeDefined();
    expect(state.members.get(member('editor'))?.removed).toBeUndefined();
    expect(state.refused).toEqual([{ id: b.id, reason: 'author-removed', stage: 'applied' }]);
  });

  it('two admins remove each other: neither may (admins are the owner’s to manage)', () => {
    const { state, a, b } = partitioned(
      (log) => log.write('admin-1', { kind: 'remove-member', member: member('admin2') }),
      (log) => log.write('admin2-1', { kind: 'remove-member', member: member('admin') }),
    );
    expect(state.refused).toEqual(
      [a, b]
        .map((op) => ({ id: op.id, reason: 'cannot-manage-target', stage: 'written' }))
        .sort((x, y) => (x.id < y.id ? -1 : 1)),
    );
    expect(state.removals).toEqual([]);
  });

  it('two admins: one removes editor X, the other changes X’s role: the removal goes first', () => {
    const { state, b } = partitioned(
      (log) => log.write('admin-1', { kind: 'remove-member', member: member('editor') }),
      (log) =>
        log.write('admin2-1', { kind: 'set-role', member: member('editor'), role: 'viewer' }),
    );
    expect(state.members.get(member('editor'))?.removed).toBeDefined();
    expect(state.refused).toEqual([{ id: b.id, reason: 'member-removed', stage: 'applied' }]);
  });

  it('two admins add the same new member with different roles: the lower id wins', () => {
    const add = (by: string, role: 'editor' | 'viewer') => (log: Replica) =>
      log.write(by, {
        kind: 'add-member',
        member: member('newcomer'),
        role,
        device: device(`newcomer-${role}`).id,
        memberName: 'Newcomer',
        deviceName: role,
      });
    const { state, a, b } = partitioned(add('admin-1', 'editor'), add('admin2-1', 'viewer'));
    const [winner, loser] = lower(a, b);
    expect(state.members.get(member('newcomer'))?.role).toBe(winner === a ? 'editor' : 'viewer');
    expect(state.refused).toEqual([{ id: loser!.id, reason: 'member-exists', stage: 'applied' }]);
  });

  it('the owner hands over to editor X while an admin removes X: X becomes the owner', () => {
    const { state, b } = partitioned(
      (log) => log.write('owner-1', { kind: 'transfer-ownership', member: member('editor') }),
      (log) => log.write('admin-1', { kind: 'remove-member', member: member('editor') }),
    );
    expect(state.members.get(member('editor'))?.role).toBe('owner');
    expect(state.members.get(member('owner'))?.role).toBe('admin');
    expect(state.refused).toEqual([{ id: b.id, reason: 'cannot-manage-target', stage: 'applied' }]);
  });

  it('the owner hands over to another admin while an admin removes someone else: both stand', () => {
    const { state } = partitioned(
      (log) => log.write('owner-1', { kind: 'transfer-ownership', member: member('admin2') }),
      (log) => log.write('admin-1', { kind: 'remove-member', member: member('viewer') }),
    );
    expect(state.refused).toEqual([]);
    expect(state.members.get(member('admin2'))?.role).toBe('owner');
    expect(state.members.get(member('viewer'))?.removed).toBeDefined();
  });

  it('a member who did not yet know of its removal: refused when applied, not when written', () => {
    const { state, b } = partitioned(
      (log) => log.write('owner-1', { kind: 'remove-member', member: member('admin') }),
      (log) => log.write('admin-1', { kind: 'set-role', member: member('viewer'), role: 'editor' }),
    );
    expect(state.refused).toEqual([{ id: b.id, reason: 'author-removed', stage: 'applied' }]);
    expect(state.members.get(member('viewer'))?.role).toBe('viewer');
  });

  it('an operation written after a merge is judged at the merged state', () => {
    const base = standardTeam();
    const one = base.fork();
    const two = base.fork();
    one.write('admin-1', { kind: 'remove-member', member: member('editor') });
    two.write('owner-1', { kind: 'set-role', member: member('editor'), role: 'admin' });
    one.receive(two);
    // Written on top of both heads: X is an admin there, so X may remove an editor.
    const after = one.write('editor-1', { kind: 'remove-member', member: member('editor2') });
    expect(after.operation.parents).toHaveLength(2);
    const state = one.state();
    expect(state.applied.has(after.id)).toBe(true);
    expect(state.members.get(member('editor2'))?.removed).toBeDefined();
    expect(state.heads).toEqual([after.id]);
  });
});
