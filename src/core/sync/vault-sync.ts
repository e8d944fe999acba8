import * as Y from 'yjs';
import type { DeviceIdentity } from '../device';
import { type DeviceId, isDeviceId } from '../ids';
import { createListeners } from '../listeners';
import { relayRoomOf } from '../relay';
import { activeDevicesOf } from '../team';
import { type Clock, type Scheduler, systemScheduler } from '../time';
import { handleOf, type Vault, VaultClosedError, type VaultHandle, vaultKeyOf } from '../vault';
import { standingsOf } from './acknowledgement';
import { EpochKeys } from './epoch-keys';
import { EnvelopeExchange, type ExchangeCompaction } from './exchange';
import { hasFirstEnvelopes } from './first-sync';
import type { DeskHost } from './invite-desk';
import { type CreatedInvite, InviteDesks, type InviteOptions } from './invite-desks';
import { roomNameOf, transportPasswordOf } from './keys';
import type { ReceiveReport } from './peer';
import { SyncPeer } from './peer';
import { TeamActions } from './team-actions';
import { auditEventsOf, type SyncAuditEvent } from './team-events';
import {
  entryPermissionsOf,
  foundTeam,
  judgeByRole,
  teamChainVault,
  teamRules,
} from './team-rules';
import type { Transport, TransportFactory, TransportStatus } from './transport';

/** Where this device stands in the vault's device list. */
export type Membership =
  /** In the list: its changes are accepted. */
  | 'member'
  /** Joined by invitation, waiting for the device list from the device that let it in. */
  | 'joining'
  /** Removed from the vault by another device: its changes are refused from now on. */
  | 'removed';

/** What the UI shows about a vault's sync. */
export interface SyncStatus extends TransportStatus {
  readonly membership: Membership;
  /** When a change from another device was last applied (epoch ms), or null. */
  readonly lastReceivedAt: number | null;
  /** Envelopes refused since the vault was opened (garbage, forgeries, outsiders). */
  readonly refused: number;
  /** Entries marked for review after edits made apart. */
  readonly reviews: number;
}

export interface VaultSyncOptions {
  /** The vault as Session.openVault gave it (sync reaches the full handle inside core). */
  readonly vault: Vault | VaultHandle;
  readonly device: DeviceIdentity & { readonly name: string };
  readonly connect: TransportFactory;
  /**
   * Time for this vault's sync: invitation times, the expiry sweep of invite rooms, the wait
   * before a member that did not make an invitation answers it (the system's by default).
   */
  readonly scheduler?: Scheduler;
  /** Milliseconds since the epoch, in place of the scheduler's `now` (kept for older callers). */
  readonly clock?: Clock;
  readonly compaction?: ExchangeCompaction;
  /** Answer invitations of this vault from other devices (default true). */
  readonly answerInvites?: boolean;
  /** The name the owner gets when this device founds the vault's team (default "Owner"). */
  readonly memberName?: string;
}

/**
 * A vault's sync while it is open in this tab (the tab that holds its lock): the envelope
 * exchange over the vault's room, the answering of its invitations, and a status for the UI.
 * Stops when the vault closes.
 *
 * @example
 * const sync = await VaultSync.start({ vault, device: await session.device(), connect });
 * sync.onStatus((status) => render(status));
 * const invite = await sync.createInvite({ expiresInMs: 3_600_000, singleUse: true });
 */
export class VaultSync {
  readonly #options: VaultSyncOptions;
  readonly #vault: VaultHandle;
  readonly #clock: Clock;
  readonly #scheduler: Scheduler;
  readonly #peer: SyncPeer;
  readonly #doc = new Y.Doc({ gc: true });
  readonly #exchange: EnvelopeExchange;
  #transport: Transport | undefined;
  readonly #listeners = createListeners<SyncStatus>('sync status');
  /** The vault's invitations, and the invite rooms where this device answers them. */
  readonly #desks: InviteDesks;
  #stopped = false;
  #stopVaultWatch: (() => void) | undefined;
  #last = '';
  readonly #events = createListeners<SyncAuditEvent>('sync audit event');
  /** The vault's team: its state, and the membership changes this device makes. */
  readonly team: TeamActions;
  /** Which key this device seals under and opens with, and when it changes. */
  readonly #epochs: EpochKeys;
  /** The team state and epoch record count last handed to the epochs (to look only on news). */
  #teamSeen: unknown;
  /**
   * Settles once what an invitation brought is checked, applied and saved, and the vault's
   * room is joined: `start` does not wait for that (it waits when nothing was brought).
   */
  firstBatch: Promise<void> = Promise.resolve();

