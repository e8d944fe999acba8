import * as Y from 'yjs';
import type {
  RoomOptions,
  Transport,
  TransportFactory,
  TransportStatus,
} from '../../src/core/sync';

interface Member {
  readonly doc: Y.Doc;
  readonly password: string;
  readonly device: string | undefined;
  online: boolean;
  readonly listeners: Set<(status: TransportStatus) => void>;
  status(): TransportStatus;
}

/**
 * An in-memory stand-in for y-webrtc, for Node tests: documents in a room with the same
 * password replicate, asynchronously, while both are online. Rooms and passwords are kept
 * as a signaling relay would see them.
 */
export function memoryNetwork() {
  const rooms = new Map<string, Set<Member>>();
  const seenRooms: string[] = [];
  const hub = Symbol('memory-network');

  const peersOf = (room: string, member: Member) =>
    [...(rooms.get(room) ?? [])].filter(
      (other) =>
        other !== member && other.password === member.password && other.online && member.online,
    );
  const notify = (room: string) => {
    for (const member of rooms.get(room) ?? []) {
      const status = member.status();
      for (const listener of member.listeners) listener(status);
    }
  };
  const exchange = (a: Member, b: Member) => {
    Y.applyUpdate(b.doc, Y.encodeStateAsUpdate(a.doc, Y.encodeStateVector(b.doc)), hub);
    Y.applyUpdate(a.doc, Y.encodeStateAsUpdate(b.doc, Y.encodeStateVector(a.doc)), hub);
  };

  const connect: TransportFactory = (options: RoomOptions): Transport => {
    seenRooms.push(options.name);
    const member: Member = {
      doc: options.doc,
      password: options.password,
      device: options.device,
      online: true,
      listeners: new Set(),
      status() {
        const peers = peersOf(options.name, member);
        return {
          state: member.online ? 'online' : 'offline',
          peers: peers.length,
          peerDevices: peers.flatMap((peer) => (peer.device ? [peer.device] : [])).sort(),
        };
      },
    };
    const onUpdate = (update: Uint8Array, origin: unknown) => {
      if (origin === hub) return;
      for (const peer of peersOf(options.name, member)) {
        setTimeout(() => {
          if (member.online && peer.online) Y.applyUpdate(peer.doc, update, hub);
        }, 0);
      }
    };
    const room = rooms.get(options.name) ?? new Set<Member>();
    rooms.set(options.name, room);
    room.add(member);
    options.doc.on('update', onUpdate);
    setTimeout(() => {
      for (const peer of peersOf(options.name, member)) exchange(member, peer);
      notify(options.name);
    }, 0);
    return {
      status: () => member.status(),
      onStatus(listener) {
        member.listeners.add(listener);
        return () => member.listeners.delete(listener);
      },
      async destroy() {
        options.doc.off('update', onUpdate);
        room.delete(member);
        notify(options.name);
      },
    };
  };

  return {
    connect,
    /** Room names joined so far: what a relay would have seen. */
    seenRooms,
    /** Takes a device's documents offline or back (then they exchange what they missed). */
    setOnline(doc: Y.Doc, online: boolean) {
      for (const [name, room] of rooms) {
        for (const member of room) {
          if (member.doc !== doc) continue;
          member.online = online;
          if (online) for (const peer of peersOf(name, member)) exchange(member, peer);
          notify(name);
        }
      }
    },
    /** The documents in a room, for a rogue to write into. */
    docsIn(room: string): Y.Doc[] {
      return [...(rooms.get(room) ?? [])].map((member) => member.doc);
    },
  };
}

/** Resolves when `check` holds, polling; rejects after `ms`. */
export async function eventually(
  check: () => boolean | Promise<boolean>,
  ms = 5000,
): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    if (await check()) return;
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
