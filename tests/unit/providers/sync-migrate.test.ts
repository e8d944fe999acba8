import { describe, expect, it } from 'vitest';
import {
  ProviderError,
  type ProviderLinkError,
  RemoteConflictError,
} from '../../../src/core/providers';
import { MemoryProvider } from '../../support/memory-provider';
import { contents, harness, rejection } from './sync-harness';

const values = { A: '1', B: { nested: [1, 2] } };

async function linkedAt(path = 'old/path', provider?: MemoryProvider) {
  const h = await harness(provider ? { provider } : {});
  h.provider.put(path, values);
  const vault = await h.vault();
  await h.engine.link(vault, path);
  return { ...h, v: vault };
}

/** An engine over the same records whose `n`th save of a link fails (an interruption). */
function failingAtSave(h: Awaited<ReturnType<typeof linkedAt>>, n: number) {
  let saves = 0;
  return h.another({
    profileKey: (doing) => {
      if (doing === 'saving a provider link' && ++saves === n) throw new Error('tab closed');
      return h.profileKey;
    },
  });
}

describe('migrating the remote path', () => {
  it('copies, verifies, switches, then soft-deletes the old secret', async () => {
    const h = await linkedAt();
    const outcome = await h.engine.migrate(h.v, 'new/path');
    expect(outcome).toMatchObject({
      state: 'migrated',
      from: 'old/path',
      to: 'new/path',
      left: 'deleted',
    });
    expect(h.provider.peek('new/path')).toStrictEqual(values);
    expect(h.provider.isDeleted('old/path')).toBe(true);
    const link = await h.engine.linkOf(h.v.id);
    expect(link?.path).toBe('new/path');
    expect(link?.migration).toBeUndefined();
    await h.v.set('A', 'after move');
    await h.engine.push(h.v);
    expect(h.provider.peek('new/path')).toStrictEqual({ ...values, A: 'after move' });
  });

  it('something at the new path: RemoteConflictError, nothing changed anywhere', async () => {
    const h = await linkedAt();
    h.provider.put('taken', { OTHER: 'x' });
    const linkBefore = await h.engine.linkOf(h.v.id);
    const error = await rejection(h.engine.migrate(h.v, 'taken'));
    expect(error).toBeInstanceOf(RemoteConflictError);
    expect(await h.engine.linkOf(h.v.id)).toStrictEqual(linkBefore);
    expect(h.provider.peek('taken')).toStrictEqual({ OTHER: 'x' });
    expect(h.provider.peek('old/path')).toStrictEqual(values);
  });

  it('a mount without soft delete (KV v1) keeps the old secret and says so', async () => {
    const h = await linkedAt('old/path', new MemoryProvider({ softDelete: false }));
    const outcome = await h.engine.migrate(h.v, 'new/path');
    expect(outcome).toMatchObject({ state: 'migrated', left: 'kept' });
    expect(h.provider.peek('old/path')).toStrictEqual(values);
    expect(h.provider.peek('new/path')).toStrictEqual(values);
  });

  it('refuses the same path, and a second migration while one is pending', async () => {
    const h = await linkedAt();
    expect(
      ((await rejection(h.engine.migrate(h.v, 'old/path'))) as ProviderLinkError).problem,
    ).toBe('bad-path');
    await rejection(failingAtSave(h, 3).migrate(h.v, 'new/path'));
    expect(((await rejection(h.engine.migrate(h.v, 'third'))) as ProviderLinkError).problem).toBe(
      'migration-pending',
    );
    expect(((await rejection(h.engine.pull(h.v))) as ProviderLinkError).problem).toBe(
      'migration-pending',
    );
  });

  // Saves: 1 started, 2 fromVersion, 3 copied, 4 verified, 5 switched, 6 cleared.
  for (let n = 1; n <= 6; n++) {
    for (const then of ['resume', 'undo'] as const) {
      it(`interrupted at save ${n}, then ${then}: consistent, nothing lost`, async () => {
        const h = await linkedAt();
        await rejection(failingAtSave(h, n).migrate(h.v, 'new/path'));
        const pending = (await h.engine.linkOf(h.v.id))?.migration;
        if (n === 1) {
          expect(pending).toBeUndefined();
          expect(
            ((await rejection(h.engine.resumeMigration(h.v))) as ProviderLinkError).problem,
          ).toBe('no-migration');
          expect(h.provider.peek('old/path')).toStrictEqual(values);
          expect(h.provider.peek('new/path')).toBeUndefined();
          return;
        }
        expect(pending?.to).toBe('new/path');
        if (then === 'resume') {
          const outcome = await h.engine.resumeMigration(h.v);
          expect(outcome).toMatchObject({ state: 'migrated', left: 'deleted' });
          expect(h.provider.peek('new/path')).toStrictEqual(values);
          expect(h.provider.isDeleted('old/path')).toBe(true);
          expect(await h.engine.linkOf(h.v.id)).toMatchObject({ path: 'new/path' });
        } else {
          const outcome = await h.engine.undoMigration(h.v);
          expect(outcome.state).toBe('undone');
          expect(h.provider.peek('old/path')).toStrictEqual(values);
          expect(h.provider.peek('new/path')).toBeUndefined();
          expect(await h.engine.linkOf(h.v.id)).toMatchObject({ path: 'old/path' });
        }
        expect((await h.engine.linkOf(h.v.id))?.migration).toBeUndefined();
        expect(await contents(h.v)).toStrictEqual(values);
        // The link works afterwards.
        await h.v.set('A', 'still syncing');
        await h.engine.push(h.v);
        const at = (await h.engine.linkOf(h.v.id))!.path;
        expect(h.provider.peek(at)?.A).toBe('still syncing');
      });
    }
  }

  for (const [op, path] of [
    ['read', 'old/path'],
    ['write', 'new/path'],
    ['read', 'new/path'],
    ['delete', 'old/path'],
  ] as const) {
    it(`the provider failing at ${op} ${path}: the stage is kept; resume finishes, undo reverses`, async () => {
      for (const then of ['resume', 'undo'] as const) {
        const h = await linkedAt();
        h.provider.failNext(op, { path });
        expect(await rejection(h.engine.migrate(h.v, 'new/path'))).toBeInstanceOf(ProviderError);
        expect((await h.engine.linkOf(h.v.id))?.migration).toBeDefined();
        expect(h.provider.peek('old/path') ?? h.provider.isDeleted('old/path')).toBeTruthy();
        const outcome =
          then === 'resume'
            ? await h.engine.resumeMigration(h.v)
            : await h.engine.undoMigration(h.v);
        expect(outcome.state).toBe(then === 'resume' ? 'migrated' : 'undone');
        const link = await h.engine.linkOf(h.v.id);
        expect(link?.path).toBe(then === 'resume' ? 'new/path' : 'old/path');
        expect(h.provider.peek(link!.path)).toStrictEqual(values);
      }
    });
  }

  it('a copy written whose answer was lost: resume recognises it, undo removes it', async () => {
    for (const then of ['resume', 'undo'] as const) {
      const h = await linkedAt();
      h.provider.failNext('write', { path: 'new/path', after: true });
      await rejection(h.engine.migrate(h.v, 'new/path'));
      expect(h.provider.peek('new/path')).toStrictEqual(values);
      const outcome =
        then === 'resume' ? await h.engine.resumeMigration(h.v) : await h.engine.undoMigration(h.v);
      expect(outcome).toMatchObject(
        then === 'resume'
          ? { state: 'migrated', left: 'deleted' }
          : { state: 'undone', left: 'deleted' },
      );
      expect(h.provider.peek(then === 'resume' ? 'new/path' : 'old/path')).toStrictEqual(values);
      expect(h.provider.peek(then === 'resume' ? 'old/path' : 'new/path')).toBeUndefined();
    }
  });

  it('the old secret changed after the copy: verify refuses; undo leaves the change in place', async () => {
    const h = await linkedAt();
    await rejection(failingAtSave(h, 4).migrate(h.v, 'new/path')); // stopped before 'verified'
    h.provider.put('old/path', { ...values, A: 'changed meanwhile' });
    const error = await rejection(h.engine.resumeMigration(h.v));
    expect((error as ProviderLinkError).problem).toBe('migration-mismatch');
    await h.engine.undoMigration(h.v);
    expect(h.provider.peek('old/path')).toStrictEqual({ ...values, A: 'changed meanwhile' });
    expect(h.provider.peek('new/path')).toBeUndefined();
  });

  it('undo on a mount without soft delete destroys the copy', async () => {
    const h = await linkedAt('old/path', new MemoryProvider({ softDelete: false }));
    await rejection(failingAtSave(h, 4).migrate(h.v, 'new/path'));
    const outcome = await h.engine.undoMigration(h.v);
    expect(outcome.left).toBe('destroyed');
    expect(h.provider.peek('new/path')).toBeUndefined();
    expect(h.provider.peek('old/path')).toStrictEqual(values);
  });
});
