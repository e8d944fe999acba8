/**
 * Pull All through the profile's staged vaults (src/core/profile/create-filled-vault.ts): each
 * new vault built in memory, linked there, and stored with its link in a transaction shared with
 * other vaults. What is stored must be what any vault is: it opens in a later unlock with every
 * value exact, its audit log holds the pull, its team is founded by this device when it syncs,
 * and a failed write leaves whole vaults and no half-made one.
 */
import { describe, expect, it } from 'vitest';
import { AuditTrail } from '../../../src/core/audit-trail';
import { generateKey } from '../../../src/core/crypto';
import type { Session } from '../../../src/core/profile';
import { ProviderSync } from '../../../src/core/providers';
import type { VaultProviderRecord } from '../../../src/core/providers/sync/link';
import { PULL_ALL_WRITERS } from '../../../src/core/providers/sync/pull-all';
import { COMMIT_BATCH } from '../../../src/core/providers/sync/pull-all-batch';
import { ProviderRecords } from '../../../src/core/providers/sync/records';
import type { CofferDatabase } from '../../../src/core/storage';
import { VaultSync } from '../../../src/core/sync';
import { activeMemberOf } from '../../../src/core/team';
import { createManualScheduler } from '../../../src/core/time';
import { handleOf, type JsonValue } from '../../../src/core/vault';
import { testCoffer } from '../../support/coffer';
import { memoryDatabase } from '../../support/memory-db';
import { MemoryProvider } from '../../support/memory-provider';
import { memoryNetwork } from '../../support/memory-transport';
import { contents, settings } from './sync-harness';

/** A profile, its engine over `provider`, and the database: a fresh unlock can be made. */
async function setup(provider = new MemoryProvider()) {
  const { coffer, db } = testCoffer();
  const session = await coffer.createProfile('pw');
  const profileKey = generateKey('profile');
  const engineFor = (s: Session) =>
    new ProviderSync({
      db,
      profileKey: () => profileKey,
      vaults: s,
      scheduler: createManualScheduler({ start: 1_000_000 }),
      connect: () => provider,
      checkSettings: (x) => x,
    });
  const engine = engineFor(session);
  await engine.saveDefaults(settings);
  return { coffer, db, session, engine, engineFor, provider };
}

/** What the database holds under a vault id, store by store. */
async function storedFor(db: CofferDatabase, id: string) {
  const { strict } = db;
  return {
    catalog: await strict.vaults.get(id),
    snapshots: await strict.snapshots.where('vault').equals(id).count(),
    updates: await strict.updates
      .where('[vault+seq]')
      .between([id, 0], [id, Number.MAX_SAFE_INTEGER], true, true)
      .count(),
    provider: await strict.providers.get(id),
  };
}

/** The UI's Pull All recorder (ui/state/provider-settings.ts pullAllRecorder), over core only. */
const recorderFor =
  (session: Session) =>
  async (vault: Parameters<typeof handleOf>[0], event: Parameters<AuditTrail['record']>[0]) => {
    const device = await session.device();
    const trail = AuditTrail.of({ vault, device, clock: () => 1_700_000_000_000 });
    await trail.record(event);
    await trail.flush();
  };

const values: Record<string, JsonValue> = {
  TEXT: 'plain text with "quotes", a\nnewline and ünïcödé ✓',
  EMPTY: '',
  NUMBER: 42.5,
  NEGATIVE: -0.001,
  TRUE: true,
  NULL: null,
  LIST: [1, 'two', { three: [3] }, null],
  NESTED: { a: { b: { c: 'deep' } }, n: 0, f: false },
};

