/**
 * Benchmark scenarios that run inside the page (so nothing crosses the Playwright boundary
 * while a timer runs). `npm run bench` calls them through `window.harness.bench`, in order:
 * `prepare`, `unlock`, `open`, `write`, `storage`. Each measures Coffer beside its baseline in
 * the same page, over the same entries, alternating the two so drift (GC, a busy machine)
 * falls on both sides.
 *
 * The baselines (kdbxweb, y-indexeddb) are imported dynamically: they are only needed here,
 * and the browser tests that share this harness page should not load them.
 */
import type { KdbxCredentials } from 'kdbxweb';
import * as Y from 'yjs';
import { core } from './core';

function must<T>(result: { ok: true; value: T } | { ok: false; error: unknown }): T {
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  return result.value;
}

const passphrase = 'a benchmark passphrase';

// A type alias, not an interface, so it is assignable to Coffer's JsonValue.
type BenchValue = { url: string; user: string; note: string };

/** The entries every side stores: the same names and the same JSON values. */
function benchEntries(n: number): { name: string; value: BenchValue }[] {
  return Array.from({ length: n }, (_, i) => ({
    name: `ENTRY_${String(i).padStart(6, '0')}`,
    value: { url: `https://service-${i}.example`, user: `user${i}`, note: 'x'.repeat(40) },
  }));
}

const state: {
  kdbx?: { lib: typeof import('kdbxweb'); file: ArrayBuffer; credentials: KdbxCredentials };
} = {};

function kdbx() {
  if (!state.kdbx) throw new Error('call harness.bench.prepare() first');
  return state.kdbx;
}

function idbRequest<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

function committed(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.addEventListener('complete', () => resolve());
    tx.addEventListener('error', () => reject(tx.error));
    tx.addEventListener('abort', () => reject(tx.error ?? new Error('transaction aborted')));
  });
}

/**
 * Bytes of the values held by every object store of one database (keys not counted, as
 * Coffer's `storedBytes` counts only its envelopes): byte arrays by length, anything else as
 * its JSON.
 */
async function databaseValueBytes(name: string): Promise<{ bytes: number; rows: number }> {
  const db = await idbRequest(indexedDB.open(name));
  let bytes = 0;
  let rows = 0;
  try {
    for (const store of Array.from(db.objectStoreNames)) {
      const values = await idbRequest(
        db.transaction(store, 'readonly').objectStore(store).getAll(),
      );
      for (const value of values) {
        rows++;
        bytes +=
          value instanceof ArrayBuffer || ArrayBuffer.isView(value)
            ? value.byteLength
            : new TextEncoder().encode(JSON.stringify(value)).length;
      }
    }
  } finally {
    db.close();
  }
  return { bytes, rows };
}

/**
 * Writes through a y-indexeddb persistence and resolves when IndexedDB has committed each one.
 *
 * y-indexeddb's `_storeUpdate` (its listener on the doc's `update` event, which Yjs emits
 * synchronously at the end of `map.set`) opens one readwrite transaction on its `updates` store
 * and adds the update with `addAutoKey`, but hands back neither the transaction nor a promise.
 * Rather than opening a readonly transaction after it (which IndexedDB would schedule after the
 * readwrite one, but which adds a transaction of our own to every sample), we observe the
 * persistence's own connection: `transaction()` is wrapped on that one IDBDatabase object to
 * remember the transaction y-indexeddb just created, and we await its `complete` event, which
 * fires once the write is committed. Nothing else changes: same store, same durability hint
 * (none, so Chromium's default, `relaxed` since Chrome 121, as Coffer's update rows).
 */
function observeCommits(db: IDBDatabase) {
  let last: IDBTransaction | undefined;
  const transaction = db.transaction.bind(db);
  db.transaction = ((...args: Parameters<IDBDatabase['transaction']>) => {
    last = transaction(...args);
    return last;
  }) as IDBDatabase['transaction'];
  return {
    /** Runs `write` (which must make y-indexeddb store one update) and awaits its commit. */
    async write(write: () => void): Promise<IDBTransaction> {
      const before = last;
      write();
      const tx = last;
      if (!tx || tx === before || tx.mode !== 'readwrite') {
        throw new Error('y-indexeddb opened no readwrite transaction for the write');
      }
      await committed(tx);
      return tx;
    },
  };
}

async function openYIndexeddb(name: string, doc: Y.Doc) {
  const { IndexeddbPersistence } = await import('y-indexeddb');
  const persistence = new IndexeddbPersistence(name, doc);
  await persistence.whenSynced;
  return { persistence, commits: observeCommits(persistence.db!) };
}

/**
 * A full garbage collection, where the page may ask for one (`npm run bench` starts Chromium
 * with `--js-flags=--expose-gc`): so neither side's timed run collects the other's garbage.
 */
function collectGarbage() {
  (globalThis as { gc?: () => void }).gc?.();
}

