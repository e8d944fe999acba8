/**
 * One change per edit: `update` changes an entry's name, kind, flag and value together, in
 * one transaction (one Yjs update, one stored row), and leaving out the value keeps it, so a
 * write-only secret is renamed by code that never reads it. `create` refuses a name in use.
 */
import { describe, expect, it } from 'vitest';
import {
  ConfusableNameError,
  handleOf,
  InvalidEntryError,
  InvalidJsonError,
  NameTakenError,
  type VaultHandle,
} from '../../../src/core/vault';
import { testCoffer, vaultContents } from '../../support/coffer';

async function openWith(setup: (vault: VaultHandle) => Promise<void>) {
  const { coffer } = testCoffer();
  const session = await coffer.createProfile('pw');
  const { id } = await session.createVault('v');
  const vault = handleOf(await session.openVault({ id }));
  await setup(vault);
  const changes: Uint8Array[] = [];
  vault.onLocalChange((change) => changes.push(change.update));
  return { vault, changes };
}

describe('VaultHandle.update', () => {
  it('renames and changes flag and kind in one change, without reading a write-only value', async () => {
    const { vault, changes } = await openWith(async (v) => {
      await v.set('TOKEN', 'sk-live-canary', { kind: 'secret', writeOnly: true });
      await v.set('OTHER', 1);
    });
    const { id } = (await vault.getEntry('TOKEN'))!;
    const summary = await vault.update({ id }, { name: 'STRIPE_TOKEN' });
    expect(changes).toHaveLength(1);
    expect(summary).toMatchObject({ id, name: 'STRIPE_TOKEN', kind: 'secret', writeOnly: true });
    expect(await vault.get('STRIPE_TOKEN')).toBe('sk-live-canary');
    expect(await vault.has('TOKEN')).toBe(false);
    // Name and value together: still one change.
    await vault.update({ id }, { name: 'API_TOKEN', value: 'sk-live-new' });
    expect(changes).toHaveLength(2);
    expect(await vaultContents(vault)).toEqual({ API_TOKEN: 'sk-live-new', OTHER: 1 });
    expect((await vault.getEntry('API_TOKEN'))?.writeOnly).toBe(true);
    await vault.close();
  });

  it('refuses to make a write-only value readable without a new value, changing nothing', async () => {
    const { vault, changes } = await openWith((v) =>
      v.set('TOKEN', 'sk-live-canary', { kind: 'secret', writeOnly: true }),
    );
    for (const attempt of [{ writeOnly: false }, { kind: 'item' as const }]) {
      const error = await vault
        .update('TOKEN', { name: 'RENAMED', ...attempt })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidEntryError);
      expect((error as Error).message).toContain(
        'a new value to make a write-only secret readable',
      );
      expect((error as Error).message).not.toContain('sk-live-canary');
    }
    expect(changes).toHaveLength(0);
    expect(await vault.getEntry('TOKEN')).toMatchObject({ name: 'TOKEN', writeOnly: true });
    // With a new value it may.
    await vault.update('TOKEN', { writeOnly: false, value: 'shown-now' });
    expect(await vault.getEntry('TOKEN')).toMatchObject({ writeOnly: false, value: 'shown-now' });
    await vault.close();
  });

  it('a bad name or value changes nothing: no half-done rename', async () => {
    const { vault, changes } = await openWith(async (v) => {
      await v.set('a', { x: 1 });
      await v.set('b', 2);
      await v.set('KEY_l', 3);
    });
    await expect(vault.update('a', { name: 'b', value: 5 })).rejects.toBeInstanceOf(NameTakenError);
    await expect(vault.update('a', { name: 'KEY_1' })).rejects.toBeInstanceOf(ConfusableNameError);
    await expect(
      vault.update('a', { name: 'c', value: Number.NaN as unknown as number }),
    ).rejects.toBeInstanceOf(InvalidJsonError);
    await expect(vault.update('missing', { value: 1 })).rejects.toThrow(/no entry named "missing"/);
    expect(changes).toHaveLength(0);
    expect(await vaultContents(vault)).toEqual({ a: { x: 1 }, b: 2, KEY_l: 3 });
    await vault.close();
  });

  it('create refuses a name in use and leaves the entry as it was', async () => {
    const { vault } = await openWith((v) => v.set('a', 1));
    await expect(vault.create('a', 2)).rejects.toBeInstanceOf(NameTakenError);
    await vault.create('c', 'x', { kind: 'secret', writeOnly: true });
    expect(await vault.getEntry('c')).toMatchObject({ kind: 'secret', writeOnly: true });
    expect(await vault.get('a')).toBe(1);
    await vault.close();
  });
});
