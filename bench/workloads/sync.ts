import { chromium, type Page } from '@playwright/test';
import { chromiumArgs, chromiumPath } from '../../scripts/chromium';
import { startCofferServer } from '../../src/server/server';
import { openHarness } from '../harness-page';
import { median, percentile } from '../stats';
import { type BenchContext, metric, type Workload } from '../types';

/**
 * Sync between two separate browsers (two Chromium processes) on localhost, through the
 * project's own relay, each beside plain y-webrtc replicating the same Yjs document with no
 * sealing and no checks, over the same transport (framed data channels, one negotiated channel;
 * plain y-webrtc's own channels fail on a multi-megabyte first sync):
 * - `sync_initial_ms`: from a new device starting to join by invitation until all N entries
 *   are listed there (handshake, key transfer with the inviter's envelopes beside it, opening,
 *   checks, decryption, applying and saving), vs plain y-webrtc from joining the
 *   room until the document holds the N entries, each new device a fresh page in a browser
 *   context of its own (nothing compiled or warmed up yet). The notes split both into phases
 *   (bench-sync.ts's `cofferJoin` and `plainJoin` say what each covers);
 * - `sync_edit_ms`: one edit on a connected device until the other has applied it (Coffer:
 *   sealed, signed, sent, checked, applied and saved), vs a plain Yjs map write reaching the
 *   other side.
 */
export const syncWorkload: Workload = {
  title: 'sync between two browsers, beside plain y-webrtc',
  async run({ browser, harnessDir, n, repeats }: BenchContext) {
    const server = await startCofferServer({ root: harnessDir, port: 0 });
    const other = await chromium.launch({ executablePath: chromiumPath, args: [...chromiumArgs] });
    const open = async (b: typeof browser): Promise<Page> =>
      openHarness(await (await b.newContext()).newPage(), server.url);
    try {
      const a = await open(browser);
      const { stateBytes } = await a.evaluate((o) => window.harness.benchSync.coffer(o), { n });
      const joins = Math.max(1, Math.min(repeats, 5));
      const edits = repeats === 1 ? 3 : 20;

      // Alternate Coffer and plain y-webrtc, so a slow moment of the machine hurts both.
      const ours: number[] = [];
      const plain: number[] = [];
      const answered: number[] = [];
      const connected: number[] = [];
      const phases: Record<string, number>[] = [];
      const plainPhases: Record<string, number>[] = [];
      // y-webrtc sends every update it receives back out to its peers, so after each first
      // sync the new device returns the whole document to the other side for a second or
      // two; the next measurement waits for that to end, or it would pay for this one's echo.
      const settle = () => new Promise((resolve) => setTimeout(resolve, 2500));
      const coffer = async (page: Page) => {
        const link = await a.evaluate(() => window.harness.benchSync.invite());
        return page.evaluate((o) => window.harness.benchSync.cofferJoin(o), { link, n });
      };
      const plainJoin = async (page: Page) => {
        const room = await a.evaluate(() => window.harness.benchSync.newRoom());
        await a.evaluate((o) => window.harness.benchSync.plainHost(o), room);
        return page.evaluate((o) => window.harness.benchSync.plainJoin(o), { ...room, n });
      };
      // Each new device is a page of its own, in a browser context of its own (a renderer
      // process of its own): nothing is compiled or warmed up in it yet, as on a device that
      // opens the app to join, for Coffer and plain y-webrtc alike. In one page, the first join
      // paid for the JIT and the next ones did not (Yjs decoding a 3 MB update: 0.5 s cold,
      // 0.2 s warm), and plain y-webrtc, always second, never did.
      const inFreshPage = async <T>(join: (page: Page) => Promise<T>): Promise<T> => {
        const page = await open(other);
        try {
          return await join(page);
        } finally {
          await page.context().close();
        }
      };
      for (let i = 0; i < joins; i++) {
        await settle();
        const joined = await inFreshPage(coffer);
        ours.push(joined.total);
        phases.push(joined.phases);
        answered.push(joined.answered);
        connected.push(joined.connected);
        await settle();
        const plainJoined = await inFreshPage(plainJoin);
        plain.push(plainJoined.total);
        plainPhases.push(plainJoined.phases);
      }

      // The edits: one more new device, in Coffer's room and plain y-webrtc's at once (untimed).
      await settle();
      const b = await open(other);
      await coffer(b);
      await settle();
      await plainJoin(b);
      await settle();
      const ourEdits: number[] = [];
      const plainEdits: number[] = [];
      for (let i = 0; i < edits; i++) {
        const edit = { name: `edit_${i}`, value: `value ${i} ${Date.now()}` };
        await b.evaluate((o) => window.harness.benchSync.watchCoffer(o), edit);
        const wroteAt = await a.evaluate((o) => window.harness.benchSync.writeCoffer(o), edit);
        ourEdits.push((await b.evaluate(() => window.harness.benchSync.seen()))! - wroteAt);
        await b.evaluate((o) => window.harness.benchSync.watchPlain(o), edit);
        const plainAt = await a.evaluate((o) => window.harness.benchSync.writePlain(o), edit);
        plainEdits.push((await b.evaluate(() => window.harness.benchSync.seen()))! - plainAt);
      }
      await Promise.all(
        [a, b].map((page) => page.evaluate(() => window.harness.benchSync.leavePlain())),
      );
      return {
        sync_initial_ms: metric(
          median(ours),
          'ms',
          { value: median(plain), name: 'plain y-webrtc (same Yjs document, no sealing)' },
          `N=${n}, ${(stateBytes / 1024).toFixed(0)} KiB of Yjs state; median of ${ours.length} new devices (p95 ${percentile(ours, 95).toFixed(0)} ms; invitation answered after ${median(answered).toFixed(0)} ms, first peer reported in the vault's room after ${msOrLater(median(connected))}; each join in order: ${ours.map((ms, i) => `${ms.toFixed(0)} (peer at ${msOrLater(connected[i]!)})`).join(', ')} ms; phases, median ms: ${phaseMedians(phases)}); plain: median of ${plain.length} (${phaseMedians(plainPhases)})`,
        ),
        sync_edit_ms: metric(
          median(ourEdits),
          'ms',
          { value: median(plainEdits), name: 'plain y-webrtc (a Yjs map write)' },
          `median of ${ourEdits.length} edits, p95 ${percentile(ourEdits, 95).toFixed(1)} ms; plain p95 ${percentile(plainEdits, 95).toFixed(1)} ms; in order: ${ourEdits.map((ms) => ms.toFixed(0)).join(', ')} ms`,
        ),
      };
    } finally {
      await other.close();
      await server.close();
    }
  },
};

/** `name median` for each phase of the joins (bench-sync.ts's `cofferJoin` names them). */
function phaseMedians(joins: readonly Record<string, number>[]): string {
  const names = Object.keys(joins[0] ?? {});
  return names
    .map((name) => {
      // A phase that did not happen in a join (NaN: no room step, say) is left out of its median.
      const times = joins.map((j) => j[name]!).filter((ms) => !Number.isNaN(ms));
      return `${name} ${times.length > 0 ? median(times).toFixed(0) : 'none'}`;
    })
    .join(', ');
}

/** A time in ms, or what NaN means here: the entries were listed before the room had a peer. */
function msOrLater(ms: number): string {
  return Number.isNaN(ms) ? 'none before the entries were listed' : `${ms.toFixed(0)} ms`;
}
