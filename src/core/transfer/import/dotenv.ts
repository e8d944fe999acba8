/**
 * `.env` files, read by the rules of the `dotenv` package (v16), so a file means here what it
 * means to the code that loads it:
 * - `KEY=value` or `KEY: value`; a key is letters, digits, `_`, `.` and `-`; an `export ` prefix
 *   is ignored; spaces around the key, the `=` and an unquoted value are trimmed;
 * - `#` starts a comment: a whole line, or the rest of a line after an unquoted value (anywhere
 *   in it, as dotenv does: `A=x#y` is `x`; a warning says so when no space came before the `#`);
 * - single quotes and backticks keep their content as it is; double quotes turn `\n` and `\r`
 *   into line breaks (and nothing else: `\"` stays as written, as in dotenv);
 * - quoted values may span lines; line breaks are "\n" once read ("\r\n" and "\r" become "\n");
 * - an empty value is the empty string; a key given twice: the later value wins, with a warning.
 * Stricter than dotenv, which skips what it cannot read without a word: a line that is not
 * `KEY=value`, a quote never closed and text after a closing quote are refused with their line,
 * since a silently dropped line is a lost secret.
 */
import { ImportFormatError } from '../errors';
import type { ImportRecord, ImportWarning, ParsedImport } from '../types';
import { LineIndex, looksBinary, withoutBom } from './text-lines';

/**
 * How values are imported: as secrets (masked; the default) or as items.
 * @example
 * parseDotenv('A=1', { kind: 'item' });
 */
export interface TextImportOptions {
  readonly kind?: 'secret' | 'item';
}

const keyCharacter = /[\w.-]/;
const blank = (character: string | undefined) => character === ' ' || character === '\t';

/**
 * Reads a `.env` file. Throws ImportFormatError with the line of the first problem.
 * @example
 * parseDotenv('export API_KEY="sk-1"\n# comment\nPORT=8080').records.map((r) => r.name);
 * // ['API_KEY', 'PORT']
 */
export function parseDotenv(source: string, options: TextImportOptions = {}): ParsedImport {
  const kind = options.kind ?? 'secret';
  const text = withoutBom(source).replace(/\r\n?/g, '\n');
  const fail = (line: number, problem: string): never => {
    throw new ImportFormatError('dotenv', { line }, problem);
  };
  if (looksBinary(text)) fail(1, 'the file holds binary data, not text');
  const lines = new LineIndex(text);
  const byName = new Map<string, ImportRecord>();
  const warnings: ImportWarning[] = [];
  let at = 0;
  while (at < text.length) {
    const line = lines.lineOf(at);
    while (blank(text[at])) at++;
    if (at >= text.length) break;
    if (text[at] === '\n' || text[at] === '#') {
      at = endOfLine(text, at) + 1;
      continue;
    }
    if (text.startsWith('export', at) && blank(text[at + 6])) {
      at += 6;
      while (blank(text[at])) at++;
    }
    const keyStart = at;
    while (at < text.length && keyCharacter.test(text[at]!)) at++;
    const name = text.slice(keyStart, at);
    while (blank(text[at])) at++;
    const separator = text[at];
    if (name === '' || (separator !== '=' && separator !== ':')) {
      fail(
        line,
        name === ''
          ? 'the line is not KEY=value: a key (letters, digits, "_", "." or "-") must come first'
          : 'the line is not KEY=value: the key must be followed by "="',
      );
    }
    if (separator === ':' && !blank(text[at + 1])) {
      fail(line, 'a "KEY: value" line needs a space after the colon');
    }
    at++;
    while (blank(text[at])) at++;
    let value: string;
    const quote = text[at];
    if (quote === '"' || quote === "'" || quote === '`') {
      const close = closingQuote(text, at + 1, quote);
      if (close < 0) fail(line, `the value's opening ${quote} is never closed`);
      value = text.slice(at + 1, close);
      if (quote === '"') value = value.replace(/\\n/g, '\n').replace(/\\r/g, '\r');
      at = close + 1;
      while (blank(text[at])) at++;
      if (at < text.length && text[at] !== '\n' && text[at] !== '#') {
        fail(lines.lineOf(at), 'there is text after the closing quote of a value');
      }
      at = endOfLine(text, at) + 1;
    } else {
      const end = endOfLine(text, at);
      const raw = text.slice(at, end);
      const comment = raw.indexOf('#');
      if (comment > 0 && !blank(raw[comment - 1])) {
        warnings.push({
          from: { line },
          message: `the value of ${name} has a "#" with no space before it: dotenv reads the rest as a comment, so it was left out (quote the value to keep it)`,
        });
      }
      value = (comment < 0 ? raw : raw.slice(0, comment)).trim();
      at = end + 1;
    }
    const earlier = byName.get(name);
    if (earlier !== undefined) {
      warnings.push({
        from: { line },
        message: `${name} is also given on line ${earlier.from.line}; the later value (line ${line}) is kept, as dotenv does`,
      });
      byName.delete(name);
    }
    byName.set(name, { name, input: { kind, value }, from: { line } });
  }
  return { format: 'dotenv', records: [...byName.values()], warnings };
}

function endOfLine(text: string, from: number): number {
  const end = text.indexOf('\n', from);
  return end < 0 ? text.length : end;
}

/** The offset of the quote that closes a value, or -1; a backslash before it does not close. */
function closingQuote(text: string, from: number, quote: string): number {
  let at = from;
  for (;;) {
    const found = text.indexOf(quote, at);
    if (found < 0) return -1;
    if (text[found - 1] !== '\\') return found;
    at = found + 1;
  }
}
