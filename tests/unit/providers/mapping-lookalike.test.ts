/**
 * splitRemote's look-alike rule (mapping.ts): a remote key confusable with an entry of the
 * vault, or with a remote key taken before it (keys in sorted order), is carried, not tracked,
 * and the reason names the first name it could be mistaken for, as findConfusable would.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { type LocalSide, splitRemote } from '../../../src/core/providers/sync/mapping';
import { findConfusable, type JsonValue, loadConfusables } from '../../../src/core/vault';

const local = (tracked: Record<string, JsonValue> = {}, connections: string[] = []): LocalSide => ({
  tracked: new Map(Object.entries(tracked)),
  connections: new Set(connections),
  style: 'default',
});

beforeAll(async () => {
  await loadConfusables();
});

describe('splitRemote look-alikes', () => {
  it('carries a key that looks like an earlier remote key, naming it', () => {
    // Sorted: "KEY_1" < "KEY_l"; "1" and "l" share a skeleton.
    const split = splitRemote({ KEY_l: 'b', KEY_1: 'a', OTHER: 'c' }, local());
    expect([...split.tracked.keys()]).toEqual(['KEY_1', 'OTHER']);
    expect(split.carried).toEqual([['KEY_l', 'b']]);
    expect(split.skipped).toEqual([{ key: 'KEY_l', reason: 'looks like the entry "KEY_1"' }]);
  });

  it('carries a key that looks like an entry of the vault, and keeps one the vault has', () => {
    const split = splitRemote({ PR0D: 'x', prod: 'y', API: 'z' }, local({ PROD: 'v', API: 'w' }));
    // "PR0D" meets "PROD" by skeleton, "prod" by letter case; "API" is the vault's own entry.
    expect([...split.tracked.keys()]).toEqual(['API']);
    expect(split.skipped).toEqual([
      { key: 'PR0D', reason: 'looks like the entry "PROD"' },
      { key: 'prod', reason: 'looks like the entry "PROD"' },
    ]);
  });

  it('names the first look-alike in the order findConfusable reads them', () => {
    // "Sec" matches "SEC" only once folded, and "5ec" raw; the vault's order decides.
    const vault = { SEC: 1, Sec0: 2 };
    const names = ['SEC', 'Sec0'];
    for (const key of ['sec', 'SEC0', 'Sec0x']) {
      const split = splitRemote({ [key]: 'v' }, local(vault));
      const expected = findConfusable(key, names);
      expect(split.skipped).toEqual(
        expected === undefined
          ? []
          : [{ key, reason: `looks like the entry ${JSON.stringify(expected)}` }],
      );
    }
  });

  it('keeps apart names that are not confusable, however many', () => {
    const values = Object.fromEntries(
      Array.from({ length: 200 }, (_, i) => [`KEY_${String(i).padStart(3, '0')}`, i]),
    );
    const split = splitRemote(values, local({ ZZZ: 'z' }));
    expect(split.tracked.size).toBe(200);
    expect(split.skipped).toEqual([]);
  });
});
