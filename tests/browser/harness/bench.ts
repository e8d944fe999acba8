/**
 * Benchmark scenarios that run inside the page (so nothing crosses the Playwright boundary
 * while a timer runs). `npm run bench` calls them through `window.harness.bench`.
 */
import { core } from './core';

function must<T>(result: { ok: true; value: T } | { ok: false; error: unknown }): T {
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  return result.value;
}

const passphrase = 'a benchmark passphrase';

export const bench = {
  /** unlock at the default KDF, open of an n-entry vault, and bytes after many overwrites. */
  async vaultCore({ n, repeats, overwrites }: { n: number; repeats: number; overwrites: number }) {
    core.start({});
    must(await core.createProfile(passphrase));
    must(await core.createVault('bench'));
    must(await core.open('bench'));
    const vault = core.vault('bench');
    const batch = 1000;
    for (let start = 0; start < n; start += batch) {
      const entries = [];
      for (let i = start; i < Math.min(n, start + batch); i++) {
        entries.push({
          name: `ENTRY_${String(i).padStart(6, '0')}`,
          value: { url: `https://service-${i}.example`, user: `user${i}`, note: 'x'.repeat(40) },
        });
      }
      await vault.setMany(entries);
    }
    must(await core.close('bench'));

    const unlock: number[] = [];
    for (let i = 0; i < Math.min(repeats, 5); i++) {
      must(await core.lock());
      unlock.push(must(await core.unlock(passphrase)).ms);
    }
    const open: number[] = [];
    let vaultBytes = 0;
    for (let i = 0; i < repeats; i++) {
      const started = performance.now();
      must(await core.open('bench'));
      const handle = core.vault('bench');
      vaultBytes = handle.storedBytes;
      const list = await handle.list();
      for (const entry of list) await handle.get(entry.name);
      open.push(performance.now() - started);
      if (list.length !== n) throw new Error(`listed ${list.length} of ${n}`);
      must(await core.close('bench'));
    }

    must(await core.createVault('overwrites'));
    must(await core.open('overwrites'));
    const over = core.vault('overwrites');
    let value: { counter: number; note: string } = { counter: 0, note: '' };
    let peakWhileOpen = 0;
    for (let i = 0; i < overwrites; i++) {
      value = { counter: i, note: 'overwritten again and again' };
      await over.set('counter', value);
      peakWhileOpen = Math.max(peakWhileOpen, over.storedBytes);
    }
    must(await core.close('overwrites'));
    // What stays at rest: reopen and read what the log loaded.
    must(await core.open('overwrites'));
    const stored = core.vault('overwrites').storedBytes;
    must(await core.close('overwrites'));
    const live = new TextEncoder().encode(JSON.stringify({ counter: value })).length;
    return { unlock, open, stored, live, vaultBytes, peakWhileOpen };
  },
};