/** Alternates which side goes first, so neither always runs on a warmer (or colder) page. */
async function alternate(i: number, ours: () => Promise<void>, baseline: () => Promise<void>) {
  for (const run of i % 2 === 0 ? [ours, baseline] : [baseline, ours]) await run();
}

export const bench = {
  /**
   * A profile at the default KDF with an n-entry vault, and the same entries in a KDBX4 file
   * for kdbxweb, with AES-KDF at one round: its KDF is not what `open_ms` compares (Coffer's
   * open starts from an unlocked profile), so it is made negligible; Argon2 would need an
   * implementation kdbxweb does not ship.
   */
  async prepare({ n }: { n: number }) {
    const entries = benchEntries(n);
    core.start({});
    must(await core.createProfile(passphrase));
    must(await core.createVault('bench'));
    must(await core.open('bench'));
    const vault = core.vault('bench');
    const batch = 1000;
    for (let start = 0; start < n; start += batch) {
      await vault.setMany(entries.slice(start, start + batch));
    }
    must(await core.close('bench'));

    const lib = await import('kdbxweb');
    const credentials = new lib.Credentials(lib.ProtectedValue.fromString(passphrase));
    const db = lib.Kdbx.create(credentials, 'bench');
    db.setKdf(lib.Consts.KdfId.Aes);
    db.header.kdfParameters!.set('R', lib.VarDictionary.ValueType.UInt64, new lib.Int64(1));
    const group = db.getDefaultGroup();
    for (const { name, value } of entries) {
      const entry = db.createEntry(group);
      entry.fields.set('Title', name);
      // The value as a protected field: kdbxweb decrypts it from the inner stream, as Coffer
      // decrypts every value.
      entry.fields.set('Password', lib.ProtectedValue.fromString(JSON.stringify(value)));
    }
    const file = await db.save();
    state.kdbx = { lib, file, credentials };
    return {
      kdbxBytes: file.byteLength,
      kdbx: `KDBX${db.header.versionMajor}.${db.header.versionMinor}, AES-256 data cipher, ChaCha20 inner stream, gzip, AES-KDF 1 round`,
    };
  },

  /** Unlock at the default KDF parameters. */
  /** Unlock times, and the longest main-thread task seen meanwhile (0: none over 50 ms). */
  async unlock({ repeats }: { repeats: number }) {
    const unlock: number[] = [];
    let longestTask = 0;
    const observer = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) longestTask = Math.max(longestTask, entry.duration);
    });
    observer.observe({ type: 'longtask' });
    for (let i = 0; i < Math.min(repeats, 5); i++) {
      must(await core.lock());
      unlock.push(must(await core.unlock(passphrase)).ms);
    }
    // Long tasks are reported after they end: let the last one arrive.
    await new Promise((resolve) => setTimeout(resolve, 50));
    for (const entry of observer.takeRecords()) longestTask = Math.max(longestTask, entry.duration);
    observer.disconnect();
    return { unlock, longestTask };
  },

  /**
   * From an unlocked profile to every entry decrypted and listed: Coffer's open, list and get
   * of each entry, beside kdbxweb's load of the same entries and a read of every field (each
   * protected one decrypted with `getText()`). One warm-up round of each is discarded.
   */
  async open({ n, repeats }: { n: number; repeats: number }) {
    const { lib, file, credentials } = kdbx();
    const ours: number[] = [];
    const baseline: number[] = [];
    let vaultBytes = 0;
    for (let i = -1; i < repeats; i++) {
      await alternate(
        i,
        async () => {
          collectGarbage();
          const started = performance.now();
          must(await core.open('bench'));
          const handle = core.vault('bench');
          const list = await handle.list();
          for (const entry of list) await handle.get(entry.name);
          const ms = performance.now() - started;
          vaultBytes = handle.storedBytes;
          must(await core.close('bench'));
          if (list.length !== n) throw new Error(`Coffer listed ${list.length} of ${n}`);
          if (i >= 0) ours.push(ms);
        },
        async () => {
          // A fresh copy each time, made before the clock starts: kdbxweb reads the buffer it
          // is given.
          const data = file.slice(0);
          collectGarbage();
          const started = performance.now();
          const db = await lib.Kdbx.load(data, credentials);
          let entries = 0;
          for (const entry of db.getDefaultGroup().allEntries()) {
            entries++;
            for (const value of entry.fields.values()) {
              if (typeof value !== 'string') value.getText();
            }
          }
          const ms = performance.now() - started;
          if (entries !== n) throw new Error(`kdbxweb read ${entries} of ${n}`);
          if (i >= 0) baseline.push(ms);
        },
      );
    }
    return { ours, baseline, vaultBytes };
  },

  /**
   * One durable write on an open n-entry vault: Coffer's `vault.set()` (resolves when its
   * IndexedDB transaction has committed) beside y-indexeddb storing the same change to a
   * Y.Map of the same n entries as JSON strings, awaited to its commit (see observeCommits).
   * Both overwrite the same entry with the same value; the first `warmup` pairs are discarded.
   */
  async write({ n, writes, warmup }: { n: number; writes: number; warmup: number }) {
    const entries = benchEntries(n);
    must(await core.open('bench'));
    const handle = core.vault('bench');
    const doc = new Y.Doc();
    const map = doc.getMap<string>('entries');
    doc.transact(() => {
      for (const { name, value } of entries) map.set(name, JSON.stringify(value));
    });
    const { persistence, commits } = await openYIndexeddb('bench-y-indexeddb-write', doc);
    const ours: number[] = [];
    const baseline: number[] = [];
    let durability = '';
    let compactMs = 0;
    let writeDuringCompactionMs = 0;
    collectGarbage();
    try {
      for (let i = -warmup; i < writes; i++) {
        // Spread over the vault, the same entry and value on both sides.
        const { name, value } = entries[((i + warmup) * 7919) % n]!;
        const next = { ...value, note: `rewritten ${i + warmup}` };
        await alternate(
          i,
          async () => {
            // Halfway, the timed write is made while a compaction (the one every 500 rows) is
            // being sealed and stored: what someone writing fast meets once in 500 writes.
            const compacting = i === Math.floor(writes / 2) ? handle.compact() : undefined;
            const started = performance.now();
            await handle.set(name, next);
            const took = performance.now() - started;
            if (i >= 0) ours.push(took);
            if (compacting) {
              writeDuringCompactionMs = took;
              await compacting;
            }
          },
          async () => {
            const started = performance.now();
            const tx = await commits.write(() => map.set(name, JSON.stringify(next)));
            if (i >= 0) baseline.push(performance.now() - started);
            durability = tx.durability;
          },
        );
      }
      // Coffer compacts its log every 500 rows (a snapshot of the whole vault); how long one
      // takes, for the notes (writes made meanwhile do not wait for it: see above).
      const started = performance.now();
      await handle.compact();
      compactMs = performance.now() - started;
    } finally {
      await persistence.clearData();
      must(await core.close('bench'));
    }
    return { ours, baseline, durability, compactMs, writeDuringCompactionMs };
  },

  /**
   * Bytes at rest after many overwrites of one entry, each write awaited to its commit.
   * Coffer: the vault's stored bytes (snapshot plus rows) after closing and reopening it.
   * y-indexeddb: what its object stores hold after its debounced trim (one state update in
   * place of the rows, once no write has come for `_storeTimeout`) has run, and after closing
   * and reopening the persistence; also what they held right after the last write.
   */
  async storage({ overwrites }: { overwrites: number }) {
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
    const coffered = core.vault('overwrites');
    const stored = coffered.storedBytes;
    // The plaintext Yjs state, to tell the document's size from the envelopes' overhead.
    const stateBytes = coffered.encodeState().length;
    // What the vault keeps besides the live value: each retained version as the user sees it
    // (when, which device, the value), counted as compact JSON.
    const [summary] = (await coffered.list()).filter((entry) => entry.name === 'counter');
    const versions = summary ? await coffered.history(summary.id) : [];
    const retained = versions.reduce(
      (sum, version) =>
        sum +
        new TextEncoder().encode(
          JSON.stringify({ at: version.at, by: version.by, value: version.value }),
        ).length,
      0,
    );
    must(await core.close('overwrites'));
    const live = new TextEncoder().encode(JSON.stringify({ counter: value })).length;

    const name = 'bench-y-indexeddb-overwrites';
    const doc = new Y.Doc();
    const map = doc.getMap<string>('entries');
    const { persistence, commits } = await openYIndexeddb(name, doc);
    for (let i = 0; i < overwrites; i++) {
      const next = { counter: i, note: 'overwritten again and again' };
      await commits.write(() => map.set('counter', JSON.stringify(next)));
    }
    const afterWrites = await databaseValueBytes(name);
    // Give its trim the chance it gets in an app: it is debounced until the writes pause.
    const deadline = performance.now() + persistence._storeTimeout + 5000;
    while (persistence._storeTimeoutId !== null && performance.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    // destroy() closes the connection once its transactions (the trim's too) have finished;
    // the reopened persistence's transactions are ordered after them.
    await persistence.destroy();
    doc.destroy();
    const reopenedDoc = new Y.Doc();
    const reopened = await openYIndexeddb(name, reopenedDoc);
    const reread = reopenedDoc.getMap<string>('entries').get('counter');
    if (reread !== JSON.stringify(value)) throw new Error(`y-indexeddb reread ${reread}`);
    await reopened.persistence.destroy();
    const atRest = await databaseValueBytes(name);
    await reopened.persistence.clearData();
    reopenedDoc.destroy();
    return {
      ours: { stored, live, peakWhileOpen, stateBytes, retained, versions: versions.length },
      baseline: { stored: atRest.bytes, rows: atRest.rows, afterWrites },
    };
  },
};
