import { describe, expect, it } from 'vitest';
import { concat } from '../../../src/core/crypto';
import { signAs } from '../../../src/core/device';
import {
  createOperation,
  deriveTeam,
  encodeOperation,
  mayOnEntries,
  type SignedOperation,
} from '../../../src/core/team';
import { addMember, device, found, member, standardTeam, vault } from './support';

/** A record that is only bytes and a key: derive verifies it from scratch. */
const plain = (op: SignedOperation, id: string = op.id) => ({ id, bytes: op.bytes.slice() });

describe('deriveTeam: a log written in sight of itself', () => {
  it('founds the vault with its owner and adds members with their roles', () => {
    const state = standardTeam().state();
    expect(state.refused).toEqual([]);
    expect(state.held).toEqual([]);
    expect(state.members.get(member('owner'))?.role).toBe('owner');
    expect(state.members.get(member('admin'))?.role).toBe('admin');
    expect(state.members.get(member('viewer2'))?.devices).toEqual([
      device('viewer2-1').id,
      device('viewer2-2').id,
    ]);
    expect(state.devices.get(device('viewer2-2').id)?.addedAt).toBe(1_700_000_000_000);
    expect(state.members.size).toBe(7);
    expect(state.devices.size).toBe(14);
    expect(state.heads).toHaveLength(1);
    expect(mayOnEntries(state, device('editor-2').id, 'update').allowed).toBe(true);
  });

  it('records removals with the devices they cut off, for key rotation', () => {
    const log = standardTeam();
    const a = log.write('owner-1', { kind: 'remove-member', member: member('editor') });
    const b = log.write('admin-1', { kind: 'remove-device', device: device('viewer-2').id });
    const c = log.write('viewer2-1', { kind: 'leave' });
    const state = log.state();
    expect(state.removals).toEqual([
      {
        kind: 'member',
        member: member('editor'),
        devices: [device('editor-1').id, device('editor-2').id],
        op: a.id,
        by: device('owner-1').id,
        left: false,
      },
      {
        kind: 'device',
        member: member('viewer'),
        devices: [device('viewer-2').id],
        op: b.id,
        by: device('admin-1').id,
        left: false,
      },
      {
        kind: 'member',
        member: member('viewer2'),
        devices: [device('viewer2-1').id, device('viewer2-2').id],
        op: c.id,
        by: device('viewer2-1').id,
        left: true,
      },
    ]);
    expect(state.members.get(member('editor'))?.removed).toEqual({ op: a.id, left: false });
    expect(state.devices.get(device('editor-2').id)?.removed).toEqual({ op: a.id });
  });

  it('the owner leaves only after handing over; the old owner stays as an admin', () => {
    const log = standardTeam();
    const early = log.write('owner-1', { kind: 'leave' });
    log.write('owner-1', { kind: 'transfer-ownership', member: member('admin') });
    const late = log.write('owner-2', { kind: 'leave' });
    const state = log.state();
    expect(state.refused).toEqual([
      { id: early.id, reason: 'owner-must-transfer', stage: 'written' },
    ]);
    expect(state.applied.has(late.id)).toBe(true);
    expect(state.members.get(member('admin'))?.role).toBe('owner');
    expect(state.members.get(member('owner'))?.role).toBe('admin');
    expect(state.members.get(member('owner'))?.removed?.left).toBe(true);
  });
});

