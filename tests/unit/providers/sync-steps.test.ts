import { describe, expect, it } from 'vitest';
import type { RecordableAuditEvent } from '../../../src/core/audit';
import {
  AUTO_SAVE_DELAY_MS,
  ProviderError,
  ProviderLinkError,
  RemoteConflictError,
} from '../../../src/core/providers';
import { MAX_JSON_DEPTH } from '../../../src/core/vault';
import { contents, fill, harness, rejection } from './sync-harness';

async function linked(remote: Record<string, unknown> = { A: '1', B: '2' }) {
  const h = await harness();
  h.provider.put('svc', remote as never);
  const vault = await h.vault();
  await h.engine.link(vault, 'svc');
  return { ...h, v: vault };
}

describe('pull', () => {
  it('applies remote changes and deletions, keeps unpushed local changes, records the version', async () => {
    const h = await linked({ A: '1', B: '2', C: '3' });
    await h.v.set('C', 'local change');
    const version = h.provider.put('svc', { A: 'remote change', C: '3', D: 'new' });
    const outcome = await h.engine.pull(h.v);
    expect(outcome).toMatchObject({
      added: ['D'],
      changed: ['A'],
      removed: ['B'],
      pushed: false,
      conflicts: [],
      remoteVersion: version,
    });
    expect(await contents(h.v)).toStrictEqual({ A: 'remote change', C: 'local change', D: 'new' });
    expect(h.provider.peek('svc')).toStrictEqual({ A: 'remote change', C: '3', D: 'new' });
    // The local change is still a local change: the next push sends it.
    const push = await h.engine.push(h.v);
    expect(push.remote).toEqual({ added: [], changed: ['C'], removed: [] });
    expect(h.provider.peek('svc')).toStrictEqual({
      A: 'remote change',
      C: 'local change',
      D: 'new',
    });
  });

  it('a secret deleted at the remote is not a deletion of every key: pull changes nothing, push refuses', async () => {
    const h = await linked();
    await h.provider.delete('svc');
    const outcome = await h.engine.pull(h.v);
    expect(outcome.remoteGone).toBe(true);
    expect(await contents(h.v)).toStrictEqual({ A: '1', B: '2' });
    const error = await rejection(h.engine.push(h.v));
    expect((error as ProviderLinkError).problem).toBe('remote-gone');
    expect(h.provider.peek('svc')).toBeUndefined();
    await h.engine.restoreRemote(h.v);
    expect(h.provider.peek('svc')).toStrictEqual({ A: '1', B: '2' });
  });

  it('push with recreate writes the vault again after the remote secret was destroyed elsewhere', async () => {
    const h = await linked();
    await h.provider.destroy('svc');
    const outcome = await h.engine.push(h.v, { recreate: true });
    expect(outcome.pushed).toBe(true);
    expect(h.provider.peek('svc')).toStrictEqual({ A: '1', B: '2' });
  });
});

