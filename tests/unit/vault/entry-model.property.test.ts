import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  createEntryStore,
  type EntryInput,
  type EntryStore,
} from '../../../src/core/vault/entry-model';
import {
  EntryNotFoundError,
  InvalidNameError,
  NameTakenError,
} from '../../../src/core/vault/errors';
import { contents, replica } from './support';

const names = fc.constantFrom('a', 'b', 'c', 'API_KEY', 'my-item', 'x.y');

const connectionInput = fc.record({
  kind: fc.constant('connection' as const),
  value: fc.record({
    type: fc.constantFrom('basic-auth', 'bearer', 'api-key-header'),
    fields: fc.dictionary(
      fc.constantFrom('user', 'password', 'token', 'header'),
      fc.record({ value: fc.option(fc.string(), { nil: null }), secret: fc.boolean() }),
      { maxKeys: 4 },
    ),
  }),
});

const input: fc.Arbitrary<EntryInput> = fc.oneof(
  fc.record({ kind: fc.constant('item' as const), value: fc.jsonValue({ maxDepth: 3 }) }),
  fc.record(
    {
      kind: fc.constant('secret' as const),
      value: fc.oneof(fc.string(), fc.jsonValue({ maxDepth: 2 })),
      writeOnly: fc.boolean(),
    },
    { requiredKeys: ['kind', 'value'] },
  ),
  connectionInput,
) as fc.Arbitrary<EntryInput>;

type Op =
  | { type: 'set'; name: string; input: EntryInput; mode: 'upsert' | 'create' | 'update' }
  | { type: 'delete'; name: string }
  | { type: 'rename'; from: string; to: string };

const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      type: fc.constant('set' as const),
      name: names,
      input,
      mode: fc.constantFrom(
        'upsert' as const,
        'upsert' as const,
        'create' as const,
        'update' as const,
      ),
    }),
  },
  { weight: 2, arbitrary: fc.record({ type: fc.constant('delete' as const), name: names }) },
  {
    weight: 2,
    arbitrary: fc.record({ type: fc.constant('rename' as const), from: names, to: names }),
  },
);

interface Modelled {
  kind: EntryInput['kind'];
  value: unknown;
  writeOnly: boolean;
}

/** What a store shows, per name: kind, value, writeOnly. */
function shown(store: EntryStore): Map<string, Modelled> {
  const out = new Map<string, Modelled>();
  for (const { name } of store.list()) {
    const entry = store.get(name)!;
    out.set(name, { kind: entry.kind, value: entry.value, writeOnly: entry.writeOnly });
  }
  return out;
}

/** Runs `fn`, and returns the error if it is one of the expected ones; rethrows others. */
function outcome(fn: () => unknown): string {
  try {
    fn();
    return 'ok';
  } catch (error) {
    if (
      error instanceof NameTakenError ||
      error instanceof EntryNotFoundError ||
      error instanceof InvalidNameError
    ) {
      return error.name;
    }
    throw error;
  }
}

describe('the store behaves like a Map (property)', () => {
  it('random set / delete / rename sequences', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40, size: 'max' }), (ops) => {
        const { store, doc } = replica();
        const model = new Map<string, Modelled>();
        for (const step of ops) {
          if (step.type === 'set') {
            const existing = model.get(step.name);
            const expected =
              existing && step.mode === 'create'
                ? 'NameTakenError'
                : !existing && step.mode === 'update'
                  ? 'EntryNotFoundError'
                  : 'ok';
            expect(outcome(() => store.set(step.name, step.input, { mode: step.mode }))).toBe(
              expected,
            );
            if (expected === 'ok') {
              const writeOnly =
                step.input.kind === 'secret'
                  ? (step.input.writeOnly ??
                    (existing?.kind === 'secret' ? existing.writeOnly : false))
                  : false;
              model.set(step.name, {
                kind: step.input.kind,
                value: JSON.parse(JSON.stringify(step.input.value)),
                writeOnly,
              });
            }
          } else if (step.type === 'delete') {
            expect(store.delete(step.name)).toBe(model.delete(step.name));
          } else {
            const moving = model.get(step.from);
            const expected = !moving
              ? 'EntryNotFoundError'
              : step.from !== step.to && model.has(step.to)
                ? 'NameTakenError'
                : 'ok';
            expect(outcome(() => store.rename(step.from, step.to))).toBe(expected);
            if (expected === 'ok' && moving) {
              model.delete(step.from);
              model.set(step.to, moving);
            }
          }
          expect(shown(store)).toEqual(model);
          expect(store.list().map((e) => e.name)).toEqual([...model.keys()].sort());
        }
        // The index kept up incrementally equals one built from scratch.
        const fresh = createEntryStore(doc, { clock: () => 0, newId: () => 'unusedid' });
        expect(contents(fresh)).toEqual(contents(store));
        expect(store.duplicates()).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });
});

