/**
 * A vault's sync as components see it: the status line, the devices that hold the vault,
 * invitations (with their links and QR codes), and entries to review. Wraps core's VaultSync,
 * which runs while the vault is open in this tab.
 */
import { type Accessor, createSignal } from 'solid-js';
import type { ThisDevice } from '../../core/profile';
import {
  type CreatedInvite,
  inviteLink,
  type SyncStatus,
  type TransportFactory,
  VaultSync,
} from '../../core/sync';
import type { DeviceRecord, EntryReview, InviteRecord, Vault } from '../../core/vault';
import { joinErrorText } from './error-text';

export interface VaultSyncView {
  readonly status: Accessor<SyncStatus>;
  readonly devices: Accessor<readonly DeviceRecord[]>;
  readonly invites: Accessor<readonly InviteRecord[]>;
  readonly reviews: Accessor<readonly EntryReview[]>;
  readonly thisDevice: string;
  /** Makes an invitation and returns its link (the secret is only in the fragment). */
  createInvite(options: { expiresInMs: number; singleUse: boolean }): Promise<string>;
  revokeInvite(id: string): Promise<void>;
  removeDevice(id: string): Promise<void>;
  markReviewed(name: string): Promise<void>;
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
}

export interface VaultSyncDeps {
  readonly device: ThisDevice;
  readonly connect: TransportFactory;
  /** The app's address, for invitation links. */
  readonly appUrl: string;
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
  const refresh = () => {
    if (handle.closed) return;
    setDevices(handle.members.devices());
    setInvites(handle.members.invites());
    setReviews(handle.reviews());
  };
  sync.onStatus(setStatus);
  const stopWatch = handle.onChange(refresh);
  return {
    status,
    devices,
    invites,
    reviews,
    thisDevice: deps.device.id,
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

/** "3 changes refused", or nothing when none were. */
export function describeRefused(status: SyncStatus): string | undefined {
  if (status.refused <= 0) return undefined;
  return `${status.refused} ${status.refused === 1 ? 'change' : 'changes'} refused`;
}

/** What a refused change is, for the status line's hint and the devices dialog. */
export const refusedExplanation =
  'Changes that come from a device not in this vault, from a removed device, or damaged on ' +
  'the way are refused: they change nothing here.';

/** What removing a device does and does not do, one plain sentence each. */
export const removalConsequences: readonly string[] = [
  'Its changes from now on are refused by every device of this vault.',
  'It keeps what it already has, the secrets included.',
  'Until the vault’s keys are changed (this comes with team roles), it may still receive and ' +
    'read new changes made on any device of the vault.',
  'To keep secrets from it, change them.',
];

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
