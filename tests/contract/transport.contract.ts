/**
 * The transport's contract (src/core/sync/transport.ts), written once and run against both
 * transports: the in-memory network in Node (tests/unit/sync/transport.test.ts) and y-webrtc
 * with the project's own signaling relay in Chromium, each device a browser context of its own
 * and WebRTC between them on loopback (tests/browser/transport.test.ts, through
 * tests/browser/harness/transport.ts).
 *
 * A case is what the rest of sync takes for granted of a transport: EnvelopeExchange writes
 * envelopes into the transport document's `envelopes` map and trusts the transport to carry
 * them (whole, in each author's order, a multi-megabyte checkpoint included), VaultSync shows
 * `status()` and follows `onStatus`, and `destroy()` frees the room to be joined again. The
 * y-webrtc transport reads some of y-webrtc's private fields (webrtc-transport.ts,
 * `ProviderInternals`); each of those is read by the code behind some case below, so an upgrade
 * of y-webrtc that changes one fails here:
 *
 * | y-webrtc 10.3 internal                               | cases                                          |
 * | ---------------------------------------------------- | ---------------------------------------------- |
 * | `room.webrtcConns` (`.connected`), `room.bcConns`    | peers find each other, leaving, relay down      |
 * | `signalingConns[].connected`, 'connect'/'disconnect' | a lone peer, relay down                         |
 * | `signalingConns[].ws` (lib0's socket, `onmessage`)   | junk from the relay, relay down (a new socket)  |
 * | `key` (the room's AES key; y-webrtc frees the room's | leave and join again (at once, and straight     |
 * |   name once it settled; decrypts the signaling)      |   after joining); junk from the relay           |
 * | `peerOpts` reaching simple-peer (`wrtc`, channels)   | large messages, junk from a peer                |
 * | awareness carrying the device id                     | peers find each other, leaving                  |
 *
 * Scenarios are plain async functions with no test-runner import: they run in Node, driving
 * peers through the env (directly in the Node suite, through `page.evaluate` in the browser
 * one). Each throws on failure. The peer side of what they check (the bytes written, their
 * order) is `contractPeer`, which the harness page runs too.
 */
import * as encoding from 'lib0/encoding';
import type * as Y from 'yjs';
import type { Transport, TransportStatus } from '../../src/core/sync/transport';

/** The map EnvelopeExchange uses (src/core/sync/exchange.ts, ENVELOPES_MAP). */
export const contractMap = 'envelopes';

export interface ContractRoom {
  readonly name: string;
  readonly password: string;
}

/** One write: `size` bytes under `key` (`<writer>.<seq>`), made by `patternBytes(key, size)`. */
export interface ContractWrite {
  readonly key: string;
  readonly size: number;
}

/** A peer in a room: one transport over the device's document for that room. */
export interface ContractPeer {
  /** Writes each entry in a transaction of its own, in order. */
  write(entries: readonly ContractWrite[]): Promise<void>;
  /** The map's keys, each with its value's length, or -1 if its bytes are not what was written. */
  contents(): Promise<Record<string, number>>;
  /** Moments the map held an author's `<seq>` without all of that author's earlier ones. */
  orderViolations(): Promise<string[]>;
  status(): Promise<TransportStatus>;
  /** Every status `onStatus` reported, in order. */
  heard(): Promise<TransportStatus[]>;
  /** `destroy()`: resolves once the room can be joined again on this device. */
  leave(): Promise<void>;
}

/** A device: a tab in its own browser profile, or an in-memory member. */
export interface ContractDevice {
  readonly label: string;
  /**
   * Joins `room`, announcing `label` as its device id, over this device's document for the room
   * (the same document each time it joins that room, as VaultSync keeps its transport document).
   */
  join(room: ContractRoom): Promise<ContractPeer>;
  /** Errors thrown into the device's event loop so far: uncaught errors, unhandled rejections. */
  uncaught(): Promise<string[]>;
}