describe('deriveTeam: refused operations', () => {
  it("refuses a viewer's genuinely signed add-member, and changes nothing", () => {
    const log = standardTeam();
    const before = log.state();
    const op = addMember(log, 'viewer-1', 'sneaky', 'viewer');
    const state = log.state();
    expect(state.refused).toEqual([{ id: op.id, reason: 'not-a-manager', stage: 'written' }]);
    expect(state.members).toEqual(before.members);
    expect(state.heads).toEqual([op.id]); // still named by later operations
  });

  it("refuses an editor's set-role", () => {
    const log = standardTeam();
    const op = log.write('editor-1', { kind: 'set-role', member: member('editor'), role: 'admin' });
    expect(log.state().refused).toEqual([{ id: op.id, reason: 'not-a-manager', stage: 'written' }]);
    expect(log.state().members.get(member('editor'))?.role).toBe('editor');
  });

  it("refuses a removed member's later operations, and judges their children on their own", () => {
    const log = standardTeam();
    log.write('owner-1', { kind: 'remove-member', member: member('admin') });
    const late = addMember(log, 'admin-2', 'friend', 'editor');
    const child = log.write('owner-1', {
      kind: 'set-role',
      member: member('viewer'),
      role: 'editor',
    });
    const state = log.state();
    expect(state.refused).toEqual([{ id: late.id, reason: 'author-removed', stage: 'written' }]);
    expect(state.applied.has(child.id)).toBe(true);
    expect(state.members.has(member('friend'))).toBe(false);
  });

  it('refuses a bad signature, an altered body, a wrong key, a signature for another purpose', () => {
    const log = standardTeam();
    const op = log.write('owner-1', { kind: 'set-role', member: member('viewer'), role: 'admin' });
    const badSignature = plain(op);
    badSignature.bytes[badSignature.bytes.length - 1]! ^= 0x01;
    const altered = plain(op);
    altered.bytes[altered.bytes.length - 65]! = 0x02; // admin -> editor, old signature kept
    const body = encodeOperation(op.operation);
    const otherDomain = {
      id: op.id,
      bytes: concat(body, signAs(device('owner-1'), 'sync-envelope', op.bytes)),
    };
    const others = [...log.ops.values()].filter((o) => o.id !== op.id);
    for (const [record, reason] of [
      [badSignature, 'bad-signature'],
      [otherDomain, 'bad-signature'],
      [plain(op, 'A'.repeat(43)), 'wrong-id'],
    ] as const) {
      const state = deriveTeam([...others, record], log.anchor);
      expect(state.refused).toEqual([{ id: record.id, reason, stage: 'verify' }]);
      expect(state.members.get(member('viewer'))?.role).toBe('viewer');
    }
    // An altered body hashes to another id, which the old signature does not cover.
    expect(deriveTeam([...others, altered], log.anchor).refused[0]?.reason).toBe('bad-signature');
    // A genuine copy under the same key wins over a damaged one, in either order.
    for (const records of [
      [...others, badSignature, plain(op)],
      [plain(op), ...others, badSignature],
    ]) {
      const state = deriveTeam(records, log.anchor);
      expect(state.refused).toEqual([]);
      expect(state.members.get(member('viewer'))?.role).toBe('admin');
    }
  });

  it('holds an operation whose parent is unknown, and judges it when the parent arrives', () => {
    const log = standardTeam();
    const parent = log.write('owner-1', {
      kind: 'set-role',
      member: member('viewer'),
      role: 'editor',
    });
    const child = log.write('viewer-1', { kind: 'remove-member', member: member('viewer2') });
    const without = deriveTeam(
      [...log.ops.values()].filter((o) => o.id !== parent.id),
      log.anchor,
    );
    expect(without.held).toEqual([{ id: child.id, waitingFor: [parent.id] }]);
    expect(without.members.get(member('viewer2'))?.removed).toBeUndefined();
    expect(log.state().held).toEqual([]);
    expect(log.state().refused).toEqual([
      { id: child.id, reason: 'not-a-manager', stage: 'written' }, // an editor now, still not a manager
    ]);
  });

  it('refuses a second genesis, another vault, and everything built only on them', () => {
    const log = found();
    const fake = createOperation(device('mallory-1'), {
      kind: 'genesis',
      member: member('mallory'),
      memberName: 'M',
      deviceName: 'M',
      vault,
      at: 0,
      parents: [],
    });
    const onFake = createOperation(device('mallory-1'), {
      kind: 'add-member',
      member: member('mallory2'),
      role: 'admin',
      device: device('mallory2-1').id,
      memberName: 'M',
      deviceName: 'M',
      vault,
      at: 0,
      parents: [fake.id],
    });
    const otherVault = createOperation(device('owner-1'), {
      kind: 'leave',
      vault: 'AAAAAAAAAAAAAAAAAAAAAA' as typeof vault,
      at: 0,
      parents: [log.anchor.genesis],
    });
    const state = deriveTeam([...log.ops.values(), fake, onFake, otherVault], log.anchor);
    expect(state.refused).toEqual(
      [
        { id: fake.id, reason: 'not-the-genesis', stage: 'verify' },
        { id: onFake.id, reason: 'unknown-author', stage: 'written' },
        { id: otherVault.id, reason: 'wrong-vault', stage: 'verify' },
      ].sort((a, b) => (a.id < b.id ? -1 : 1)),
    );
    expect([...state.members.keys()]).toEqual([member('owner')]);
  });
});