describe('Pull All into staged vaults', () => {
  it('stores each vault with its link: one snapshot, no change rows, and a later unlock reads every value exactly', async () => {
    const { coffer, db, session, engineFor, provider } = await setup();
    provider.put('app/one', values);
    provider.put('two', { ONLY: 'x' });
    const result = await engineFor(session).pullAll();
    expect(result.created.map((c) => c.path)).toEqual(['app/one', 'two']);
    for (const { vaultId } of result.created) {
      const stored = await storedFor(db, vaultId);
      expect(stored.catalog).toBeDefined();
      expect(stored.snapshots).toBe(1);
      expect(stored.updates).toBe(0);
      expect(stored.provider).toBeDefined();
    }
    await session.lock();
    const again = await coffer.unlock('pw');
    const engine = engineFor(again);
    const one = result.created.find((c) => c.path === 'app/one')!;
    expect((await again.listVaults()).map((v) => v.name).sort()).toEqual(['app/one', 'two']);
    await again.withVault({ id: one.vaultId }, async (vault) => {
      expect(await contents(vault)).toStrictEqual(values);
      const kinds = (await vault.list()).map((entry) => entry.kind);
      expect(new Set(kinds)).toEqual(new Set(['secret']));
      expect(handleOf(vault).damaged).toEqual([]);
      // The log goes on after the snapshot: a change is stored and read back.
      await vault.set('ADDED', { later: true });
    });
    await again.withVault({ id: one.vaultId }, async (vault) => {
      expect(await contents(vault)).toStrictEqual({ ...values, ADDED: { later: true } });
    });
    const link = await engine.linkOf(one.vaultId);
    expect(link?.path).toBe('app/one');
    expect(link?.names).toEqual(Object.keys(values).sort());
    expect(link?.remoteVersion).toBe((await provider.read('app/one'))?.version);
    // The link syncs: nothing to do now, and a remote change comes in with a pull.
    provider.put('app/one', { ...values, NUMBER: 43 });
    await again.withVault({ id: one.vaultId }, async (vault) => {
      const outcome = await engine.pull(vault);
      expect(outcome.changed).toEqual(['NUMBER']);
      expect(await vault.get('NUMBER')).toBe(43);
    });
  });

  it("writes the first pull into each new vault's audit log, signed by this device, without values", async () => {
    const { session, engine, provider } = await setup();
    provider.put('audited', { SECRET_A: 'canary-value-a', SECRET_B: 'canary-value-b' });
    const result = await engine.pullAll({ record: recorderFor(session) });
    const [created] = result.created;
    const device = await session.device();
    await session.withVault({ id: created!.vaultId }, async (vault) => {
      const trail = AuditTrail.of({ vault, device, clock: () => 1_700_000_000_001 });
      const verification = trail.verify();
      expect(verification.intact).toBe(true);
      expect(verification.records).toHaveLength(1);
      const [record] = verification.records;
      expect(record?.device).toBe(device.id);
      expect(record?.vault).toBe(created!.vaultId);
      expect(record?.event).toMatchObject({
        action: 'provider-pull',
        path: 'audited',
        added: 2,
        changed: 0,
        removed: 0,
      });
      const bytes = handleOf(vault).audit.records()[0]!.bytes;
      expect(Buffer.from(bytes).toString('latin1')).not.toContain('canary-value');
    });
  });

  it('a pulled vault syncs like one createVault made: this device founds its team as owner', async () => {
    const { session, engine, provider } = await setup();
    provider.put('pulled', { K: 'v' });
    const [pulled] = (await engine.pullAll()).created;
    const made = await session.createVault('made');
    const device = await session.device();
    const network = memoryNetwork();
    const founders: { role: string | undefined; devices: number; entries: number }[] = [];
    for (const id of [pulled!.vaultId, made.id]) {
      const vault = handleOf(await session.openVault({ id }));
      const sync = await VaultSync.start({ vault, device, connect: network.connect });
      const state = vault.team.state();
      expect(state).toBeDefined();
      founders.push({
        role: activeMemberOf(state!, device.id)?.role,
        devices: vault.members.devices().length,
        entries: (await vault.list()).length,
      });
      await sync.stop();
      await vault.close();
    }
    expect(founders).toEqual([
      { role: 'owner', devices: 1, entries: 1 },
      { role: 'owner', devices: 1, entries: 0 },
    ]);
  });

  it('memory-only: only the catalog row and the link are stored; the values are in memory', async () => {
    const { db, session, engine, provider } = await setup();
    provider.put('mem', { SECRET: 'canary-memory-only' });
    const [created] = (await engine.pullAll({ memoryOnly: true })).created;
    const stored = await storedFor(db, created!.vaultId);
    expect(stored.catalog).toBeDefined();
    expect(stored.provider).toBeDefined();
    expect(stored.snapshots + stored.updates).toBe(0);
    expect((await session.listVaults())[0]?.memoryOnly).toBe(true);
    await session.withVault({ id: created!.vaultId }, async (vault) => {
      expect(await contents(vault)).toStrictEqual({ SECRET: 'canary-memory-only' });
    });
    // Still nothing at rest after the vault was opened and closed.
    const after = await storedFor(db, created!.vaultId);
    expect(after.snapshots + after.updates).toBe(0);
  });
});

/**
 * Fails the `nth` readwrite transaction on the catalog store from now on (as a full disk
 * fails it: the transaction aborts with QuotaExceededError), once.
 */
