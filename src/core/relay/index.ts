/**
 * The mailbox relay's protocol: what a device and a relay agree on (docs/sync.md, "The mailbox
 * relay"). Shared by the browser (core/sync/relay-transport.ts) and the server
 * (src/server/relay), so both sides read one spec:
 *
 *   relay token = HKDF(vault key, "coffer/v1/relay-token", 32)            (never leaves a device
 *                                                                          but to the relay)
 *   relay room  = "coffer-relay-" || base64url(SHA-256(relay token))
 *
 * The relay admits a connection to a room only when SHA-256 of the token it presents is the
 * room's own name: it needs no account, no list of rooms and no state to check it, so a
 * stranger is refused the same way whether or not the room exists. The room name is one-way
 * from the token and unrelated to the WebRTC room name (another HKDF label), so neither a relay
 * nor a signaling operator can link the two, nor either to a vault.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesEqual, fromBase64url, hkdfLabel, toBase64url, type VaultKey } from '../crypto';

/** Path on a Coffer server where devices reach the mailbox relay (a WebSocket). */
export const relayPath = '/relay';

const roomPrefix = 'coffer-relay-';

/** A vault's relay room and the token that opens it. */
export interface RelayRoom {
  readonly room: string;
  readonly token: string;
}

export function relayRoomOf(vaultKey: VaultKey): RelayRoom {
  const token = hkdfLabel(vaultKey, 'relay-token', 32);
  return { room: roomNameForToken(token), token: toBase64url(token) };
}

function roomNameForToken(token: Uint8Array): string {
  return `${roomPrefix}${toBase64url(sha256(token))}`;
}

/**
 * Whether `token` opens `room`. Never throws: a malformed token or room is simply refused.
 * The comparison is of two hashes, so its timing tells nothing about the token.
 */
export function relayTokenOpens(room: string, token: unknown): boolean {
  if (typeof token !== 'string' || typeof room !== 'string') return false;
  if (!room.startsWith(roomPrefix) || token.length !== 43) return false;
  let bytes: Uint8Array;
  try {
    bytes = fromBase64url(token);
  } catch {
    return false;
  }
  if (bytes.length !== 32) return false;
  return bytesEqual(utf8Bytes(roomNameForToken(bytes)), utf8Bytes(room));
}

const utf8Bytes = (text: string) => new TextEncoder().encode(text);

/**
 * Why the relay closed a connection or refused a change, sent to the device as a stateless
 * message `{"coffer":"refused","reason":<reason>,...}` before it closes (Hocuspocus'
 * `sendStateless`), and as the WebSocket close reason. The device shows it in the sync status.
 *
 * - `unauthorized`: the token does not open the room (or there is none).
 * - `room-quota`: the change would take the room over its quota; nothing stored was dropped.
 *   Carries `quotaBytes` and `usedBytes`.
 * - `not-a-mailbox`: the change wrote something other than byte values in the envelopes map.
 */
export type RelayRefusalReason = 'unauthorized' | 'room-quota' | 'not-a-mailbox';

export interface RelayRefusal {
  readonly coffer: 'refused';
  readonly reason: RelayRefusalReason;
  readonly quotaBytes?: number;
  readonly usedBytes?: number;
}

/** WebSocket close codes (4000-4999 are the application's). */
export const relayCloseCodes: Readonly<Record<RelayRefusalReason, number>> = {
  unauthorized: 4401,
  'room-quota': 4413,
  'not-a-mailbox': 4400,
};

/** Parses a stateless payload from the relay; anything else is not a refusal. */
export function parseRelayRefusal(payload: string): RelayRefusal | undefined {
  try {
    const value = JSON.parse(payload) as Partial<RelayRefusal> | null;
    if (value?.coffer !== 'refused') return undefined;
    if (!value.reason || !(value.reason in relayCloseCodes)) return undefined;
    return {
      coffer: 'refused',
      reason: value.reason,
      ...(typeof value.quotaBytes === 'number' ? { quotaBytes: value.quotaBytes } : {}),
      ...(typeof value.usedBytes === 'number' ? { usedBytes: value.usedBytes } : {}),
    };
  } catch {
    return undefined;
  }
}

/** Default quota of one room's stored document (RELAY_ROOM_QUOTA_MB overrides it on a server). */
export const defaultRoomQuotaBytes = 64 * 1024 * 1024;
