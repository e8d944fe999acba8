import * as Y from 'yjs';
import { fromBase64url, keyIdOf, toBase64url } from '../crypto';
import { type DeviceId, type InviteId, isDeviceId } from '../ids';
import { createListeners } from '../listeners';
import { type InviteRecord, VaultClosedError, type VaultHandle } from '../vault';
import type { DeviceIdentity } from './device';
import { EnvelopeExchange, type ExchangeCompaction } from './exchange';
import {
  type AnswerContent,
  type InviteMaterial,
  inviteAnswerPublicKey,
  inviteMaterial,
  newInviteSecret,
  openJoinRequest,
  sealJoinAnswer,
} from './invite';
import type { InviteToken } from './invite-token';
import { roomNameOf, transportPasswordOf } from './keys';
import type { ReceiveReport } from './peer';
import { SyncPeer } from './peer';
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
  readonly vault: VaultHandle;
  readonly device: DeviceIdentity & { readonly name: string };
  readonly connect: TransportFactory;
  readonly clock?: () => number;
  readonly compaction?: ExchangeCompaction;
  /** Answer invitations of this vault from other devices (default true). */
  readonly answerInvites?: boolean;
}

/** A new invitation: the link's token, and its record in the vault. */
export interface CreatedInvite {
  readonly token: InviteToken;
  readonly record: InviteRecord;
}

