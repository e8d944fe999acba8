/**
 * How sync applies the membership log (docs/sync.md, "Members and roles"): who may author
 * envelopes, what a role may change, and the first operations of a vault's log.
 *
 * - While a vault has no team state (a vault from before teams whose founder has not opened it
 *   since, or a joining device waiting for the log), the device list decides as before.
 * - With one, a device may write if it is an active device of an active member. A removed one is
 *   'revoked' (its chain's cutoff, from the device list, says which of its envelopes came
 *   before); any other is 'unknown' (held until the log admits it).
 * - What an envelope may change depends on its author's role: a viewer's envelope may add only
 *   to the maps whose records judge themselves (the membership log and the audit log are signed
 *   per record) and to device and invitation bookkeeping; one that changes entries, or anything
 *   else, is refused ('not-permitted') before it touches the document. Editors and up may
 *   change everything in the document: membership is changed only by signed operations, which
 *   `deriveTeam` judges on every device the same way.
 */
import { randomBytes } from '../crypto';
import type { DeviceIdentity } from '../device';
import type { DeviceId } from '../ids';
import {
  activeMemberOf,
  createOperation,
  decodeOperation,
  deriveTeam,
  type EntryAction,
  mayOnEntries,
  memberIdOf,
  type SignedOperation,
  TeamPermissionError,
  type TeamState,
} from '../team';
import type { AuthorStatus, EntryPermissions, TeamRules, VaultHandle } from '../vault';
import type { ChainVault } from './chains';

/** The rules the vault's log is read with (given to the vault when its sync starts). */
export const teamRules: TeamRules = { derive: deriveTeam, decode: decodeOperation };

/** Root maps any active member may add to: their records are judged one by one. */
export const selfJudgingRoots: ReadonlySet<string> = new Set([
  'team',
  'epochs',
  'audit',
  'devices',
  'invites',
]);

/** The chains' view of who may write, from the team state when there is one. */
export function teamChainVault(vault: VaultHandle): ChainVault {
  return {
    authorStatus(author: string): AuthorStatus {
      const team = vault.closed ? undefined : vault.team.state();
      if (!team) return vault.members.authorStatus(author);
      const device = team.devices.get(author as DeviceId);
      if (device) return activeMemberOf(team, author as DeviceId) ? 'allowed' : 'revoked';
      // Removed before the log began (or by a device from before teams): the list's cutoff.
      return vault.members.authorStatus(author) === 'revoked' ? 'revoked' : 'unknown';
    },
    removalPoint(author: string): string | null | undefined {
      const point = vault.members.removalPoint(author);
      if (point !== undefined) return point;
      const team = vault.closed ? undefined : vault.team.state();
      const device = team?.devices.get(author as DeviceId);
      // Removed in the log with no cutoff recorded: nothing more of it stands.
      return device && !activeMemberOf(team!, author as DeviceId) ? null : undefined;
    },
  };
}

/** What sync does with an opened envelope, by its author's role and what it changes. */
export type EnvelopeVerdict = 'allowed' | 'not-permitted' | 'unresolved';

/**
 * Judges an authentic envelope from `author` (already past the author check) by its author's
 * role: a viewer's may add only to the self-judging roots. Whoever wrote it, an envelope may
 * not rewrite the membership log nor change the device list's founder (what anchors the log on
 * devices that joined before teams): no device of ours does either, and either would change
 * the team with no signed operation.
 */
export function judgeByRole(
  vault: VaultHandle,
  author: DeviceId,
  update: Uint8Array,
): EnvelopeVerdict {
  const team = vault.team.state();
  if (!team) return 'allowed';
  const record = team.devices.get(author);
  const member = record && team.members.get(record.member);
  const viewer = member?.role === 'viewer';
  let roots: ReturnType<VaultHandle['rootsTouchedBy']>;
  try {
    if (vault.team.rewrites(update)) return 'not-permitted';
    roots = vault.rootsTouchedBy(update);
    if (roots.roots.has('devices') && vault.team.changesFounder(update)) return 'not-permitted';
  } catch {
    // Unreadable: the handle counts it as malformed when applying; a viewer gets no benefit
    // of the doubt.
    return viewer ? 'not-permitted' : 'allowed';
  }
  if (viewer)
    for (const root of roots.roots) if (!selfJudgingRoots.has(root)) return 'not-permitted';
  // An update whose place cannot be told yet is held here, whoever wrote it, and judged again
  // once what it builds on has arrived: left to Yjs, it would be kept pending and applied
  // later with no check at all.
  return roots.resolved ? 'allowed' : 'unresolved';
}

/** The role-based checks the handle asks before entry writes and write-only reads. */
export function entryPermissionsOf(vault: VaultHandle, device: DeviceId): EntryPermissions {
  const check = (action: EntryAction) => {
    const team = vault.team.state();
    if (!team) return;
    const decision = mayOnEntries(team, device, action);
    if (!decision.allowed)
      throw new TeamPermissionError(action, decision.reason, activeMemberOf(team, device)?.role);
  };
  return { write: () => check('update'), useWriteOnly: () => check('read-write-only') };
}

/**
 * Makes sure the vault has a membership log, for the device that founded it: a new vault, or
 * one from before teams (migrated: every device of its list that is not removed becomes a
 * device of the owner, as every device could do everything before). Does nothing on a joined
 * vault or once a log exists.
 */
export async function foundTeam(
  vault: VaultHandle,
  device: DeviceIdentity & { readonly name: string },
  now: () => number,
  memberName = 'Owner',
): Promise<TeamState | undefined> {
  const existing = vault.team.state();
  if (existing || vault.joined) return existing;
  const devices = vault.members.devices();
  const founder = devices.find((d) => d.addedBy === null);
  // Another device founded this vault: its genesis comes by sync (trust on first use).
  if (founder && founder.id !== device.id) return undefined;
  if (vault.team.anchor()) return vault.team.state();
  const member = memberIdOf(randomBytes(16));
  const genesis = createOperation(device, {
    kind: 'genesis',
    vault: vault.id,
    at: now(),
    parents: [],
    member,
    memberName,
    deviceName: device.name,
  });
  const ops: SignedOperation[] = [genesis];
  let parents = [genesis.id];
  for (const other of devices) {
    if (other.id === device.id || other.revokedAfterSeq !== undefined) continue;
    const op = createOperation(device, {
      kind: 'add-device',
      vault: vault.id,
      at: now(),
      parents,
      member,
      device: other.id,
      deviceName: other.name,
    });
    ops.push(op);
    parents = [op.id];
  }
  await vault.team.append(ops);
  return vault.team.state();
}
