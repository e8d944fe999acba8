/**
 * Property: the state depends on the set of operations only. Three replicas of the standard
 * team write random membership operations (many of them conflicting or not allowed) with
 * random clocks and sync now and then; then any permutation of all operations, with
 * duplicates, and any order of merging the replicas derive the same state, and that state
 * keeps the invariants (one owner, every member with a device, nothing refused applied).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deriveTeam, type OperationBody, type Role, type TeamState } from '../../../src/core/team';
import { device, member, type Replica, standardTeam, summary } from './support';

const authors = ['owner-1', 'owner-2', 'admin-1', 'admin2-2', 'editor-1', 'editor2-2', 'viewer-1'];
const targets = [
  'owner',
  'admin',
  'admin2',
  'editor',
  'editor2',
  'viewer',
  'viewer2',
  'new0',
  'new1',
];
const roleList: readonly Role[] = ['admin', 'editor', 'viewer', 'owner'];

const command = fc.oneof(
  fc.record({
    type: fc.constant('write' as const),
    replica: fc.nat(2),
    author: fc.nat(authors.length - 1),
    kind: fc.nat(6),
    target: fc.nat(targets.length - 1),
    role: fc.nat(3),
    extra: fc.nat(3),
    at: fc.nat(2 ** 40),
  }),
  fc.record({ type: fc.constant('sync' as const), from: fc.nat(2), to: fc.nat(2) }),
);

function bodyOf(c: { kind: number; target: number; role: number; extra: number }): OperationBody {
  const target = targets[c.target]!;
  const role = roleList[c.role]!;
  switch (c.kind) {
    case 0:
      return {
        kind: 'add-member',
        member: member(`new${c.extra % 2}`),
        role,
        device: device(`new${c.extra % 2}-${c.extra}`).id,
        memberName: 'New',
        deviceName: 'New device',
      };
    case 1:
      return {
        kind: 'add-device',
        member: member(target),
        device: device(`${target}-x${c.extra}`).id,
        deviceName: 'Another',
      };
    case 2:
      return { kind: 'set-role', member: member(target), role };
    case 3:
      return { kind: 'remove-member', member: member(target) };
    case 4:
      return { kind: 'remove-device', device: device(`${target}-${1 + (c.extra % 2)}`).id };
    case 5:
      return { kind: 'transfer-ownership', member: member(target) };
    default:
      return { kind: 'leave' };
  }
}

/** A deterministic shuffle (mulberry32), so a failing case replays from its seed. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

function checkInvariants(state: TeamState): void {
  const active = [...state.members.values()].filter((m) => !m.removed);
  expect(active.filter((m) => m.role === 'owner')).toHaveLength(1);
  for (const m of active) {
    expect(m.devices.some((d) => !state.devices.get(d)?.removed)).toBe(true);
  }
  const refused = new Set(state.refused.map((r) => r.id));
  for (const id of state.order) expect(state.applied.has(id)).toBe(!refused.has(id));
  expect(state.applied.size + state.refused.length).toBe(state.order.length);
}

const base = standardTeam();

describe('deriveTeam converges', () => {
  it('on any permutation of the same operations, and any partition then merge', () => {
    fc.assert(
      fc.property(
        fc.array(command, { minLength: 3, maxLength: 16 }),
        fc.nat(),
        (commands, seed) => {
          const replicas: Replica[] = [base.fork(), base.fork(), base.fork()];
          for (const c of commands) {
            if (c.type === 'sync') replicas[c.to]!.receive(replicas[c.from]!);
            else replicas[c.replica]!.write(authors[c.author]!, bodyOf(c), c.at);
          }
          const all = [...new Map(replicas.flatMap((r) => [...r.ops])).values()];
          const reference = deriveTeam(all, base.anchor);
          checkInvariants(reference);
          expect(reference.held).toEqual([]);
          const expected = summary(reference);
          // Any order, with duplicates.
          const noisy = shuffled([...all, ...all.slice(0, seed % (all.length + 1))], seed);
          expect(summary(deriveTeam(noisy, base.anchor))).toEqual(expected);
          // Any merge order of the partitions.
          const [x, y, z] = shuffled(replicas, seed + 1);
          const merged = x!.fork().receive(y!).receive(z!);
          expect(summary(merged.state())).toEqual(expected);
          // Each partition alone is a consistent state too.
          for (const replica of replicas) checkInvariants(replica.state());
        },
      ),
      { numRuns: 60 },
    );
  });

  it('on records given as bytes only, verified from scratch', () => {
    const log = base.fork();
    log.write('admin-1', { kind: 'remove-member', member: member('viewer') });
    const other = base.fork();
    other.write('owner-1', { kind: 'set-role', member: member('viewer'), role: 'admin' });
    log.receive(other);
    const ops = [...log.ops.values()];
    const expected = summary(log.state());
    for (const seed of [1, 2, 3]) {
      const records = shuffled(ops, seed).map((op) => ({ id: op.id, bytes: op.bytes.slice() }));
      expect(summary(deriveTeam(records, base.anchor))).toEqual(expected);
    }
  });
});