describe('push', () => {
  it('writes local changes with the version read; nothing to write means no write', async () => {
    const h = await linked();
    const writes = () => h.provider.calls.filter((c) => c.op === 'write').length;
    const before = writes();
    const idle = await h.engine.push(h.v);
    expect(idle.pushed).toBe(false);
    expect(writes()).toBe(before);
    await h.v.set('A', { now: ['an', 'object'] });
    await h.v.delete('B');
    const outcome = await h.engine.push(h.v);
    expect(outcome.pushed).toBe(true);
    expect(outcome.remote).toEqual({ added: [], changed: ['A'], removed: ['B'] });
    expect(h.provider.peek('svc')).toStrictEqual({ A: { now: ['an', 'object'] } });
  });

  it('a concurrent writer between read and write: CAS refuses, the step merges again, both changes kept', async () => {
    const h = await linked({ A: '1', B: '2' });
    await h.v.set('A', 'mine');
    h.provider.concurrentWrite = (path) => {
      h.provider.put(path, { A: '1', B: 'theirs', C: 'added by them' });
    };
    const outcome = await h.engine.push(h.v);
    expect(outcome.pushed).toBe(true);
    expect(h.provider.peek('svc')).toStrictEqual({ A: 'mine', B: 'theirs', C: 'added by them' });
    expect(await contents(h.v)).toStrictEqual({ A: 'mine', B: 'theirs', C: 'added by them' });
    expect(h.provider.calls.filter((c) => c.op === 'write').length).toBeGreaterThanOrEqual(2);
  });

  it('after three refused writes: RemoteConflictError; the vault and the link are as they were', async () => {
    const h = await linked({ A: '1' });
    await h.v.set('A', 'mine');
    const linkBefore = await h.engine.linkOf(h.v.id);
    let n = 0;
    const again = (path: string) => {
      h.provider.put(path, { A: '1', X: `other-${++n}` });
      if (n < 3) h.provider.concurrentWrite = again;
    };
    h.provider.concurrentWrite = again;
    const error = await rejection(h.engine.push(h.v));
    expect(error).toBeInstanceOf(RemoteConflictError);
    expect(await contents(h.v)).toStrictEqual({ A: 'mine' });
    expect(await h.engine.linkOf(h.v.id)).toStrictEqual(linkBefore);
    // Nothing was lost: the next push merges both.
    await h.engine.push(h.v);
    expect(h.provider.peek('svc')).toStrictEqual({ A: 'mine', X: 'other-3' });
  });
});

describe('conflicts', () => {
  it('a key changed on both sides: each keeps its value, never pushed over, until resolved', async () => {
    const h = await linked({ A: '1', B: '2' });
    await h.v.set('A', 'mine');
    h.provider.put('svc', { A: 'theirs', B: '2' });
    const pull = await h.engine.pull(h.v);
    expect(pull.conflicts).toEqual(['A']);
    expect(await h.v.get('A')).toBe('mine');
    const push = await h.engine.push(h.v);
    expect(push.conflicts).toEqual(['A']);
    expect(h.provider.peek('svc')?.A).toBe('theirs');
    // Nor taken over from the remote by a later pull while the vault still differs...
    expect((await h.engine.pull(h.v)).conflicts).toEqual(['A']);
    expect(await h.v.get('A')).toBe('mine');
    // ...until both sides agree: then nothing is left to choose.
    await h.v.set('A', 'theirs');
    expect((await h.engine.pull(h.v)).conflicts).toEqual([]);
    expect((await h.engine.linkOf(h.v.id))?.conflicts).toEqual([]);
  });

  it("resolve 'mine' writes the vault's value; 'theirs' takes the remote's; others stay in conflict", async () => {
    const h = await linked({ A: '1', B: '2', C: '3' });
    await fill(h.v, { A: 'mine-a', B: 'mine-b', C: 'mine-c' });
    h.provider.put('svc', { A: 'theirs-a', B: 'theirs-b', C: 'theirs-c' });
    expect((await h.engine.pull(h.v)).conflicts).toEqual(['A', 'B', 'C']);
    const outcome = await h.engine.resolve(h.v, { A: 'mine', B: 'theirs' });
    expect(outcome.conflicts).toEqual(['C']);
    expect(h.provider.peek('svc')).toStrictEqual({ A: 'mine-a', B: 'theirs-b', C: 'theirs-c' });
    expect(await contents(h.v)).toStrictEqual({ A: 'mine-a', B: 'theirs-b', C: 'mine-c' });
    const after = await h.engine.pull(h.v);
    expect(after.conflicts).toEqual(['C']);
    expect([after.added, after.changed, after.removed]).toEqual([[], [], []]);
  });

  it('resolve a delete/change conflict either way', async () => {
    const h = await linked({ A: '1', B: '2' });
    await h.v.delete('A');
    await h.v.set('B', 'mine');
    h.provider.put('svc', { A: 'changed' });
    expect((await h.engine.pull(h.v)).conflicts).toEqual(['A', 'B']);
    await h.engine.resolve(h.v, { A: 'mine', B: 'theirs' });
    expect(h.provider.peek('svc')).toStrictEqual({});
    expect(await contents(h.v)).toStrictEqual({});
  });
});

