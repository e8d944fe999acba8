import { x25519 } from '@noble/curves/ed25519.js';
import {
  asKey,
  associatedData,
  concat,
  fromBase64url,
  fromUtf8,
  hkdfLabel,
  open,
  randomBytes,
  type SymmetricKey,
  seal,
  toBase64url,
  utf8,
} from '../crypto';
import { type DeviceIdentity, signAs, signatureLength, verifySignature } from '../device';
import {
  asDeviceId,
  type DeviceId,
  type InviteId,
  inviteIdLength,
  inviteIdOf,
  isDeviceId,
  publicKeyOfDevice,
} from '../ids';
import { InviteError } from './errors';

/**
 * Invitations: how a new device gets a vault (docs/sync.md, "Pairing").
 *
 * The inviting device makes a random 32-byte secret and keeps it, sealed, in the vault's own
 * document (so any device of the vault can answer). The link carries the secret only in its
 * fragment, which browsers never send to a server (invite-token.ts).
 *
 * From the secret, with HKDF-SHA-256 and distinct labels:
 *
 *   invite id          = base64url(HKDF(secret, "coffer/v1/invite-id", 16))
 *   invite room        = "coffer-invite-" || base64url(HKDF(secret, "coffer/v1/invite-room", 32))
 *   invite password    = base64url(HKDF(secret, "coffer/v1/invite-transport", 32))
 *   invite key         = HKDF(secret, "coffer/v1/invite-key", 32)
 *
 * The new device writes a request into the invite room's document: its device key, its name and
 * a fresh X25519 public key, sealed under the invite key and signed by its device key. A device
 * of the vault checks the invitation (not expired, not withdrawn, not used by another device if
 * single-use), adds the new device to the vault's device list, and answers with the vault's id,
 * name and key, sealed to the request's X25519 key. Someone who learns the secret later cannot
 * open that answer; someone who holds it before it is used can take the vault: that is what an
 * invitation is, and the app says so. The answer is in invite-answer.ts.
 */

const requestDomain = 'invite-request';

/** What both sides derive from an invitation's secret. */
export interface InviteMaterial {
  readonly id: InviteId;
  readonly room: string;
  readonly password: string;
  readonly key: SymmetricKey<'invite'>;
}

export function newInviteSecret(): Uint8Array {
  return randomBytes(32);
}

export function inviteMaterial(secret: Uint8Array): InviteMaterial {
  if (!(secret instanceof Uint8Array) || secret.length !== 32) throw new InviteError('malformed');
  return {
    id: inviteIdOf(hkdfLabel(secret, 'invite-id', inviteIdLength)),
    room: `coffer-invite-${toBase64url(hkdfLabel(secret, 'invite-room', 32))}`,
    password: toBase64url(hkdfLabel(secret, 'invite-transport', 32)),
    key: asKey(hkdfLabel(secret, 'invite-key', 32), 'invite'),
  };
}

// ---------- the request ----------

export interface JoinRequest {
  readonly device: DeviceId;
  readonly name: string;
  readonly ephemeral: Uint8Array;
  readonly at: number;
}

export interface JoinRequestSecret {
  readonly request: Uint8Array;
  readonly ephemeralSecret: Uint8Array;
}

const requestContext = (material: InviteMaterial, device: string) =>
  associatedData('invite-request', material.id, device);

/** The new device's request: sealed under the invite key, signed by its device key. */
export function sealJoinRequest(
  material: InviteMaterial,
  device: DeviceIdentity,
  name: string,
  at: number,
): JoinRequestSecret {
  const ephemeralSecret = x25519.utils.randomSecretKey();
  const body = utf8(
    JSON.stringify({
      v: 1,
      device: device.id,
      name,
      ephemeral: toBase64url(x25519.getPublicKey(ephemeralSecret)),
      at,
    }),
  );
  const sealed = seal(material.key, body, requestContext(material, device.id));
  return { request: concat(sealed, signAs(device, requestDomain, sealed)), ephemeralSecret };
}

/** Opens a request found under `device` in the invite room; undefined for anything not genuine. */
export function openJoinRequest(
  material: InviteMaterial,
  device: string,
  bytes: unknown,
): JoinRequest | undefined {
  if (!isDeviceId(device) || !(bytes instanceof Uint8Array) || bytes.length < signatureLength + 58)
    return undefined;
  const sealed = bytes.subarray(0, bytes.length - signatureLength);
  const signature = bytes.subarray(bytes.length - signatureLength);
  if (!verifySignature(publicKeyOfDevice(device), requestDomain, sealed, signature))
    return undefined;
  try {
    const body = JSON.parse(
      fromUtf8(open(material.key, sealed, requestContext(material, device))),
    ) as Record<string, unknown>;
    if (body.v !== 1 || body.device !== device) return undefined;
    if (typeof body.name !== 'string' || typeof body.ephemeral !== 'string') return undefined;
    if (typeof body.at !== 'number') return undefined;
    const ephemeral = fromBase64url(body.ephemeral);
    if (ephemeral.length !== 32) return undefined;
    return {
      device: asDeviceId(device),
      name: body.name.slice(0, 100) || 'Unnamed device',
      ephemeral,
      at: body.at,
    };
  } catch {
    // Sealed under another invitation, or not JSON: not a request we can act on.
    return undefined;
  }
}
