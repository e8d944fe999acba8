/**
 * A vault's sync as components see it: the status line, the devices that hold the vault,
 * invitations (with their links and QR codes), entries to review, and the vault's team (its
 * members, their roles, and the membership changes this device may make). Wraps core's
 * VaultSync, which runs while the vault is open in this tab.
 */
import { type Accessor, createSignal } from 'solid-js';
import type { DeviceId } from '../../core/ids';
import type { ThisDevice } from '../../core/profile';
import {
  type CreatedInvite,
  inviteLink,
  type SyncAuditEvent,
  type SyncStatus,
  type TransportFactory,
  VaultSync,
} from '../../core/sync';
import {
  activeMemberOf,
  type Decision,
  type MemberId,
  type MemberRecord,
  mayDo,
  type OperationBody,
  type Role,
  type TeamState,
} from '../../core/team';
import type { DeviceRecord, EntryReview, InviteRecord, Vault } from '../../core/vault';
import { joinErrorText } from './error-text';
import { type EntryRights, entryRights, removalConsequences } from './team-view';

// Kept importable from here, where the devices dialog and older tests look for them.
export { type EntryRights, entryRights, removalConsequences };

export interface VaultSyncView {
  readonly status: Accessor<SyncStatus>;
  readonly devices: Accessor<readonly DeviceRecord[]>;
  readonly invites: Accessor<readonly InviteRecord[]>;
  readonly reviews: Accessor<readonly EntryReview[]>;
  readonly thisDevice: string;
  /** The vault's members and their devices; undefined while the vault has no team. */
  readonly team: Accessor<TeamState | undefined>;
  /** This device's member, while it is an active one. */
  readonly me: Accessor<MemberRecord | undefined>;
  /** What this device may do to entries now (all, in a vault without a team). */
  readonly rights: Accessor<EntryRights>;
  /** Whether this device may make a membership change now (to offer it, or say why not). */
  may(body: OperationBody): Decision;
  /**
   * Makes an invitation and returns its link (the secret is only in the fragment). In a vault
   * with a team: for a new member with `role` (default editor), or for another device of this
   * device's own member (`ownDevice`).
   */
  createInvite(options: {
    expiresInMs: number;
    singleUse: boolean;
    role?: 'admin' | 'editor' | 'viewer';
    ownDevice?: boolean;
    /** The new member's name, as the team will see it (default: their device's name). */
    name?: string;
  }): Promise<string>;
  revokeInvite(id: string): Promise<void>;
  /** Removes a device; a member's last device goes with its member. */
  removeDevice(id: string): Promise<void>;
  setRole(member: MemberId, role: Role): Promise<void>;
  removeMember(member: MemberId): Promise<void>;
  /** This device's member leaves the vault (not the owner: it hands over ownership first). */
  leave(): Promise<void>;
  transferOwnership(member: MemberId): Promise<void>;
  /** When a change of the device was last applied here, since the vault was opened. */
  lastSeenAt(deviceId: string): number | undefined;
  markReviewed(name: string): Promise<void>;
  /** Membership changes, invitations and key rotations this device made: for the audit log. */
  onAuditEvent(listener: (event: SyncAuditEvent) => void): () => void;
  stop(): Promise<void>;
}

/** What the app gives the UI for sync: the transport, and the relays in use. */
export interface SyncServices {
  readonly connect: TransportFactory;
  /** The app's address, for invitation links. */
  readonly appUrl: string;
  /** The signaling relays in use (the app server's own unless the settings name others). */
  readonly signaling: { get(): readonly string[]; set(urls: readonly string[]): void };
  /** The relay `npm start` serves: what an empty setting means. */
  readonly defaultSignaling: string;
  /** The mailbox relays in use: the app server's own unless the settings name others; none when off. */
  readonly relays: {
    get(): readonly string[];
    set(urls: readonly string[], enabled: boolean): void;
  };
  /** The mailbox relay `npm start` serves: what an empty setting means. */
  readonly defaultRelay: string;
}

