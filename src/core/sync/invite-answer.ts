import { x25519 } from '@noble/curves/ed25519.js';
import {
  asKey,
  associatedData,
  bytesEqual,
  concat,
  fromBase64url,
  fromUtf8,
  hkdfLabel,
  keyIdOf,
  open,
  seal,
  toBase64url,
  utf8,
  type VaultKey,
} from '../crypto';
import {
  type DeviceIdentity,
  deviceIdentityFromSecret,
  signAs,
  signatureLength,
  verifySignature,
} from '../device';
import { type DeviceId, isDeviceId, publicKeyOfDevice } from '../ids';
import { isOperationId } from '../team';
import { InviteError, type InviteProblem } from './errors';
import type { InviteMaterial, JoinRequest } from './invite';
import type { InviteToken } from './invite-token';

/*
 * An invitation's answer (docs/sync.md, "Pairing"; the format is in docs/crypto.md): what the
 * device that lets a new one in says to it, sealed to the request's X25519 key and signed by
 * the invitation's answer key and by the answering device. The request is in invite.ts.
 */

/**
 * The invitation's **answer key**: an Ed25519 key pair that only devices holding the vault key
 * can derive, and whose public half the link carries (invite-token.ts, version 2). Every answer,
 * acceptance or refusal, is signed with it, so someone who holds only the link cannot answer in
 * the vault's name (a forged refusal would otherwise turn the new device away).
 *
 *   answer seed = HKDF(vault key || invite id bytes (16), "coffer/v1/invite-answer", 32)
 */
export function inviteAnswerKey(vaultKey: VaultKey, inviteId: string): DeviceIdentity {
  const seed = hkdfLabel(concat(vaultKey, fromBase64url(inviteId)), 'invite-answer', 32);
  return deviceIdentityFromSecret(seed);
}

/** The public half of the answer key, as the link carries it. */
export function inviteAnswerPublicKey(vaultKey: VaultKey, inviteId: string): Uint8Array {
  return inviteAnswerKey(vaultKey, inviteId).publicKey;
}

/** What the new device gets: the vault, or why not. */
export type JoinAnswer =
  | {
      readonly ok: true;
      readonly vaultId: string;
      readonly name: string;
      readonly key: VaultKey;
      /** The device that answered (and let the new one in). */
      readonly inviter: DeviceId;
      /**
       * The vault's other devices (not removed) as the inviter knows them: trusted, with the
       * inviter, until the vault's own device list arrives. The inviter is one of them.
       */
      readonly members: readonly DeviceId[];
      /** The id of the vault's team genesis, if it has a team: the log this device accepts. */
      readonly genesis?: string;
      /**
       * How many envelopes the answering device puts in the invitation's room after this answer
       * (first-sync.ts); 0 when none follow it (an older device put them beside it, or had none).
       */
      readonly follow: number;
    }
  | { readonly ok: false; readonly problem: InviteProblem };

/** What an answering device says; who it is and who the members are come from its signer. */
export type AnswerContent =
  | {
      readonly ok: true;
      readonly vaultId: string;
      readonly name: string;
      readonly key: VaultKey;
      readonly genesis?: string;
      /** How many envelopes it puts in the room right after the answer (JoinAnswer.follow). */
      readonly follow?: number;
    }
  | { readonly ok: false; readonly problem: InviteProblem };

/** Who answers, and how: the answering device, the vault it answers for, its members. */
export interface AnswerSigner {
  readonly device: DeviceIdentity;
  readonly vaultKey: VaultKey;
  /** The vault's devices that are not removed, the answering one among them, the new one not. */
  readonly members: readonly DeviceId[];
}

const answerDomain = 'invite-answer';
const answerVersion = 2;

const responseContext = (material: InviteMaterial, device: string) =>
  associatedData('invite-response', material.id, device);

/** What both signatures of an answer cover: the invitation, the request, the seal, the body. */
const answerTranscript = (
  material: InviteMaterial,
  device: string,
  requestPublic: Uint8Array,
  senderPublic: Uint8Array,
  body: Uint8Array,
) => associatedData('invite-answer', material.id, device, requestPublic, senderPublic, body);

function responseKey(shared: Uint8Array, senderPublic: Uint8Array, requestPublic: Uint8Array) {
  return asKey(
    hkdfLabel(concat(shared, senderPublic, requestPublic), 'invite-response', 32),
    'invite',
  );
}

/**
 * The answer, sealed to the request's X25519 key and signed twice, by the invitation's answer
 * key and by the answering device:
 *
 *   answer    = E (32) || seal(K, plaintext, context("invite-response", invite id, device id))
 *   plaintext = sig(answer key) (64) || sig(answering device) (64) || body (JSON, v 2)
 */
