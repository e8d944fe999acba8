import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  conflictsOf,
  digestOf,
  type KeyState,
  localPlan,
  mergeKeys,
  nextBase,
  remotePlan,
} from '../../../src/core/providers';
import type { JsonValue } from '../../../src/core/vault';
import { contents, harness } from './sync-harness';

const salt = 'AAAAAAAAAAAAAAAAAAAAAA';
type Cell = JsonValue | undefined;

function mergeOne(local: Cell, remote: Cell, base: Cell, conflict = false) {
  const [merged] = mergeKeys({
    local: new Map(local === undefined ? [] : [['K', local]]),
    remote: new Map(remote === undefined ? [] : [['K', remote]]),
    base: base === undefined ? {} : { K: digestOf(salt, base)! },
    salt,
    conflicts: new Set(conflict ? ['K'] : []),
  });
  return merged;
}

describe('the three-way merge, cell by cell (L vault, R remote, B base; _ absent)', () => {
  // [L, R, B, state, what the vault holds after, what the remote holds after a push]
  const table: [Cell, Cell, Cell, KeyState, Cell, Cell][] = [
    ['a', 'a', 'a', 'same', 'a', 'a'],
    ['a', 'a', undefined, 'same', 'a', 'a'], // both added the same value
    ['a', 'a', 'o', 'same', 'a', 'a'], // both changed it the same way
    [undefined, undefined, 'o', 'same', undefined, undefined], // both deleted it
    ['o', 'r', 'o', 'take-remote', 'r', 'r'], // remote changed it
    ['o', undefined, 'o', 'take-remote', undefined, undefined], // remote deleted it
    [undefined, 'r', undefined, 'take-remote', 'r', 'r'], // remote added it
    ['l', 'o', 'o', 'take-local', 'l', 'l'], // vault changed it
    [undefined, 'o', 'o', 'take-local', undefined, undefined], // vault deleted it
    ['l', undefined, undefined, 'take-local', 'l', 'l'], // vault added it
    ['l', 'r', 'o', 'conflict', 'l', 'r'], // both changed it differently
    ['l', undefined, 'o', 'conflict', 'l', undefined], // vault changed, remote deleted
    [undefined, 'r', 'o', 'conflict', undefined, 'r'], // vault deleted, remote changed
    ['l', 'r', undefined, 'conflict', 'l', 'r'], // both added different values
  ];
  for (const [l, r, b, state, vaultAfter, remoteAfter] of table) {
    const show = (c: Cell) => (c === undefined ? '_' : String(c));
    it(`L=${show(l)} R=${show(r)} B=${show(b)} -> ${state}`, () => {
      const merged = mergeOne(l, r, b)!;
      expect(merged.state).toBe(state);
      const plan = localPlan([merged]);
      const local = plan.remove.includes('K')
        ? undefined
        : (plan.set.find((s) => s.name === 'K')?.value ?? l);
      expect(local).toStrictEqual(vaultAfter);
      expect(remotePlan([merged]).K).toStrictEqual(remoteAfter);
    });
  }

  it('a key in conflict stays in conflict until both sides agree', () => {
    expect(mergeOne('mine', 'o', 'o', true)?.state).toBe('conflict');
    expect(mergeOne('o', 'theirs', 'o', true)?.state).toBe('conflict');
    expect(mergeOne('same', 'same', 'o', true)?.state).toBe('same');
  });

  it('object keys in any order are one value', () => {
    expect(
      mergeOne({ a: 1, b: [1, { c: 2, d: 3 }] }, { b: [1, { d: 3, c: 2 }], a: 1 }, 'o')?.state,
    ).toBe('same');
    expect(mergeOne('1', 1, undefined)?.state).toBe('conflict'); // a string is not a number
  });

  it('the base after a step: pulled keys move, unpushed local changes and conflicts keep theirs', () => {
    const merged = mergeKeys({
      local: new Map<string, JsonValue>([
        ['L', 'new'],
        ['C', 'mine'],
        ['R', 'o'],
      ]),
      remote: new Map<string, JsonValue>([
        ['L', 'o'],
        ['C', 'theirs'],
        ['R', 'new'],
      ]),
      base: { L: digestOf(salt, 'o')!, C: digestOf(salt, 'o')!, R: digestOf(salt, 'o')! },
      salt,
      conflicts: new Set(),
    });
    const afterPull = nextBase(
      merged,
      { L: digestOf(salt, 'o')!, C: digestOf(salt, 'o')!, R: digestOf(salt, 'o')! },
      salt,
      false,
    );
    expect(afterPull).toEqual({
      L: digestOf(salt, 'o'),
      C: digestOf(salt, 'o'),
      R: digestOf(salt, 'new'),
    });
    const afterPush = nextBase(merged, afterPull, salt, true);
    expect(afterPush.L).toBe(digestOf(salt, 'new'));
    expect(conflictsOf(merged)).toEqual(['C']);
  });

  it('digests are salted: one value, two salts, two digests', () => {
    expect(digestOf(salt, 'v')).not.toBe(digestOf('BBBBBBBBBBBBBBBBBBBBBQ', 'v'));
    expect(digestOf(salt, { a: 1, b: 2 })).toBe(digestOf(salt, { b: 2, a: 1 }));
    expect(digestOf(salt, undefined)).toBeUndefined();
  });
});

