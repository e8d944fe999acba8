import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { contents, type Replica, replicas } from './support';

/**
 * Three devices edit one vault at random while envelopes travel between them in random order,
 * some twice, some late: once everything has arrived everywhere, every device holds the same
 * entries, values and review marks.
 */
type Op =
  | { type: 'set'; at: number; name: string; value: number | string }
  | { type: 'secret'; at: number; name: string; value: string }
  | { type: 'delete'; at: number; name: string }
  | { type: 'rename'; at: number; name: string; to: string }
  | { type: 'deliver'; from: number; to: number; picks: number[] };

const names = fc.constantFrom('A', 'B', 'API_KEY', 'db.url');
const at = fc.integer({ min: 0, max: 2 });
const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      type: fc.constant('set' as const),
      at,
      name: names,
      value: fc.oneof(fc.integer(), fc.string({ maxLength: 8 })),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      type: fc.constant('secret' as const),
      at,
      name: names,
      value: fc.string({ maxLength: 8 }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ type: fc.constant('delete' as const), at, name: names }) },
  {
    weight: 1,
    arbitrary: fc.record({ type: fc.constant('rename' as const), at, name: names, to: names }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      type: fc.constant('deliver' as const),
      from: at,
      to: at,
      picks: fc.array(fc.nat(), { maxLength: 6 }),
    }),
  },
);

async function apply(devices: Replica[], step: Op): Promise<void> {
  if (step.type === 'deliver') {
    const from = devices[step.from]!;
    const to = devices[step.to]!;
    if (from === to || from.outbox.length === 0) return;
    // Any envelopes, in any order, repeats allowed.
    await to.peer.receive(step.picks.map((pick) => from.outbox[pick % from.outbox.length]!));
    return;
  }
  const vault = devices[step.at]!.vault;
  // Invalid moves (renaming onto a taken name, deleting what is not there) are part of life.
  try {
    if (step.type === 'set') await vault.set(step.name, step.value);
    else if (step.type === 'secret') await vault.set(step.name, step.value, { kind: 'secret' });
    else if (step.type === 'delete') await vault.delete(step.name);
    else await vault.rename(step.name, step.to);
  } catch (error) {
    if (!['NameTakenError', 'EntryNotFoundError'].includes((error as Error).name)) throw error;
  }
}

/** Delivers everything to everyone, in a shuffled order with duplicates, until nothing new is sealed. */
async function settle(devices: Replica[], order: number[]): Promise<void> {
  for (let round = 0; round < 5; round++) {
    const sealed = devices.map((device) => device.outbox.length);
    for (const to of devices) {
      const all = devices.filter((d) => d !== to).flatMap((d) => d.outbox);
      const shuffled = all
        .map((envelope, i) => ({ envelope, key: order[i % Math.max(1, order.length)]! + i * 7 }))
        .sort((a, b) => (a.key % 13) - (b.key % 13) || a.key - b.key)
        .map((item) => item.envelope);
      await to.peer.receive([...shuffled, ...shuffled.slice(0, 3)]);
    }
    if (devices.every((device, i) => device.outbox.length === sealed[i])) return;
  }
}

describe('convergence (property): three replicas, random edits, envelopes in random order with duplicates', () => {
  it('every replica ends with the same contents', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(op, { minLength: 1, maxLength: 24 }),
        fc.array(fc.nat({ max: 1000 }), { minLength: 1, maxLength: 20 }),
        async (ops, order) => {
          const devices = await replicas(3);
          for (const step of ops) await apply(devices, step);
          await settle(devices, order);
          const [a, b, c] = await Promise.all(devices.map((device) => contents(device.vault)));
          expect(b).toEqual(a);
          expect(c).toEqual(a);
          const reviews = devices.map((device) =>
            device.vault
              .reviews()
              .map((review) => review.entryId)
              .sort(),
          );
          expect(reviews[1]).toEqual(reviews[0]);
          expect(reviews[2]).toEqual(reviews[0]);
          await Promise.all(devices.map((device) => device.vault.close()));
        },
      ),
      { numRuns: 30 },
    );
  }, 120_000);
});
