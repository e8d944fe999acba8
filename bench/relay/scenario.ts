import { loadavg } from 'node:os';
import type { InstanceStats } from './ipc';
import { errorCount, type LoadOptions, type LoadResult, runRelayLoad } from './load';
import { type RelayInstance, type RelayKind, spawnRelayInstance } from './spawn';

/**
 * One run of the relay load test on fresh instance processes of one kind (one, or several
 * sharing Redis): their memory before any room is loaded and again with every room loaded and
 * every device connected (after the load, garbage collected both times), then closed.
 */
export interface ScenarioOptions {
  /** Fresh instances of one kind, used by no other run; several must share Redis. */
  readonly instances: readonly RelayInstance[];
  readonly kind: RelayKind;
  readonly load: Omit<LoadOptions, 'urls' | 'beforeClose'>;
  /** One small vault first (see `warmup`); off in a smoke run, where time is short. */
  readonly warmup: boolean;
}

export interface InstanceMemory {
  readonly name: string;
  readonly before: InstanceStats;
  readonly loaded: InstanceStats;
  /** What it wrote to stderr during the run. */
  readonly stderr: string;
}

export interface ScenarioResult {
  readonly kind: RelayKind;
  readonly instances: readonly InstanceMemory[];
  readonly load: LoadResult;
  /** errorCount of the load plus refusals the instances counted. */
  readonly errors: number;
  /** The machine's 1-minute load average when the run started (the machine may be shared). */
  readonly loadAverage: number;
}

/** Starts `count` instances of a kind in parallel (sharing `redisUrl` when given). */
export async function spawnInstances(
  kind: RelayKind,
  count: number,
  redisUrl?: string,
): Promise<RelayInstance[]> {
  if (count > 1 && redisUrl === undefined) {
    throw new Error(`${count} relay instances need a Redis URL to share rooms`);
  }
  const suffix = redisUrl ? `of-${count}` : 'alone';
  const started = await Promise.allSettled(
    Array.from({ length: count }, (_, i) =>
      spawnRelayInstance(kind, `${kind}-${i + 1}-${suffix}`, redisUrl),
    ),
  );
  const spawned = started.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const failed = started.find((r) => r.status === 'rejected');
  if (failed) {
    await Promise.all(spawned.map((instance) => instance.close()));
    throw failed.reason;
  }
  return spawned;
}

/** Runs the load on the given instances, then closes them. */
export async function runScenario(options: ScenarioOptions): Promise<ScenarioResult> {
  const spawned = options.instances;
  const loadAverage = loadavg()[0]!;
  try {
    const urls = spawned.map((instance) => instance.url);
    // One small vault first, so what every process pays once (code compiled on first use,
    // buffers, Redis subscriptions) is in the "before" figure and not spread over the rooms.
    if (options.warmup) await runRelayLoad({ ...warmup, urls });
    const before = await Promise.all(spawned.map((instance) => instance.stats(true)));
    let loaded: InstanceStats[] = [];
    const load = await runRelayLoad({
      ...options.load,
      urls,
      beforeClose: async () => {
        loaded = await Promise.all(spawned.map((instance) => instance.stats(true)));
      },
    });
    const instances = spawned.map((instance, i) => ({
      name: instance.name,
      before: before[i]!,
      loaded: loaded[i]!,
      stderr: instance.stderr(),
    }));
    const relayRefusals = loaded
      .flatMap((stats) => Object.values(stats.refused))
      .reduce((a, b) => a + b, 0);
    return {
      kind: options.kind,
      instances,
      load,
      errors: errorCount(load.errors) + relayRefusals,
      loadAverage,
    };
  } finally {
    await Promise.all(spawned.map((instance) => instance.close()));
  }
}

const warmup: Omit<LoadOptions, 'urls'> = {
  vaults: 1,
  devicesPerVault: 2,
  durationMs: 300,
  warmupMs: 0,
  writesPerSecond: 10,
  envelopeBytes: 1024,
  checkpointEvery: 2,
  checkpointBytes: 1024,
  drainMs: 1000,
  connectTimeoutMs: 20_000,
};

/** Memory per loaded room, averaged over the instances (each loads the rooms it serves). */
export function memoryPerRoom(result: ScenarioResult): { heapBytes: number; rssBytes: number } {
  let heap = 0;
  let rss = 0;
  for (const { before, loaded } of result.instances) {
    // A warm-up room still loaded is in both figures.
    const rooms = Math.max(1, loaded.rooms - before.rooms);
    heap += (loaded.heapUsed + loaded.external - before.heapUsed - before.external) / rooms;
    rss += (loaded.rss - before.rss) / rooms;
  }
  const n = Math.max(1, result.instances.length);
  return { heapBytes: heap / n, rssBytes: rss / n };
}