const keyArb = fc.constantFrom('A', 'B', 'C', 'D', 'E', 'F');
const valueArb: fc.Arbitrary<JsonValue> = fc.oneof(
  fc.string({ maxLength: 4 }),
  fc.integer({ min: -3, max: 3 }),
  fc.constant(null),
  fc.record({ n: fc.integer({ min: 0, max: 2 }) }),
);
/** An edit: set a key to a value, or delete it (undefined). */
const editsArb = fc.dictionary(keyArb, fc.option(valueArb, { nil: undefined }), { maxKeys: 6 });

describe('property: random edits on both sides from a common base', () => {
  it('after pull and push both sides converge; a change made on exactly one side is never lost', async () => {
    const h = await harness();
    let round = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(keyArb, valueArb, { maxKeys: 6 }),
        editsArb,
        editsArb,
        async (base, localEdits, remoteEdits) => {
          const path = `prop/${++round}`;
          h.provider.put(path, base);
          const vault = await h.vault();
          try {
            await h.engine.link(vault, path);
            const apply = (
              start: Record<string, JsonValue>,
              edits: Record<string, JsonValue | undefined>,
            ) => {
              const out = { ...start };
              for (const [key, value] of Object.entries(edits)) {
                if (value === undefined) delete out[key];
                else out[key] = value;
              }
              return out;
            };
            const localNow = apply(base, localEdits);
            const remoteNow = apply(base, remoteEdits);
            // Edit the vault and the remote.
            for (const [key, value] of Object.entries(localEdits)) {
              if (value === undefined) await vault.delete(key);
              else await vault.set(key, value);
            }
            h.provider.put(path, remoteNow);
            const pulled = await h.engine.pull(vault);
            const pushed = await h.engine.push(vault);
            const vaultAfter = await contents(vault);
            const remoteAfter = h.provider.peek(path) ?? {};
            const conflicts = new Set(pushed.conflicts);
            expect(pulled.conflicts).toEqual(pushed.conflicts);
            // Converged, except keys in conflict (each side keeps its own there).
            for (const key of new Set([...Object.keys(vaultAfter), ...Object.keys(remoteAfter)])) {
              if (!conflicts.has(key)) expect(vaultAfter[key]).toEqual(remoteAfter[key]);
            }
            const same = (a: JsonValue | undefined, b: JsonValue | undefined) =>
              JSON.stringify(a) === JSON.stringify(b);
            for (const key of ['A', 'B', 'C', 'D', 'E', 'F']) {
              const changedHere = !same(localNow[key], base[key]);
              const changedThere = !same(remoteNow[key], base[key]);
              if (changedHere && !changedThere) expect(vaultAfter[key]).toEqual(localNow[key]);
              if (changedHere && !changedThere) expect(remoteAfter[key]).toEqual(localNow[key]);
              if (changedThere && !changedHere) expect(vaultAfter[key]).toEqual(remoteNow[key]);
              if (changedThere && !changedHere) expect(remoteAfter[key]).toEqual(remoteNow[key]);
              if (changedHere && changedThere && !same(localNow[key], remoteNow[key])) {
                // Both changed differently: a conflict, and each side still holds its own value.
                expect(conflicts.has(key)).toBe(true);
                expect(vaultAfter[key]).toEqual(localNow[key]);
                expect(remoteAfter[key]).toEqual(remoteNow[key]);
              }
            }
          } finally {
            await vault.close();
          }
        },
      ),
      { numRuns: 40 },
    );
  }, 120_000);
});