/** What a relay, or anyone on it, can publish to a room's topic. */
export const relayJunkKinds = [
  /** `data` that is not a string. */
  'no-data',
  /** `data` that is not base64. */
  'bad-base64',
  /** base64 of bytes that are not y-webrtc's encryption envelope. */
  'not-an-envelope',
  /** y-webrtc's envelope, but not sealed with the room's key. */
  'undecryptable',
  /** sealed with the room's key (a peer that knows the password), fields of the wrong types. */
  'wrong-fields',
] as const;
export type RelayJunkKind = (typeof relayJunkKinds)[number];

/** What a peer connected in the room can send down its connection. */
export const peerJunkKinds = [
  /** A whole message that is no y-webrtc message. */
  'undecodable',
  /** Bytes that break the framing of the data channel (the connection to it is closed). */
  'broken-frame',
] as const;
export type PeerJunkKind = (typeof peerJunkKinds)[number];

/** y-webrtc's signaling key for a room: PBKDF2(password, salt = room name), as its crypto.js. */
async function signalingKey(room: ContractRoom): Promise<CryptoKey> {
  const text = new TextEncoder();
  const material = await crypto.subtle.importKey(
    'raw',
    text.encode(room.password),
    'PBKDF2',
    false,
    ['deriveKey'],
  );
  return crypto.subtle.deriveKey(
    { name: 'PBKDF2', salt: text.encode(room.name), iterations: 100_000, hash: 'SHA-256' },
    material,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt'],
  );
}

/** y-webrtc's encryption envelope: 'AES-GCM', the IV, the ciphertext (lib0 var-length fields). */
function envelope(iv: Uint8Array, cipher: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarString(encoder, 'AES-GCM');
  encoding.writeVarUint8Array(encoder, iv);
  encoding.writeVarUint8Array(encoder, cipher);
  return encoding.toUint8Array(encoder);
}

const toBase64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));

/** The text of a `publish` of relay junk of `kind` to the room's topic, as a relay sends it. */
export async function relayJunkMessage(room: ContractRoom, kind: RelayJunkKind): Promise<string> {
  const publish = (data: unknown) => JSON.stringify({ type: 'publish', topic: room.name, data });
  switch (kind) {
    case 'no-data':
      return publish(42);
    case 'bad-base64':
      return publish('%%%%');
    case 'not-an-envelope':
      return publish('AAAA');
    case 'undecryptable':
      return publish(
        toBase64(envelope(crypto.getRandomValues(new Uint8Array(12)), new Uint8Array(64))),
      );
    case 'wrong-fields': {
      // y-webrtc reads `data.signal.type` of a 'signal' without checking it is there.
      const plain = encoding.createEncoder();
      encoding.writeAny(plain, { type: 'signal', from: 'rogue-peer', token: 1 });
      const iv = crypto.getRandomValues(new Uint8Array(12));
      const cipher = await crypto.subtle.encrypt(
        { name: 'AES-GCM', iv },
        await signalingKey(room),
        encoding.toUint8Array(plain),
      );
      return publish(toBase64(envelope(iv, new Uint8Array(cipher))));
    }
  }
}

export interface TransportContractEnv {
  /** A new device, `label` unique within the scenario. */
  device(label: string): Promise<ContractDevice>;
  /** A room no other scenario run uses, with its password. */
  room(hint: string): ContractRoom;
  /** Takes the signaling relay down, or brings it back at the same address. */
  setRelay(up: boolean): Promise<void>;
  /** Publishes one piece of junk of `kind` to the room's topic on the relay. */
  junkFromRelay(room: ContractRoom, kind: RelayJunkKind): Promise<void>;
  /** Has a peer in the room (not one of the scenario's devices) send one piece of junk. */
  junkFromPeer(room: ContractRoom, kind: PeerJunkKind): Promise<void>;
}

export interface TransportScenario {
  readonly name: string;
  run(env: TransportContractEnv): Promise<void>;
}

export class ContractAssertionError extends Error {
  override readonly name = 'ContractAssertionError';
}