  private constructor(options: VaultSyncOptions) {
    this.#options = options;
    this.#vault = handleOf(options.vault);
    const scheduler = options.scheduler ?? systemScheduler;
    this.#scheduler = scheduler;
    this.#clock = options.clock ?? (() => scheduler.now());
    const vault = this.#vault;
    this.#peer = new SyncPeer({
      vault,
      device: options.device,
      scheduler,
      clock: this.#clock,
      authors: teamChainVault(vault),
      judge: (author, update) => judgeByRole(vault, author, update),
    });
    this.team = new TeamActions({
      vault,
      device: options.device,
      now: this.#clock,
      lastAcceptedOf: (device) => this.#peer.lastAcceptedOf(device),
      made: (change) => {
        for (const event of auditEventsOf(change, options.device.id)) this.#events.emit(event);
      },
    });
    const deskHost: DeskHost = {
      vault: this.#vault,
      device: options.device,
      connect: options.connect,
      scheduler,
      now: this.#clock,
      isMember: () => this.membership === 'member',
      stopped: () => this.#stopped,
      team: this.team,
      admitted: (invite, device) => this.#events.emit({ kind: 'invite-used', invite, device }),
      firstEnvelopes: () => this.#exchange.publishedEnvelopes(),
    };
    this.#desks = new InviteDesks(deskHost, {
      answer: options.answerInvites !== false,
      removed: () => this.membership === 'removed',
    });
    this.#epochs = new EpochKeys({
      vault,
      device: options.device,
      roomDoc: this.#doc,
      scheduler,
      useKeys: (current, all) => this.#peer.useKeys(current, all).then((r) => this.#onReport(r)),
      onSealingKeyChanged: () => {
        if (!this.#stopped) this.#exchange.publishCheckpointSoon();
      },
      onRotated: (epoch) => this.#events.emit({ kind: 'key-rotated', epoch }),
    });
    this.#exchange = new EnvelopeExchange({
      doc: this.#doc,
      peer: this.#peer,
      vault: this.#vault,
      ...(options.compaction ? { compaction: options.compaction } : {}),
      onReport: (report) => this.#onReport(report),
      // Who must have acknowledged an envelope before it leaves the room (acknowledgement.ts).
      standings: () =>
        vault.closed ? new Map() : standingsOf(vault.team.state(), vault.members.devices()),
      scheduler,
      onError: (error) => {
        // Closing the vault while changes arrive is not a failure: they come again next time.
        if (error instanceof VaultClosedError) return;
        console.warn(
          'saving changes from another device, or publishing a checkpoint, failed',
          error,
        );
      },
    });
  }

  static async start(options: VaultSyncOptions): Promise<VaultSync> {
    const sync = new VaultSync(options);
    await sync.#start();
    return sync;
  }

  async #start(): Promise<void> {
    const { device } = this.#options;
    const vault = this.#vault;
    vault.team.useRules(teamRules);
    await vault.members.claimDevice({ id: device.id, name: device.name }, !vault.joined);
    await foundTeam(vault, device, this.#clock, this.#options.memberName);
    vault.setPermissions(entryPermissionsOf(vault, device.id));
    this.#stopVaultWatch = vault.onChange(() => {
      this.#desks.refresh();
      this.#lookAtTeam();
      this.#emit();
    });
    vault.onClose(() => void this.stop());
    await this.#epochs.start();
    this.#teamSeen = this.#teamKey();
    // What an invitation brought (first-sync.ts) is checked, applied and saved before the
    // vault's room is joined, so that the room's copy of the same envelopes, and its decoding,
    // does not compete with it. Not awaited then: a vault opened by a first sync shows at once,
    // and its entries as soon as they are applied, before they are saved.
    const brought = hasFirstEnvelopes(vault.id);
    const first = this.#exchange.start();
    if (!brought) {
      await first;
      this.#joinRoom();
      return;
    }
    this.firstBatch = first.then(
      () => this.#joinRoom(),
      (error: unknown) => {
        // The room brings the same envelopes again; saving them is retried then.
        if (!(error instanceof VaultClosedError))
          console.warn('saving the changes an invitation brought failed', error);
        this.#joinRoom();
      },
    );
    this.#emit();
  }

  /** Joins the vault's room (after the first batch), and starts answering invitations. */
  #joinRoom(): void {
    const vault = this.#vault;
    if (this.#stopped || vault.closed) return;
    this.#transport = this.#options.connect({
      name: roomNameOf(vaultKeyOf(vault)),
      password: transportPasswordOf(vaultKeyOf(vault)),
      doc: this.#doc,
      device: this.#options.device.id,
      relay: relayRoomOf(vaultKeyOf(vault)),
    });
    this.#transport.onStatus(() => this.#emit());
    this.#desks.start();
    this.#emit();
  }

  /** What the epochs depend on: the team state (a new object when the log changed) and records. */
  #teamKey(): unknown[] {
    const vault = this.#vault;
    return vault.closed ? [] : [vault.team.state(), vault.team.epochRecords().length];
  }

  #lookAtTeam(): void {
    const key = this.#teamKey();
    const seen = this.#teamSeen as unknown[] | undefined;
    if (seen && key.length === seen.length && key.every((k, i) => k === seen[i])) return;
    this.#teamSeen = key;
    void this.#epochs.refresh();
    // A device removed (or added) changes who must have acknowledged what.
    this.#exchange.pruneSoon();
  }

  /** The key epoch this device seals under now (0: the vault key, before any rotation). */
  get epoch(): number {
    return this.#epochs.epoch;
  }

  #onReport(report: ReceiveReport): void {
    if (report.accepted > 0 || Object.keys(report.rejected).length > 0) this.#emit();
  }

  /** Where this device stands, read from the vault's device list as it is now. */
  get membership(): Membership {
    const { device } = this.#options;
    const vault = this.#vault;
    if (vault.closed) return 'member';
    const team = vault.team.state();
    if (team) {
      const known = team.devices.get(device.id);
      if (!known) return vault.joined ? 'joining' : 'member';
      // Or, if it missed its removal, a newer key made without it says so (epoch-keys.ts).
      return this.team.me() && !this.#epochs.leftOut ? 'member' : 'removed';
    }
    const record = vault.members.devices().find((d) => d.id === device.id);
    if (record) return record.revokedAfterSeq !== undefined ? 'removed' : 'member';
    return vault.joined ? 'joining' : 'member';
  }

  status(): SyncStatus {
    const transport = this.#transport?.status() ?? {
      state: 'offline' as const,
      peers: 0,
      peerDevices: [],
    };
    // Membership operations the log refuses count too: an editor's attempt to change
    // membership is stored (every device judges it the same way) but changes nothing.
    const team = this.#vault.closed ? undefined : this.#vault.team.state();
    const refused =
      Object.values(this.#peer.rejected).reduce((sum, n) => sum + (n ?? 0), 0) +
      (team?.refused.length ?? 0);
    return {
      ...transport,
      membership: this.membership,
      lastReceivedAt: this.#peer.lastReceivedAt,
      refused,
      reviews: this.#vault.closed ? 0 : this.#vault.reviews().length,
    };
  }

  onStatus(listener: (status: SyncStatus) => void): () => void {
    return this.#listeners.add(listener);
  }

  /**
   * Told of what this device did that the audit log records: membership changes it made,
   * invitations it made and admitted devices with, and key rotations it made.
   */
  onAuditEvent(listener: (event: SyncAuditEvent) => void): () => void {
    return this.#events.add(listener);
  }

  #emit(): void {
    if (this.#stopped) return;
    const status = this.status();
    const key = JSON.stringify(status);
    if (key === this.#last) return;
    this.#last = key;
    this.#listeners.emit(status);
  }

  /** When a change of this device was last applied here, since the vault was opened. */
  lastSeenAt(deviceId: DeviceId): number | undefined {
    return this.#peer.lastSeenAt(deviceId);
  }

  /** The highest sequence number seen from a device (for display: it decides nothing). */
  lastSeqOf(deviceId: DeviceId): number {
    return this.#peer.maxSeqOf(deviceId);
  }

  /**
   * Removes a device from the vault: every device refuses its changes other than the last one
   * accepted here and those before it in its chain, whatever their sequence numbers. It keeps
   * what it already has; with a team, the removal starts a new key epoch, so it cannot read
   * what is written after (docs/sync.md, "Removing a device", "Key epochs").
   */
  removeDevice(deviceId: string): Promise<boolean> {
    // Not a device id: no device of the vault has it (as revokeDevice says of an unknown one).
    if (!isDeviceId(deviceId)) return Promise.resolve(false);
    if (deviceId === this.#options.device.id)
      return Promise.reject(
        new RangeError('a device cannot remove itself; remove it from another device'),
      );
    const team = this.team.state();
    const record = team?.devices.get(deviceId);
    if (team && record) {
      if (record.removed) return Promise.resolve(false);
      const member = team.members.get(record.member)!;
      // A member's last device goes with its member: the log never leaves a member deviceless.
      const change =
        activeDevicesOf(team, member).length <= 1
          ? this.team.removeMember(member.id)
          : this.team.removeDevice(deviceId);
      return change.then(() => true);
    }
    const last = this.#peer.lastAcceptedOf(deviceId);
    return this.#vault.members.revokeDevice(
      deviceId,
      { seq: last?.seq ?? 0, envelope: last?.envelope ?? null },
      this.#options.device.id,
    );
  }

  /**
   * Makes an invitation: anyone who opens its link in an unlocked Coffer gets this vault, until
   * it expires (and, if single-use, until one device has used it).
   */
  createInvite(options: InviteOptions): Promise<CreatedInvite> {
    return this.#desks.create(options, (event) => this.#events.emit(event));
  }

  /** Withdraws an invitation: devices that answer it say so from now on. */
  revokeInvite(id: string): Promise<void> {
    return this.#desks.revoke(id);
  }

  /** Stops syncing (the vault stays open). Resolves once its rooms are left. */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#stopVaultWatch?.();
    // One checkpoint in place of this session's updates, for the device that opens the vault
    // next from the relay (the relay transport waits, briefly, for the relay to store it).
    if (!this.#vault.closed) {
      try {
        await this.#exchange.checkpointIfBehind();
      } catch (error) {
        // Closing goes on: the updates stay in the room and say the same.
        console.warn('publishing a checkpoint before leaving failed', error);
      }
    }
    this.#exchange.stop();
    this.#epochs.stop();
    this.#listeners.clear();
    await Promise.all([this.#transport?.destroy(), this.#desks.close()]);
    this.#doc.destroy();
  }
}
