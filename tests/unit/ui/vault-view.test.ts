import { describe, expect, it } from 'vitest';
import {
  describeHolder,
  filterEntries,
  kindLabel,
  pageButtons,
  pageWindow,
} from '../../../src/ui/state/vault-view';
import { namesNotFitting, vaultNameProblem } from '../../../src/ui/state/vaults';

const named = (count: number) =>
  Array.from({ length: count }, (_, i) => ({ name: `entry-${String(i + 1).padStart(2, '0')}` }));

describe('filterEntries', () => {
  it('matches any part of the name, ignoring case', () => {
    const entries = [{ name: 'API_KEY' }, { name: 'db-password' }, { name: 'Stripe_api' }];
    expect(filterEntries(entries, 'api').map((e) => e.name)).toEqual(['API_KEY', 'Stripe_api']);
    expect(filterEntries(entries, 'PASS').map((e) => e.name)).toEqual(['db-password']);
    expect(filterEntries(entries, 'nothing')).toEqual([]);
  });

  it('keeps everything (the same array) for an empty or blank query, and modifies nothing', () => {
    const entries = Object.freeze(named(3));
    expect(filterEntries(entries, '')).toBe(entries);
    expect(filterEntries(entries, '   ')).toBe(entries);
    expect(filterEntries(entries, ' 02 ').map((e) => e.name)).toEqual(['entry-02']);
  });

  it('filters 10,000 entries quickly with precomputed lowercase names', () => {
    const entries = Array.from({ length: 10_000 }, (_, i) => ({ name: `Key_${i}` }));
    const lower = entries.map((e) => e.name.toLowerCase());
    const started = performance.now();
    for (let i = 0; i < 20; i++) filterEntries(entries, `key_${i}9`, lower);
    expect(filterEntries(entries, 'KEY_999', lower).map((e) => e.name)).toEqual([
      'Key_999',
      'Key_9990',
      'Key_9991',
      'Key_9992',
      'Key_9993',
      'Key_9994',
      'Key_9995',
      'Key_9996',
      'Key_9997',
      'Key_9998',
      'Key_9999',
    ]);
    // 20 keystrokes over 10,000 names: far below a frame each.
    expect(performance.now() - started).toBeLessThan(200);
  });
});

describe('pageWindow', () => {
  it('slices 35 entries into 4 pages of 10', () => {
    expect(pageWindow(35, 1, 10)).toEqual({ page: 1, pageCount: 4, start: 0, end: 10 });
    expect(pageWindow(35, 4, 10)).toEqual({ page: 4, pageCount: 4, start: 30, end: 35 });
  });

  it('clamps pages out of range and keeps one page for an empty list', () => {
    expect(pageWindow(35, 9, 10).page).toBe(4);
    expect(pageWindow(35, 0, 10).page).toBe(1);
    expect(pageWindow(35, Number.NaN, 10).page).toBe(1);
    expect(pageWindow(0, 3, 10)).toEqual({ page: 1, pageCount: 1, start: 0, end: 0 });
  });

  it('falls back to 10 a page for a nonsense page size', () => {
    expect(pageWindow(35, 1, 0).pageCount).toBe(4);
    expect(pageWindow(35, 1, -5).pageCount).toBe(4);
  });
});

describe('pageButtons', () => {
  it('shows every page when there are few', () => {
    expect(pageButtons(1, 4)).toEqual([1, 2, 3, 4]);
    expect(pageButtons(3, 7)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('shows the ends and the neighbourhood of the current page among many', () => {
    expect(pageButtons(500, 1000)).toEqual([1, 'gap', 499, 500, 501, 'gap', 1000]);
    expect(pageButtons(1, 1000)).toEqual([1, 2, 3, 4, 5, 'gap', 1000]);
    expect(pageButtons(1000, 1000)).toEqual([1, 'gap', 996, 997, 998, 999, 1000]);
  });

  it('never hides a single page behind a gap', () => {
    expect(pageButtons(4, 1000)).toEqual([1, 2, 3, 4, 5, 'gap', 1000]);
    expect(pageButtons(5, 1000)).toEqual([1, 'gap', 4, 5, 6, 'gap', 1000]);
    for (let page = 1; page <= 30; page++) {
      const buttons = pageButtons(page, 30);
      expect(buttons).toContain(page);
      buttons.forEach((button, i) => {
        if (button === 'gap') {
          const before = buttons[i - 1] as number;
          const after = buttons[i + 1] as number;
          expect(after - before).toBeGreaterThan(2);
        }
      });
    }
  });
});

describe('labels', () => {
  it('names each kind', () => {
    expect(kindLabel('item')).toEqual({ label: 'Item' });
    expect(kindLabel('secret')).toEqual({ label: 'Secret' });
    expect(kindLabel('connection')).toEqual({ label: 'Connection' });
  });

  it('says since when another tab has the vault, when it knows', () => {
    const holder = { label: 'Tab opened 10:40', since: 0, heldHere: false };
    expect(describeHolder(holder, () => '10:42')).toBe('Open in another tab since 10:42');
    expect(describeHolder({ label: undefined, since: undefined, heldHere: false })).toBe(
      'Open in another tab',
    );
    expect(describeHolder(undefined)).toBe('Open in another tab');
  });
});

describe('vault names as typed', () => {
  const vaults = (...names: string[]) => names.map((name, i) => ({ id: `id-${i}`, name }));

  it('accepts a fresh name and refuses a duplicate ignoring case', () => {
    expect(vaultNameProblem('payments', vaults('my-vault'))).toBeUndefined();
    expect(vaultNameProblem('  MY-Vault ', vaults('my-vault'))).toBe(
      'A vault named "my-vault" already exists.',
    );
  });

  it('lets a vault keep its own name in another case when renaming, by id', () => {
    const list = vaults('my-vault', 'other');
    expect(vaultNameProblem('My-Vault', list, 'id-0')).toBeUndefined();
    expect(vaultNameProblem('OTHER', list, 'id-0')).toMatch(/already exists/);
    // Two vaults that share a name (one came back from an unreadable record): renaming one
    // to that name is still refused, because the other has it.
    const twins = vaults('prod', 'prod');
    expect(vaultNameProblem('prod', twins, 'id-0')).toMatch(/already exists/);
  });

  it("uses the core's rules and messages", () => {
    expect(vaultNameProblem('', [])).toMatch(/^Not a valid vault name|is empty/);
    expect(vaultNameProblem('a\tb', [])).toMatch(/control characters/);
    expect(vaultNameProblem('v'.repeat(101), [])).toMatch(/the limit is 100/);
    expect(vaultNameProblem('v'.repeat(100), [])).toBeUndefined();
  });

  it('lists entry names that do not fit environment style', () => {
    const entries = ['API_KEY', 'my-item', 'db.url', 'TOKEN_2'].map((name) => ({
      id: name,
      name,
      kind: 'item',
      writeOnly: false,
      createdAt: 0,
      updatedAt: 0,
    })) as never;
    expect(namesNotFitting(entries, 'environment')).toEqual(['db.url', 'my-item']);
    expect(namesNotFitting(entries, 'default')).toEqual([]);
  });
});