describe('keys Coffer does not track', () => {
  it('are carried through unchanged on every push and reported with the rule', async () => {
    const h = await harness();
    h.provider.put('svc', { GOOD: '1', 'bad name': 'kept', '9LIVES': 'kept too', db: 'remote db' });
    const vault = await h.vault();
    await vault.set('db', { type: 'basic-auth', fields: {} }, { kind: 'connection' });
    const result = await h.engine.link(vault, 'svc');
    expect(result.state).toBe('linked');
    await vault.set('GOOD', 'changed');
    const push = await h.engine.push(vault);
    expect(h.provider.peek('svc')).toStrictEqual({
      GOOD: 'changed',
      'bad name': 'kept',
      '9LIVES': 'kept too',
      db: 'remote db',
    });
    const skipped = Object.fromEntries(push.skipped.map((s) => [s.key, s.reason]));
    expect(Object.keys(skipped).sort()).toEqual(['9LIVES', 'bad name', 'db']);
    expect(skipped.db).toBe('connections stay in Coffer');
    expect(skipped['bad name']).toMatch(/not a valid name/);
    expect((await vault.get('db')) as unknown).toEqual({ type: 'basic-auth', fields: {} });
    expect(await vault.has('bad name')).toBe(false);
  });

  it('a value the vault cannot hold (too deep) for a key it has: neither side loses its value', async () => {
    const h = await linked({ A: '1', B: '2' });
    let deep: unknown = 'bottom';
    for (let i = 0; i <= MAX_JSON_DEPTH + 1; i++) deep = [deep];
    h.provider.put('svc', { A: deep as never, B: '2' });
    const pull = await h.engine.pull(h.v);
    expect(pull.skipped.map((s) => s.key)).toEqual(['A']);
    expect(pull.removed).toEqual([]);
    expect(await contents(h.v)).toStrictEqual({ A: '1', B: '2' });
    await h.v.set('B', 'mine');
    await h.engine.push(h.v);
    expect(h.provider.peek('svc')).toStrictEqual({ A: deep, B: 'mine' });
    // Once the remote holds a value the vault can take again, it syncs as before.
    h.provider.put('svc', { A: 'fixed', B: 'mine' });
    await h.engine.pull(h.v);
    expect(await contents(h.v)).toStrictEqual({ A: 'fixed', B: 'mine' });
  });

  it('in an environment-style vault, lowercase keys are carried, not synced', async () => {
    const h = await harness();
    h.provider.put('svc', { API_KEY: 'k', lower: 'x' });
    const summary = await h.session.createVault('env', { nameStyle: 'environment' });
    const vault = await h.session.openVault({ id: summary.id });
    const result = await h.engine.link(vault, 'svc');
    if (result.state !== 'linked') throw new Error('not linked');
    expect(await contents(vault)).toStrictEqual({ API_KEY: 'k' });
    expect(result.outcome.skipped.map((s) => s.key)).toEqual(['lower']);
    await vault.set('API_KEY', 'k2');
    await h.engine.push(vault);
    expect(h.provider.peek('svc')).toStrictEqual({ API_KEY: 'k2', lower: 'x' });
  });
});