function failNthCatalogWrite(db: CofferDatabase, nth: number) {
  const idb = db.strict.backendDB();
  const transaction = idb.transaction.bind(idb) as (...args: unknown[]) => IDBTransaction;
  let seen = 0;
  idb.transaction = ((...args: unknown[]) => {
    const tx = transaction(...args);
    const names = ([] as string[]).concat(args[0] as string | string[]);
    if (args[1] === 'readwrite' && names.includes('vaults') && ++seen === nth) {
      queueMicrotask(() => {
        (tx as { error: DOMException | null }).error = new DOMException(
          'injected QuotaExceededError',
          'QuotaExceededError',
        );
        tx.abort();
      });
    }
    return tx;
  }) as typeof idb.transaction;
  return { seen: () => seen };
}

describe('Pull All when storing fails halfway', () => {
  it('keeps the vaults stored before, stores none of the failed write, and leaves no half-made vault', async () => {
    const provider = new MemoryProvider();
    // Reads that take turns, so the vaults are ready one after another and commit in several groups.
    const read = provider.read.bind(provider);
    provider.read = async (path, signal) => {
      await new Promise((resolve) => setImmediate(resolve));
      return read(path, signal);
    };
    const { db, session, engine } = await setup(provider);
    const existing = await session.createVault('existing');
    await session.withVault({ id: existing.id }, (vault) => vault.set('MINE', 'kept'));
    for (let i = 0; i < 30; i++) provider.put(`s${i}`, { K: i, NAME: `secret-${i}` });
    const fault = failNthCatalogWrite(db, 2);
    const result = await engine.pullAll();
    expect(fault.seen()).toBeGreaterThanOrEqual(2);
    expect(result.created.length + result.skipped.length).toBe(30);
    expect(result.created.length).toBeGreaterThanOrEqual(1);
    expect(result.skipped.length).toBeGreaterThanOrEqual(1);
    for (const skip of result.skipped) {
      expect(skip.reason).toMatch(/storage|full|space/i);
    }
    // Every vault reported made opens whole, with its link.
    for (const { path, vaultId } of result.created) {
      await session.withVault({ id: vaultId }, async (vault) => {
        const i = Number(path.slice(1));
        expect(await contents(vault)).toStrictEqual({ K: i, NAME: `secret-${i}` });
      });
      expect((await engine.linkOf(vaultId))?.path).toBe(path);
    }
    // Nothing else is stored: no catalog row, snapshot, change row or link of any other vault.
    const made = new Set<string>([existing.id, ...result.created.map((c) => c.vaultId)]);
    const ids = async () =>
      new Set<string>([
        ...(await db.strict.vaults.toCollection().primaryKeys()),
        ...(await db.strict.snapshots.toCollection().primaryKeys()),
        ...(await db.strict.updates.toArray()).map((row) => row.vault),
        ...(await db.strict.providers.toCollection().primaryKeys()).filter(
          (id) => id !== 'defaults',
        ),
      ]);
    expect([...(await ids())].sort()).toEqual([...made].sort());
    expect((await session.listVaults()).map((v) => v.name).sort()).toEqual(
      ['existing', ...result.created.map((c) => c.path)].sort(),
    );
    await session.withVault({ id: existing.id }, async (vault) => {
      expect(await contents(vault)).toStrictEqual({ MINE: 'kept' });
    });
    // A second Pull All makes the vaults the failed write did not store.
    const again = await engine.pullAll();
    expect(again.created.map((c) => c.path).sort()).toEqual(
      result.skipped.map((s) => s.path).sort(),
    );
    expect(again.linkedAlready).toHaveLength(result.created.length);
  });

  it('a link that fails while the vault is staged stores nothing of it', async () => {
    const { db, session, engine, provider } = await setup();
    provider.put('good', { A: '1' });
    provider.put('bad', { B: '2' });
    // Staging "bad" fails after its link was made: the vault was built, then refused.
    const stage = session.stageVault.bind(session);
    session.stageVault = (async (name, options, fill) => {
      if (name === 'bad') {
        return stage(name, options, async (vault) => {
          await fill(vault);
          throw new Error('refused while staged');
        });
      }
      return stage(name, options, fill);
    }) as typeof session.stageVault;
    const before = await db.strict.vaults.count();
    const result = await engine.pullAll();
    expect(result.created.map((c) => c.path)).toEqual(['good']);
    expect(result.skipped).toEqual([{ path: 'bad', reason: 'refused while staged' }]);
    expect(await db.strict.vaults.count()).toBe(before + 1);
    expect(await db.strict.snapshots.count()).toBe(1);
    expect((await db.strict.providers.toCollection().primaryKeys()).sort()).toEqual(
      ['defaults', result.created[0]!.vaultId].sort(),
    );
  });
});

