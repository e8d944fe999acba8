import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDotenv } from '../../../src/core/transfer';
import {
  ENV_NAME_PATTERN,
  type Exportable,
  formatDotenv,
  quoteDotenv,
} from '../../../src/core/transfer/export';

/**
 * dotenv v16's reading of a file, as its documentation and source describe it, written out
 * here as an independent check of the quoting: a line is `NAME=value` (or `NAME: value`, after
 * an optional `export `), the value single-, double- or backtick-quoted (quotes may span lines),
 * or unquoted up to `#` or the line's end; the value is trimmed, one pair of outer quotes taken
 * off, and inside double quotes `\n` and `\r` become line breaks.
 */
function dotenvParse(source: string): Record<string, string> {
  const line =
    /(?:^|^)\s*(?:export\s+)?([\w.-]+)(?:\s*=\s*?|:\s+?)(\s*'(?:\\'|[^'])*'|\s*"(?:\\"|[^"])*"|\s*`(?:\\`|[^`])*`|[^#\r\n]+)?\s*(?:#.*)?(?:$|$)/gm;
  const out: Record<string, string> = {};
  const text = source.replace(/\r\n?/gm, '\n');
  for (let match = line.exec(text); match !== null; match = line.exec(text)) {
    let value = (match[2] ?? '').trim();
    const quote = value[0];
    value = value.replace(/^(['"`])([\s\S]*)\1$/gm, '$2');
    if (quote === '"') value = value.replace(/\\n/g, '\n').replace(/\\r/g, '\r');
    out[match[1]!] = value;
  }
  return out;
}

const envName = fc.stringMatching(/^[A-Z_][A-Z0-9_]{0,20}$/);
const text = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({
    unit: fc.constantFrom('a', ' ', "'", '"', '`', '\\', '\n', '\r', '#', '=', 'n'),
    maxLength: 30,
  }),
);

describe('.env export', () => {
  it('writes what dotenv and the .env importer read back exactly (property)', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.tuple(envName, text), { selector: ([name]) => name, maxLength: 12 }),
        (pairs) => {
          const entries: Exportable[] = pairs.map(([name, value]) => ({
            name,
            input: { kind: 'secret', value },
          }));
          const { text: file, exported, leftOut } = formatDotenv(entries);
          const kept = pairs.filter(([name]) => !leftOut.some((item) => item.name === name));
          expect(exported).toBe(kept.length);
          for (const item of leftOut) expect(item.reason).toBe('not-representable');
          // The importer (src/core/transfer/import) and dotenv itself agree with what was written.
          const imported = parseDotenv(file).records.map((record) => [
            record.name,
            record.input.value,
          ]);
          expect(imported).toEqual(kept);
          expect(Object.entries(dotenvParse(file))).toEqual(kept);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('leaves out only what no quoting can carry', () => {
    expect(quoteDotenv('plain-value_1.2')).toBe('plain-value_1.2');
    expect(quoteDotenv('')).toBe("''");
    expect(quoteDotenv('two words')).toBe("'two words'");
    expect(quoteDotenv("it's")).toBe("`it's`");
    expect(quoteDotenv("it's `x`\nnext")).toBe('"it\'s `x`\\nnext"');
    expect(quoteDotenv('ends with \\')).toBe('ends with \\');
    expect(quoteDotenv(' ends with \\')).toBeUndefined();
    expect(quoteDotenv('a\rb')).toBe('"a\\rb"');
    expect(quoteDotenv('\'`"')).toBeUndefined();
    expect(quoteDotenv("x'`\\")).toBe("x'`\\");
    expect(quoteDotenv("'`\\")).toBeUndefined();
    expect(quoteDotenv("x'`\\\n")).toBeUndefined();
    expect(quoteDotenv('nul\u0000')).toBeUndefined();
  });

  it('lists connections and names that are not env names, and writes non-strings as JSON', () => {
    const { text: file, leftOut } = formatDotenv([
      { name: 'PORT', input: { kind: 'item', value: 8080 } },
      { name: 'CONFIG', input: { kind: 'item', value: { a: [1, 'b'] } } },
      { name: 'my-item', input: { kind: 'secret', value: 'x' } },
      { name: 'db', input: { kind: 'connection', value: { type: 'basic-auth', fields: {} } } },
    ]);
    expect(leftOut).toEqual([
      { name: 'my-item', reason: 'not-an-env-name' },
      { name: 'db', reason: 'connection' },
    ]);
    expect(dotenvParse(file)).toEqual({ PORT: '8080', CONFIG: '{"a":[1,"b"]}' });
    expect(ENV_NAME_PATTERN.test('my-item')).toBe(false);
  });
});