describe('a failure at each step loses nothing already saved', () => {
  for (const step of ['read', 'write'] as const) {
    it(`push failing at ${step}: vault entries and link unchanged; retry succeeds`, async () => {
      const h = await linked({ A: '1', B: '2' });
      await h.v.set('A', 'mine');
      h.provider.put('svc', { A: '1', B: 'theirs' });
      const linkBefore = await h.engine.linkOf(h.v.id);
      h.provider.failNext(step);
      expect(await rejection(h.engine.push(h.v))).toBeInstanceOf(ProviderError);
      expect(await contents(h.v)).toStrictEqual({ A: 'mine', B: '2' });
      expect(await h.engine.linkOf(h.v.id)).toStrictEqual(linkBefore);
      expect(h.provider.peek('svc')).toStrictEqual({ A: '1', B: 'theirs' });
      await h.engine.push(h.v);
      expect(h.provider.peek('svc')).toStrictEqual({ A: 'mine', B: 'theirs' });
      expect(await contents(h.v)).toStrictEqual({ A: 'mine', B: 'theirs' });
    });
  }

  it('push whose write took effect but whose answer was lost: the next step converges', async () => {
    const h = await linked({ A: '1', B: '2' });
    await h.v.set('A', 'mine');
    h.provider.put('svc', { A: '1', B: 'theirs' });
    h.provider.failNext('write', { after: true });
    await rejection(h.engine.push(h.v));
    expect(h.provider.peek('svc')).toStrictEqual({ A: 'mine', B: 'theirs' });
    expect(await contents(h.v)).toStrictEqual({ A: 'mine', B: '2' });
    const outcome = await h.engine.pull(h.v);
    expect(outcome.conflicts).toEqual([]);
    expect(await contents(h.v)).toStrictEqual({ A: 'mine', B: 'theirs' });
  });

  it('the vault refusing the write (a closed vault): link unchanged, remote untouched by pull', async () => {
    const h = await linked({ A: '1' });
    h.provider.put('svc', { A: 'new' });
    const linkBefore = await h.engine.linkOf(h.v.id);
    await h.v.close();
    expect(await rejection(h.engine.pull(h.v))).toBeDefined();
    expect(await h.engine.linkOf(h.v.id)).toStrictEqual(linkBefore);
    const reopened = await h.session.openVault({ id: h.v.id });
    expect(await contents(reopened)).toStrictEqual({ A: '1' });
    await h.engine.pull(reopened);
    expect(await contents(reopened)).toStrictEqual({ A: 'new' });
  });

  it('saving the link failing after the vault changed: the next step settles without conflicts', async () => {
    const h = await linked({ A: '1', C: '3' });
    await h.v.set('C', 'mine');
    h.provider.put('svc', { A: 'new', B: 'added', C: '3' });
    const linkBefore = await h.engine.linkOf(h.v.id);
    const broken = h.another({
      profileKey: (doing) => {
        if (doing === 'saving a provider link') throw new Error('locked meanwhile');
        return h.profileKey;
      },
    });
    expect(await rejection(broken.push(h.v))).toBeInstanceOf(Error);
    // The remote and the vault took the step; the link did not.
    expect(h.provider.peek('svc')).toStrictEqual({ A: 'new', B: 'added', C: 'mine' });
    expect(await contents(h.v)).toStrictEqual({ A: 'new', B: 'added', C: 'mine' });
    expect(await h.engine.linkOf(h.v.id)).toStrictEqual(linkBefore);
    const outcome = await h.engine.pull(h.v);
    expect(outcome.conflicts).toEqual([]);
    expect([outcome.added, outcome.changed, outcome.removed]).toEqual([[], [], []]);
    const push = await h.engine.push(h.v);
    expect(push.pushed).toBe(false);
  });
});

