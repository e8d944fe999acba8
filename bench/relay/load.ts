import { randomBytes, randomInt } from 'node:crypto';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { asKey } from '../../src/core/crypto';
import { parseRelayRefusal, relayRoomOf } from '../../src/core/relay';

/**
 * The relay load driver: `vaults` x `devicesPerVault` simulated devices, each a
 * @hocuspocus/provider client of its own (its own WebSocket, awareness off) in the room of a
 * random vault key with that room's token (relayRoomOf), writing sealed-looking random envelopes
 * into the `envelopes` map as the real exchange does (src/core/sync/exchange.ts): a change under
 * `<device>.<seq>`, and every `checkpointEvery` changes a checkpoint under `<device>.c` with the
 * device's older changes deleted in the same transaction. Device i of a vault connects to
 * `urls[i % urls.length]`, so with two instances every vault is split across both.
 *
 * Every client lives in this one process, so a write and its arrival at another device are
 * timed on one clock. Loopback only; it stops by itself after `durationMs` plus the drain.
 */
export interface LoadOptions {
  /** `ws://127.0.0.1:<port>/relay` of each instance. */
  readonly urls: readonly string[];
  readonly vaults: number;
  readonly devicesPerVault: number;
  /** How long devices write. */
  readonly durationMs: number;
  /** The first part of the writing time, left out of the figures. */
  readonly warmupMs: number;
  /** Writes per device per second. */
  readonly writesPerSecond: number;
  /** Size of a change envelope (each one varies by a tenth around it). */
  readonly envelopeBytes: number;
  readonly checkpointEvery: number;
  readonly checkpointBytes: number;
  /** Longest wait, after the last write, for deliveries still on their way. */
  readonly drainMs: number;
  readonly connectTimeoutMs: number;
  /** Devices present a random token instead of their vault's: strangers (tests the counting). */
  readonly strangers?: boolean;
  /** Runs after the drain, every device still connected (memory of loaded rooms). */
  readonly beforeClose?: () => Promise<void>;
}

export interface LoadErrors {
  /** Devices not synced within connectTimeoutMs. */
  readonly connectFailed: number;
  readonly authenticationFailed: number;
  /** WebSocket closes while the load ran, by close code. */
  readonly closed: Readonly<Record<string, number>>;
  /** Refusals the relay sent (stateless `{"coffer":"refused"}`), by reason. */
  readonly refused: Readonly<Record<string, number>>;
  /** Expected deliveries (each change to each other device of its vault) that never came. */
  readonly lost: number;
}

export interface LoadResult {
  /** Write-to-arrival times (ms) of the changes written in the measured window. */
  readonly latencies: readonly number[];
  /** Arrivals of changes at other devices within the measured window. */
  readonly deliveriesInWindow: number;
  readonly windowMs: number;
  readonly writes: number;
  readonly expectedDeliveries: number;
  readonly delivered: number;
  /** Changes a device never saw but has in a checkpoint it saw (delivered, as the exchange counts). */
  readonly coveredByCheckpoint: number;
  readonly connectMs: number;
  /** The driver's own event-loop delay during the window (p99, ms): its share of the latency. */
  readonly driverLoopP99Ms: number;
  readonly errors: LoadErrors;
}

/** Total errors in a result: must be 0 for a valid run. */
export function errorCount(errors: LoadErrors): number {
  const sum = (counts: Readonly<Record<string, number>>) =>
    Object.values(counts).reduce((a, b) => a + b, 0);
  return (
    errors.connectFailed +
    errors.authenticationFailed +
    sum(errors.closed) +
    sum(errors.refused) +
    errors.lost
  );
}

interface Sent {
  readonly at: number;
  readonly device: string;
  readonly seq: number;
  /** Devices (by id) that saw this change arrive. */
  readonly receivedBy: Set<string>;
}

interface Device {
  readonly id: string;
  readonly doc: Y.Doc;
  readonly socket: HocuspocusProviderWebsocket;
  readonly provider: HocuspocusProvider;
  readonly synced: Promise<boolean>;
  seq: number;
  /** Keys of its changes not yet replaced by a checkpoint. */
  readonly live: string[];
  /** Per other device: its changes below this seq are in a checkpoint this device has seen. */
  readonly covered: Map<string, number>;
}

const increment = (counts: Record<string, number>, key: string) => {
  counts[key] = (counts[key] ?? 0) + 1;
};

const changeKey = /\.\d+$/;

