import * as Y from 'yjs';

interface RoomSize {
  /** Encoded size at the last measure. */
  measured: number;
  /** Bytes of the updates applied since (an upper bound of the growth). */
  grownSince: number;
  /** Bytes of admitted updates not applied yet (another connection may apply first). */
  reserved: number;
}

export type Admission = { readonly ok: true } | { readonly ok: false; readonly usedBytes: number };

/**
 * Keeps each room's stored size (its `Y.encodeStateAsUpdate`, what storage holds) under the
 * quota. Measuring costs a pass over the room, so it is done only when a cheap upper bound
 * (last measure + every update since + this one) does not already fit.
 */
export class RoomMeter {
  readonly #rooms = new Map<string, RoomSize>();

  constructor(readonly quotaBytes: number) {}

  /** The room's stored size now, measured. */
  measure(name: string, doc: Y.Doc): number {
    const room = this.#room(name, doc);
    room.measured = Y.encodeStateAsUpdate(doc).length;
    room.grownSince = 0;
    return room.measured;
  }

  /**
   * Whether `update` may be applied to the room: yes when the room's size after it stays
   * within the quota, or when it does not grow the room (deletions are always welcome). On
   * yes, its bytes are reserved until `release`.
   */
  admit(name: string, doc: Y.Doc, update: Uint8Array): Admission {
    const room = this.#room(name, doc);
    const bound = room.measured + room.grownSince + room.reserved + update.length;
    if (bound > this.quotaBytes) {
      const used = this.measure(name, doc);
      const projected = projectedBytes(doc, update);
      if (projected > used && projected + room.reserved > this.quotaBytes) {
        return { ok: false, usedBytes: used };
      }
    }
    room.reserved += update.length;
    return { ok: true };
  }

  release(name: string, bytes: number): void {
    const room = this.#rooms.get(name);
    if (room) room.reserved = Math.max(0, room.reserved - bytes);
  }

  /** An update was applied to the room (from a device here, or another instance). */
  grew(name: string, bytes: number): void {
    const room = this.#rooms.get(name);
    if (room) room.grownSince += bytes;
  }

  forget(name: string): void {
    this.#rooms.delete(name);
  }

  #room(name: string, doc: Y.Doc): RoomSize {
    let room = this.#rooms.get(name);
    if (!room) {
      room = { measured: Y.encodeStateAsUpdate(doc).length, grownSince: 0, reserved: 0 };
      this.#rooms.set(name, room);
    }
    return room;
  }
}

/** The room's stored size if `update` were applied: on a throwaway copy, garbage collected. */
function projectedBytes(doc: Y.Doc, update: Uint8Array): number {
  const scratch = new Y.Doc({ gc: true });
  try {
    Y.applyUpdate(scratch, Y.encodeStateAsUpdate(doc));
    Y.applyUpdate(scratch, update);
    return Y.encodeStateAsUpdate(scratch).length;
  } finally {
    scratch.destroy();
  }
}
