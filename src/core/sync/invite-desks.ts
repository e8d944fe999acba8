import { keyIdOf } from '../crypto';
import type { InviteId } from '../ids';
import type { Cancel } from '../time';
import { type InviteRecord, vaultKeyOf } from '../vault';
import { inviteMaterial, newInviteSecret } from './invite';
import { inviteAnswerPublicKey } from './invite-answer';
import { type DeskHost, InviteDesk } from './invite-desk';
import type { InviteToken } from './invite-token';
import type { SyncAuditEvent } from './team-events';
import { newInviteRecord } from './team-invites';

/** A new invitation: the link's token, and its record in the vault. */
export interface CreatedInvite {
  readonly token: InviteToken;
  readonly record: InviteRecord;
}

/** What an invitation is made with (VaultSync.createInvite). */
export interface InviteOptions {
  readonly expiresInMs: number;
  readonly singleUse: boolean;
  /** The role the new member gets (a vault with a team; default editor). */
  readonly role?: 'admin' | 'editor' | 'viewer';
  /** An invitation for another device of this device's own member, not a new member. */
  readonly ownDevice?: boolean;
  /** The new member's name, as the team will see it (default: their device's name). */
  readonly name?: string;
}

/** How often invite rooms are swept for invitations that expired. */
const deskSweepMs = 30_000;

/**
 * The invitations of a vault, as its sync sees them (docs/sync.md, "Pairing: adding a
 * device"): making and withdrawing them, and one invite room (an InviteDesk) open for each
 * invitation that has not expired, where new devices ask and this device answers. Desks open
 * and close as invitations come and go (`refresh`, called on each change of the vault and every
 * 30 s), and all close with `close`.
 */
export class InviteDesks {
  readonly #host: DeskHost;
  readonly #answer: boolean;
  /** Whether this device knows it was removed: it still holds the invitations, and answers none. */
  readonly #removed: () => boolean;
  readonly #desks = new Map<InviteId, InviteDesk>();
  #stopSweep: Cancel | undefined;
  #closed = false;

  constructor(host: DeskHost, options: { answer: boolean; removed: () => boolean }) {
    this.#host = host;
    this.#answer = options.answer;
    this.#removed = options.removed;
  }

  /** Opens the desks of the live invitations now, and sweeps for expired ones from now on. */
  start(): void {
    if (this.#closed || this.#stopSweep) return;
    this.refresh();
    this.#stopSweep = this.#host.scheduler.every(deskSweepMs, () => this.refresh());
  }

  /** Opens or closes invite rooms as invitations come and go (kept until they expire). */
  refresh(): void {
    const { vault } = this.#host;
    if (this.#closed || this.#host.stopped() || vault.closed || !this.#answer) return;
    const now = this.#host.now();
    const removed = this.#removed();
    const live = new Map(
      vault.members
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
      this.#desks.set(id, new InviteDesk(this.#host, invite));
    }
  }

  /**
   * Makes an invitation: anyone who opens its link in an unlocked Coffer gets this vault, until
   * it expires (and, if single-use, until one device has used it). Tells `made` for the audit
   * log.
   */
  async create(
    options: InviteOptions,
    made: (event: SyncAuditEvent) => void,
  ): Promise<CreatedInvite> {
    if (!(options.expiresInMs > 0 && options.expiresInMs <= 30 * 24 * 3600_000))
      throw new RangeError('an invitation expires after a time from one minute to 30 days');
    const { vault, device, team } = this.#host;
    const secret = newInviteSecret();
    const material = inviteMaterial(secret);
    const me = team.me();
    const signed = newInviteRecord({
      team: team.state(),
      me,
      device,
      vaultId: vault.id,
      inviteId: material.id,
      secret,
      now: this.#host.now(),
      options,
    });
    await vault.members.saveInvite(signed);
    this.refresh();
    made({ kind: 'invite-created', invite: signed.id, role: signed.role ?? me?.role ?? 'owner' });
    return {
      token: {
        secret,
        vaultId: vault.id,
        keyId: keyIdOf(vaultKeyOf(vault)),
        expiresAt: signed.expiresAt,
        answerKey: inviteAnswerPublicKey(vaultKeyOf(vault), material.id),
      },
      record: signed,
    };
  }

  /** Withdraws an invitation: devices that answer it say so from now on. */
  async revoke(id: string): Promise<void> {
    const { vault } = this.#host;
    const record = vault.members.invite(id);
    if (!record || record.revokedAt !== undefined) return;
    await vault.members.saveInvite({ ...record, revokedAt: this.#host.now() });
  }

  /** Leaves every invite room; a deferred answer in progress is dropped. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#stopSweep?.();
    const desks = [...this.#desks.values()];
    this.#desks.clear();
    await Promise.all(desks.map((desk) => desk.close()));
  }
}
