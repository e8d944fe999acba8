import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InstanceStats } from '../../../bench/relay/ipc';
import { errorCount, type LoadOptions, runRelayLoad } from '../../../bench/relay/load';
import { memoryPerRoom, type ScenarioResult } from '../../../bench/relay/scenario';
import { type RelayInstance, spawnRelayInstance } from '../../../bench/relay/spawn';

/**
 * The relay load test's own checks (bench/relay): that it counts what it says against Coffer's
 * real relay in a process of its own: every change reaching every other device of its vault
 * with no error, and a stranger's devices counted as errors, not as deliveries.
 */
const tiny: Omit<LoadOptions, 'urls'> = {
  vaults: 2,
  devicesPerVault: 3,
  durationMs: 1500,
  warmupMs: 200,
  writesPerSecond: 4,
  envelopeBytes: 256,
  checkpointEvery: 3,
  checkpointBytes: 512,
  drainMs: 5000,
  connectTimeoutMs: 15_000,
};

describe('relay load driver', () => {
  let relay: RelayInstance;
  beforeAll(async () => {
    relay = await spawnRelayInstance('coffer', 'unit-test');
  }, 60_000);
  afterAll(async () => {
    await relay?.close();
  });

  it('counts every change delivered to the other devices of its vault, and no error', async () => {
    const result = await runRelayLoad({ ...tiny, urls: [relay.url] });
    expect(result.writes).toBeGreaterThan(0);
    expect(result.expectedDeliveries).toBe(result.writes * (tiny.devicesPerVault - 1));
    expect(result.delivered).toBe(result.expectedDeliveries);
    expect(result.latencies.length).toBeGreaterThan(0);
    expect(result.latencies.every((ms) => ms >= 0)).toBe(true);
    expect(result.errors).toEqual({
      connectFailed: 0,
      authenticationFailed: 0,
      closed: {},
      refused: {},
      lost: 0,
    });
    const stats = await relay.stats(false);
    expect(stats.refused.unauthorized ?? 0).toBe(0);
  }, 60_000);

  it("counts a stranger's refused devices as errors, never as deliveries", async () => {
    const result = await runRelayLoad({
      ...tiny,
      urls: [relay.url],
      durationMs: 600,
      warmupMs: 0,
      drainMs: 200,
      connectTimeoutMs: 3000,
      strangers: true,
    });
    const devices = tiny.vaults * tiny.devicesPerVault;
    expect(result.delivered).toBe(0);
    expect(result.errors.connectFailed).toBe(devices);
    expect(result.errors.refused.unauthorized ?? 0).toBeGreaterThanOrEqual(devices);
    expect(result.errors.lost).toBe(result.expectedDeliveries);
    expect(errorCount(result.errors)).toBeGreaterThan(devices);
    const stats = await relay.stats(false);
    expect(stats.refused.unauthorized).toBeGreaterThanOrEqual(devices);
  }, 60_000);
});

describe('memory per room', () => {
  const stats = (rooms: number, heapUsed: number, external: number, rss: number) =>
    ({ rooms, heapUsed, external, rss }) as InstanceStats;
  const result = (...instances: [InstanceStats, InstanceStats][]) =>
    ({
      instances: instances.map(([before, loaded]) => ({ before, loaded })),
    }) as unknown as ScenarioResult;

  it('divides the growth by the rooms loaded since the first figure', () => {
    const one = result([stats(1, 1000, 100, 5000), stats(11, 21_000, 1100, 45_000)]);
    expect(memoryPerRoom(one)).toEqual({ heapBytes: 2100, rssBytes: 4000 });
  });

  it('averages over instances', () => {
    const two = result(
      [stats(0, 0, 0, 0), stats(10, 10_000, 0, 20_000)],
      [stats(0, 0, 0, 0), stats(10, 30_000, 0, 40_000)],
    );
    expect(memoryPerRoom(two)).toEqual({ heapBytes: 2000, rssBytes: 3000 });
  });
});
