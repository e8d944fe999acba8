import * as decoding from 'lib0/decoding';
import * as Y from 'yjs';

/**
 * What a room's document may hold: byte values in two root maps, nothing else. These are the
 * names of src/core/sync's ENVELOPES_MAP and ROOM_EPOCHS_MAP, spelled here so the server does
 * not load the browser's sync modules; a test checks that they stay equal.
 */
export const mailboxRoots: ReadonlySet<string> = new Set(['envelopes', 'epochs']);

// Hocuspocus' message types (its MessageType enum) and y-protocols' sync steps.
const messageSync = 0;
const messageSyncReply = 4;
const syncStep2 = 1;
const syncUpdate = 2;
export const messageAuth = 2;
/** Hocuspocus' connection-level ping and pong: one byte, no document address. */
export const messagePing = 9;
export const messagePong = 10;

/**
 * The Yjs update a client's message would apply to its room (sync step 2 or an update), or
 * undefined for any other message. Throws when the message does not decode.
 */
export function updateOfMessage(message: Uint8Array): Uint8Array | undefined {
  const decoder = decoding.createDecoder(message);
  decoding.readVarString(decoder);
  const type = decoding.readVarUint(decoder);
  if (type !== messageSync && type !== messageSyncReply) return undefined;
  const step = decoding.readVarUint(decoder);
  if (step !== syncStep2 && step !== syncUpdate) return undefined;
  return decoding.readVarUint8Array(decoder);
}

/** The address and type of a message (for refusals before a connection exists), if readable. */
export function headerOfMessage(
  message: Uint8Array,
): { address: string; type: number } | undefined {
  try {
    const decoder = decoding.createDecoder(message);
    const address = decoding.readVarString(decoder);
    return { address, type: decoding.readVarUint(decoder) };
  } catch {
    return undefined;
  }
}

/**
 * Why `update` is not a mailbox change, or undefined when it is one. Checked on the encoded
 * update itself, before anything is applied, so a refused change leaves the room untouched:
 *
 * - every item's content is bytes (a Uint8Array map value) or deleted content, so nothing
 *   else (strings, JSON, embedded documents, nested types) can enter the room;
 * - an item that names its parent names one of the mailbox roots, and a map key in it (not a
 *   list position). An item that does not name its parent inherits it from its neighbour, which
 *   is in this update (checked the same way) or already in the room (checked when it came).
 *
 * Items whose dependencies have not arrived yet wait in the document without being applied;
 * they passed the same checks, and count towards the room's stored size like everything else.
 */
export function mailboxProblem(update: Uint8Array): string | undefined {
  let structs: ReturnType<typeof Y.decodeUpdate>['structs'];
  try {
    structs = Y.decodeUpdate(update).structs;
  } catch {
    return 'the update does not decode';
  }
  for (const struct of structs) {
    // GC and Skip structs carry no content: deleted history and gaps.
    if (!(struct instanceof Y.Item)) continue;
    const { content, parentSub } = struct;
    // Decoded (not integrated) items name a root by its string, a nested type by an ID.
    const parent: unknown = struct.parent;
    if (!(content instanceof Y.ContentBinary) && !(content instanceof Y.ContentDeleted)) {
      return 'a value that is not bytes';
    }
    if (parent === null) continue;
    if (typeof parent !== 'string') return 'a nested type';
    // The root's name is not quoted: it could be anything an attacker chose to log.
    if (!mailboxRoots.has(parent)) return 'a root other than the mailbox maps';
    if (parentSub === null) return 'a list entry instead of a map entry';
  }
  return undefined;
}
