/**
 * JSON files of NAME: value. The top level must be an object; each key becomes an entry whose
 * value is the key's JSON value exactly (a number stays a number, an object an object). Nested
 * objects either stay whole under their top-level key (the default) or are flattened to dotted
 * paths (`{"db": {"host": "h"}}` gives `db.host`); arrays, scalars and empty objects are
 * leaves. A key given twice in any object is refused with its line (json-keys.ts).
 */
import { InvalidJsonError, type JsonValue, parseJsonText } from '../../vault';
import { ImportFormatError } from '../errors';
import type { ImportFormat, ImportRecord, ParsedImport } from '../types';
import type { TextImportOptions } from './dotenv';
import { checkJsonKeys } from './json-keys';
import { LineIndex, looksBinary, withoutBom } from './text-lines';

/**
 * Options of the JSON importer: the kind of the entries (secret by default) and what nested
 * objects become.
 * @example
 * parseJsonImport(text, { nested: 'flatten', kind: 'item' });
 */
export interface JsonImportOptions extends TextImportOptions {
  readonly nested?: 'top-level' | 'flatten';
}

/** What a JSON value is, in words, for errors (never the value). */
export function describeJsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}

/**
 * Parses JSON text with Coffer's own parser (line and column in errors, depth and number
 * limits) and refuses duplicate keys. Shared with the Bitwarden importer.
 */
export function readJsonDocument(
  source: string,
  format: ImportFormat,
): { readonly value: JsonValue; readonly lines: LineIndex; readonly keys: Map<string, number> } {
  const text = withoutBom(source);
  if (looksBinary(text)) {
    throw new ImportFormatError(format, { line: 1 }, 'the file holds binary data, not text');
  }
  let value: JsonValue;
  try {
    value = parseJsonText(text);
  } catch (error) {
    if (error instanceof InvalidJsonError && error.line !== undefined) {
      throw new ImportFormatError(
        format,
        { line: error.line },
        `column ${error.column}: ${error.problem}`,
        { cause: error },
      );
    }
    throw error;
  }
  const lines = new LineIndex(text);
  return { value, lines, keys: checkJsonKeys(text, lines, format) };
}

/**
 * Reads a JSON object of NAME: value. Throws ImportFormatError for text that does not parse,
 * a duplicate key, or a top level that is not an object.
 * @example
 * parseJsonImport('{"PORT": 8080}').records[0]?.input; // { kind: 'secret', value: 8080 }
 */
export function parseJsonImport(source: string, options: JsonImportOptions = {}): ParsedImport {
  const { value, lines, keys } = readJsonDocument(source, 'json');
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ImportFormatError(
      'json',
      { line: 1 },
      `the file holds ${describeJsonType(value)}; Coffer imports a JSON object of NAME: value`,
    );
  }
  const kind = options.kind ?? 'secret';
  const records: ImportRecord[] = [];
  // The scan's keys are in file order; Object.keys would put integer-like keys first.
  [...keys.keys()].forEach((key, index) => {
    const from = { record: index + 1, line: lines.lineOf(keys.get(key) ?? 0) };
    const entry = value[key] as JsonValue;
    if (options.nested === 'flatten') {
      for (const [path, leaf] of flatten(key, entry)) {
        records.push({ name: path, input: { kind, value: leaf }, from: { ...from, path } });
      }
    } else {
      records.push({ name: key, input: { kind, value: entry }, from });
    }
  });
  return { format: 'json', records, warnings: [] };
}

function* flatten(path: string, value: JsonValue): Generator<[string, JsonValue]> {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const keys = Object.keys(value);
    if (keys.length > 0) {
      for (const key of keys) yield* flatten(`${path}.${key}`, value[key] as JsonValue);
      return;
    }
  }
  yield [path, value];
}
