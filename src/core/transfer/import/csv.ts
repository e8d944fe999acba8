/**
 * CSV by RFC 4180: fields separated by commas, rows by CRLF or LF (a lone CR too), a field in
 * double quotes may hold commas, line breaks and `""` for a quote. The first row is the header.
 * The user maps columns (csvColumns gives them for the choice): which one is the name, which
 * the value, and whether values are secrets. Refused with their line: a quote never closed, a
 * quote inside an unquoted field, text after a closing quote, a row with another number of
 * fields than the header.
 */
import { ImportFormatError } from '../errors';
import type { ImportRecord, ParsedImport } from '../types';
import { looksBinary, withoutBom } from './text-lines';

/**
 * Which column holds the names, which the values (0-based, in header order), and whether the
 * values are imported as secrets (masked) or items.
 * @example
 * const mapping: CsvMapping = { name: 0, value: 2, secret: true };
 */
export interface CsvMapping {
  readonly name: number;
  readonly value: number;
  readonly secret: boolean;
}

interface CsvRow {
  readonly fields: string[];
  /** The 1-based line the row starts on. */
  readonly line: number;
}

const fail = (line: number, problem: string): never => {
  throw new ImportFormatError('csv', { line }, problem);
};

/** Reads every row of a CSV text (RFC 4180). Blank lines are skipped. */
export function readCsvRows(source: string): CsvRow[] {
  const text = withoutBom(source);
  if (looksBinary(text)) fail(1, 'the file holds binary data, not text');
  const rows: CsvRow[] = [];
  let line = 1;
  let at = 0;
  while (at < text.length) {
    if (text[at] === '\r' || text[at] === '\n') {
      // A blank line: no row (a row of one empty field is written "").
      at += text[at] === '\r' && text[at + 1] === '\n' ? 2 : 1;
      line++;
      continue;
    }
    const rowLine = line;
    const fields: string[] = [];
    for (;;) {
      let field: string;
      if (text[at] === '"') {
        const openedOn = line;
        let value = '';
        at++;
        for (;;) {
          const quote = text.indexOf('"', at);
          if (quote < 0) fail(openedOn, 'a quoted field is never closed');
          const part = text.slice(at, quote);
          line += countBreaks(part);
          value += part;
          if (text[quote + 1] === '"') {
            value += '"';
            at = quote + 2;
          } else {
            at = quote + 1;
            break;
          }
        }
        const next = text[at];
        if (next !== undefined && next !== ',' && next !== '\n' && next !== '\r') {
          fail(line, 'there is text after the closing quote of a field');
        }
        field = value;
      } else {
        let end = at;
        while (end < text.length && !',\r\n'.includes(text[end]!)) end++;
        field = text.slice(at, end);
        if (field.includes('"')) {
          fail(
            line,
            'a field has a quote but does not start with one (quote the whole field and write "" for a quote)',
          );
        }
        at = end;
      }
      fields.push(field);
      if (text[at] === ',') {
        at++;
        continue;
      }
      break;
    }
    if (text[at] === '\r') at++;
    if (text[at] === '\n') at++;
    line++;
    rows.push({ fields, line: rowLine });
  }
  return rows;
}

function countBreaks(text: string): number {
  return (text.match(/\r\n|\r|\n/g) ?? []).length;
}

/**
 * The header row's column names, for the mapping choice. Throws ImportFormatError for a file
 * that is not CSV or has no header.
 * @example
 * csvColumns('name,value\nA,1\n'); // ['name', 'value']
 */
export function csvColumns(source: string): string[] {
  const header = readCsvRows(source)[0];
  if (header === undefined) fail(1, 'the file is empty; a CSV import needs a header row');
  return header!.fields;
}

/**
 * Reads a CSV file with a column mapping. Each row after the header is one record.
 * @example
 * parseCsv('name,value\nAPI_KEY,sk-1\n', { name: 0, value: 1, secret: true }).records[0]?.name;
 * // 'API_KEY'
 */
export function parseCsv(source: string, mapping: CsvMapping): ParsedImport {
  const [header, ...rows] = readCsvRows(source);
  if (header === undefined) fail(1, 'the file is empty; a CSV import needs a header row');
  const width = header!.fields.length;
  for (const column of [mapping.name, mapping.value]) {
    if (!Number.isInteger(column) || column < 0 || column >= width) {
      fail(1, `the mapping names column ${column + 1}, but the header has ${width} columns`);
    }
  }
  if (mapping.name === mapping.value) {
    fail(1, 'the name and the value must come from two different columns');
  }
  const records: ImportRecord[] = rows.map((row, index) => {
    if (row.fields.length !== width) {
      fail(row.line, `the row has ${row.fields.length} fields; the header has ${width}`);
    }
    return {
      name: row.fields[mapping.name]!,
      input: { kind: mapping.secret ? 'secret' : 'item', value: row.fields[mapping.value]! },
      from: { line: row.line, record: index + 1 },
    };
  });
  return { format: 'csv', records, warnings: [] };
}
