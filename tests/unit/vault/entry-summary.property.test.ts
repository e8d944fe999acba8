import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { asEntryId } from '../../../src/core/ids';
import { type EntryMap, readEntry, readSummary } from '../../../src/core/vault/entry-doc';

/**
 * An item's summary is dated without resolving its content (entry-doc.ts, `timesOf`): these
 * properties hold it to what reading the whole entry says, on chains that mix readable
 * versions, versions of other kinds and unreadable ones, in any order.
 */

const id = asEntryId('item0001');
/** A version, and whether it is readable. */
const version: fc.Arbitrary<{
  readable: boolean;
  raw: { at: unknown; entry: { kind?: unknown } };
}> = fc.oneof(
  fc
    .record({
      at: fc.integer({ min: 0, max: 10_000 }),
      by: fc.constant('dev'),
      entry: fc.oneof(
        fc.record({ kind: fc.constant('item'), name: fc.constant('A'), value: fc.constant('1') }),
        fc.record({
          kind: fc.constant('secret'),
          name: fc.constant('A'),
          value: fc.constant('"s"'),
          writeOnly: fc.boolean(),
        }),
      ),
    })
    .map((raw) => ({ readable: true, raw: plain(raw) })),
  // Unreadable: a damaged or newer peer's write, which neither read may date the entry by.
  fc
    .oneof(
      fc.record({ at: fc.constant('soon'), by: fc.constant('dev'), entry: fc.constant({}) }),
      fc.record({ at: fc.integer(), by: fc.constant(7), entry: fc.constant({ kind: 'item' }) }),
    )
    .map((raw) => ({ readable: false, raw: plain(raw) })),
);

/** fast-check's records have no prototype, which Yjs refuses. */
function plain<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

function planted(createdAt: number, versions: readonly { raw: unknown }[]) {
  const doc = new Y.Doc();
  const entry = new Y.Map<unknown>() as EntryMap;
  const chain = new Y.Array<unknown>();
  doc.getMap('entries').set(id, entry);
  doc.getMap('history').set(id, chain);
  entry.set('name', 'A');
  entry.set('kind', 'item');
  entry.set('createdAt', createdAt);
  chain.push(versions.map((v) => v.raw));
  return { entry, chain };
}

describe("an item's summary", () => {
  it('has the times and flags that reading the whole entry gives', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000 }),
        fc.array(version, { maxLength: 6 }),
        (createdAt, versions) => {
          const { entry, chain } = planted(createdAt, versions);
          const summary = readSummary(id, entry, chain, 'A');
          const readable = versions.filter((v) => v.readable).map((v) => v.raw);
          const updatedAt = Math.max(
            createdAt,
            (readable.at(-1)?.at as number | undefined) ?? createdAt,
          );
          expect(summary).toEqual({
            id,
            name: 'A',
            kind: 'item',
            writeOnly: false,
            createdAt,
            updatedAt,
          });
          try {
            const whole = readEntry(id, entry, chain, 'A');
            expect({ createdAt: whole.createdAt, updatedAt: whole.updatedAt }).toEqual({
              createdAt: summary.createdAt,
              updatedAt: summary.updatedAt,
            });
          } catch {
            // No readable item version: the entry cannot be read, yet it is listed.
            expect(
              readable.every(
                (v) => (v as unknown as { entry: { kind: string } }).entry.kind !== 'item',
              ),
            ).toBe(true);
          }
        },
      ),
    );
  });
});
