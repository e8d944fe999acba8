import * as Y from 'yjs';
import { fromBase64url } from '../crypto';
import type { DeviceIdentity } from '../device';
import type { DeviceId, InviteId } from '../ids';
import { activeMemberOf } from '../team';
import type { Cancel, Clock, Scheduler } from '../time';
import { type InviteRecord, type VaultHandle, vaultKeyOf } from '../vault';
import { INVITE_ENVELOPES } from './first-sync';
import { type InviteMaterial, inviteMaterial, openJoinRequest } from './invite';
import { type AnswerContent, sealJoinAnswer } from './invite-answer';
import type { TeamActions } from './team-actions';
import type { Transport, TransportFactory } from './transport';

/** The maps of an invitation's room: new devices' requests, and the answers to them. */
export const INVITE_REQUESTS = 'requests';
export const INVITE_ANSWERS = 'answers';

/** How long a member that did not make an invitation leaves its maker to answer a request. */
export const deferredAnswerMs = 1500;

/** What a desk needs of the vault's sync (VaultSync provides it). */
export interface DeskHost {
  readonly vault: VaultHandle;
  readonly device: DeviceIdentity & { readonly name: string };
  readonly connect: TransportFactory;
  readonly scheduler: Scheduler;
  readonly now: Clock;
  /** Whether this device is a member now (neither removed nor still joining). */
  isMember(): boolean;
  /** Whether the sync has stopped. */
  stopped(): boolean;
  /** The vault's team actions (admissions are signed membership operations). */
  readonly team: TeamActions;
  /** Told when this device admitted a device with an invitation (for the audit log). */
  admitted?(invite: InviteId, device: DeviceId): void;
  /** The envelopes this device publishes in the vault's room, sent with an answer (first-sync.ts). */
  firstEnvelopes?(): readonly Uint8Array[] | Promise<readonly Uint8Array[]>;
}

/**
 * The invite room of one invitation, where new devices ask and this device answers
 * (docs/sync.md, "Pairing: adding a device"). Requests are answered one at a time, in the
 * order they come.
 */
export class InviteDesk {
  readonly #doc = new Y.Doc({ gc: true });
  readonly #transport: Transport;
  readonly #answered = new Map<string, unknown>();
  readonly #observer = () => void this.#look();
  readonly #material: InviteMaterial;
  readonly #host: DeskHost;
  /** Stops each wait in progress (a deferred answer), when the desk closes. */
  readonly #waits = new Set<() => void>();
  #busy: Promise<void> = Promise.resolve();
  #closed = false;

  constructor(host: DeskHost, invite: InviteRecord) {
    this.#host = host;
    this.#material = inviteMaterial(fromBase64url(invite.secret));
    this.#transport = host.connect({
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
        if (this.#closed) return;
        if (this.#answered.get(requester) === bytes) continue;
        this.#answered.set(requester, bytes);
        try {
          const answer = await this.#answer(requester, bytes);
          if (answer && !this.#closed) this.#publish(requester, answer.bytes, answer.envelopes);
        } catch (error) {
          // The vault could not record the new device (closed, or storage full): no answer, so
          // the new device times out and can try again.
          this.#answered.delete(requester);
          console.warn('answering an invitation failed', error);
        }
      }
    });
  }