export interface VaultSyncDeps {
  readonly device: ThisDevice;
  readonly connect: TransportFactory;
  /** The app's address, for invitation links. */
  readonly appUrl: string;
  /** When a device was last active by the vault's audit log (kept across openings). */
  readonly lastActiveAt?: (deviceId: string) => number | undefined;
}

const offline: SyncStatus = {
  state: 'offline',
  peers: 0,
  peerDevices: [],
  membership: 'member',
  lastReceivedAt: null,
  refused: 0,
  reviews: 0,
};

export async function startVaultSync(handle: Vault, deps: VaultSyncDeps): Promise<VaultSyncView> {
  const sync = await VaultSync.start({ vault: handle, device: deps.device, connect: deps.connect });
  const [status, setStatus] = createSignal<SyncStatus>(sync.status() ?? offline);
  const [devices, setDevices] = createSignal<readonly DeviceRecord[]>(handle.members.devices());
  const [invites, setInvites] = createSignal<readonly InviteRecord[]>(handle.members.invites());
  const [reviews, setReviews] = createSignal<readonly EntryReview[]>(handle.reviews());
  // Core's state is immutable (a new object for each change), so comparing by identity is right.
  const [team, setTeam] = createSignal<TeamState | undefined>(sync.team.state());
  const thisDevice = deps.device.id;
  const refresh = () => {
    if (handle.closed) return;
    setDevices(handle.members.devices());
    setInvites(handle.members.invites());
    setReviews(handle.reviews());
    setTeam(sync.team.state());
  };
  // A team change reaches here as a vault change; the status follows sync's own events.
  sync.onStatus(setStatus);
  /** Runs a membership change, then shows its outcome at once. */
  const change = async (made: Promise<unknown>) => {
    await made;
    refresh();
  };
  const stopWatch = handle.onChange(refresh);
  return {
    status,
    devices,
    invites,
    reviews,
    thisDevice,
    team,
    me: () => {
      const state = team();
      return state && activeMemberOf(state, thisDevice);
    },
    rights: () => entryRights(team(), thisDevice),
    // Asked of the signal's state (not core's, read afresh) so that components follow it.
    may: (body) => {
      const state = team();
      return state ? mayDo(state, thisDevice, body) : { allowed: false, reason: 'unknown-author' };
    },
    setRole: (member, role) => change(sync.team.setRole(member, role)),
    removeMember: (member) => change(sync.team.removeMember(member)),
    leave: () => change(sync.team.leave()),
    transferOwnership: (member) => change(sync.team.transferOwnership(member)),
    lastSeenAt: (deviceId) => {
      const seen = sync.lastSeenAt(deviceId as DeviceId);
      const active = deps.lastActiveAt?.(deviceId);
      return seen === undefined ? active : Math.max(seen, active ?? seen);
    },
    async createInvite(options) {
      const created: CreatedInvite = await sync.createInvite(options);
      refresh();
      return inviteLink(deps.appUrl, created.token);
    },
    async revokeInvite(id) {
      await sync.revokeInvite(id);
      refresh();
    },
    async removeDevice(id) {
      await sync.removeDevice(id);
      refresh();
    },
    async markReviewed(name) {
      await handle.clearReview(name);
      refresh();
    },
    onAuditEvent: (listener) => sync.onAuditEvent(listener),
    async stop() {
      stopWatch();
      await sync.stop();
    },
  };
}

/** The devices that hold the vault now (removed ones left out). */
export function memberCount(devices: readonly DeviceRecord[]): number {
  return devices.filter((device) => device.revokedAfterSeq === undefined).length;
}

/**
 * "Connected to 2 devices", "Connecting…", "Offline": the status line's words. `members` is
 * how many devices hold the vault: with only this one there is nobody to connect to, and
 * saying "no other device connected" would suggest something is missing.
 */
