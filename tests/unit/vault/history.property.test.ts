/**
 * A property of history: for any sequence of writes (set, update, rename, delete and restore,
 * restore of a version, a change of the limit), the last version of every live entry equals
 * the entry as it is, and no history is longer than the vault's limit.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createEntryStore, type EntryInput } from '../../../src/core/vault/entry-model';
import {
  contentOf,
  entryHistory,
  historySettingsOf,
  readDeletedRecord,
  restoreEntryVersion,
} from '../../../src/core/vault/history';

const names = ['a', 'b', 'c'];
const value = fc.oneof(
  fc.integer(),
  fc.string({ maxLength: 8 }),
  fc.constant(-0),
  fc.dictionary(fc.string({ maxLength: 3 }), fc.boolean(), { maxKeys: 3 }),
);
const input = fc.oneof(
  value.map((v): EntryInput => ({ kind: 'item', value: v })),
  fc
    .tuple(value, fc.boolean())
    .map(([v, w]): EntryInput => ({ kind: 'secret', value: v, writeOnly: w })),
  fc.constantFrom('x', 'y').map(
    (v): EntryInput => ({
      kind: 'connection',
      value: { type: 'api-key', fields: { key: { value: v, secret: true } } },
    }),
  ),
);
const op = fc.oneof(
  fc.record({ op: fc.constant('set' as const), name: fc.constantFrom(...names), input }),
  fc.record({
    op: fc.constant('rename' as const),
    name: fc.constantFrom(...names),
    to: fc.constantFrom(...names),
  }),
  fc.record({ op: fc.constant('delete' as const), name: fc.constantFrom(...names) }),
  fc.record({ op: fc.constant('restore' as const), pick: fc.nat() }),
  fc.record({
    op: fc.constant('restoreVersion' as const),
    name: fc.constantFrom(...names),
    pick: fc.nat(),
  }),
  fc.record({ op: fc.constant('limit' as const), n: fc.integer({ min: 1, max: 4 }) }),
);

describe('history property', () => {
  it('the last version of every live entry is the entry as it is', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 30 }), (ops) => {
        const doc = new Y.Doc();
        let t = 0;
        let n = 0;
        const store = createEntryStore(doc, {
          clock: () => ++t,
          newId: () => `id${String(++n).padStart(8, '0')}`,
          author: 'me',
        });
        for (const step of ops) {
          try {
            if (step.op === 'set') store.set(step.name, step.input);
            else if (step.op === 'rename') store.rename(step.name, step.to);
            else if (step.op === 'delete') store.delete(step.name);
            else if (step.op === 'limit') store.setHistorySettings({ versionsPerEntry: step.n });
            else if (step.op === 'restore') {
              const ids = [...doc.getMap('deleted').keys()];
              if (ids.length > 0) store.restoreDeleted(ids[step.pick % ids.length] as never);
            } else {
              const entry = store.get(step.name);
              if (entry) {
                const count = entryHistory(doc, entry.id).length;
                restoreEntryVersion(store, doc, entry.id, step.pick % count);
              }
            }
          } catch (error) {
            // A rename of a missing entry, or onto a taken name or a look-alike, is refused.
            const code = (error as { code?: unknown }).code;
            if (!['name-taken', 'confusable-name', 'entry-not-found'].includes(code as string)) {
              throw error;
            }
          }
        }
        const limit = historySettingsOf(doc).versionsPerEntry;
        for (const summary of store.list()) {
          const entry = store.getById(summary.id)!;
          const versions = entryHistory(doc, entry.id);
          expect(versions.length).toBeLessThanOrEqual(limit);
          const raw = (doc.getMap('history').get(entry.id) as Y.Array<{ entry: never }>).toArray();
          expect(versions.at(-1)!.name).toBe(entry.name);
          // An entry never changed since it was made stores no version: it is its own.
          if (raw.length === 0) {
            expect(versions).toHaveLength(1);
            expect(versions[0]!.kind).toBe(entry.kind);
            continue;
          }
          const last = contentOf(raw.at(-1)!.entry)!;
          expect(last.kind).toBe(entry.kind);
          expect(last.writeOnly).toBe(entry.writeOnly);
          expect(Object.is(JSON.stringify(last.value), JSON.stringify(entry.value))).toBe(true);
          expect(readDeletedRecord(doc, entry.id)).toBeUndefined();
        }
      }),
      { numRuns: 150 },
    );
  });
});