describe('Pull All staging and committing', () => {
  it(`stages at most ${PULL_ALL_WRITERS} vaults at once and stores them in groups`, async () => {
    const { session, engine, provider } = await setup();
    let staging = 0;
    let most = 0;
    const stage = session.stageVault.bind(session);
    session.stageVault = (async (name, options, fill) => {
      staging += 1;
      most = Math.max(most, staging);
      try {
        return await stage(name, options, fill);
      } finally {
        staging -= 1;
      }
    }) as typeof session.stageVault;
    const groups: number[] = [];
    const commit = session.commitVaults.bind(session);
    session.commitVaults = async (batch) => {
      groups.push(batch.length);
      // A slow disk: the vaults made meanwhile wait for the next group.
      for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
      return commit(batch);
    };
    for (let i = 0; i < 30; i++) provider.put(`p${String(i).padStart(2, '0')}`, { K: i });
    const result = await engine.pullAll();
    expect(result.created).toHaveLength(30);
    expect(most).toBeLessThanOrEqual(PULL_ALL_WRITERS);
    expect(groups.reduce((a, b) => a + b, 0)).toBe(30);
    expect(groups.length).toBeLessThan(30);
    expect(Math.max(...groups)).toBeLessThanOrEqual(COMMIT_BATCH);
  });

  it('an abort stops Pull All; every vault it stored is whole and linked', async () => {
    const provider = new MemoryProvider();
    const read = provider.read.bind(provider);
    const controller = new AbortController();
    provider.read = async (path, signal) => {
      await new Promise((resolve) => setImmediate(resolve));
      // The user cancels while the eighth secret is read.
      if (path === 'a07') controller.abort();
      return read(path, signal);
    };
    const { db, session, engine } = await setup(provider);
    for (let i = 0; i < 20; i++) provider.put(`a${String(i).padStart(2, '0')}`, { K: i });
    const error = await engine.pullAll({ signal: controller.signal }).catch((e: unknown) => e);
    // Pull All rejects (with the read's or the signal's error), it does not resolve.
    expect(error).toBeInstanceOf(Error);
    // Let writes already started end.
    for (let i = 0; i < 50; i++) await new Promise((resolve) => setImmediate(resolve));
    const vaults = await session.listVaults();
    expect(vaults.length).toBeLessThan(20);
    for (const vault of vaults) {
      const stored = await storedFor(db, vault.id);
      expect(stored.snapshots).toBe(1);
      expect((await engine.linkOf(vault.id))?.path).toBe(vault.name);
      await session.withVault({ id: vault.id }, async (open) => {
        expect(await contents(open)).toStrictEqual({ K: Number(vault.name.slice(1)) });
      });
    }
    // What is left is made by the next Pull All.
    const again = await engine.pullAll();
    expect(again.created.length + again.linkedAlready.length).toBe(20);
  });
});

describe('ProviderRecords for staged vaults', () => {
  it("holds a staged vault's record in memory and reads defaults once while pinned", async () => {
    const db = memoryDatabase();
    const key = generateKey('profile');
    const records = new ProviderRecords(db, () => key);
    const other = new ProviderRecords(db, () => key);
    records.stage('v1');
    expect(await records.vault('v1')).toEqual({});
    const link = { path: 'p' } as unknown as NonNullable<VaultProviderRecord['link']>;
    await records.saveVault('v1', { link });
    expect(await db.strict.providers.count()).toBe(0);
    expect(await records.vault('v1')).toEqual({ link });
    expect(records.unstage('v1')).toEqual({ link });
    expect(await records.vault('v1')).toEqual({});
    expect(records.sealStaged('v1', {})).toBeUndefined();
    expect(records.sealStaged('v1', { link })?.id).toBe('v1');

    await other.saveDefaults({ settings });
    const unpin = records.pinDefaults();
    expect((await records.defaults()).settings).toEqual(settings);
    await other.saveDefaults({});
    // Pinned: the settings the run started with.
    expect((await records.defaults()).settings).toEqual(settings);
    unpin();
    unpin();
    expect((await records.defaults()).settings).toBeUndefined();
  });
});
