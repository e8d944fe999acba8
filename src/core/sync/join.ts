import * as Y from 'yjs';
import type { VaultKey } from '../crypto';
import type { DeviceIdentity } from '../device';
import type { DeviceId } from '../ids';
import { type Clock, type Scheduler, systemScheduler } from '../time';
import { InviteError } from './errors';
import { envelopesIn, INVITE_ENVELOPES, keepFirstEnvelopes } from './first-sync';
import { inviteMaterial, sealJoinRequest } from './invite';
import { openJoinAnswer } from './invite-answer';
import { INVITE_ANSWERS, INVITE_REQUESTS } from './invite-desk';
import type { InviteToken } from './invite-token';
import type { Transport, TransportFactory, TransportStatus } from './transport';

/** A vault received by invitation, ready for `Session.addJoinedVault`. */
export interface ReceivedVault {
  readonly id: string;
  readonly name: string;
  readonly key: VaultKey;
  readonly introducedBy: DeviceId;
  /** The vault's other devices as the inviter listed them (see JoinAnswer). */
  readonly members: readonly DeviceId[];
  /** The vault's team genesis as the answer named it (absent: a vault without a team yet). */
  readonly genesis?: string;
}

export interface JoinOptions {
  readonly token: InviteToken;
  readonly device: DeviceIdentity & { readonly name: string };
  readonly connect: TransportFactory;
  /** Time for the link's expiry and the wait for an answer (the system's by default). */
  readonly scheduler?: Scheduler;
  /** Milliseconds since the epoch, in place of the scheduler's `now` (kept for older callers). */
  readonly clock?: Clock;
  /** How long to wait for a device of the vault to answer (default 60 s). */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
  /** Progress for the UI: the invite room's transport status. */
  readonly onStatus?: (status: TransportStatus) => void;
  /**
   * How long to wait, after an answer, for the envelopes it says follow it (default 60 s); the
   * vault's room brings them if they do not come.
   */
  readonly followTimeoutMs?: number;
}

/**
 * Asks the devices of a vault for it, with an invitation: joins the invitation's room, leaves a
 * signed request there, and waits for a device of the vault to answer. Resolves with the vault
 * (its key checked against the link), or rejects with InviteError saying why not: expired (seen
 * at once from the link), used, revoked, refused, or timeout when no device answered.
 *
 * The answering device's envelopes (first-sync.ts) come beside the answer (older devices) or
 * right after it, as many as the answer says: those are kept for the vault's sync to check and
 * apply when it starts, and the invitation's room is left once they are here, or once they
 * will not come (the answering device left, or `followTimeoutMs` passed), while the caller
 * opens the vault. `signal` cancels the join until it resolves, not the envelopes' wait.
 */
export async function joinWithInvite(options: JoinOptions): Promise<ReceivedVault> {
  const scheduler = options.scheduler ?? systemScheduler;
  const clock = options.clock ?? (() => scheduler.now());
  const { token, device } = options;
  if (token.expiresAt <= clock()) throw new InviteError('expired');
  options.signal?.throwIfAborted();
  const material = inviteMaterial(token.secret);
  const doc = new Y.Doc({ gc: true });
  // The new device forwards nothing: what the room sends it (the vault's first envelopes,
  // megabytes) would otherwise go straight back to every member.
  const transport = options.connect({
    name: material.room,
    password: material.password,
    doc,
    forwardPeerUpdates: false,
  });
  const stopStatus = options.onStatus ? transport.onStatus(options.onStatus) : undefined;
  const { request, ephemeralSecret } = sealJoinRequest(material, device, device.name, clock());
  doc.getMap(INVITE_REQUESTS).set(device.id, request);
  const answers = doc.getMap(INVITE_ANSWERS);
  let following: Promise<readonly Uint8Array[]> | undefined;
  try {
    return await new Promise<ReceivedVault>((resolve, reject) => {
      const finish = (outcome: () => void) => {
        cancelTimeout();
        answers.unobserve(look);
        options.signal?.removeEventListener('abort', onAbort);
        outcome();
      };
      const look = () => {
        const bytes = answers.get(device.id);
        if (bytes === undefined) return;
        try {
          const answer = openJoinAnswer(material, token, device.id, ephemeralSecret, bytes);
          if (!answer.ok) return finish(() => reject(new InviteError(answer.problem)));
          const beside = doc.getMap(INVITE_ENVELOPES).get(device.id);
          if (beside === undefined && answer.follow > 0) {
            // Not ended by the join's signal: the join is done, and a dialog closed now must not
            // throw away the vault's contents on their way.
            following = envelopesFollowing(
              doc,
              device.id,
              transport,
              scheduler,
              options.followTimeoutMs ?? 60_000,
            );
            keepFirstEnvelopes(answer.vaultId, following);
          } else {
            keepFirstEnvelopes(answer.vaultId, envelopesIn(beside));
          }
          finish(() =>
            resolve({
              id: answer.vaultId,
              name: answer.name,
              key: answer.key,
              introducedBy: answer.inviter,
              members: answer.members,
              ...(answer.genesis !== undefined ? { genesis: answer.genesis } : {}),
            }),
          );
        } catch {
          // Someone else in the room wrote garbage where our answer goes: keep waiting for
          // the real one (the device that answers overwrites it).
        }
      };
      const onAbort = () => finish(() => reject(options.signal?.reason));
      const cancelTimeout = scheduler.after(options.timeoutMs ?? 60_000, () =>
        finish(() => reject(new InviteError('timeout'))),
      );
      options.signal?.addEventListener('abort', onAbort);
      answers.observe(look);
      look();
    });
  } finally {
    ephemeralSecret.fill(0);
    stopStatus?.();
    const leave = async () => {
      await transport.destroy();
      doc.destroy();
    };
    // The room stays while the envelopes that follow the answer are on their way.
    if (following) void following.then(leave);
    else await leave();
  }
}

/**
 * The envelopes that follow an answer in the invitation's room: resolves with them once they
 * are there, or with none once they will not come (the room has no peer left after having
 * had one, or `waitMs` passed); the vault's room brings them then. Never rejects.
 */
function envelopesFollowing(
  doc: Y.Doc,
  device: DeviceId,
  transport: Transport,
  scheduler: Scheduler,
  waitMs: number,
): Promise<readonly Uint8Array[]> {
  const first = doc.getMap(INVITE_ENVELOPES);
  return new Promise((resolve) => {
    let settled = false;
    let hadPeers = transport.status().peers > 0;
    const settle = (envelopes: readonly Uint8Array[]) => {
      if (settled) return;
      settled = true;
      first.unobserve(look);
      stopStatus();
      cancel();
      resolve(envelopes);
    };
    const look = () => {
      const value = first.get(device);
      if (value !== undefined) settle(envelopesIn(value));
    };
    // Assigned below; a transport may report its status at once, while subscribing.
    let stopStatus: () => void = () => undefined;
    let cancel: () => void = () => undefined;
    first.observe(look);
    stopStatus = transport.onStatus((status) => {
      if (status.peers > 0) hadPeers = true;
      else if (hadPeers) settle([]);
    });
    cancel = scheduler.after(waitMs, () => settle([]));
    look();
    if (settled) {
      stopStatus();
      cancel();
    }
  });
}
