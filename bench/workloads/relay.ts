import { cpus, loadavg } from 'node:os';
import { ServiceStartError, startRedis } from '../../tests/support/services';
import type { LoadOptions } from '../relay/load';
import { memoryPerRoom, runScenario, type ScenarioResult, spawnInstances } from '../relay/scenario';
import type { RelayInstance, RelayKind } from '../relay/spawn';
import { fixed, median, percentile } from '../stats';
import { type BenchContext, type Metric, metric, type Workload } from '../types';

/**
 * The mailbox relay under load (issue 18), in Node: 200 simulated devices across 50 vaults
 * (4 per vault) each write a ~1 KB envelope a second for 60 s (a checkpoint every tenth write
 * replaces the device's older changes), against one relay instance and against two sharing
 * Redis (each vault's devices split across both). Instances are processes of their own
 * (bench/relay/instance.ts). Beside each, in the same run and under the same load: a bare
 * Hocuspocus Server of the same version (no token check, no mailbox or quota checks).
 *
 * - `relay_p95_ms`: a device's write until another device of its vault has it, p95 over every
 *   delivery of the writes made after the warm-up (p50 in the notes).
 * - `relay_msgs_per_s`: deliveries per second over the same window (the offered load is fixed:
 *   devices x (devices per vault - 1) per second; less means the relay fell behind).
 * - `relay_room_heap_kb`, `relay_room_rss_kb`: the relay process's heap (plus external) and
 *   RSS with every room loaded and every device connected, less the same before any room, per
 *   room; garbage collected both times.
 * - `relay_errors`: connections not synced, authentication failures, closes, refusals and lost
 *   deliveries over Coffer's runs; must be 0 (a smoke run fails otherwise).
 *
 * `--smoke`: 8 devices across 2 vaults for 3 s, Coffer only (no baseline); the two-instance part
 * is skipped, with a note, when Redis cannot be started (redis-server not installed).
 */
export const relayWorkload: Workload = {
  title: 'mailbox relay under load (Node)',
  async run({ repeats }: BenchContext) {
    const smoke = repeats === 1;
    const load: Omit<LoadOptions, 'urls' | 'beforeClose'> = {
      vaults: smoke ? 2 : 50,
      devicesPerVault: 4,
      durationMs: smoke ? 3000 : 60_000,
      warmupMs: smoke ? 500 : 10_000,
      writesPerSecond: 1,
      envelopeBytes: 1024,
      checkpointEvery: 10,
      checkpointBytes: 4096,
      drainMs: smoke ? 3000 : 10_000,
      connectTimeoutMs: 20_000,
    };
    const machine = `load average ${fixed(loadavg()[0]!)} on ${cpus().length} cores at the start`;
    const redis = await startRedis().catch((error: unknown) => {
      if (smoke && error instanceof ServiceStartError) return error;
      throw error;
    });
    const redisUrl = redis instanceof ServiceStartError ? undefined : redis.url;
    try {
      // Every instance is started up front, in parallel (starting a process is most of a short
      // run's time), each used by one run only and closed after it. The baselines are left out
      // of a smoke run, which only proves the load test works.
      const [cofferOne = [], plainOne = [], cofferTwo = [], plainTwo = []] = await allOrNone([
        spawnInstances('coffer', 1),
        smoke ? [] : spawnInstances('plain', 1),
        redisUrl ? spawnInstances('coffer', 2, redisUrl) : [],
        redisUrl && !smoke ? spawnInstances('plain', 2, redisUrl) : [],
      ]);
      const run = async (kind: RelayKind, instances: readonly RelayInstance[]) =>
        instances.length === 0
          ? undefined
          : await runScenario({ kind, instances, load, warmup: !smoke });
      // Coffer, baseline, baseline, Coffer: a machine getting busier or quieter during the
      // run favours each side once.
      const one: Pair = {
        coffer: (await run('coffer', cofferOne))!,
        plain: await run('plain', plainOne),
      };
      const twoPlain = await run('plain', plainTwo);
      const twoCoffer = await run('coffer', cofferTwo);
      const two: Pair | string = twoCoffer
        ? { coffer: twoCoffer, plain: twoPlain }
        : `two instances skipped in this smoke run: ${(redis as Error).message.split('\n')[0]}`;
      return report(smoke, load, machine, one, two);
    } finally {
      if (!(redis instanceof ServiceStartError)) await redis.stop();
    }
  },
};

