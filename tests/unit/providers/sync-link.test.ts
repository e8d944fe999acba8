import { describe, expect, it } from 'vitest';
import { ProviderError, ProviderLinkError, RemoteConflictError } from '../../../src/core/providers';
import { contents, fill, harness, rejection } from './sync-harness';

describe('linking a vault', () => {
  it('an empty vault takes the remote keys: values exactly as stored, new keys as masked secrets', async () => {
    const h = await harness();
    h.provider.put('team/app', {
      API_KEY: 'sk-1',
      PORT: 5432,
      CONFIG: { a: [1, 'x'] },
      FLAG: null,
    });
    const vault = await h.vault();
    const result = await h.engine.link(vault, 'team/app');
    expect(result.state).toBe('linked');
    expect(await contents(vault)).toStrictEqual({
      API_KEY: 'sk-1',
      PORT: 5432,
      CONFIG: { a: [1, 'x'] },
      FLAG: null,
    });
    for (const entry of await vault.list()) expect(entry.kind).toBe('secret');
    const link = await h.engine.linkOf(vault.id);
    expect(link?.path).toBe('team/app');
    expect(link?.names).toEqual(['API_KEY', 'CONFIG', 'FLAG', 'PORT']);
    expect(link?.enabled).toBe(true);
  });

  it('an empty vault and no remote secret: linked, nothing written', async () => {
    const h = await harness();
    const vault = await h.vault();
    const result = await h.engine.link(vault, '/fresh/');
    expect(result.state).toBe('linked');
    expect((await h.engine.linkOf(vault.id))?.path).toBe('fresh');
    expect((await h.engine.linkOf(vault.id))?.remoteVersion).toBe('absent');
    expect(h.provider.calls.filter((c) => c.op === 'write')).toEqual([]);
  });

  it('an absent remote takes the vault keys (items and secrets; write-only flag stays local)', async () => {
    const h = await harness();
    const vault = await h.vault();
    await fill(vault, { HOST: 'db.internal' });
    await vault.set('PASSWORD', 'pw', { kind: 'secret', writeOnly: true });
    await vault.set('db', { type: 'basic-auth', fields: {} }, { kind: 'connection' });
    const result = await h.engine.link(vault, 'svc');
    expect(result.state).toBe('linked');
    expect(h.provider.peek('svc')).toStrictEqual({ HOST: 'db.internal', PASSWORD: 'pw' });
    if (result.state === 'linked') {
      expect(result.outcome.skipped).toEqual([{ key: 'db', reason: 'connections stay in Coffer' }]);
      expect(result.outcome.pushed).toBe(true);
    }
    expect((await vault.getEntry('PASSWORD'))?.writeOnly).toBe(true);
  });

  it('when the first push fails, nothing is linked, the vault is unchanged and the error passes through', async () => {
    const h = await harness();
    const vault = await h.vault();
    await fill(vault, { A: '1', B: { deep: true } });
    h.provider.failNext('write');
    const error = await rejection(h.engine.link(vault, 'svc'));
    expect(error).toBeInstanceOf(ProviderError);
    expect(await h.engine.linkOf(vault.id)).toBeUndefined();
    expect(await contents(vault)).toStrictEqual({ A: '1', B: { deep: true } });
    expect(h.provider.peek('svc')).toBeUndefined();
  });

  it('both sides with keys: the diff, and nothing linked or written', async () => {
    const h = await harness();
    h.provider.put('svc', { SAME: 1, DIFF: 'remote', ONLY_R: 'r' });
    const vault = await h.vault();
    await fill(vault, { SAME: 1, DIFF: 'local', ONLY_L: 'l' });
    const result = await h.engine.link(vault, 'svc');
    expect(result).toEqual({
      state: 'needs-choice',
      diff: { onlyLocal: ['ONLY_L'], onlyRemote: ['ONLY_R'], same: ['SAME'], different: ['DIFF'] },
    });
    expect(await h.engine.linkOf(vault.id)).toBeUndefined();
    expect(h.provider.peek('svc')).toStrictEqual({ SAME: 1, DIFF: 'remote', ONLY_R: 'r' });
    expect(await contents(vault)).toStrictEqual({ SAME: 1, DIFF: 'local', ONLY_L: 'l' });
  });

  for (const choice of ['keep-local', 'keep-remote'] as const) {
    it(`linkWith ${choice}: the union of keys on both sides, differing keys from the chosen side`, async () => {
      const h = await harness();
      h.provider.put('svc', { SAME: 1, DIFF: 'remote', ONLY_R: 'r' });
      const vault = await h.vault();
      await fill(vault, { SAME: 1, DIFF: 'local', ONLY_L: 'l' });
      const outcome = await h.engine.linkWith(vault, 'svc', choice);
      const expected = {
        SAME: 1,
        DIFF: choice === 'keep-local' ? 'local' : 'remote',
        ONLY_L: 'l',
        ONLY_R: 'r',
      };
      expect(h.provider.peek('svc')).toStrictEqual(expected);
      expect(await contents(vault)).toStrictEqual(expected);
      expect(outcome.added).toEqual(['ONLY_R']);
      expect(outcome.changed).toEqual(choice === 'keep-remote' ? ['DIFF'] : []);
      // Linked: a pull now changes nothing.
      const pull = await h.engine.pull(vault);
      expect([pull.added, pull.changed, pull.removed, pull.conflicts]).toEqual([[], [], [], []]);
    });
  }

  it('linkWith writes with check-and-set: a writer slipping in is merged, not overwritten', async () => {
    const h = await harness();
    h.provider.put('svc', { A: 'remote' });
    const vault = await h.vault();
    await fill(vault, { A: 'local', B: 'local' });
    h.provider.concurrentWrite = (path) => {
      h.provider.put(path, { A: 'remote', C: 'slipped in' });
    };
    await h.engine.linkWith(vault, 'svc', 'keep-local');
    expect(h.provider.peek('svc')).toStrictEqual({ A: 'local', B: 'local', C: 'slipped in' });
    expect(await contents(vault)).toStrictEqual({ A: 'local', B: 'local', C: 'slipped in' });
  });

  it('refuses a second link, an empty path, and a vault without settings', async () => {
    const h = await harness({ defaults: false });
    const vault = await h.vault();
    const none = await rejection(h.engine.link(vault, 'svc'));
    expect(none).toBeInstanceOf(ProviderLinkError);
    expect((none as ProviderLinkError).problem).toBe('no-settings');
    const empty = await rejection(h.engine.link(vault, ' / '));
    expect((empty as ProviderLinkError).problem).toBe('bad-path');
    await h.engine.saveOverride(vault.id, (await import('./sync-harness')).settings);
    await h.engine.link(vault, 'svc');
    const again = await rejection(h.engine.link(vault, 'other'));
    expect((again as ProviderLinkError).problem).toBe('already-linked');
    expect((await h.engine.linkOf(vault.id))?.path).toBe('svc');
  });

  it('three writers in a row beat every attempt: RemoteConflictError, nothing linked, nothing lost', async () => {
    const h = await harness();
    h.provider.put('svc', { A: 'r' });
    const vault = await h.vault();
    await fill(vault, { A: 'l' });
    let n = 0;
    const again = (path: string) => {
      h.provider.put(path, { A: `other-${++n}` });
      if (n < 3) h.provider.concurrentWrite = again;
    };
    h.provider.concurrentWrite = again;
    const error = await rejection(h.engine.linkWith(vault, 'svc', 'keep-local'));
    expect(error).toBeInstanceOf(RemoteConflictError);
    expect(await h.engine.linkOf(vault.id)).toBeUndefined();
    expect(await contents(vault)).toStrictEqual({ A: 'l' });
    expect(h.provider.peek('svc')).toStrictEqual({ A: 'other-3' });
  });

  it('unlink keeps or removes the synced entries (never connections); the remote keeps them', async () => {
    const h = await harness();
    h.provider.put('svc', { A: '1', B: '2' });
    const kept = await h.vault();
    await h.engine.link(kept, 'svc');
    await h.engine.unlink(kept, { keepLocalCopy: true });
    expect(await h.engine.linkOf(kept.id)).toBeUndefined();
    expect(await contents(kept)).toStrictEqual({ A: '1', B: '2' });

    const dropped = await h.vault();
    await h.engine.link(dropped, 'svc');
    await dropped.set('db', { type: 'basic-auth', fields: {} }, { kind: 'connection' });
    await h.engine.unlink(dropped, { keepLocalCopy: false });
    expect(await contents(dropped)).toStrictEqual({});
    expect(await dropped.has('db')).toBe(true);
    expect(h.provider.peek('svc')).toStrictEqual({ A: '1', B: '2' });
  });

  it('a paused link does not sync until enabled again', async () => {
    const h = await harness();
    const vault = await h.vault();
    await h.engine.link(vault, 'svc');
    await h.engine.setOptions(vault.id, { enabled: false, autoSync: false });
    expect(await h.engine.linkOf(vault.id)).toMatchObject({ enabled: false, autoSync: false });
    const error = await rejection(h.engine.pull(vault));
    expect((error as ProviderLinkError).problem).toBe('disabled');
    await h.engine.setOptions(vault.id, { enabled: true });
    await expect(h.engine.pull(vault)).resolves.toMatchObject({ pushed: false });
  });

  it('defaultPath makes a slug of the vault name', async () => {
    const h = await harness();
    expect(h.engine.defaultPath('  Team/App Config! ')).toBe('team/app-config');
    expect(h.engine.defaultPath('prod_DB-1')).toBe('prod_db-1');
    expect(h.engine.defaultPath('Ünïcode name')).toBe('n-code-name');
  });
});
