/**
 * What the audit log records of a device's sync: the membership changes it made, the
 * invitations it made and admitted devices with, and the key rotations it made
 * (`VaultSync.onAuditEvent`; docs/audit.md, "In the app").
 */
import type { DeviceId, InviteId } from '../ids';
import type { MemberId, Role } from '../team';
import type { TeamChange } from './team-actions';

/** What the audit log records of this device's sync (VaultSync.onAuditEvent). */
export type SyncAuditEvent =
  | { readonly kind: 'role-changed'; readonly member: MemberId; readonly role: Role | 'none' }
  | { readonly kind: 'invite-created'; readonly invite: InviteId; readonly role: Role }
  | { readonly kind: 'invite-used'; readonly invite: InviteId; readonly device: DeviceId }
  | { readonly kind: 'key-rotated'; readonly epoch: number };

/** The role changes a membership change made here amounts to. */
export function auditEventsOf(change: TeamChange, self: DeviceId): SyncAuditEvent[] {
  const op = change.operation.operation;
  switch (op.kind) {
    case 'set-role':
      return [{ kind: 'role-changed', member: op.member, role: op.role }];
    case 'remove-member':
      return [{ kind: 'role-changed', member: op.member, role: 'none' }];
    case 'leave': {
      const member = change.state.devices.get(self)?.member;
      return member ? [{ kind: 'role-changed', member, role: 'none' }] : [];
    }
    case 'transfer-ownership': {
      const from = change.state.devices.get(self)?.member;
      return [
        { kind: 'role-changed', member: op.member, role: 'owner' },
        ...(from ? [{ kind: 'role-changed', member: from, role: 'admin' } as const] : []),
      ];
    }
    default:
      return [];
  }
}
