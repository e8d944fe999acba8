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
  /** Whether it has found the room's other members through the relay (false while it is down). */
  linked: boolean;
  /** Left the room (`destroy`): delivers and receives nothing more. */
  left: boolean;
  junk: number;
  readonly listeners: Set<(status: TransportStatus) => void>;
  status(): TransportStatus;
}

/**
 * An in-memory stand-in for y-webrtc, for Node tests: documents in a room with the same
 * password replicate, asynchronously, while both are online. Rooms and passwords are kept
 * as a signaling relay would see them.
 *
 * It is the twin that the transport contract (tests/contract/transport.contract.ts) holds to
 * the same cases as y-webrtc: a relay that can go down (members already connected stay so, new
 * ones wait for it) and junk a relay or a peer could send (counted in the status, dropped).
 */
export function memoryNetwork() {
  const rooms = new Map<string, Set<Member>>();
  const seenRooms: string[] = [];
  const hub = Symbol('memory-network');
  let relayUp = true;

  const peersOf = (room: string, member: Member) =>
    [...(rooms.get(room) ?? [])].filter(
      (other) =>
        other !== member &&
        other.password === member.password &&
        other.online &&
        member.online &&
        other.linked &&
        member.linked &&
        !other.left &&
        !member.left,
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
      linked: relayUp,
      left: false,
      junk: 0,
      listeners: new Set(),
      status() {
        if (member.left || !member.online)
          return { state: 'offline', peers: 0, peerDevices: [], junk: member.junk };
        const peers = peersOf(options.name, member);
        return {
          state: relayUp || peers.length > 0 ? 'online' : 'connecting',
          peers: peers.length,
          peerDevices: [
            ...new Set(peers.flatMap((peer) => (peer.device ? [peer.device] : []))),
          ].sort(),
          junk: member.junk,
        };
      },
    };
    const onUpdate = (update: Uint8Array, origin: unknown) => {
      if (origin === hub) return;
      for (const peer of peersOf(options.name, member)) {
        setTimeout(() => {
          if (member.online && peer.online && !peer.left) Y.applyUpdate(peer.doc, update, hub);
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
        if (member.left) return;
        member.left = true;
        options.doc.off('update', onUpdate);
        room.delete(member);
        member.listeners.clear();
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
    /**
     * Takes the signaling relay down or brings it back. Members already connected stay so;
     * members that join meanwhile find the others once it is back.
     */
    setRelay(up: boolean) {
      relayUp = up;
      for (const [name, room] of rooms) {
        if (up) {
          for (const member of room) member.linked = true;
          for (const member of room)
            for (const peer of peersOf(name, member)) exchange(member, peer);
        }
        notify(name);
      }
    },
    /** Junk from the relay or a peer reaches everyone in `room`: counted, dropped. */
    injectJunk(room: string, count = 1) {
      for (const member of rooms.get(room) ?? []) if (member.online) member.junk += count;
      notify(room);
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
