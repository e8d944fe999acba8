import { describe, expect, it } from 'vitest';
import { generateKey } from '../../../src/core/crypto';
import { ProviderLinkError } from '../../../src/core/providers';
import {
  CorruptDataError,
  openProviderRecord,
  readProviderRow,
  readProviderRows,
  sealProviderRecord,
  writeProviderRow,
} from '../../../src/core/storage';
import { memoryDatabase } from '../../support/memory-db';
import { contents, harness, rejection, settings } from '../providers/sync-harness';

const canaries = [
  'hvs.canary-token-do-not-store-in-clear',
  'CANARY_KEY_NAME',
  'canary-value-42',
  'canary/path',
];

function bytesContain(haystack: Uint8Array, needle: string): boolean {
  const text = Buffer.from(haystack).toString('latin1');
  return text.includes(needle) || Buffer.from(haystack).toString('utf8').includes(needle);
}

describe('provider records at rest', () => {
  it('seal and open round trip; only the id is in the clear', async () => {
    const db = memoryDatabase();
    const key = generateKey('profile');
    const value = {
      link: { path: 'canary/path' },
      token: 'hvs.canary-token-do-not-store-in-clear',
    };
    await writeProviderRow(db, sealProviderRecord(key, 'vault-1', value));
    const row = await readProviderRow(db, 'vault-1');
    expect(Object.keys(row!).sort()).toEqual(['id', 'sealed']);
    expect(openProviderRecord(key, row!)).toEqual(value);
    for (const canary of canaries) expect(bytesContain(row!.sealed, canary)).toBe(false);
  });

  it('a record moved to another id, or opened with another key, is CorruptDataError naming it', async () => {
    const key = generateKey('profile');
    const row = sealProviderRecord(key, 'vault-1', { a: 1 });
    const moved = { id: 'vault-2', sealed: row.sealed };
    const error = (() => {
      try {
        openProviderRecord(key, moved);
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(CorruptDataError);
    expect((error as CorruptDataError).record).toEqual({ store: 'providers', id: 'vault-2' });
    expect(() => openProviderRecord(generateKey('profile'), row)).toThrow(CorruptDataError);
    const flipped = row.sealed.slice();
    flipped[flipped.length - 1]! ^= 1;
    expect(() => openProviderRecord(key, { id: 'vault-1', sealed: flipped })).toThrow(
      CorruptDataError,
    );
  });

  it('a dump of the providers table after linking and syncing holds no canary', async () => {
    const h = await harness();
    h.provider.put('canary/path', { CANARY_KEY_NAME: 'canary-value-42' });
    const vault = await h.vault();
    await h.engine.link(vault, 'canary/path');
    await h.engine.saveOverride(vault.id, settings);
    await vault.set('CANARY_KEY_NAME', 'canary-value-43');
    await h.engine.push(vault);
    const rows = await readProviderRows(h.db);
    expect(rows.map((r) => r.id).sort()).toEqual(['defaults', vault.id].sort());
    for (const row of rows) {
      for (const canary of [...canaries, 'canary-value-43']) {
        expect(bytesContain(row.sealed, canary)).toBe(false);
        expect(row.id).not.toContain(canary);
      }
    }
  });

  it('a damaged record concerns only its vault: the others sync, and it is reported', async () => {
    const h = await harness();
    h.provider.put('one', { A: '1' });
    h.provider.put('two', { B: '2' });
    const one = await h.vault();
    const two = await h.vault();
    await h.engine.link(one, 'one');
    await h.engine.link(two, 'two');
    const row = (await readProviderRow(h.db, one.id))!;
    const damaged = row.sealed.slice();
    damaged[30]! ^= 0xff;
    await writeProviderRow(h.db, { id: one.id, sealed: damaged });
    expect(await rejection(h.engine.pull(one))).toBeInstanceOf(CorruptDataError);
    h.provider.put('two', { B: 'new' });
    await h.engine.pull(two);
    expect(await contents(two)).toStrictEqual({ B: 'new' });
    expect(await contents(one)).toStrictEqual({ A: '1' });
    const report = await h.engine.autoSyncOnUnlock();
    expect(report.pulled.map((r) => r.vaultId)).toEqual([two.id]);
    // Pull All still runs, and names the vault whose link it could not read.
    const all = await h.engine.pullAll();
    expect(all.linkedAlready).toEqual(['two']);
    expect(all.damagedLinks).toEqual([one.id]);
  });

  it('a record of the wrong shape is ProviderLinkError naming the field; others unaffected', async () => {
    const h = await harness();
    const vault = await h.vault();
    await h.engine.link(vault, 'svc');
    const link = (await h.engine.linkOf(vault.id))!;
    for (const [field, broken] of [
      ['link.path', { ...link, path: 7 }],
      ['link.enabled', { ...link, enabled: 'yes' }],
      ['link.base', { ...link, base: { A: 1 } }],
      ['link.salt', { ...link, salt: 'short' }],
      ['link.conflicts', { ...link, conflicts: 'A' }],
      ['link.migration.stage', { ...link, migration: { from: 'a', to: 'b', stage: 'halfway' } }],
    ] as const) {
      await writeProviderRow(h.db, sealProviderRecord(h.profileKey, vault.id, { link: broken }));
      const error = await rejection(h.engine.linkOf(vault.id));
      expect(error).toBeInstanceOf(ProviderLinkError);
      expect((error as ProviderLinkError).field).toBe(field);
      expect((error as ProviderLinkError).problem).toBe('invalid-record');
    }
    await writeProviderRow(
      h.db,
      sealProviderRecord(h.profileKey, vault.id, { override: { kind: 'hashicorp', address: 1 } }),
    );
    expect(((await rejection(h.engine.vaultSettings(vault.id))) as ProviderLinkError).field).toBe(
      'override.address',
    );
    expect(await h.engine.defaults()).toEqual(settings);
  });
});

describe('clearing records', () => {
  it('forget removes a damaged record, so the vault can be linked again; nothing else changes', async () => {
    const h = await harness();
    h.provider.put('one', { A: '1' });
    const vault = await h.vault();
    await h.engine.link(vault, 'one');
    const row = (await readProviderRow(h.db, vault.id))!;
    const damaged = row.sealed.slice();
    damaged[40]! ^= 1;
    await writeProviderRow(h.db, { id: vault.id, sealed: damaged });
    expect(await rejection(h.engine.link(vault, 'one'))).toBeInstanceOf(CorruptDataError);
    await h.engine.forget(vault.id);
    expect(await h.engine.linkOf(vault.id)).toBeUndefined();
    expect(await contents(vault)).toStrictEqual({ A: '1' });
    expect(h.provider.peek('one')).toStrictEqual({ A: '1' });
    const again = await h.engine.link(vault, 'one');
    expect(again.state).toBe('linked');
  });

  it('the link of a deleted vault does not stop Pull All from making a vault for its path', async () => {
    const h = await harness();
    h.provider.put('orphan', { A: '1' });
    const vault = await h.vault('orphan');
    await h.engine.link(vault, 'orphan');
    await vault.close();
    await h.session.deleteVault({ id: vault.id });
    const result = await h.engine.pullAll();
    expect(result.created.map((c) => c.path)).toEqual(['orphan']);
    expect(result.linkedAlready).toEqual([]);
  });
});