const INVITE_REQUESTS = 'requests';
const INVITE_ANSWERS = 'answers';

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
  readonly #clock: () => number;
  readonly #peer: SyncPeer;
  readonly #doc = new Y.Doc({ gc: true });
  readonly #exchange: EnvelopeExchange;
  #transport: Transport | undefined;
  readonly #listeners = createListeners<SyncStatus>('sync status');
  readonly #desks = new Map<InviteId, InviteDesk>();
  #stopped = false;
  #stopVaultWatch: (() => void) | undefined;
  #expiryTimer: ReturnType<typeof setInterval> | undefined;
  #last = '';

  private constructor(options: VaultSyncOptions) {
    this.#options = options;
    this.#clock = options.clock ?? Date.now;
    this.#peer = new SyncPeer({ vault: options.vault, device: options.device, clock: this.#clock });
    this.#exchange = new EnvelopeExchange({
      doc: this.#doc,
      peer: this.#peer,
      vault: options.vault,
      ...(options.compaction ? { compaction: options.compaction } : {}),
      onReport: (report) => this.#onReport(report),
      onError: (error) => {
        // Closing the vault while changes arrive is not a failure: they come again next time.
        if (error instanceof VaultClosedError) return;
        console.warn('saving changes from another device failed', error);
      },
    });
  }

  static async start(options: VaultSyncOptions): Promise<VaultSync> {
    const sync = new VaultSync(options);
    await sync.#start();
    return sync;
  }

  async #start(): Promise<void> {
    const { vault, device } = this.#options;
    await vault.claimDevice({ id: device.id, name: device.name }, !vault.joined);
    this.#stopVaultWatch = vault.onChange(() => {
      this.#refreshDesks();
      this.#emit();
    });
    vault.onClose(() => void this.stop());
    await this.#exchange.start();
    this.#transport = this.#options.connect({
      name: roomNameOf(vault.vaultKey),
      password: transportPasswordOf(vault.vaultKey),
      doc: this.#doc,
      device: device.id,
    });
    this.#transport.onStatus(() => this.#emit());
    this.#refreshDesks();
    this.#expiryTimer = setInterval(() => this.#refreshDesks(), 30_000);
    this.#emit();
  }

  #onReport(report: ReceiveReport): void {
    if (report.accepted > 0 || Object.keys(report.rejected).length > 0) this.#emit();
  }

  /** Where this device stands, read from the vault's device list as it is now. */
  get membership(): Membership {
    const { vault, device } = this.#options;
    if (vault.closed) return 'member';
    const record = vault.devices().find((d) => d.id === device.id);
    if (record) return record.revokedAfterSeq !== undefined ? 'removed' : 'member';
    return vault.joined ? 'joining' : 'member';
  }

  status(): SyncStatus {
    const transport = this.#transport?.status() ?? {
      state: 'offline' as const,
      peers: 0,
      peerDevices: [],
    };
    const refused = Object.values(this.#peer.rejected).reduce((sum, n) => sum + (n ?? 0), 0);
    return {
      ...transport,
      membership: this.membership,
      lastReceivedAt: this.#peer.lastReceivedAt,
      refused,
      reviews: this.#options.vault.closed ? 0 : this.#options.vault.reviews().length,
    };
  }

  onStatus(listener: (status: SyncStatus) => void): () => void {
    return this.#listeners.add(listener);
  }

  #emit(): void {
    if (this.#stopped) return;
    const status = this.status();
    const key = JSON.stringify(status);
    if (key === this.#last) return;
    this.#last = key;
    this.#listeners.emit(status);
  }

  /** The highest sequence number seen from a device (for display: it decides nothing). */
  lastSeqOf(deviceId: DeviceId): number {
    return this.#peer.maxSeqOf(deviceId);
  }

  /**
   * Removes a device from the vault: every device refuses its changes other than the last one
   * accepted here and those before it in its chain, whatever their sequence numbers. It keeps
   * what it already has, and can still read what it is sent until the vault key changes
   * (docs/sync.md, "Removing a device").
   */
  removeDevice(deviceId: string): Promise<boolean> {
    // Not a device id: no device of the vault has it (as revokeDevice says of an unknown one).
    if (!isDeviceId(deviceId)) return Promise.resolve(false);
    if (deviceId === this.#options.device.id)
      return Promise.reject(
        new RangeError('a device cannot remove itself; remove it from another device'),
      );
    const last = this.#peer.lastAcceptedOf(deviceId);
    return this.#options.vault.revokeDevice(
      deviceId,
      { seq: last?.seq ?? 0, envelope: last?.envelope ?? null },
      this.#options.device.id,
    );
  }

  /**
   * Makes an invitation: anyone who opens its link in an unlocked Coffer gets this vault, until
   * it expires (and, if single-use, until one device has used it).
   */
  async createInvite(options: { expiresInMs: number; singleUse: boolean }): Promise<CreatedInvite> {
    if (!(options.expiresInMs > 0 && options.expiresInMs <= 30 * 24 * 3600_000))
      throw new RangeError('an invitation expires after a time from one minute to 30 days');
    const { vault, device } = this.#options;
    const secret = newInviteSecret();
    const material = inviteMaterial(secret);
    const now = this.#clock();
    const record: InviteRecord = {
      id: material.id,
      secret: toBase64url(secret),
      createdAt: now,
      expiresAt: now + options.expiresInMs,
      singleUse: options.singleUse,
      createdBy: device.id,
      usedBy: [],
    };
    await vault.saveInvite(record);
    this.#refreshDesks();
    return {
      token: {
        secret,
        vaultId: vault.id,
        keyId: keyIdOf(vault.vaultKey),
        expiresAt: record.expiresAt,
        answerKey: inviteAnswerPublicKey(vault.vaultKey, material.id),
      },
      record,
    };
  }

  /** Withdraws an invitation: devices that answer it say so from now on. */
  async revokeInvite(id: string): Promise<void> {
    const record = this.#options.vault.invite(id);
    if (!record || record.revokedAt !== undefined) return;
    await this.#options.vault.saveInvite({ ...record, revokedAt: this.#clock() });
  }

  /** Opens or closes invite rooms as invitations come and go (kept until they expire). */
  #refreshDesks(): void {
    if (this.#stopped || this.#options.vault.closed || this.#options.answerInvites === false)
      return;
    const now = this.#clock();
    // A removed device still holds the invitations in its copy of the vault; it answers none.
    const removed = this.membership === 'removed';
    const live = new Map(
      this.#options.vault
        .invites()
        .filter((invite) => !removed && invite.expiresAt > now)
        .map((invite) => [invite.id, invite]),
    );
    for (const [id, desk] of this.#desks) {
      if (!live.has(id)) {
        this.#desks.delete(id);
        void desk.close();
      }
    }
    for (const [id, invite] of live) {
      if (this.#desks.has(id)) continue;
      this.#desks.set(id, new InviteDesk(this, this.#options, invite));
    }
  }

  /** @internal Answers one request; called by the invite room of the invitation. */
  async answer(
    material: InviteMaterial,
    requester: string,
    bytes: unknown,
  ): Promise<Uint8Array | undefined> {
    const { vault, device } = this.#options;
    const request = openJoinRequest(material, requester, bytes);
    if (!request || vault.closed) return undefined;
    if (!vault.invite(material.id)) return undefined;
    // Every member's desk sees every request; the device that made the invitation answers at
    // once, the others only if it has not (so one device, not all, adds the newcomer and
    // publishes its whole vault for it).
    if (vault.invite(material.id)?.createdBy !== device.id) {
      await new Promise((resolve) => setTimeout(resolve, deferredAnswerMs));
      if (this.#stopped || vault.closed) return undefined;
    }
    const invite = vault.invite(material.id);
    if (!invite) return undefined;
    // Requests stay in the invitation's room for as long as any device there holds them, so
    // every desk opened later sees the old ones again.
    const known = vault.devices().find((d) => d.id === request.device);
    const removed = known?.revokedAfterSeq !== undefined;
    // A device already let in asks again only when it missed its answer; the device that let
    // it in answers (nothing new to publish), others leave it be.
    if (known && !removed && known.addedBy !== device.id) return undefined;
    // Only a member answers: a device that knows it was removed, or is still waiting for the
    // device list after joining, leaves the request to the vault's members. (The new device
    // would not believe it anyway: it checks the answering device is among the members.)
    if (this.membership !== 'member') return undefined;
    const now = this.#clock();
    const problem =
      invite.revokedAt !== undefined
        ? 'revoked'
        : invite.expiresAt <= now
          ? 'expired'
          : invite.singleUse && invite.usedBy.length > 0 && !invite.usedBy.includes(request.device)
            ? 'used'
            : // A removal is not undone by an invitation the removed device had already used.
              removed && invite.usedBy.includes(request.device)
              ? 'refused'
              : undefined;
    let content: AnswerContent;
    if (problem) {
      content = { ok: false, problem };
    } else {
      if (!known || removed) {
        // The new device learns the other devices from the answer, so this device's envelopes
        // (with everything it applied from others, under their keys) are all it needs.
        await vault.addDevice({
          id: request.device,
          name: request.name,
          addedAt: now,
          addedBy: device.id,
        });
        if (!invite.usedBy.includes(request.device)) {
          await vault.saveInvite({ ...invite, usedBy: [...invite.usedBy, request.device] });
        }
      }
      content = { ok: true, vaultId: vault.id, name: vault.name, key: vault.vaultKey };
    }
    return sealJoinAnswer(material, request, content, {
      device,
      vaultKey: vault.vaultKey,
      // The vault's devices not removed, this one among them (a vault made before sync has
      // no record of it yet); a removed device is not listed, so its answer is not believed.
      members: [
        ...new Set([
          ...(vault.devices().some((d) => d.id === device.id) ? [] : [device.id]),
          ...vault
            .devices()
            .filter((d) => d.revokedAfterSeq === undefined && d.id !== request.device)
            .map((d) => d.id),
        ]),
      ],
    });
  }

  /** Stops syncing (the vault stays open). Resolves once its rooms are left. */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    if (this.#expiryTimer) clearInterval(this.#expiryTimer);
    this.#stopVaultWatch?.();
    this.#exchange.stop();
    this.#listeners.clear();
    const desks = [...this.#desks.values()];
    this.#desks.clear();
    await Promise.all([this.#transport?.destroy(), ...desks.map((desk) => desk.close())]);
    this.#doc.destroy();
  }
}

/** How long a member that did not make an invitation leaves its maker to answer a request. */
const deferredAnswerMs = 1500;

/** The invite room of one invitation, where new devices ask and this device answers. */
class InviteDesk {
  readonly #doc = new Y.Doc({ gc: true });
  readonly #transport: Transport;
  readonly #answered = new Map<string, unknown>();
  readonly #observer = () => void this.#look();
  readonly #material: InviteMaterial;
  readonly #sync: VaultSync;
  #busy: Promise<void> = Promise.resolve();

  constructor(sync: VaultSync, options: VaultSyncOptions, invite: InviteRecord) {
    this.#sync = sync;
    this.#material = inviteMaterial(fromBase64url(invite.secret));
    this.#transport = options.connect({
      name: this.#material.room,
      password: this.#material.password,
      doc: this.#doc,
    });
    this.#doc.getMap(INVITE_REQUESTS).observe(this.#observer);
  }

  #look(): void {
    this.#busy = this.#busy.then(async () => {
      const requests = this.#doc.getMap(INVITE_REQUESTS);
      for (const [requester, bytes] of requests.entries()) {
        if (this.#answered.get(requester) === bytes) continue;
        this.#answered.set(requester, bytes);
        try {
          const answer = await this.#sync.answer(this.#material, requester, bytes);
          if (answer) this.#doc.getMap(INVITE_ANSWERS).set(requester, answer);
        } catch (error) {
          // The vault could not record the new device (closed, or storage full): no answer, so
          // the new device times out and can try again.
          this.#answered.delete(requester);
          console.warn('answering an invitation failed', error);
        }
      }
    });
  }

  async close(): Promise<void> {
    this.#doc.getMap(INVITE_REQUESTS).unobserve(this.#observer);
    await this.#transport.destroy();
    this.#doc.destroy();
  }
}

export { INVITE_ANSWERS, INVITE_REQUESTS };
