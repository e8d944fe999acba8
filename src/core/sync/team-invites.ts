/**
 * A new invitation's record in a vault: checked against the inviter's role (an admin invites
 * editors and viewers, the owner admins too, anyone its own further devices), and, with a
 * team, signed by its maker (invite-signature.ts), since any member can write the record.
 */
import { toBase64url } from '../crypto';
import type { DeviceIdentity } from '../device';
import type { InviteId } from '../ids';
import {
  type MemberRecord,
  manages,
  maxNameBytes,
  roleMay,
  TeamPermissionError,
  type TeamState,
} from '../team';
import type { InviteRecord } from '../vault';
import { signInviteRecord } from './invite-signature';

export interface NewInviteOptions {
  readonly expiresInMs: number;
  readonly singleUse: boolean;
  /** The role the new member gets (a vault with a team; default editor). */
  readonly role?: 'admin' | 'editor' | 'viewer';
  /** An invitation for another device of this device's own member, not a new member. */
  readonly ownDevice?: boolean;
  /** The new member's name, as the team will see it (default: their device's name). */
  readonly name?: string;
}

export function newInviteRecord(input: {
  readonly team: TeamState | undefined;
  readonly me: MemberRecord | undefined;
  readonly device: DeviceIdentity;
  readonly vaultId: string;
  readonly inviteId: InviteId;
  readonly secret: Uint8Array;
  readonly now: number;
  readonly options: NewInviteOptions;
}): InviteRecord {
  const { team, me, options } = input;
  if (team) {
    if (!me) throw new TeamPermissionError('invite', 'author-removed', undefined);
    if (!options.ownDevice) {
      const role = options.role ?? 'editor';
      if (!roleMay(me.role, 'manage-members'))
        throw new TeamPermissionError('invite', 'not-a-manager', me.role);
      if (!manages(me.role, role))
        throw new TeamPermissionError('invite', 'cannot-grant-role', me.role);
    }
  }
  const record: InviteRecord = {
    id: input.inviteId,
    secret: toBase64url(input.secret),
    createdAt: input.now,
    expiresAt: input.now + options.expiresInMs,
    singleUse: options.singleUse,
    createdBy: input.device.id,
    usedBy: [],
    ...(team && options.ownDevice && me ? { member: me.id } : {}),
    ...(team && !options.ownDevice ? { role: options.role ?? 'editor' } : {}),
    ...(team && !options.ownDevice && options.name?.trim()
      ? { name: memberNameOf(options.name) }
      : {}),
  };
  return team
    ? { ...record, signature: signInviteRecord(input.device, input.vaultId, record) }
    : record;
}

/**
 * A name as a team operation takes it: trimmed, without control characters, cut to whole
 * characters within the operation's limit (names are for display; a long one is not an error).
 */
function memberNameOf(name: string): string {
  const encoder = new TextEncoder();
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point
  const chars = Array.from(name.replace(/[\u0000-\u001f\u007f]/g, ' ').trim());
  while (chars.length > 1 && encoder.encode(chars.join('')).length > maxNameBytes) chars.pop();
  return chars.join('');
}