export async function runRelayLoad(options: LoadOptions): Promise<LoadResult> {
  const sent = new Map<string, Sent>();
  // A checkpoint's first 16 (random) bytes -> what it covers: a device that first hears of a
  // change through the checkpoint replacing it (a catch-up after the change was deleted) has it.
  const checkpoints = new Map<string, { device: string; below: number }>();
  const latencies: number[] = [];
  const closed: Record<string, number> = {};
  const refused: Record<string, number> = {};
  let authenticationFailed = 0;
  let deliveriesInWindow = 0;
  let delivered = 0;
  let running = true;
  let windowStart = Number.POSITIVE_INFINITY;
  let windowEnd = Number.POSITIVE_INFINITY;

  const devices: Device[] = [];
  const connectStart = performance.now();
  for (let v = 0; v < options.vaults; v++) {
    const { room, token } = relayRoomOf(asKey(new Uint8Array(randomBytes(32)), 'vault'));
    for (let i = 0; i < options.devicesPerVault; i++) {
      const id = randomBytes(8).toString('hex');
      const covered = new Map<string, number>();
      const doc = new Y.Doc();
      const socket = new HocuspocusProviderWebsocket({
        url: options.urls[i % options.urls.length]!,
        WebSocketPolyfill: WebSocket,
      });
      const provider = new HocuspocusProvider({
        websocketProvider: socket,
        name: room,
        document: doc,
        token: options.strangers ? randomBytes(32).toString('base64url') : token,
        awareness: null,
      });
      provider.attach();
      provider.on('authenticationFailed', () => authenticationFailed++);
      provider.on('stateless', ({ payload }: { payload: string }) => {
        const refusal = parseRelayRefusal(payload);
        if (refusal) increment(refused, refusal.reason);
      });
      socket.on('close', ({ event }: { event: { code: number } }) => {
        if (running) increment(closed, String(event.code));
      });
      const map = doc.getMap<Uint8Array>('envelopes');
      map.observe((event, transaction) => {
        if (transaction.local) return;
        const now = performance.now();
        for (const key of event.keysChanged) {
          const action = event.changes.keys.get(key)?.action;
          if (key.endsWith('.c') && action !== 'delete') {
            const checkpoint = checkpoints.get(tagOf(map.get(key)));
            if (checkpoint && (covered.get(checkpoint.device) ?? 0) < checkpoint.below) {
              covered.set(checkpoint.device, checkpoint.below);
            }
          }
          if (!changeKey.test(key) || action !== 'add') continue;
          const write = sent.get(key);
          if (write === undefined) continue;
          write.receivedBy.add(id);
          delivered++;
          if (now >= windowStart && now < windowEnd) deliveriesInWindow++;
          if (write.at >= windowStart && write.at < windowEnd) latencies.push(now - write.at);
        }
      });
      const synced = new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), options.connectTimeoutMs);
        provider.on('synced', ({ state }: { state: boolean }) => {
          if (!state) return;
          clearTimeout(timer);
          resolve(true);
        });
      });
      devices.push({ id, doc, socket, provider, synced, seq: 0, live: [], covered });
    }
  }
  const connectFailed = (await Promise.all(devices.map((d) => d.synced))).filter((s) => !s).length;
  const connectMs = performance.now() - connectStart;

  const write = (device: Device) => {
    const map = device.doc.getMap<Uint8Array>('envelopes');
    device.seq++;
    const key = `${device.id}.${device.seq}`;
    const spread = Math.max(1, Math.round(options.envelopeBytes / 10));
    const size = options.envelopeBytes + randomInt(-spread, spread);
    const bytes = new Uint8Array(randomBytes(size));
    device.doc.transact(() => {
      if (device.seq % options.checkpointEvery === 0) {
        // A checkpoint covers everything the device wrote: it replaces its older changes.
        const checkpoint = new Uint8Array(randomBytes(options.checkpointBytes));
        checkpoints.set(tagOf(checkpoint), { device: device.id, below: device.seq });
        map.set(`${device.id}.c`, checkpoint);
        for (const old of device.live.splice(0)) map.delete(old);
      }
      sent.set(key, {
        at: performance.now(),
        device: device.id,
        seq: device.seq,
        receivedBy: new Set(),
      });
      map.set(key, bytes);
      device.live.push(key);
    });
  };

  const loop = monitorEventLoopDelay({ resolution: 10 });
  const start = performance.now();
  windowStart = start + options.warmupMs;
  windowEnd = start + options.durationMs;
  const period = 1000 / options.writesPerSecond;
  const timers: NodeJS.Timeout[] = [];
  for (const device of devices) {
    // Spread over one period, so devices do not all write in the same millisecond.
    const first = setTimeout(() => {
      write(device);
      const each = setInterval(() => {
        if (performance.now() < windowEnd) write(device);
      }, period);
      timers.push(each);
    }, Math.random() * period);
    timers.push(first);
  }
  await sleep(options.warmupMs);
  loop.enable();
  await sleep(options.durationMs - options.warmupMs);
  loop.disable();
  for (const timer of timers) clearTimeout(timer);

  const expected = options.devicesPerVault - 1;
  const vaultOf = new Map(devices.map((d, i) => [d.id, Math.floor(i / options.devicesPerVault)]));
  const peers = new Map(
    devices.map((device) => [
      device.id,
      devices.filter((d) => d.id !== device.id && vaultOf.get(d.id) === vaultOf.get(device.id)),
    ]),
  );
  const peersOf = (id: string) => peers.get(id) ?? [];
  /** Changes neither seen by a device of their vault nor in a checkpoint it has seen. */
  const missing = () => {
    let count = 0;
    for (const write of sent.values()) {
      if (write.receivedBy.size === expected) continue;
      for (const peer of peersOf(write.device)) {
        const has =
          write.receivedBy.has(peer.id) || (peer.covered.get(write.device) ?? 0) > write.seq;
        if (!has) count++;
      }
    }
    return count;
  };
  const coveredOnly = () => {
    let count = 0;
    for (const write of sent.values()) {
      for (const peer of peersOf(write.device)) {
        if (!write.receivedBy.has(peer.id) && (peer.covered.get(write.device) ?? 0) > write.seq)
          count++;
      }
    }
    return count;
  };
  const drainUntil = performance.now() + options.drainMs;
  while (missing() > 0 && performance.now() < drainUntil) await sleep(100);

  await options.beforeClose?.();
  running = false;
  for (const device of devices) {
    device.provider.destroy();
    device.socket.destroy();
  }
  return {
    latencies,
    deliveriesInWindow,
    windowMs: options.durationMs - options.warmupMs,
    writes: sent.size,
    expectedDeliveries: sent.size * expected,
    delivered,
    coveredByCheckpoint: coveredOnly(),
    connectMs,
    driverLoopP99Ms: loop.count > 0 ? loop.percentile(99) / 1e6 : 0,
    errors: { connectFailed, authenticationFailed, closed, refused, lost: missing() },
  };
}

const tagOf = (bytes: Uint8Array | undefined) =>
  bytes ? Buffer.from(bytes.subarray(0, 16)).toString('hex') : '';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