/** All the groups of instances, or none: those started are closed when another fails. */
async function allOrNone(
  groups: readonly (Promise<RelayInstance[]> | RelayInstance[])[],
): Promise<RelayInstance[][]> {
  const settled = await Promise.allSettled(groups);
  const failed = settled.find((r) => r.status === 'rejected');
  if (failed === undefined) return settled.map((r) => (r.status === 'fulfilled' ? r.value : []));
  const started = settled.flatMap((r) => (r.status === 'fulfilled' ? r.value : []));
  await Promise.all(started.map((instance) => instance.close()));
  throw failed.reason;
}

/** A run of Coffer's relay and, in a full run, of the plain baseline on the same load. */
interface Pair {
  readonly coffer: ScenarioResult;
  readonly plain: ScenarioResult | undefined;
}

function report(
  smoke: boolean,
  load: Omit<LoadOptions, 'urls' | 'beforeClose'>,
  machine: string,
  one: Pair,
  two: Pair | string,
): Record<string, Metric> {
  const shape =
    `${load.vaults * load.devicesPerVault} devices across ${load.vaults} vaults, ` +
    `${load.writesPerSecond} write/s each (~${load.envelopeBytes} B, a ${load.checkpointBytes} B checkpoint replacing the older ones every ${load.checkpointEvery}), ` +
    `${load.durationMs / 1000} s of which the first ${load.warmupMs / 1000} s are left out` +
    (smoke ? '; smoke run: no baseline' : '');
  const results: Record<string, Metric> = {
    ...latencyMetrics('relay', one, `one instance; ${shape}; ${machine}`),
    ...memoryMetrics(one),
  };
  const runs = [one.coffer, one.plain];
  if (typeof two === 'string') {
    results.relay_two_p95_ms = metric(0, 'ms', undefined, two);
  } else {
    runs.push(two.coffer, two.plain);
    const memory =
      `memory per room there ${memoryNote(two.coffer)}` +
      (two.plain ? ` (baseline ${memoryNote(two.plain)})` : '');
    Object.assign(
      results,
      latencyMetrics(
        'relay_two',
        two,
        `two instances sharing one Redis (each vault's devices split across both); ${shape}; ${memory}`,
      ),
    );
  }
  const done = runs.filter((r): r is ScenarioResult => r !== undefined);
  const errors = done.filter((r) => r.kind === 'coffer').reduce((sum, r) => sum + r.errors, 0);
  results.relay_errors = metric(
    errors,
    'count',
    undefined,
    done.map((r) => `${label(r)}: ${errorNote(r)}`).join('; '),
  );
  if (smoke && errors > 0) {
    throw new Error(`the relay load test counted ${errors} errors: ${results.relay_errors.notes}`);
  }
  return results;
}

const label = (r: ScenarioResult) =>
  `${r.kind === 'coffer' ? 'Coffer' : 'plain Hocuspocus'} x${r.instances.length}`;

const p95 = (r: ScenarioResult) => percentile(orZero(r.load.latencies), 95);
const rate = (r: ScenarioResult) => r.load.deliveriesInWindow / (r.load.windowMs / 1000);

function latencyMetrics(prefix: string, { coffer, plain }: Pair, note: string) {
  const name = `plain Hocuspocus 4.7 Server (no token, mailbox or quota checks)${prefix === 'relay' ? '' : ' with the Redis extension'}, same load`;
  const baseline = (value: (r: ScenarioResult) => number) =>
    plain ? { value: value(plain), name } : undefined;
  const delivered = (r: ScenarioResult) =>
    `${r.load.delivered} of ${r.load.expectedDeliveries} delivered in all` +
    (r.load.coveredByCheckpoint > 0
      ? ` and ${r.load.coveredByCheckpoint} more in a checkpoint`
      : '');
  return {
    [`${prefix}_p95_ms`]: metric(
      p95(coffer),
      'ms',
      baseline(p95),
      `${note}; Coffer ${spread(coffer)}${plain ? `; baseline ${spread(plain)}` : ''}`,
    ),
    [`${prefix}_msgs_per_s`]: metric(
      rate(coffer),
      'msg/s',
      baseline(rate),
      'deliveries of changes to the other devices of their vault, per second over the measured ' +
        `window; Coffer ${delivered(coffer)}` +
        (plain ? `, baseline ${delivered(plain)}` : ''),
    ),
  };
}

