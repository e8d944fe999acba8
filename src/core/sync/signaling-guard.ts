/**
 * The signaling guard: a check in front of y-webrtc's signaling socket, so that junk from the
 * relay (or anyone on it) is counted and dropped instead of throwing in the page, and a
 * `publish` to one of this tab's rooms is decrypted (as y-webrtc will) before y-webrtc sees it.
 * Mirrors y-webrtc 10.3; the Transport contract suite (tests/contract/transport.contract.ts)
 * fails if an upgrade moves what it relies on.
 */

/** A WebSocket as lib0's client holds it: the handler y-webrtc's messages go through. */
export interface SocketLike {
  onmessage: ((event: { readonly data: unknown }) => void) | null;
}

/** lib0's decoder, as y-webrtc uses it for its encrypted signaling (loaded with y-webrtc). */
export type Lib0Decoding = typeof import('lib0/decoding');

/**
 * A room of this tab, as the signaling guard sees it: what a `publish` to the room must decrypt
 * with, and who counts what does not.
 */
export interface GuardedRoom {
  /** y-webrtc's key for the room (null without a password). */
  readonly key: PromiseLike<CryptoKey | null>;
  readonly decoding: Lib0Decoding;
  /** Whether this tab holds a connection to y-webrtc's peer `peerId` in the room. */
  hasConnection(peerId: string): boolean;
  onJunk(error: unknown): void;
}

/** This tab's rooms by name: the signaling guard checks a `publish` to one before y-webrtc. */
export const guardedRooms = new Map<string, GuardedRoom>();

const guarded = new WeakSet<object>();

/**
 * Puts a check in front of a signaling socket's message handler. lib0 parses each message with
 * `JSON.parse` and y-webrtc reads its fields and base64 without checks, so junk from the relay
 * (or anyone on it) throws in the page. A message that is not a JSON object with a string
 * `type`, or a `publish` without a string `topic` and base64 `data`, is dropped and counted;
 * so is one whose handler throws anyway. Returns false if the socket was already guarded.
 *
 * A `publish` to a room of this tab (`guardedRooms`) is also decrypted first, as y-webrtc will
 * decrypt it: y-webrtc does so in a promise nobody catches, so data that is base64 but does
 * not decrypt with the room's key, or decrypts to fields of the wrong types, would end as an
 * unhandled rejection. Such a message is dropped and counted to its room. Messages then reach
 * y-webrtc in the order they arrived, each once the ones before it were checked.
 */
export function guardSignalingSocket(
  socket: SocketLike,
  onJunk: (error: unknown) => void,
): boolean {
  if (guarded.has(socket)) return false;
  guarded.add(socket);
  const original = socket.onmessage;
  // The checks still running, in arrival order; undefined when none is.
  let pending: Promise<void> | undefined;
  socket.onmessage = (event) => {
    const parsed = parseSignaling(event?.data);
    if (typeof parsed === 'string') {
      // Counted to the room it names, if it is one of ours; else to whoever guards the socket.
      const room = guardedRooms.get(topicOf(event?.data) ?? '');
      return void (room?.onJunk ?? onJunk)(new Error(`junk from the signaling relay: ${parsed}`));
    }
    const room = parsed.type === 'publish' ? guardedRooms.get(parsed.topic as string) : undefined;
    const deliver = () => {
      try {
        original?.call(socket, event);
      } catch (error) {
        (room?.onJunk ?? onJunk)(error);
      }
    };
    if (!room && !pending) return deliver();
    const step = (pending ?? Promise.resolve()).then(async () => {
      if (!room) return deliver();
      const verdict = await publishVerdict(room, parsed.data as string);
      if (verdict === 'deliver') return deliver();
      if (verdict !== 'ignore') room.onJunk(new Error(`junk from the signaling relay: ${verdict}`));
    });
    pending = step;
    void step.then(() => {
      if (pending === step) pending = undefined;
    });
  };
  return true;
}

/** The `topic` of a JSON object message, if it has a string one. */
function topicOf(data: unknown): string | undefined {
  if (typeof data !== 'string') return undefined;
  try {
    const message: unknown = JSON.parse(data);
    const topic = isRecord(message) ? message.topic : undefined;
    return typeof topic === 'string' ? topic : undefined;
  } catch {
    return undefined;
  }
}

const base64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** What is wrong with a signaling message, or undefined if y-webrtc can take it. */
export function signalingProblem(data: unknown): string | undefined {
  const parsed = parseSignaling(data);
  return typeof parsed === 'string' ? parsed : undefined;
}

/** The message as an object y-webrtc can take, or what is wrong with it. */
function parseSignaling(data: unknown): Record<string, unknown> | string {
  if (typeof data !== 'string') return `expected text, got ${typeof data}`;
  let message: unknown;
  try {
    message = JSON.parse(data);
  } catch {
    return 'not JSON';
  }
  if (message === null || typeof message !== 'object' || Array.isArray(message))
    return 'not an object';
  const fields = message as Record<string, unknown>;
  const { type, topic, data: payload } = fields;
  if (typeof type !== 'string') return 'no type';
  if (type !== 'publish') return fields;
  if (typeof topic !== 'string') return 'publish without a topic';
  if (typeof payload !== 'string' || payload.length % 4 !== 0 || !base64.test(payload))
    return 'publish without base64 data';
  return fields;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * What to do with a `publish` to one of this tab's rooms: 'deliver' it to y-webrtc, 'ignore' it
 * (stale: y-webrtc would throw on it, but an honest peer can send it), or what makes it junk.
 * Mirrors y-webrtc 10.3's `SignalingConn` message handler and `cryptoutils.decryptJson`.
 */
async function publishVerdict(room: GuardedRoom, data: string): Promise<string> {
  let message: unknown;
  try {
    const key = await room.key;
    if (!key) return 'deliver';
    const { decoding } = room;
    const bytes = Uint8Array.from(atob(data), (char) => char.charCodeAt(0));
    const decoder = decoding.createDecoder(bytes);
    if (decoding.readVarString(decoder) !== 'AES-GCM') return 'not AES-GCM';
    const iv = decoding.readVarUint8Array(decoder);
    const cipher = decoding.readVarUint8Array(decoder);
    const plain = new Uint8Array(await crypto.subtle.decrypt({ name: 'AES-GCM', iv }, key, cipher));
    message = decoding.readAny(decoding.createDecoder(plain));
  } catch {
    return 'does not decrypt with the room key';
  }
  if (!isRecord(message)) return 'decrypts to no object';
  const { type, from, to, signal } = message;
  if (typeof type !== 'string' || typeof from !== 'string') return 'decrypts to no type or from';
  if (to !== undefined && typeof to !== 'string') return 'decrypts to a bad addressee';
  if (type !== 'signal') return 'deliver';
  if (!isRecord(signal) || (signal.type !== undefined && typeof signal.type !== 'string'))
    return 'decrypts to a bad signal';
  // y-webrtc reads the connection an answer is for without checking it is there: an answer
  // that comes after the connection was dropped (or one for another peer) would throw.
  if (signal.type === 'answer' && !room.hasConnection(from)) return 'ignore';
  return 'deliver';
}