describe('audit events and auto-save', () => {
  it('pull and push hand provider events with counts only, never a value', async () => {
    const h = await linked({ A: 'secret-value-1' });
    const events: RecordableAuditEvent[] = [];
    h.provider.put('svc', { A: 'secret-value-2', B: 'secret-value-3' });
    await h.engine.pull(h.v, { record: (event) => events.push(event) });
    await h.v.set('C', 'secret-value-4');
    await h.engine.push(h.v, { record: (event) => events.push(event) });
    expect(events).toEqual([
      {
        action: 'provider-pull',
        path: 'svc',
        provider: 'hashicorp',
        added: 1,
        changed: 1,
        removed: 0,
        conflicts: 0,
      },
      {
        action: 'provider-pull',
        path: 'svc',
        provider: 'hashicorp',
        added: 0,
        changed: 0,
        removed: 0,
        conflicts: 0,
      },
      {
        action: 'provider-push',
        path: 'svc',
        provider: 'hashicorp',
        added: 1,
        changed: 0,
        removed: 0,
        conflicts: 0,
      },
    ]);
    expect(JSON.stringify(events)).not.toMatch(/secret-value/);
  });

  it('a failing audit hook does not break the sync', async () => {
    const h = await linked({ A: '1' });
    h.provider.put('svc', { A: '2' });
    await expect(
      h.engine.pull(h.v, {
        record: () => {
          throw new Error('audit down');
        },
      }),
    ).resolves.toMatchObject({ changed: ['A'] });
  });

  it('watch pushes after 800 ms of quiet following local changes, only while enabled', async () => {
    const h = await linked({ A: '1' });
    const results: unknown[] = [];
    const stop = h.engine.watch(h.v, (result) => results.push(result));
    await h.v.set('A', 'typed');
    h.time.advance(AUTO_SAVE_DELAY_MS - 1);
    await h.v.set('B', 'typed more');
    h.time.advance(AUTO_SAVE_DELAY_MS - 1);
    expect(h.provider.peek('svc')).toStrictEqual({ A: '1' });
    h.time.advance(1);
    await expect.poll(() => results.length).toBe(1);
    expect(h.provider.peek('svc')).toStrictEqual({ A: 'typed', B: 'typed more' });
    await h.engine.setOptions(h.v.id, { enabled: false });
    await h.v.set('A', 'paused');
    const writes = h.provider.calls.filter((c) => c.op === 'write').length;
    h.time.advance(AUTO_SAVE_DELAY_MS);
    // Queued behind the watcher's check: once this resolves, the check has run (and found it paused).
    await h.engine.setOptions(h.v.id, { autoSync: true });
    expect(h.provider.calls.filter((c) => c.op === 'write').length).toBe(writes);
    expect(h.provider.peek('svc')?.A).toBe('typed');
    expect(results).toHaveLength(1);
    stop();
    await h.engine.setOptions(h.v.id, { enabled: true });
    await h.v.set('A', 'after stop');
    expect(h.time.pending).toBe(0);
  });
});

it('watch does not push for a local change that is not an entry (audit records, name style)', async () => {
  const h = await linked({ A: '1' });
  const results: unknown[] = [];
  const stop = h.engine.watch(h.v, (result) => results.push(result));
  const reads = h.provider.calls.filter((c) => c.op === 'read').length;
  // A document change that touches no entry, like the audit records every opening writes.
  await h.v.setNameStyle('environment');
  await h.v.setNameStyle('default');
  h.time.advance(AUTO_SAVE_DELAY_MS);
  // Then an entry change: its push is queued after any push the first change would have made.
  await h.v.set('B', 'typed');
  h.time.advance(AUTO_SAVE_DELAY_MS);
  await expect.poll(() => h.provider.peek('svc')).toStrictEqual({ A: '1', B: 'typed' });
  await expect.poll(() => results.length).toBe(1);
  expect(h.provider.calls.filter((c) => c.op === 'read').length).toBe(reads + 1);
  stop();
});

describe('the remote secret', () => {
  it('destroy needs the remote path typed back; a wrong name deletes nothing', async () => {
    const h = await linked({ A: '1' });
    const wrong = await rejection(h.engine.destroyRemote(h.v, 'SVC'));
    expect(wrong).toBeInstanceOf(ProviderLinkError);
    expect((wrong as ProviderLinkError).problem).toBe('confirm-mismatch');
    expect(h.provider.peek('svc')).toStrictEqual({ A: '1' });
    await h.engine.destroyRemote(h.v, 'svc');
    expect(h.provider.peek('svc')).toBeUndefined();
    expect(h.provider.isDeleted('svc')).toBe(false);
    expect(await contents(h.v)).toStrictEqual({ A: '1' });
    expect(await h.engine.linkOf(h.v.id)).toMatchObject({
      enabled: false,
      remoteVersion: 'absent',
    });
    // Re-enabled, a push writes the vault again.
    await h.engine.setOptions(h.v.id, { enabled: true });
    await h.engine.push(h.v);
    expect(h.provider.peek('svc')).toStrictEqual({ A: '1' });
  });

  it('deleteRemote is soft (restorable), restoreRemote brings it back', async () => {
    const h = await linked({ A: '1' });
    const deleted = await h.engine.deleteRemote(h.v);
    expect(deleted).toMatchObject({ path: 'svc', restorable: true });
    expect(h.provider.isDeleted('svc')).toBe(true);
    await h.engine.restoreRemote(h.v);
    expect(h.provider.peek('svc')).toStrictEqual({ A: '1' });
  });
});