function memoryMetrics({ coffer, plain }: Pair): Record<string, Metric> {
  const ours = memoryPerRoom(coffer);
  const theirs = plain ? memoryPerRoom(plain) : undefined;
  const name = 'plain Hocuspocus 4.7 Server, same rooms and load';
  const loaded = coffer.instances[0]?.loaded;
  const note =
    `one instance, ${loaded?.rooms} rooms loaded with ${loaded?.connections} connections, ` +
    `after the load and a garbage collection, less the same before; Coffer ${memoryNote(coffer)}` +
    (plain ? `; baseline ${memoryNote(plain)}` : '');
  const kib = (value: number | undefined) =>
    value === undefined ? undefined : { value: value / 1024, name };
  return {
    relay_room_heap_kb: metric(ours.heapBytes / 1024, 'KiB', kib(theirs?.heapBytes), note),
    relay_room_rss_kb: metric(ours.rssBytes / 1024, 'KiB', kib(theirs?.rssBytes), note),
  };
}

function memoryNote(r: ScenarioResult): string {
  const { heapBytes, rssBytes } = memoryPerRoom(r);
  const stored = r.instances.reduce(
    (sum, i) => sum + i.loaded.storedBytes / Math.max(1, i.loaded.rooms),
    0,
  );
  const cpu = r.instances.map((i) => `${fixed((i.loaded.cpuMs - i.before.cpuMs) / 1000)} s`);
  return (
    `heap ${fixed(heapBytes / 1024)} KiB, RSS ${fixed(rssBytes / 1024)} KiB per room ` +
    `(stored document ${fixed(stored / r.instances.length / 1024)} KiB per room; ` +
    `RSS ${r.instances.map((i) => `${fixed(i.loaded.rss / 2 ** 20)} MiB`).join(' + ')} loaded; CPU ${cpu.join(' + ')} during the run)`
  );
}

function spread(r: ScenarioResult): string {
  const samples = orZero(r.load.latencies);
  return (
    `p50 ${fixed(median(samples))} ms, p95 ${fixed(percentile(samples, 95))} ms, ` +
    `p99 ${fixed(percentile(samples, 99))} ms over ${r.load.latencies.length} deliveries ` +
    `(load average ${fixed(r.loadAverage)} at its start, driver event-loop p99 ${fixed(r.load.driverLoopP99Ms)} ms, all connected and synced in ${fixed(r.load.connectMs)} ms)`
  );
}

function errorNote(r: ScenarioResult): string {
  const e = r.load.errors;
  const refusedByRelay = r.instances.map((i) => i.loaded.refused);
  // Each distinct line once, with its count: the Redis extension logs every store it leaves to
  // the instance that holds the room's lock.
  const lines = new Map<string, number>();
  for (const i of r.instances) {
    for (const line of i.stderr.split('\n').filter(Boolean))
      lines.set(line, (lines.get(line) ?? 0) + 1);
  }
  const stderr = [...lines].map(([line, count]) => `${line.slice(0, 120)} (x${count})`);
  return (
    `${r.errors} (not synced ${e.connectFailed}, authentication failed ${e.authenticationFailed}, ` +
    `closes ${JSON.stringify(e.closed)}, refusals seen ${JSON.stringify(e.refused)}, ` +
    `counted by the relay ${JSON.stringify(refusedByRelay)}, lost ${e.lost})` +
    (stderr.length > 0 ? `, stderr: ${stderr.join(' | ').slice(0, 300)}` : '')
  );
}

/** A run with no deliveries gives 0 (its errors say why) rather than throwing. */
const orZero = (samples: readonly number[]) => (samples.length > 0 ? samples : [0]);