  /** Waits `ms` on the host's scheduler: true once it passed, false if the desk closed first. */
  #wait(ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      let cancel: Cancel | undefined;
      const finish = (passed: boolean) => {
        this.#waits.delete(stop);
        cancel?.();
        resolve(passed);
      };
      const stop = () => finish(false);
      this.#waits.add(stop);
      cancel = this.#host.scheduler.after(ms, () => finish(true));
    });
  }

  /**
   * Puts an answer in the room and then, with one that lets the device in, in an update of
   * their own right after it, the envelopes this device publishes in the vault's room (sealed:
   * what the room would bring the new device next, a connection later; first-sync.ts). The
   * answer goes first so that the new device opens its vault while they are on their way; the
   * answer says how many follow. Only the latest requester's are kept.
   */
  #publish(requester: string, answer: Uint8Array, envelopes: readonly Uint8Array[]): void {
    const first = this.#doc.getMap(INVITE_ENVELOPES);
    this.#doc.transact(() => {
      for (const key of [...first.keys()]) first.delete(key);
      this.#doc.getMap(INVITE_ANSWERS).set(requester, answer);
    });
    if (envelopes.length > 0) this.#doc.transact(() => first.set(requester, [...envelopes]));
  }

  /** Answers one request, or leaves it (undefined). */
  async #answer(
    requester: string,
    bytes: unknown,
  ): Promise<{ bytes: Uint8Array; envelopes: readonly Uint8Array[] } | undefined> {
    const { vault, device } = this.#host;
    const material = this.#material;
    const request = openJoinRequest(material, requester, bytes);
    if (!request || vault.closed) return undefined;
    if (!vault.members.invite(material.id)) return undefined;
    // Every member's desk sees every request; the device that made the invitation answers at
    // once, the others only if it has not (so one device, not all, adds the newcomer and
    // publishes its whole vault for it).
    if (vault.members.invite(material.id)?.createdBy !== device.id) {
      if (!(await this.#wait(deferredAnswerMs))) return undefined;
      if (this.#host.stopped() || vault.closed) return undefined;
    }
    const invite = vault.members.invite(material.id);
    if (!invite) return undefined;
    // Requests stay in the invitation's room for as long as any device there holds them, so
    // every desk opened later sees the old ones again.
    const known = vault.members.devices().find((d) => d.id === request.device);
    const removed = known?.revokedAfterSeq !== undefined;
    // A device already let in asks again only when it missed its answer; the device that let
    // it in answers (nothing new to publish), others leave it be.
    if (known && !removed && known.addedBy !== device.id) return undefined;
    // Only a member answers: a device that knows it was removed, or is still waiting for the
    // device list after joining, leaves the request to the vault's members. (The new device
    // would not believe it anyway: it checks the answering device is among the members.)
    if (!this.#host.isMember()) return undefined;
    const now = this.#host.now();
    const team = this.#host.team.state();
    // Device ids are never reused in a team: a removed device is not let back in by any
    // invitation (a new profile on it gets a new device id).
    const teamRemoved =
      team?.devices.has(request.device) === true &&
      !activeMemberOf(team, request.device as DeviceId);
    const problem =
      invite.revokedAt !== undefined
        ? 'revoked'
        : invite.expiresAt <= now
          ? 'expired'
          : invite.singleUse && invite.usedBy.length > 0 && !invite.usedBy.includes(request.device)
            ? 'used'
            : // A removal is not undone by an invitation the removed device had already used.
              (removed && invite.usedBy.includes(request.device)) || teamRemoved
              ? 'refused'
              : undefined;
    let content: AnswerContent;
    let envelopes: readonly Uint8Array[] = [];
    if (problem) {
      content = { ok: false, problem };
    } else {
      if (team && !team.devices.has(request.device)) {
        // In a vault with a team, the new device is a member (or a further device of one) once
        // a signed operation says so; a device that may not make it leaves the request to
        // one that may, and so does one whose invitation's maker could not have made it.
        const admission = this.#host.team.admission(invite, request.device, request.name);
        if (!admission) return undefined;
        await vault.team.append([admission]);
        if (!vault.team.state()?.applied.has(admission.id)) return undefined;
        this.#host.admitted?.(invite.id, request.device as DeviceId);
      }
      if (!known || removed) {
        // The new device learns the other devices from the answer, so this device's envelopes
        // (with everything it applied from others, under their keys) are all it needs.
        await vault.members.addDevice({
          id: request.device,
          name: request.name,
          addedAt: now,
          addedBy: device.id,
        });
        if (!invite.usedBy.includes(request.device)) {
          await vault.members.saveInvite({ ...invite, usedBy: [...invite.usedBy, request.device] });
        }
      }
      envelopes = (await this.#host.firstEnvelopes?.()) ?? [];
      content = {
        ok: true,
        vaultId: vault.id,
        name: vault.name,
        key: vaultKeyOf(vault),
        ...(team ? { genesis: team.anchor.genesis } : {}),
        follow: envelopes.length,
      };
    }
    const sealed = sealJoinAnswer(material, request, content, {
      device,
      vaultKey: vaultKeyOf(vault),
      // The vault's devices not removed, this one among them (a vault made before sync has
      // no record of it yet); a removed device is not listed, so its answer is not believed.
      members: [
        ...new Set([
          ...(vault.members.devices().some((d) => d.id === device.id) ? [] : [device.id]),
          ...vault.members
            .devices()
            .filter((d) => d.revokedAfterSeq === undefined && d.id !== request.device)
            .map((d) => d.id),
        ]),
      ],
    });
    return { bytes: sealed, envelopes };
  }

  /** Leaves the room; a deferred answer in progress is dropped. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const stop of [...this.#waits]) stop();
    this.#doc.getMap(INVITE_REQUESTS).unobserve(this.#observer);
    await this.#transport.destroy();
    this.#doc.destroy();
  }
}
