import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkImportSize,
  csvColumns,
  guessFormat,
  ImportFormatError,
  ImportRefusedError,
  MAX_IMPORT_BYTES,
  parseBitwarden,
  parseCsv,
  parseDotenv,
  parseJsonImport,
  readImportFile,
} from '../../../src/core/transfer';
import { looksBinary } from '../../../src/core/transfer/import/text-lines';

/** Runs `parse` and lets only ImportFormatError through: anything else fails the property. */
const onlyFormatErrors = (parse: () => unknown) => {
  try {
    parse();
  } catch (error) {
    if (!(error instanceof ImportFormatError)) throw error;
    expect(error.from.line ?? error.from.record).toBeGreaterThan(0);
  }
};

// Strings biased towards what the parsers look at.
const nasty = fc.string({
  unit: fc.oneof(
    fc.constantFrom(
      '"',
      "'",
      '`',
      '=',
      ':',
      '#',
      ',',
      '\\',
      '\n',
      '\r',
      ' ',
      '{',
      '}',
      '[',
      ']',
      'export ',
    ),
    fc.constantFrom('A', 'b', '_', '.', '-', '0', 'é', '😀', '\0', '\u2028'),
    fc.string({ minLength: 1, maxLength: 1 }),
  ),
  maxLength: 200,
});

describe('every parser: any text is read or refused with ImportFormatError, nothing else', () => {
  it('dotenv', () => {
    fc.assert(
      fc.property(nasty, (text) => onlyFormatErrors(() => parseDotenv(text))),
      { numRuns: 500 },
    );
  });
  it('JSON (both nesting modes)', () => {
    fc.assert(
      fc.property(fc.oneof(nasty, fc.json()), (text) => {
        onlyFormatErrors(() => parseJsonImport(text));
        onlyFormatErrors(() => parseJsonImport(text, { nested: 'flatten' }));
      }),
      { numRuns: 500 },
    );
  });
  it('CSV (columns and rows)', () => {
    fc.assert(
      fc.property(nasty, (text) => {
        onlyFormatErrors(() => csvColumns(text));
        onlyFormatErrors(() => parseCsv(text, { name: 0, value: 1, secret: true }));
      }),
      { numRuns: 500 },
    );
  });
  it('Bitwarden (text, and JSON of any shape)', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          nasty,
          fc.json(),
          fc.anything().map((items) => JSON.stringify({ encrypted: false, items }) ?? ''),
        ),
        (text) => onlyFormatErrors(() => parseBitwarden(text)),
      ),
      { numRuns: 500 },
    );
  });
  it('guessFormat never throws', () => {
    fc.assert(
      fc.property(fc.string(), fc.uint8Array(), (name, bytes) => {
        expect(['dotenv', 'json', 'kdbx', 'bitwarden', 'csv']).toContain(guessFormat(name, bytes));
      }),
    );
  });
});

const envName = fc.stringMatching(/^[A-Z][A-Z0-9_]{0,12}$/);
const envValue = fc
  .array(
    fc.constantFrom('a', 'Z', '0', ' ', '#', '=', '"', "'", '`', '\\', '\n', 'é', '😀', '\t', ','),
    {
      maxLength: 30,
    },
  )
  .map((characters) => characters.join(''));

/** A .env line for `value`, in the first quoting that carries it exactly (or none). */
function envLine(name: string, value: string): string | undefined {
  if (!value.includes("'") && !value.endsWith('\\')) return `${name}='${value}'`;
  if (!value.includes('`') && !value.endsWith('\\')) return `${name}=\`${value}\``;
  if (!value.includes('"') && !value.includes('\\'))
    return `${name}="${value.replace(/\n/g, '\\n')}"`;
  return undefined;
}

describe('round trips: a generated file reads back to the same records', () => {
  it('dotenv', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.tuple(envName, envValue), { selector: ([name]) => name, maxLength: 20 }),
        (pairs) => {
          const lines = pairs.map(([name, value]) => envLine(name, value));
          fc.pre(lines.every((line) => line !== undefined));
          const parsed = parseDotenv(`# generated\n${lines.join('\n')}\n`);
          expect(parsed.records.map((r) => [r.name, r.input.value])).toEqual(pairs);
          expect(parsed.warnings).toEqual([]);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('JSON', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (object) => {
        const text = JSON.stringify(object, null, 1);
        const expected = JSON.parse(text) as Record<string, unknown>;
        const parsed = parseJsonImport(text);
        const read = Object.fromEntries(parsed.records.map((r) => [r.name, r.input.value]));
        expect(Object.keys(read).sort()).toEqual(Object.keys(expected).sort());
        for (const key of Object.keys(expected)) expect(read[key]).toEqual(expected[key]);
      }),
      { numRuns: 300 },
    );
  });

  it('CSV', () => {
    const field = fc.string({
      unit: fc.oneof(
        fc.constantFrom('"', ',', '\r\n', '\n', ' '),
        fc.string({ minLength: 1, maxLength: 1 }),
      ),
    });
    const quote = (text: string) => `"${text.replace(/"/g, '""')}"`;
    fc.assert(
      fc.property(fc.array(fc.tuple(field, field)), (rows) => {
        fc.pre(rows.every(([name, value]) => !looksBinary(name + value)));
        const text = [
          'name,value',
          ...rows.map(([name, value]) => `${quote(name)},${quote(value)}`),
        ].join('\r\n');
        const parsed = parseCsv(text, { name: 0, value: 1, secret: true });
        expect(parsed.records.map((r) => [r.name, r.input.value])).toEqual(rows);
      }),
      { numRuns: 300 },
    );
  });
});

describe('nasty files', () => {
  it('a file over 50 MB is refused before it is read', async () => {
    let read = false;
    const huge = {
      size: MAX_IMPORT_BYTES + 1,
      text: () => {
        read = true;
        return Promise.resolve('');
      },
      arrayBuffer: () => {
        read = true;
        return Promise.resolve(new ArrayBuffer(0));
      },
    };
    const error = await readImportFile(huge, 'text').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImportRefusedError);
    expect((error as ImportRefusedError).reason).toBe('too-large');
    expect((error as Error).message).toContain('50 MB');
    await expect(readImportFile(huge, 'bytes')).rejects.toBeInstanceOf(ImportRefusedError);
    expect(read).toBe(false);
    expect(() => checkImportSize(MAX_IMPORT_BYTES)).not.toThrow();
    expect(() => checkImportSize(Number.NaN)).toThrow(ImportRefusedError);
  });

  it('a file just under the limit is read once', async () => {
    let reads = 0;
    const file = new Blob(['A=1\n']);
    const counting = {
      size: file.size,
      text: () => {
        reads++;
        return file.text();
      },
      arrayBuffer: () => file.arrayBuffer(),
    };
    expect(parseDotenv(await readImportFile(counting, 'text')).records).toHaveLength(1);
    expect(reads).toBe(1);
  });

  it('binary junk is refused by every text parser', () => {
    const junk = String.fromCharCode(...Array.from({ length: 512 }, (_, i) => (i * 7919) % 256));
    for (const parse of [
      () => parseDotenv(junk),
      () => parseJsonImport(junk),
      () => parseCsv(junk, { name: 0, value: 1, secret: true }),
      () => parseBitwarden(junk),
    ]) {
      expect(parse).toThrow(ImportFormatError);
    }
  });

  it('deeply nested JSON is refused with its line, not a stack overflow', () => {
    const deep = `{"a": ${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    expect(() => parseJsonImport(deep)).toThrow(ImportFormatError);
  });
});