/** A small seeded generator, so fast-check can shrink and replay the delivery order. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffle<T>(items: T[], random: () => number): T[] {
  for (let index = items.length - 1; index > 0; index--) {
    const other = Math.floor(random() * (index + 1));
    [items[index], items[other]] = [items[other]!, items[index]!];
  }
  return items;
}

/** How much the generated runs exercise, so a too-tame generator fails the test. */
const seen = { runs: 0, withDuplicates: 0, updates: 0 };

type ReplicaStep =
  | { type: 'op'; replica: number; op: Op }
  | { type: 'style'; replica: number; style: 'default' | 'environment' }
  | { type: 'tick'; replica: number; ms: number }
  | { type: 'deliver'; to: number; pick: number };

const replicaStep: fc.Arbitrary<ReplicaStep> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ type: fc.constant('op' as const), replica: fc.nat(2), op }) },
  {
    weight: 1,
    arbitrary: fc.record({
      type: fc.constant('style' as const),
      replica: fc.nat(2),
      style: fc.constantFrom('default' as const, 'environment' as const),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ type: fc.constant('tick' as const), replica: fc.nat(2), ms: fc.nat(3) }),
  },
  {
    weight: 4,
    arbitrary: fc.record({ type: fc.constant('deliver' as const), to: fc.nat(2), pick: fc.nat() }),
  },
);

describe('replicas converge (property)', () => {
  it('three replicas, random operations, updates delivered in random order with duplicates', () => {
    fc.assert(
      fc.property(
        fc.array(replicaStep, { minLength: 5, maxLength: 80, size: 'max' }),
        fc.integer(),
        (steps, seed) => {
          const replicas = [0, 1, 2].map((index) =>
            replica({ prefix: `r${index}-`, clientID: 10 + index, time: 1_000 }),
          );
          const times = [1_000, 1_000, 1_000];
          const updates: Uint8Array[] = [];
          for (const { doc } of replicas) {
            doc.on('update', (update: Uint8Array, origin: unknown) => {
              if (origin !== 'remote') updates.push(update);
            });
          }
          const deliver = (to: number, update: Uint8Array) =>
            Y.applyUpdate(replicas[to]!.doc, update, 'remote');

          for (const step of steps) {
            if (step.type === 'deliver') {
              if (updates.length > 0) deliver(step.to, updates[step.pick % updates.length]!);
            } else if (step.type === 'tick') {
              times[step.replica]! += step.ms;
              replicas[step.replica]!.at(times[step.replica]!);
            } else if (step.type === 'style') {
              replicas[step.replica]!.store.nameStyle = step.style;
            } else {
              const { store } = replicas[step.replica]!;
              const o = step.op;
              outcome(() =>
                o.type === 'set'
                  ? store.set(o.name, o.input, { mode: o.mode })
                  : o.type === 'delete'
                    ? store.delete(o.name)
                    : store.rename(o.from, o.to),
              );
            }
          }

          // Every replica gets every update, in a random order, some twice.
          const random = mulberry32(seed);
          for (let to = 0; to < 3; to++) {
            const order = shuffle([...updates], random);
            for (const update of order) deliver(to, update);
            for (const update of order.slice(0, 3)) deliver(to, update);
          }
          seen.runs++;
          seen.updates += updates.length;
          if (replicas[0]!.store.duplicates().length > 0) seen.withDuplicates++;

          const [first, ...rest] = replicas.map(({ store }) => contents(store));
          for (const other of rest) expect(other).toEqual(first);
          const docs = replicas.map(({ doc }) => doc.getMap('entries').toJSON());
          expect(docs[1]).toEqual(docs[0]);
          expect(docs[2]).toEqual(docs[0]);
          // And the incrementally kept index equals one built from the merged document.
          const fresh = createEntryStore(replicas[0]!.doc, {
            clock: () => 0,
            newId: () => 'unusedid',
          });
          expect(contents(fresh)).toEqual(first);
        },
      ),
      { numRuns: 150 },
    );
    expect(seen.updates).toBeGreaterThan(seen.runs * 3);
    expect(seen.withDuplicates).toBeGreaterThan(10);
  });
});
