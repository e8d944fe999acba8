import { concat, fromBase64url, toBase64url, u64be } from '../crypto';
import { InviteError } from './errors';

/**
 * The invitation token, what an invitation link carries in its fragment (docs/crypto.md,
 * "Invitations"). Reading one needs no key and no curve, so the app reads a link from the
 * address bar before anything else has loaded.
 *
 *   token v1 = 0x01 || secret (32) || vault id (16) || vault key id (16) || expiresAt (u64be, ms)
 *   token v2 = 0x02 || the same || answer key (32, Ed25519 public key, invite.ts)
 *   link     = <app URL> "#join=" base64url(token)
 *
 * Version 2 lets the new device check a refusal: only devices holding the vault key can sign
 * with the answer key. Links of version 1 (made by older builds) still parse; their refusals
 * cannot be checked, so the new device does not believe them (it waits, then times out).
 */
export const inviteTokenVersion = 0x02;
const tokenLengths: Record<number, number> = {
  1: 1 + 32 + 16 + 16 + 8,
  2: 1 + 32 + 16 + 16 + 8 + 32,
};

/** What an invitation link carries. */
export interface InviteToken {
  readonly secret: Uint8Array;
  readonly vaultId: string;
  /** keyIdOf(vault key): lets the new device check the key it is given. */
  readonly keyId: Uint8Array;
  readonly expiresAt: number;
  /**
   * The invitation's answer key (public, 32 bytes), which signs every answer; absent in a
   * version 1 link.
   */
  readonly answerKey?: Uint8Array;
}

export function encodeInviteToken(token: InviteToken): string {
  if (token.answerKey !== undefined && token.answerKey.length !== 32)
    throw new RangeError(`an answer key is 32 bytes, got ${token.answerKey.length}`);
  return toBase64url(
    concat(
      new Uint8Array([token.answerKey ? 0x02 : 0x01]),
      token.secret,
      fromBase64url(token.vaultId),
      token.keyId,
      u64be(Math.floor(token.expiresAt)),
      token.answerKey ?? new Uint8Array(0),
    ),
  );
}

/**
 * Reads an invitation from a link, from its fragment, or from the token alone (what a person
 * might paste). InviteError('malformed') or ('unsupported') when it cannot be one.
 */
export function parseInvite(text: string): InviteToken {
  if (typeof text !== 'string') throw new InviteError('malformed');
  const match = /(?:^|[#&])join=([A-Za-z0-9_-]+)/.exec(text.trim());
  const encoded = match ? match[1]! : text.trim();
  let bytes: Uint8Array;
  try {
    bytes = fromBase64url(encoded);
  } catch (error) {
    throw new InviteError('malformed', { cause: error });
  }
  if (bytes.length < 2 || bytes[0] === 0) throw new InviteError('malformed');
  // A higher version byte is a newer Coffer's invitation; anything else here is damage.
  if (bytes[0]! > inviteTokenVersion) throw new InviteError('unsupported');
  if (bytes.length !== tokenLengths[bytes[0]!]) throw new InviteError('malformed');
  const expiresAt = Number(
    new DataView(bytes.buffer, bytes.byteOffset + 65, 8).getBigUint64(0, false),
  );
  if (!Number.isSafeInteger(expiresAt)) throw new InviteError('malformed');
  return {
    secret: bytes.slice(1, 33),
    vaultId: toBase64url(bytes.subarray(33, 49)),
    keyId: bytes.slice(49, 65),
    expiresAt,
    ...(bytes[0] === 0x02 ? { answerKey: bytes.slice(73, 105) } : {}),
  };
}

/** The link for a token: the app's address with the token in the fragment only. */
export function inviteLink(appUrl: string, token: InviteToken): string {
  const base = appUrl.split('#')[0]!;
  return `${base}#join=${encodeInviteToken(token)}`;
}
