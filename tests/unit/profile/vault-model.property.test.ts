import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Vault } from '../../../src/core/vault';
import { testCoffer } from '../../support/coffer';

type Op =
  | { type: 'set'; name: string; value: number | string | { n: number } }
  | { type: 'delete'; name: string }
  | { type: 'compact' }
  | { type: 'reopen' };

const names = fc.constantFrom('a', 'b', 'c', 'API_KEY', 'my-item');
const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      type: fc.constant('set' as const),
      name: names,
      value: fc.oneof(fc.integer(), fc.string(), fc.record({ n: fc.integer() })),
    }),
  },
  { weight: 2, arbitrary: fc.record({ type: fc.constant('delete' as const), name: names }) },
  { weight: 1, arbitrary: fc.constant({ type: 'compact' as const }) },
  { weight: 1, arbitrary: fc.constant({ type: 'reopen' as const }) },
);

async function contents(vault: Vault): Promise<Map<string, unknown>> {
  const out = new Map<string, unknown>();
  for (const entry of await vault.list()) out.set(entry.name, await vault.get(entry.name));
  return out;
}

describe('a vault behaves like a Map through writes, compaction and reopening (property)', () => {
  it('random set / delete / compact / reopen sequences', async () => {
    const { coffer } = testCoffer();
    const session = await coffer.createProfile('pw');
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 40 }), async (ops) => {
        const vaultName = `v${run++}`;
        await session.createVault(vaultName);
        const model = new Map<string, unknown>();
        let vault = await session.openVault(vaultName);
        try {
          for (const step of ops) {
            if (step.type === 'set') {
              await vault.set(step.name, step.value);
              model.set(step.name, step.value);
            } else if (step.type === 'delete') {
              expect(await vault.delete(step.name)).toBe(model.delete(step.name));
            } else if (step.type === 'compact') {
              await vault.compact();
            } else {
              await vault.close();
              vault = await session.openVault(vaultName);
            }
          }
          expect(await contents(vault)).toEqual(model);
          await vault.close();
          vault = await session.openVault(vaultName);
          expect(await contents(vault)).toEqual(model);
          expect(vault.damaged).toEqual([]);
        } finally {
          await vault.close();
        }
      }),
      { numRuns: 40 },
    );
  }, 120_000);
});
