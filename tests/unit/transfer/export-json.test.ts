import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseJsonImport } from '../../../src/core/transfer';
import { type Exportable, formatJson } from '../../../src/core/transfer/export';
import type { JsonValue } from '../../../src/core/vault';

/** JSON as a vault stores it: no -0 (its canonical text is "0"). */
const jsonValue: fc.Arbitrary<JsonValue> = fc
  .jsonValue({ maxDepth: 3 })
  .map((value) => JSON.parse(JSON.stringify(value)) as JsonValue);
const name = fc.stringMatching(/^[A-Za-z][A-Za-z0-9_.-]{0,15}$/);

describe('JSON export', () => {
  it('reads back through the JSON importer to the same names and exact values (property)', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.tuple(name, jsonValue, fc.boolean()), {
          selector: ([n]) => n,
          maxLength: 10,
        }),
        (rows) => {
          const entries: Exportable[] = rows.map(([n, value, secret]) => ({
            name: n,
            input: secret ? { kind: 'secret', value } : { kind: 'item', value },
          }));
          const parsed = parseJsonImport(formatJson(entries), { kind: 'item' });
          expect(parsed.records.map((record) => [record.name, record.input.value])).toEqual(
            rows.map(([n, value]) => [n, value]),
          );
        },
      ),
      { numRuns: 200 },
    );
  });

  it('writes a connection as an object of its fields, without its write-only ones', () => {
    const text = formatJson([
      {
        name: 'db',
        input: {
          kind: 'connection',
          value: {
            type: 'oauth2-client-credentials',
            fields: {
              client_id: { value: 'app', secret: false },
              client_secret: { value: null, secret: true, writeOnly: true },
              scope: { value: null, secret: false },
            },
          },
        },
      },
    ]);
    expect(JSON.parse(text)).toEqual({ db: { client_id: 'app', scope: null } });
  });

  it('keeps a "__proto__" key inside a value as data', () => {
    const value = JSON.parse('{"__proto__": {"polluted": true}}') as JsonValue;
    const parsed = parseJsonImport(formatJson([{ name: 'x', input: { kind: 'item', value } }]));
    expect(Object.keys(parsed.records[0]!.input.value as object)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