function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new ContractAssertionError(message);
}

function assertEqual<T>(actual: T, expected: T, what: string): void {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) throw new ContractAssertionError(`${what}: expected ${e}, got ${a}`);
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * How long peers may take to find each other. WebRTC on loopback takes about a second, but two
 * peers that announce themselves at the same moment offer to each other at once, which y-webrtc
 * can leave stuck until the transport drops the connection (after 8 to 16 s) and they try again.
 */
const connectMs = 30_000;
/** The same after the relay comes back: its clients reconnect within 2.5 s first. */
const reconnectMs = 35_000;
/** How long a write may take to arrive (a 3 MB one included, on a loaded machine). */
const deliverMs = 30_000;
/** How long "nothing arrives" is watched for. */
const quietMs = 500;

/** Waits until `check` resolves true; fails naming `what` and the last value `describe` gives. */
async function waitFor(
  what: string,
  check: () => Promise<boolean>,
  ms: number,
  show?: () => Promise<unknown>,
): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) {
      const last = show ? ` (last: ${JSON.stringify(await show())})` : '';
      throw new ContractAssertionError(`${what}: not within ${ms} ms${last}`);
    }
    await sleep(20);
  }
}

// ---------------------------------------------------------------------------------------------
// The peer side: what a peer writes and what it checks, the same code in Node and in the page.

/** `size` bytes determined by `key`: a receiver can tell they arrived as written. */
export function patternBytes(key: string, size: number): Uint8Array {
  let seed = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) seed = Math.imul(seed ^ key.charCodeAt(i), 0x01000193);
  const bytes = new Uint8Array(size);
  const words = new Uint32Array(bytes.buffer, 0, size >>> 2);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < words.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    words[i] = x >>> 0;
  }
  for (let i = words.length * 4; i < size; i++) bytes[i] = (seed + i) & 0xff;
  return bytes;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** A peer's own record of one transport, kept where the transport runs. */
export interface LocalContractPeer {
  write(entries: readonly ContractWrite[]): void;
  contents(): Record<string, number>;
  orderViolations(): string[];
  status(): TransportStatus;
  heard(): TransportStatus[];
  leave(): Promise<void>;
}

/**
 * Watches `doc` under `transport`: every status it reports, and, after each change to the map,
 * whether each author's keys form an unbroken run from `<author>.0`.
 */