export function describeSyncState(
  status: SyncStatus,
  members = 2,
  removed: readonly string[] = [],
): string {
  if (status.membership === 'removed') return 'Removed from this vault';
  const peers = connectedMembers(status, removed);
  if (status.state === 'offline') return 'Offline';
  if (status.state === 'connecting') return 'Connecting…';
  if (status.membership === 'member' && members <= 1 && peers === 0)
    return 'Online · only this device has this vault';
  if (peers === 0) return 'Online, no other device connected';
  return `Connected to ${peers} ${peers === 1 ? 'device' : 'devices'}`;
}

/**
 * Connected devices, less those that announce a removed device's id: a removed device keeps
 * the vault key and can still join the room, but it is not a device of the vault any more.
 * (Announcements are not authenticated: this is a count for display, like the status itself.)
 */
export function connectedMembers(status: SyncStatus, removed: readonly string[]): number {
  const gone = status.peerDevices.filter((id) => removed.includes(id)).length;
  return Math.max(0, status.peers - gone);
}

/** The ids of the devices removed from the vault. */
export function removedDevices(devices: readonly DeviceRecord[]): string[] {
  return devices.filter((device) => device.revokedAfterSeq !== undefined).map((d) => d.id);
}

/** "relay reached", "reaching the relay…", "relay not reached"; nothing when there is none. */
export function describeRelayState(status: SyncStatus): string | undefined {
  if (status.relay === undefined || status.state === 'offline') return undefined;
  if (status.relay === 'online') return 'relay reached';
  if (status.relay === 'connecting') return 'reaching the relay…';
  return 'relay not reached';
}

/** What the relay is, for the status line's hint. */
export const relayExplanation =
  'The relay keeps sealed changes until your other devices next open; it cannot read them.';

/**
 * What the mailbox relay said no to, in words a person can act on, or nothing when it is
 * fine. Only the relay is affected: devices that are open at the same time still sync.
 */
export function describeRelayProblem(status: SyncStatus): string | undefined {
  const problem = status.relayProblem;
  if (!problem) return undefined;
  switch (problem.reason) {
    case 'room-quota':
      return `The relay refused this vault's changes: its storage quota is full${
        problem.quotaBytes !== undefined ? ` (${formatMiB(problem.quotaBytes)})` : ''
      }. Devices open at the same time still sync; nothing is lost.`;
    case 'unauthorized':
      return "The relay refused this device: it does not accept this vault's key. Devices open at the same time still sync.";
    case 'not-a-mailbox':
      return "The relay refused this vault's changes as not what it stores. Devices open at the same time still sync; nothing is lost.";
  }
}

const formatMiB = (bytes: number) => {
  const mib = bytes / (1024 * 1024);
  return `${Number.isInteger(mib) ? mib : mib.toFixed(1)} MiB`;
};

/** "3 changes refused", or nothing when none were. */
export function describeRefused(status: SyncStatus): string | undefined {
  if (status.refused <= 0) return undefined;
  return `${status.refused} ${status.refused === 1 ? 'change' : 'changes'} refused`;
}

/** What a refused change is, for the status line's hint and the devices dialog. */
export const refusedExplanation =
  'Changes that come from a device not in this vault, from a removed device, or damaged on ' +
  'the way are refused: they change nothing here.';

/** Why joining failed, in words a person can act on. */
export function describeJoinError(error: unknown): string {
  return joinErrorText(error);
}

/** Invitation lifetimes offered in the share dialog. */
export const inviteLifetimes = [
  { label: '15 minutes', ms: 15 * 60_000 },
  { label: '1 hour', ms: 3600_000 },
  { label: '1 day', ms: 24 * 3600_000 },
  { label: '7 days', ms: 7 * 24 * 3600_000 },
] as const;

/** Whether an invitation can still let a device in. */
export function inviteState(
  invite: InviteRecord,
  now: number,
): 'active' | 'used' | 'expired' | 'withdrawn' {
  if (invite.revokedAt !== undefined) return 'withdrawn';
  if (invite.expiresAt <= now) return 'expired';
  if (invite.singleUse && invite.usedBy.length > 0) return 'used';
  return 'active';
}
