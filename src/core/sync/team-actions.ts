/**
 * What a device does to its vault's team: each action is one signed membership operation,
 * checked here with the same rules every other device will judge it by (so the UI gets a
 * clear TeamPermissionError rather than an operation everyone refuses), then stored in the
 * vault's log. A removal also records, for each device it cuts off, the last envelope of it
 * accepted here (the device list's cutoff, docs/sync.md "Removing a device").
 */
import { randomBytes } from '../crypto';
import type { DeviceIdentity } from '../device';
import type { DeviceId } from '../ids';
import {
  activeMemberOf,
  createOperation,
  type Decision,
  type MemberId,
  type MemberRecord,
  mayDo,
  memberIdOf,
  type OperationBody,
  type Role,
  type SignedOperation,
  TeamPermissionError,
  type TeamState,
} from '../team';
import type { InviteRecord, VaultHandle } from '../vault';
import type { AcceptedPoint } from './chains';
import { inviteRecordSigned } from './invite-signature';

export interface TeamActionsHost {
  readonly vault: VaultHandle;
  readonly device: DeviceIdentity;
  now(): number;
  /** The last envelope of a device accepted here (what its removal names). */
  lastAcceptedOf(device: DeviceId): AcceptedPoint | undefined;
  /** Told of each change made here, once stored (for the audit log). */
  made?(change: TeamChange): void;
}

/** A change to the team, as made here: the operation, and the state it led to. */
export interface TeamChange {
  readonly operation: SignedOperation;
  readonly state: TeamState;
}

export class TeamActions {
  readonly #host: TeamActionsHost;

  constructor(host: TeamActionsHost) {
    this.#host = host;
  }

  /** The team as this device derives it now (undefined: the vault has no team yet). */
  state(): TeamState | undefined {
    return this.#host.vault.closed ? undefined : this.#host.vault.team.state();
  }

  /** This device's member, while it is an active one. */
  me(): MemberRecord | undefined {
    const state = this.state();
    return state && activeMemberOf(state, this.#host.device.id);
  }

  /** Whether this device may make the operation now (for the UI to offer it, or say why not). */
  may(body: OperationBody): Decision {
    const state = this.state();
    if (!state) return { allowed: false, reason: 'unknown-author' };
    return mayDo(state, this.#host.device.id, body);
  }

  setRole(member: MemberId, role: Role): Promise<TeamChange> {
    return this.#make({ kind: 'set-role', member, role });
  }

  removeMember(member: MemberId): Promise<TeamChange> {
    return this.#make({ kind: 'remove-member', member });
  }

  removeDevice(device: DeviceId): Promise<TeamChange> {
    return this.#make({ kind: 'remove-device', device });
  }

  leave(): Promise<TeamChange> {
    return this.#make({ kind: 'leave' });
  }

  transferOwnership(member: MemberId): Promise<TeamChange> {
    return this.#make({ kind: 'transfer-ownership', member });
  }

  /**
   * The operation that admits a device that answered an invitation: a new member with the
   * invitation's role, or a further device of the member the invitation names. Undefined when
   * this device may not make it (another member's device may answer instead).
   */
  admission(invite: InviteRecord, device: DeviceId, name: string): SignedOperation | undefined {
    const state = this.state();
    if (!state) return undefined;
    const body: OperationBody =
      invite.member !== undefined
        ? {
            kind: 'add-device',
            member: invite.member as MemberId,
            device,
            deviceName: name,
          }
        : {
            kind: 'add-member',
            member: memberIdOf(randomBytes(16)),
            role: invite.role ?? 'editor',
            device,
            memberName: invite.name ?? name,
            deviceName: name,
            invite: invite.id as never,
          };
    if (!mayDo(state, this.#host.device.id, body).allowed) return undefined;
    // An invitation made by a device that could not have admitted the newcomer itself (a
    // viewer's, say) admits nobody, whoever answers it; nor does a record its maker did not
    // sign as it stands (any member can write invitation records).
    if (!mayDo(state, invite.createdBy, body).allowed) return undefined;
    if (!inviteRecordSigned(this.#host.vault.id, invite)) return undefined;
    return this.#sign(state, body);
  }

  #sign(state: TeamState, body: OperationBody): SignedOperation {
    return createOperation(this.#host.device, {
      ...body,
      vault: this.#host.vault.id,
      at: this.#host.now(),
      parents: state.heads,
    });
  }

  async #make(body: OperationBody): Promise<TeamChange> {
    const { vault, device } = this.#host;
    const state = this.state();
    const role = state && activeMemberOf(state, device.id)?.role;
    if (!state) throw new TeamPermissionError(body.kind, 'no-team', undefined);
    const decision = mayDo(state, device.id, body);
    if (!decision.allowed) throw new TeamPermissionError(body.kind, decision.reason, role);
    const operation = this.#sign(state, body);
    await vault.team.append([operation]);
    const after = vault.team.state()!;
    for (const removal of after.removals) {
      if (removal.op !== operation.id) continue;
      for (const cut of removal.devices) {
        if (cut === device.id) continue;
        const last = this.#host.lastAcceptedOf(cut);
        await vault.members.revokeDevice(
          cut,
          { seq: last?.seq ?? 0, envelope: last?.envelope ?? null },
          device.id,
        );
      }
    }
    const change = { operation, state: after };
    this.#host.made?.(change);
    return change;
  }
}