export function contractPeer(transport: Transport, doc: Y.Doc): LocalContractPeer {
  const map = doc.getMap<Uint8Array>(contractMap);
  const heard: TransportStatus[] = [];
  const violations: string[] = [];
  const stopStatus = transport.onStatus((status) => heard.push(status));
  const check = () => {
    const seqs = new Map<string, Set<number>>();
    for (const key of map.keys()) {
      const match = /^(.+)\.(\d+)$/.exec(key);
      if (!match) continue;
      const author = match[1]!;
      const set = seqs.get(author) ?? new Set<number>();
      set.add(Number(match[2]));
      seqs.set(author, set);
    }
    for (const [author, set] of seqs) {
      for (let seq = 0; seq < set.size; seq++) {
        if (!set.has(seq)) {
          violations.push(`${author}: held ${[...set].sort((a, b) => a - b).join(',')}`);
          break;
        }
      }
    }
  };
  map.observe(check);
  return {
    write(entries) {
      for (const { key, size } of entries) map.set(key, patternBytes(key, size));
    },
    contents() {
      const out: Record<string, number> = {};
      for (const [key, value] of map.entries()) {
        out[key] =
          value instanceof Uint8Array && sameBytes(value, patternBytes(key, value.length))
            ? value.length
            : -1;
      }
      return out;
    },
    orderViolations: () => [...violations],
    status: () => transport.status(),
    heard: () => [...heard],
    async leave() {
      await transport.destroy();
      stopStatus();
      map.unobserve(check);
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Helpers for scenarios.

/** `count` writes `<author>.<from>` on, `size` bytes each, or as `sizes` says by seq. */
function writes(
  author: string,
  count: number,
  size: number,
  from = 0,
  sizes: Record<number, number> = {},
): ContractWrite[] {
  return Array.from({ length: count }, (_, i) => ({
    key: `${author}.${from + i}`,
    size: sizes[from + i] ?? size,
  }));
}

const expected = (entries: readonly ContractWrite[]) =>
  Object.fromEntries(entries.map(({ key, size }) => [key, size]));

/** Waits until `peer` holds each write, intact. */
async function holds(peer: ContractPeer, entries: readonly ContractWrite[], who: string) {
  const want = expected(entries);
  let last: Record<string, number> = {};
  await waitFor(
    `${who} to hold ${entries.length} writes intact`,
    async () => {
      last = await peer.contents();
      return Object.entries(want).every(([key, size]) => last[key] === size);
    },
    deliverMs,
    async () =>
      Object.fromEntries(
        Object.entries(want)
          .filter(([key, size]) => last[key] !== size)
          .slice(0, 5)
          .map(([key]) => [key, last[key] ?? 'missing']),
      ),
  );
}

/** Waits until each peer reports `count` peers, online. */
async function connected(
  peers: readonly [string, ContractPeer][],
  count: number,
  ms: number = connectMs,
) {
  for (const [who, peer] of peers) {
    await waitFor(
      `${who} to be online with ${count} peer(s)`,
      async () => {
        const status = await peer.status();
        return status.state === 'online' && status.peers === count;
      },
      ms,
      () => peer.status(),
    );
  }
}

async function noUncaught(devices: readonly ContractDevice[]) {
  for (const device of devices) {
    const errors = await device.uncaught();
    assertEqual(errors, [], `errors thrown into ${device.label}'s event loop`);
  }
}

async function noViolations(peers: readonly [string, ContractPeer][]) {
  for (const [who, peer] of peers)
    assertEqual(await peer.orderViolations(), [], `${who}: authors' writes out of order`);
}

const junkOf = async (peer: ContractPeer) => (await peer.status()).junk ?? 0;

/** Checks the status is a well-formed TransportStatus. */
function wellFormed(status: TransportStatus, who: string) {
  assert(
    ['offline', 'connecting', 'online'].includes(status.state),
    `${who}: state ${status.state}`,
  );
  assert(Number.isInteger(status.peers) && status.peers >= 0, `${who}: peers ${status.peers}`);
  assert(Array.isArray(status.peerDevices), `${who}: peerDevices is not an array`);
  const sorted = [...status.peerDevices].sort();
  assertEqual(status.peerDevices, [...new Set(sorted)], `${who}: peerDevices sorted, unique`);
  assert(
    status.junk === undefined || (Number.isInteger(status.junk) && status.junk >= 0),
    `${who}: junk ${status.junk}`,
  );
}

// ---------------------------------------------------------------------------------------------
// The scenarios.

export const transportScenarios: readonly TransportScenario[] = [
  {
    name: 'a lone peer reaches the relay: online, no peers, no junk, and onStatus said so',
    async run(env) {
      const a = await env.device('a');
      const room = env.room('lone');
      const peer = await a.join(room);
      await connected([['a', peer]], 0);
      const status = await peer.status();
      wellFormed(status, 'a');
      assertEqual(status.peerDevices, [], 'peerDevices');
      assertEqual(status.junk ?? 0, 0, 'junk');
      // What listeners last heard is what status() says.
      await waitFor(
        'onStatus to report the online state',
        async () => (await peer.heard()).at(-1)?.state === 'online',
        connectMs,
        () => peer.heard(),
      );
      await peer.leave();
      await noUncaught([a]);
    },
  },
  {
    name: 'two peers find each other: peer count, device ids and onStatus report it, and writes cross both ways',
    async run(env) {
      const [a, b] = [await env.device('a'), await env.device('b')];
      const room = env.room('pair');
      const pa = await a.join(room);
      const pb = await b.join(room);
      await connected(
        [
          ['a', pa],
          ['b', pb],
        ],
        1,
      );
      await waitFor(
        'a and b to see each other device id',
        async () =>
          JSON.stringify((await pa.status()).peerDevices) === '["b"]' &&
          JSON.stringify((await pb.status()).peerDevices) === '["a"]',
        connectMs,
        async () => [await pa.status(), await pb.status()],
      );
      for (const [who, peer] of [
        ['a', pa],
        ['b', pb],
      ] as const) {
        const status = await peer.status();
        wellFormed(status, who);
        await waitFor(
          `${who}'s listeners to have heard the peer`,
          async () => {
            const last = (await peer.heard()).at(-1);
            return last?.state === 'online' && last.peers === 1;
          },
          connectMs,
          () => peer.heard(),
        );
      }
      const fromA = writes('a', 3, 100);
      const fromB = writes('b', 3, 100);
      await pa.write(fromA);
      await pb.write(fromB);
      await holds(pb, fromA, 'b');
      await holds(pa, fromB, 'a');
      await pa.leave();
      await pb.leave();
      await noUncaught([a, b]);
    },
  },
  {
    name: 'a peer that joins later receives what was written before, a 3 MB message among them',
    async run(env) {
      const [a, b] = [await env.device('a'), await env.device('b')];
      const room = env.room('late');
      const pa = await a.join(room);
      // Over what one data-channel message carries (256 KiB in Chromium): y-webrtc sends the
      // document as one message, which only framed channels carry.
      const before = writes('a', 4, 1000, 0, { 2: 3 * 1024 * 1024 });
      await pa.write(before);
      const pb = await b.join(room);
      await connected(
        [
          ['a', pa],
          ['b', pb],
        ],
        1,
      );
      await holds(pb, before, 'b');
      await noViolations([['b', pb]]);
      await pa.leave();
      await pb.leave();
      await noUncaught([a, b]);
    },
  },
  {
    name: 'writes arrive intact and in order per author, large (framed) ones among small ones, both ways at once',
    async run(env) {
      const [a, b] = [await env.device('a'), await env.device('b')];
      const room = env.room('order');
      const pa = await a.join(room);
      const pb = await b.join(room);
      await connected(
        [
          ['a', pa],
          ['b', pb],
        ],
        1,
      );
      const fromA = writes('a', 30, 200, 0, { 5: 300 * 1024, 12: 2 * 1024 * 1024, 13: 1 });
      const fromB = writes('b', 20, 50, 0, { 7: 700 * 1024 });
      await Promise.all([pa.write(fromA), pb.write(fromB)]);
      await holds(pb, fromA, 'b');
      await holds(pa, fromB, 'a');
      // More after the big ones: the connection is still in step.
      const moreA = writes('a', 5, 10, 30);
      await pa.write(moreA);
      await holds(pb, moreA, 'b');
      await noViolations([
        ['a', pa],
        ['b', pb],
      ]);
      await pa.leave();
      await pb.leave();
      await noUncaught([a, b]);
    },
  },
  {
    name: 'leaving: the leaver is offline and hears nothing more, the other sees it go, nothing crosses after',
    async run(env) {
      const [a, b] = [await env.device('a'), await env.device('b')];
      const room = env.room('leave');
      const pa = await a.join(room);
      const pb = await b.join(room);
      await connected(
        [
          ['a', pa],
          ['b', pb],
        ],
        1,
      );
      await pa.leave();
      const heardAtLeave = (await pa.heard()).length;
      const left = await pa.status();
      assertEqual(
        { state: left.state, peers: left.peers, peerDevices: left.peerDevices },
        { state: 'offline', peers: 0, peerDevices: [] },
        "the leaver's status",
      );
      await waitFor(
        'b to see a go (no peers, no device ids)',
        async () => {
          const status = await pb.status();
          return status.peers === 0 && status.peerDevices.length === 0;
        },
        connectMs,
        () => pb.status(),
      );
      await waitFor(
        "b's listeners to have heard a go",
        async () => (await pb.heard()).at(-1)?.peers === 0,
        connectMs,
        () => pb.heard(),
      );
      await pa.write(writes('a', 1, 10, 100));
      await pb.write(writes('b', 1, 10, 100));
      await sleep(quietMs);
      assert(!('a.100' in (await pb.contents())), 'a write made after leaving reached b');
      assert(!('b.100' in (await pa.contents())), 'a write reached a after it left');
      assertEqual((await pa.heard()).length, heardAtLeave, 'statuses heard after leaving');
      assertEqual((await pa.status()).state, 'offline', "the leaver's state, later");
      await pb.leave();
      await noUncaught([a, b]);
    },
  },
  {
    name: 'leaving and joining the same room again at once, on the same device, works and catches up',
    async run(env) {
      const [a, b] = [await env.device('a'), await env.device('b')];
      const room = env.room('rejoin');
      let pa = await a.join(room);
      const pb = await b.join(room);
      await connected(
        [
          ['a', pa],
          ['b', pb],
        ],
        1,
      );
      for (let round = 0; round < 2; round++) {
        await pa.leave();
        // The room's name is free once destroy() resolved: joining again must not collide
        // with the provider that is going.
        const meanwhile = writes('b', 1, 100, round);
        await pb.write(meanwhile);
        pa = await a.join(room);
        await connected(
          [
            ['a', pa],
            ['b', pb],
          ],
          1,
        );
        await holds(pa, meanwhile, 'a');
        const back = writes('a', 1, 100, round);
        await pa.write(back);
        await holds(pb, back, 'b');
      }
      // Leaving straight after joining, while y-webrtc is still deriving the room's key, and
      // joining again: the name must be free then too.
      await pa.leave();
      pa = await a.join(room);
      await pa.leave();
      pa = await a.join(room);
      await connected(
        [
          ['a', pa],
          ['b', pb],
        ],
        1,
      );
      await pa.leave();
      await pb.leave();
      await noUncaught([a, b]);
    },
  },
  {
    name: 'rooms are apart: another room, or the same room with another password, sees nothing',
    async run(env) {
      const [a, b, c] = [await env.device('a'), await env.device('b'), await env.device('c')];
      const room = env.room('apart');
      const other = env.room('apart-other');
      const pa = await a.join(room);
      const pb = await b.join(other);
      const pc = await c.join({ name: room.name, password: `${room.password}-not` });
      await pa.write(writes('a', 1, 10));
      await pb.write(writes('b', 1, 10));
      await pc.write(writes('c', 1, 10));
      await connected(
        [
          ['a', pa],
          ['b', pb],
          ['c', pc],
        ],
        0,
      );
      await sleep(Math.max(quietMs, 2000));
      for (const [who, peer] of [
        ['a', pa],
        ['b', pb],
        ['c', pc],
      ] as const) {
        const status = await peer.status();
        assertEqual(status.peers, 0, `${who}'s peers`);
        assertEqual(status.peerDevices, [], `${who}'s peerDevices`);
        assertEqual(Object.keys(await peer.contents()), [`${who}.0`], `${who}'s map`);
      }
      await Promise.all([pa.leave(), pb.leave(), pc.leave()]);
      await noUncaught([a, b, c]);
    },
  },
  {
    name: 'junk from the relay is counted and dropped, nothing is thrown, and the room goes on',
    async run(env) {
      const [a, b] = [await env.device('a'), await env.device('b')];
      const room = env.room('relay-junk');
      const pa = await a.join(room);
      const pb = await b.join(room);
      await connected(
        [
          ['a', pa],
          ['b', pb],
        ],
        1,
      );
      for (const kind of relayJunkKinds) {
        const before = [await junkOf(pa), await junkOf(pb)];
        await env.junkFromRelay(room, kind);
        await waitFor(
          `relay junk '${kind}' to be counted by a and b`,
          async () => (await junkOf(pa)) > before[0]! && (await junkOf(pb)) > before[1]!,
          deliverMs,
          async () => [before, await junkOf(pa), await junkOf(pb)],
        );
        await waitFor(
          `listeners to have heard relay junk '${kind}'`,
          async () => ((await pa.heard()).at(-1)?.junk ?? 0) === (await junkOf(pa)),
          deliverMs,
        );
      }
      await noUncaught([a, b]);
      const after = writes('a', 2, 100);
      await pa.write(after);
      await holds(pb, after, 'b');
      await connected(
        [
          ['a', pa],
          ['b', pb],
        ],
        1,
      );
      await pa.leave();
      await pb.leave();
      await noUncaught([a, b]);
    },
  },
  {
    name: 'junk from a peer is counted and dropped, nothing is thrown, and the room goes on',
    async run(env) {
      const a = await env.device('a');
      const room = env.room('peer-junk');
      const pa = await a.join(room);
      await connected([['a', pa]], 0);
      for (const kind of peerJunkKinds) {
        const before = await junkOf(pa);
        await env.junkFromPeer(room, kind);
        await waitFor(
          `peer junk '${kind}' to be counted`,
          async () => (await junkOf(pa)) > before,
          connectMs,
          () => pa.status(),
        );
      }
      await noUncaught([a]);
      const b = await env.device('b');
      const pb = await b.join(room);
      await waitFor(
        'b to be online and connected',
        async () => (await pb.status()).peers >= 1,
        connectMs,
        () => pb.status(),
      );
      const fromA = writes('a', 2, 100);
      const fromB = writes('b', 2, 100);
      await pa.write(fromA);
      await pb.write(fromB);
      await holds(pb, fromA, 'b');
      await holds(pa, fromB, 'a');
      await pa.leave();
      await pb.leave();
      await noUncaught([a, b]);
    },
  },
  {
    name: 'the relay going down and back: connected peers carry on, a newcomer waits, then everyone meets and junk is still caught',
    async run(env) {
      const [a, b, c] = [await env.device('a'), await env.device('b'), await env.device('c')];
      const room = env.room('relay-restart');
      const pa = await a.join(room);
      const pb = await b.join(room);
      await connected(
        [
          ['a', pa],
          ['b', pb],
        ],
        1,
      );
      await env.setRelay(false);
      try {
        const during = writes('a', 2, 100);
        await pa.write(during);
        await holds(pb, during, 'b');
        const pc = await c.join(room);
        await sleep(quietMs);
        const waiting = await pc.status();
        assert(
          waiting.state === 'connecting' && waiting.peers === 0,
          `a newcomer with no relay: expected connecting with no peers, got ${JSON.stringify(waiting)}`,
        );
        for (const [who, peer] of [
          ['a', pa],
          ['b', pb],
        ] as const) {
          const status = await peer.status();
          assert(
            status.state === 'online' && status.peers === 1,
            `${who} with no relay but a peer: expected online with 1 peer, got ${JSON.stringify(status)}`,
          );
        }
        await env.setRelay(true);
        await connected(
          [
            ['a', pa],
            ['b', pb],
            ['c', pc],
          ],
          2,
          reconnectMs,
        );
        await holds(pc, [...during, ...writes('a', 0, 0)], 'c');
        const fromC = writes('c', 1, 100);
        await pc.write(fromC);
        await holds(pa, fromC, 'a');
        await holds(pb, fromC, 'b');
        // The relay's new connections are guarded as the first ones were.
        const before = [await junkOf(pa), await junkOf(pc)];
        await env.junkFromRelay(room, 'undecryptable');
        await env.junkFromRelay(room, 'bad-base64');
        await waitFor(
          'junk after the restart to be counted',
          async () => (await junkOf(pa)) >= before[0]! + 2 && (await junkOf(pc)) >= before[1]! + 2,
          deliverMs,
          async () => [before, await junkOf(pa), await junkOf(pc)],
        );
        await Promise.all([pa.leave(), pb.leave(), pc.leave()]);
        await noUncaught([a, b, c]);
      } finally {
        await env.setRelay(true);
      }
    },
  },
];
