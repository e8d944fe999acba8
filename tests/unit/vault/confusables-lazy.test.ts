import { describe, expect, it, vi } from 'vitest';
import { ConfusableNameError } from '../../../src/core/vault/errors';
import { replica } from './support';

/**
 * Counts the skeleton keys the entry store computes, to hold it to its promise: opening a vault
 * and updating entries compute none; the first create or rename indexes every name once; later
 * ones cost a few.
 */
const calls = vi.hoisted(() => ({ count: 0 }));
vi.mock('../../../src/core/vault/confusables', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../../src/core/vault/confusables')>();
  return {
    ...actual,
    confusableKeys: (name: string) => {
      calls.count++;
      return actual.confusableKeys(name);
    },
  };
});

const secret = (value: string) => ({ kind: 'secret', value }) as const;
const count = 2_000;
const nameOf = (index: number) => `KEY_${String(index).padStart(5, '0')}`;

describe('the skeleton index of the entry store', () => {
  it('is built lazily, once, and then kept up to date one name at a time', () => {
    const first = replica();
    first.store.setMany(
      Array.from({ length: count }, (_, index) => ({ name: nameOf(index), input: secret('v') })),
    );

    calls.count = 0;
    const opened = replica({ prefix: 'opened-', from: first.doc });
    expect(calls.count).toBe(0); // opening computes no skeleton
    opened.store.set(nameOf(7), secret('updated'));
    opened.store.get(nameOf(7));
    opened.store.list();
    opened.store.delete(nameOf(8));
    expect(calls.count).toBe(0); // nor do updates, reads and deletes

    opened.store.set('NEW_NAME', secret('v'));
    expect(calls.count).toBeGreaterThanOrEqual(count - 1);
    expect(calls.count).toBeLessThan(count + 5); // every name once, plus the new one

    calls.count = 0;
    opened.store.set('OTHER_NAME', secret('v'));
    opened.store.rename('OTHER_NAME', 'THIRD_NAME');
    opened.store.set(nameOf(9), secret('updated'));
    expect(calls.count).toBeLessThan(10);
    expect(() => opened.store.set('NEW_NAME_', secret('v'))).not.toThrow();
    expect(() => opened.store.set('NEW_NAMF', secret('v'))).not.toThrow();
    expect(() => opened.store.set('THlRD_NAME', secret('v'))).toThrow(ConfusableNameError);
  });
});
