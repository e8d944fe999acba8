import { describe, expect, it } from 'vitest';
import { replica, send } from './support';

/**
 * A sanity run at 10,000 entries: every operation here is O(1) or O(n log n) per call, so the
 * whole file takes well under a second. A quadratic index (a rebuild per change, a scan per
 * lookup) would make it take minutes and hit the timeout. Timings are in the report, not here.
 */
const count = 10_000;
const nameOf = (index: number) => `KEY_${String(index).padStart(5, '0')}`;

describe(`${count} entries`, () => {
  it('set each, get each by name, list, rename and delete some', () => {
    const { store } = replica();
    for (let index = 0; index < count; index++) {
      store.set(nameOf(index), { kind: 'secret', value: `value-${index}` });
    }
    for (let index = 0; index < count; index++) {
      expect(store.get(nameOf(index))?.value).toBe(`value-${index}`);
    }
    const list = store.list();
    expect(list).toHaveLength(count);
    expect(list[0]?.name).toBe(nameOf(0));
    expect(list[count - 1]?.name).toBe(nameOf(count - 1));
    for (let index = 0; index < 1_000; index++) store.rename(nameOf(index), `RENAMED_${index}`);
    for (let index = 1_000; index < 2_000; index++) store.delete(nameOf(index));
    expect(store.list()).toHaveLength(count - 1_000);
    expect(store.get('RENAMED_999')?.value).toBe('value-999');
  });

  it('a replica follows them arriving as one update, then one change at a time', () => {
    const a = replica({ prefix: 'a-' });
    a.store.setMany(
      Array.from({ length: count }, (_, index) => ({
        name: nameOf(index),
        input: { kind: 'item' as const, value: { index } },
      })),
    );
    const b = replica({ prefix: 'b-' });
    send(a.doc, b.doc);
    expect(b.store.list()).toHaveLength(count);
    expect(b.store.get(nameOf(4_321))?.value).toEqual({ index: 4_321 });
    for (let index = 0; index < 500; index++) {
      a.store.rename(nameOf(index), `MOVED_${index}`);
      send(a.doc, b.doc);
    }
    expect(b.store.has(nameOf(0))).toBe(false);
    expect(b.store.get('MOVED_499')?.value).toEqual({ index: 499 });
  });
});
