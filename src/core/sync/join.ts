import * as Y from 'yjs';
import type { VaultKey } from '../crypto';
import type { DeviceIdentity } from '../device';
import type { DeviceId } from '../ids';
import { type Clock, type Scheduler, systemScheduler } from '../time';
import { InviteError } from './errors';
import { envelopesIn, INVITE_ENVELOPES, keepFirstEnvelopes } from './first-sync';
import { inviteMaterial, openJoinAnswer, sealJoinRequest } from './invite';
import { INVITE_ANSWERS, INVITE_REQUESTS } from './invite-desk';
import type { InviteToken } from './invite-token';
import type { TransportFactory, TransportStatus } from './transport';

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
}

/**
 * Asks the devices of a vault for it, with an invitation: joins the invitation's room, leaves a
 * signed request there, and waits for a device of the vault to answer. Resolves with the vault
 * (its key checked against the link; the envelopes that came with the answer are kept for the
 * vault's sync to check and apply when it starts, first-sync.ts), or rejects with InviteError saying why not: expired (seen
 * at once from the link), used, revoked, refused, or timeout when no device answered.
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
          // The answering device's envelopes came beside its answer (in the same update):
          // kept for the vault's sync to check and apply when it starts (first-sync.ts).
          keepFirstEnvelopes(
            answer.vaultId,
            envelopesIn(doc.getMap(INVITE_ENVELOPES).get(device.id)),
          );
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
    await transport.destroy();
    doc.destroy();
  }
}
