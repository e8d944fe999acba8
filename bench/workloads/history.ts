import { testCoffer } from '../../tests/support/coffer';
import { type BenchContext, metric, type Workload } from '../types';

const utf8Bytes = (text: string) => new TextEncoder().encode(text).length;

/**
 * `history_storage_ratio` (issue 17's `storage_ratio` for history; the name `storage_ratio`
 * is already the overwrite workload's in vault-core.ts): a vault at the default retention (50
 * versions per entry, 90 days for deleted entries) after a realistic edit load: E entries
 * (1,000; 40 in a smoke run), each edited 60 times (so every history is full and pruning has
 * run), in batches of 50 entries per saved change, then a tenth of them deleted.
 *
 * Numerator: the bytes the vault occupies at rest after compaction (`vault.storedBytes`: its
 * sealed snapshot plus sealed rows, exactly what IndexedDB holds for it; fake-indexeddb in
 * Node, the same code and envelopes as in the browser).
 * Denominator: what must be kept, counted as the UTF-8 bytes of JSON texts: every live entry
 * as `{ name, kind, value }`, and every retained version (of live and deleted entries) as
 * `{ at, by, name, kind, value }`. Target: at most 2. (The live value is the newest retained
 * version, stored once in the entry's chain, yet counted in both terms: so the ratio can be
 * below 1.)
 */
export const historyWorkload: Workload = {
  title: 'storage of entry history at the default retention (Node)',
  async run({ repeats }: BenchContext) {
    const smoke = repeats === 1;
    const entries = smoke ? 40 : 1_000;
    const edits = 60;
    const batch = 50;
    const { coffer } = testCoffer();
    const session = await coffer.createProfile('bench-passphrase');
    await session.device();
    const { id } = await session.createVault('history-bench');
    const vault = await session.openVault({ id });
    try {
      const names = Array.from({ length: entries }, (_, i) => `service-${i}.config`);
      const contentFor = (i: number, round: number) => ({
        host: `db-${i}.internal.example`,
        port: 5432 + (round % 7),
        user: `svc_${i}`,
        token: `tok_${(i * 7919 + round * 104_729).toString(36).padStart(12, '0')}`,
        round,
      });
      for (let round = 0; round < edits; round++) {
        for (let start = 0; start < entries; start += batch) {
          await vault.setMany(
            names.slice(start, start + batch).map((name, j) => ({
              name,
              value: contentFor(start + j, round),
            })),
          );
        }
      }
      const ids = new Map<string, string>();
      for (const summary of await vault.list()) ids.set(summary.name, summary.id);
      for (const name of names.filter((_, i) => i % 10 === 0)) await vault.delete(name);
      await vault.compact();
      const stored = vault.storedBytes;

      let live = 0;
      for (const summary of await vault.list()) {
        const entry = (await vault.getEntry(summary.name))!;
        live += utf8Bytes(
          JSON.stringify({ name: entry.name, kind: entry.kind, value: entry.value }),
        );
      }
      let versions = 0;
      let versionCount = 0;
      for (const entryId of ids.values()) {
        for (const version of await vault.history(entryId as never)) {
          versionCount += 1;
          versions += utf8Bytes(
            JSON.stringify({
              at: version.at,
              by: version.by,
              name: version.name,
              kind: version.kind,
              value: version.value,
            }),
          );
        }
      }
      const kept = live + versions;
      return {
        history_storage_ratio: metric(
          stored / kept,
          'x',
          undefined,
          `${entries} entries x ${edits} edits (batches of ${batch}), ${entries / 10} deleted; default retention; stored after compaction ${stored} bytes; live JSON ${live} bytes + ${versionCount} retained versions ${versions} bytes = ${kept} bytes; target <= 2`,
        ),
      };
    } finally {
      await vault.close();
      await session.lock();
    }
  },
};
