import { chromium, type Page } from '@playwright/test';
import { chromiumArgs, chromiumPath } from '../../scripts/chromium';
import { type CofferServer, startCofferServer } from '../../src/server/server';
import { openHarness } from '../harness-page';
import { median, percentile } from '../stats';
import { type BenchContext, metric, type Workload } from '../types';

/**
 * Sync through the mailbox relay (issue 18) between two separate browsers (two Chromium
 * processes) on localhost, the relay being the project's own (`startCofferServer`, memory
 * storage), beside a plain `@hocuspocus/provider` client on the same relay:
 *
 * - `sync_relay_ms`: device B was paired while the vault was empty and closed; device A then
 *   opened it, wrote N entries, waited for the relay to store them and closed. B opens the vault
 *   with no peer to meet (A is closed), so everything comes from the relay: from B's opening
 *   until all N entries are listed (the relay's sync step, checks, decryption, applying and
 *   saving). Baseline: a plain provider in B's page syncing A's room document (the same sealed
 *   envelopes, copied into a fresh room of the same relay) from its creation until synced with
 *   every envelope read. bench-sync-relay.ts's `open` and `plainJoin` name the phases.
 *
 * Each round is a new pair of devices and a new vault, Coffer then plain, so a slow moment of
 * the machine hurts both.
 */
export const syncRelayWorkload: Workload = {
  title: 'sync through the relay between two browsers, beside a plain Hocuspocus client',
  async run({ browser, harnessDir, n, repeats }: BenchContext) {
    const server = await startCofferServer({ root: harnessDir, port: 0 });
    const other = await chromium.launch({ executablePath: chromiumPath, args: [...chromiumArgs] });
    const open = async (b: typeof browser): Promise<Page> =>
      openHarness(await (await b.newContext()).newPage(), server.url);
    try {
      const [a, b] = await Promise.all([open(browser), open(other)]);
      const rounds = Math.max(1, Math.min(repeats, 3));
      const ours: number[] = [];
      const plain: number[] = [];
      const phases: Record<string, number>[] = [];
      const plainPhases: Record<string, number>[] = [];
      const online: number[] = [];
      const stored: number[] = [];
      let roomBytes = 0;
      let envelopes = 0;
      let firstUpdateBytes = 0;
      let peers = 0;
      for (let i = 0; i < rounds; i++) {
        const link = await a.evaluate(() => window.harness.benchSyncRelay.host());
        await b.evaluate((o) => window.harness.benchSyncRelay.join(o), { link });
        await a.evaluate(() => window.harness.benchSyncRelay.close());

        const wrote = await a.evaluate((o) => window.harness.benchSyncRelay.write(o), { n });
        const held = await whenStored(server, wrote.room, wrote.roomBytes);
        stored.push(held.at - wrote.writtenAt);
        const finished = await a.evaluate(() => window.harness.benchSyncRelay.finish());
        roomBytes = held.size;
        envelopes = finished.envelopes;

        const joined = await b.evaluate((o) => window.harness.benchSyncRelay.open(o), { n });
        ours.push(joined.total);
        phases.push(joined.phases);
        online.push(joined.relayOnline);
        firstUpdateBytes = joined.firstUpdateBytes;
        peers = Math.max(peers, joined.peers);
        await b.evaluate(() => window.harness.benchSyncRelay.close());

        const seeded = await a.evaluate(() => window.harness.benchSyncRelay.plainSeed());
        await whenStored(server, seeded.room, finished.roomBytes);
        await a.evaluate(() => window.harness.benchSyncRelay.plainLeave());
        const plainJoined = await b.evaluate(
          (o) => window.harness.benchSyncRelay.plainJoin(o),
          seeded,
        );
        plain.push(plainJoined.total);
        plainPhases.push(plainJoined.phases);
        await b.evaluate(() => window.harness.benchSyncRelay.plainLeave());
      }
      if (peers > 0) throw new Error(`B met ${peers} peer(s): the relay was not the only source`);
      return {
        sync_relay_ms: metric(
          median(ours),
          'ms',
          {
            value: median(plain),
            name: 'plain @hocuspocus/provider (same room document, no checks)',
          },
          `N=${n}, ${(roomBytes / 1024).toFixed(0)} KiB stored in the relay room (${envelopes} envelopes), first update from the relay ${(firstUpdateBytes / 1024).toFixed(0)} KiB; median of ${ours.length} opens (p95 ${percentile(ours, 95).toFixed(0)} ms; in order ${ours.map((ms) => ms.toFixed(0)).join(', ')} ms; relay reported in step after ${median(online).toFixed(0)} ms; the relay's room reached its final size ${median(stored).toFixed(0)} ms after A finished writing (polled every 100 ms); phases, median ms: ${phaseMedians(phases)}); plain: median of ${plain.length} (${phaseMedians(plainPhases)})`,
        ),
      };
    } finally {
      await other.close();
      await server.close();
    }
  },
};

/**
 * Waits until the relay holds `room` at about `bytes` (its stored size, a garbage-collected
 * state, can be a little smaller than the device's copy) and the size has stopped changing for
 * a second; returns the stored size and when it was first reached (Date.now()).
 */
async function whenStored(
  server: CofferServer,
  room: string,
  bytes: number,
): Promise<{ size: number; at: number }> {
  const deadline = Date.now() + 120_000;
  let last = -1;
  let since = Date.now();
  for (;;) {
    const size = server.relayStats().roomBytes.get(room) ?? 0;
    if (size !== last) {
      last = size;
      since = Date.now();
    } else if (size >= bytes * 0.5 && Date.now() - since >= 1000) return { size, at: since };
    if (Date.now() > deadline) {
      throw new Error(`the relay holds ${size} bytes of room ${room.slice(0, 20)}…, not ~${bytes}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** `name median` for each phase (bench-sync-relay.ts names them); NaN phases left out. */
function phaseMedians(rounds: readonly Record<string, number>[]): string {
  return Object.keys(rounds[0] ?? {})
    .map((name) => {
      const times = rounds.map((r) => r[name]!).filter((ms) => !Number.isNaN(ms));
      return `${name} ${times.length > 0 ? median(times).toFixed(0) : 'none'}`;
    })
    .join(', ');
}
