/**
 * Fixtures for the team tests: deterministic device keys and member ids from labels (so runs
 * and vectors repeat), and a replica that writes operations on top of the heads it knows.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { utf8 } from '../../../src/core/crypto';
import { type DeviceIdentity, deviceIdentityFromSecret } from '../../../src/core/device';
import { type VaultId, vaultIdOf } from '../../../src/core/ids';
import {
  createOperation,
  deriveTeam,
  type MemberId,
  memberIdOf,
  type OperationBody,
  type OperationId,
  type Role,
  type SignedOperation,
  type TeamAnchor,
  type TeamState,
} from '../../../src/core/team';

export const vault: VaultId = vaultIdOf(sha256(utf8('coffer team test vault')).slice(0, 16));

const devices = new Map<string, DeviceIdentity>();
/** The device `label` ("owner-1", "admin-2"...): its key is SHA-256 of the label. */
export function device(label: string): DeviceIdentity {
  let identity = devices.get(label);
  if (!identity) {
    identity = deviceIdentityFromSecret(sha256(utf8(`coffer team test device ${label}`)));
    devices.set(label, identity);
  }
  return identity;
}

/** The member `label`: the first 16 bytes of SHA-256 of the label. */
export const member = (label: string): MemberId =>
  memberIdOf(sha256(utf8(`coffer team test member ${label}`)).slice(0, 16));

/** Heads of a set of operations: those no other one names as a parent. */
export function headsOf(ops: Iterable<SignedOperation>): OperationId[] {
  const all = [...ops];
  const named = new Set(all.flatMap((op) => op.operation.parents));
  return all.map((op) => op.id).filter((id) => !named.has(id));
}

/** One device's view of the log: writes name what it holds; `receive` merges another's. */
export class Replica {
  readonly ops = new Map<OperationId, SignedOperation>();
  constructor(
    readonly anchor: TeamAnchor,
    ops: Iterable<SignedOperation> = [],
  ) {
    for (const op of ops) this.ops.set(op.id, op);
  }
  write(author: string, body: OperationBody, at = 1_700_000_000_000): SignedOperation {
    const op = createOperation(device(author), {
      ...body,
      vault: this.anchor.vault,
      at,
      parents: headsOf(this.ops.values()),
    });
    this.ops.set(op.id, op);
    return op;
  }
  receive(other: Replica | Iterable<SignedOperation>): this {
    for (const op of other instanceof Replica ? other.ops.values() : other) this.ops.set(op.id, op);
    return this;
  }
  fork(): Replica {
    return new Replica(this.anchor, this.ops.values());
  }
  state(): TeamState {
    return deriveTeam(this.ops.values(), this.anchor);
  }
}

/** A vault founded by member "owner" from device "owner-1". */
export function found(): Replica {
  const genesis = createOperation(device('owner-1'), {
    kind: 'genesis',
    member: member('owner'),
    memberName: 'Olive',
    deviceName: 'Olive laptop',
    vault,
    at: 1_700_000_000_000,
    parents: [],
  });
  return new Replica({ vault, genesis: genesis.id }, [genesis]);
}

/** Adds member `label` with `role` and device `<label>-1`, written by `by`. */
export function addMember(log: Replica, by: string, label: string, role: Role): SignedOperation {
  return log.write(by, {
    kind: 'add-member',
    member: member(label),
    role,
    device: device(`${label}-1`).id,
    memberName: label,
    deviceName: `${label} device 1`,
  });
}

/**
 * The standard team: owner; admins admin and admin2; editors editor and editor2; viewers
 * viewer and viewer2; each with devices `<label>-1` and `<label>-2`.
 */
export function standardTeam(): Replica {
  const log = found();
  log.write('owner-1', {
    kind: 'add-device',
    member: member('owner'),
    device: device('owner-2').id,
    deviceName: 'owner device 2',
  });
  for (const [label, role] of [
    ['admin', 'admin'],
    ['admin2', 'admin'],
    ['editor', 'editor'],
    ['editor2', 'editor'],
    ['viewer', 'viewer'],
    ['viewer2', 'viewer'],
  ] as const) {
    addMember(log, 'owner-1', label, role);
    log.write(`${label}-1`, {
      kind: 'add-device',
      member: member(label),
      device: device(`${label}-2`).id,
      deviceName: `${label} device 2`,
    });
  }
  return log;
}

/** What two states must agree on, as plain data. */
export function summary(state: TeamState) {
  return {
    members: [...state.members.values()]
      .map((m) => ({ ...m, devices: [...m.devices] }))
      .sort((a, b) => (a.id < b.id ? -1 : 1)),
    devices: [...state.devices.values()].sort((a, b) => (a.id < b.id ? -1 : 1)),
    order: state.order,
    refused: state.refused,
    held: state.held,
    heads: state.heads,
    removals: state.removals,
  };
}