export function sealJoinAnswer(
  material: InviteMaterial,
  request: JoinRequest,
  answer: AnswerContent,
  signer: AnswerSigner,
): Uint8Array {
  const secret = x25519.utils.randomSecretKey();
  const senderPublic = x25519.getPublicKey(secret);
  const key = responseKey(
    x25519.getSharedSecret(secret, request.ephemeral),
    senderPublic,
    request.ephemeral,
  );
  const members = signer.members.slice(0, maxAnswerMembers);
  const body = utf8(
    JSON.stringify(
      answer.ok
        ? {
            v: answerVersion,
            ok: true,
            vaultId: answer.vaultId,
            name: answer.name,
            key: toBase64url(answer.key),
            inviter: signer.device.id,
            members,
            ...(answer.genesis !== undefined ? { genesis: answer.genesis } : {}),
            ...(answer.follow ? { follow: answer.follow } : {}),
          }
        : {
            v: answerVersion,
            ok: false,
            problem: answer.problem,
            inviter: signer.device.id,
            members,
          },
    ),
  );
  const transcript = answerTranscript(
    material,
    request.device,
    request.ephemeral,
    senderPublic,
    body,
  );
  const answerKey = inviteAnswerKey(signer.vaultKey, material.id);
  const plaintext = concat(
    signAs(answerKey, answerDomain, transcript),
    signAs(signer.device, answerDomain, transcript),
    body,
  );
  answerKey.secretKey.fill(0);
  body.fill(0);
  const sealed = seal(key, plaintext, responseContext(material, request.device));
  plaintext.fill(0);
  return concat(senderPublic, sealed);
}

const problems: readonly InviteProblem[] = ['expired', 'used', 'revoked', 'refused'];

/**
 * Opens the answer to our request and checks, in this order, that:
 * - it opens with the key agreed with our request's X25519 key (it was meant for us);
 * - the answering device signed it, and is one of the members the answer lists (a device that
 *   lists itself as removed, or not at all, is not a member and cannot answer);
 * - the invitation's answer key signed it: the key in the link (version 2), or, for a link
 *   without one, the key derived from the vault key the answer carries;
 * - an acceptance names the vault the link named, with the key whose id the link carries.
 *
 * A refusal that cannot be checked (a link without an answer key) is not believed. Anything
 * that fails throws InviteError('refused'): the caller ignores it and keeps waiting.
 */
export function openJoinAnswer(
  material: InviteMaterial,
  token: InviteToken,
  self: DeviceId,
  ephemeralSecret: Uint8Array,
  bytes: unknown,
): JoinAnswer {
  if (!(bytes instanceof Uint8Array) || bytes.length < 32 + 58 + 2 * signatureLength)
    throw new InviteError('refused');
  const senderPublic = bytes.subarray(0, 32);
  const requestPublic = x25519.getPublicKey(ephemeralSecret);
  let plaintext: Uint8Array;
  let body: Record<string, unknown>;
  try {
    const key = responseKey(
      x25519.getSharedSecret(ephemeralSecret, senderPublic),
      senderPublic,
      requestPublic,
    );
    plaintext = open(key, bytes.subarray(32), responseContext(material, self));
    body = JSON.parse(fromUtf8(plaintext.subarray(2 * signatureLength))) as Record<string, unknown>;
  } catch (error) {
    throw new InviteError('refused', { cause: error });
  }
  if (
    body === null ||
    typeof body !== 'object' ||
    body.v !== answerVersion ||
    !isDeviceId(body.inviter) ||
    !isMemberList(body.members) ||
    !body.members.includes(body.inviter)
  )
    throw new InviteError('refused');
  const transcript = answerTranscript(
    material,
    self,
    requestPublic,
    senderPublic,
    plaintext.subarray(2 * signatureLength),
  );
  const answerSignature = plaintext.subarray(0, signatureLength);
  const deviceSignature = plaintext.subarray(signatureLength, 2 * signatureLength);
  if (!verifySignature(publicKeyOfDevice(body.inviter), answerDomain, transcript, deviceSignature))
    throw new InviteError('refused');
  const inviter = body.inviter;
  const members = body.members;
  const signedByVault = (answerPublic: Uint8Array) =>
    verifySignature(answerPublic, answerDomain, transcript, answerSignature);

  if (body.ok === false) {
    // Without an answer key in the link, nothing tells a member's refusal from a forgery.
    if (!token.answerKey || !signedByVault(token.answerKey)) throw new InviteError('refused');
    const problem = problems.find((p) => p === body.problem) ?? 'refused';
    return { ok: false, problem };
  }
  if (
    body.ok !== true ||
    body.vaultId !== token.vaultId ||
    typeof body.name !== 'string' ||
    typeof body.key !== 'string'
  )
    throw new InviteError('refused');
  let key: VaultKey;
  try {
    key = asKey(fromBase64url(body.key), 'vault');
  } catch (error) {
    throw new InviteError('refused', { cause: error });
  }
  if (!bytesEqual(keyIdOf(key), token.keyId)) throw new InviteError('refused');
  if (!signedByVault(token.answerKey ?? inviteAnswerPublicKey(key, material.id)))
    throw new InviteError('refused');
  // The genesis is signed with the rest; a malformed one is dropped (the log's own rules then
  // leave the vault without a team on this device rather than trust a wrong one).
  const genesis =
    typeof body.genesis === 'string' && isOperationId(body.genesis) ? body.genesis : undefined;
  const follow =
    typeof body.follow === 'number' && Number.isSafeInteger(body.follow) && body.follow > 0
      ? Math.min(body.follow, maxFollowingEnvelopes)
      : 0;
  return {
    ok: true,
    vaultId: token.vaultId,
    name: body.name,
    key,
    inviter,
    members,
    ...(genesis !== undefined ? { genesis } : {}),
    follow,
  };
}

/**
 * At most this many envelopes are announced as following an answer (a device publishes its
 * checkpoint and the changes since: a few, never near this).
 */
export const maxFollowingEnvelopes = 100_000;

/** At most this many devices in an answer's member list (a vault's devices, removed or not). */
export const maxAnswerMembers = 1000;

function isMemberList(value: unknown): value is DeviceId[] {
  return Array.isArray(value) && value.length <= maxAnswerMembers && value.every(isDeviceId);
}
