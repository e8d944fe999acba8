/**
 * .env text that dotenv (and Coffer's .env importer) reads back to exactly the same names and
 * values. dotenv's rules this relies on:
 * - a line is `NAME=value`; an unquoted value is trimmed and ends at `#` (a comment);
 * - single quotes and backticks are literal (no escapes) and may span lines;
 * - double quotes expand `\n` and `\r`, and may span lines;
 * - line endings in the file are normalised to `\n` before parsing (so a carriage return in a
 *   value survives only as `\r` inside double quotes).
 * Quoting chosen per value: none for plain text; else single quotes; else backticks (neither
 * for a value ending in a backslash, which would escape the closing quote); else
 * double quotes when the value has no `"` and no backslash (so that `\n` and `\r` are the only
 * escapes written); else unquoted when it is one line without `#`, surrounding space or a quote
 * first; anything else (and text with C0 controls other than tab, line breaks, form
 * feed and escape, which importers take for binary junk) cannot be written and is left out.
 */
import type { JsonValue } from '../../vault';
import type { Exportable, LeftOut } from './select';

/**
 * A name dotenv and shells accept: a letter or `_`, then letters, digits and `_`.
 * @example
 * ENV_NAME_PATTERN.test('API_KEY'); // true
 */
export const ENV_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

const plain = /^[A-Za-z0-9_./:@+%,=-]+$/;

/**
 * C0 controls that text files never hold (all but tab, line breaks, form feed and escape):
 * importers, Coffer's among them, take a file with one for binary junk.
 */
function looksBinary(value: string): boolean {
  for (let at = 0; at < value.length; at++) {
    const code = value.charCodeAt(at);
    if (code < 0x20 && (code < 0x09 || (code > 0x0d && code !== 0x1b))) return true;
  }
  return false;
}

/**
 * The value as dotenv will read it back exactly, quoted as needed, or undefined when no
 * dotenv quoting can carry it.
 * @example
 * quoteDotenv('hello world'); // "'hello world'"
 */
export function quoteDotenv(value: string): string | undefined {
  if (value === '') return "''";
  if (plain.test(value)) return value;
  if (looksBinary(value)) return undefined;
  // dotenv's quoted forms read `\'` (or `\``) as part of the value: a value ending in a
  // backslash would swallow its closing quote.
  const literalOk = !value.includes('\r') && !value.endsWith('\\');
  if (literalOk && !value.includes("'")) return `'${value}'`;
  if (literalOk && !value.includes('`')) return `\`${value}\``;
  if (!value.includes('"') && !value.includes('\\')) {
    return `"${value.replaceAll('\n', '\\n').replaceAll('\r', '\\r')}"`;
  }
  // Last: unquoted, which keeps backslashes and quotes inside as they are, for one line with
  // no "#", no surrounding space and no quote first.
  if (!/[\n\r#]/.test(value) && value.trim() === value && !/^['"`]/.test(value)) return value;
  return undefined;
}

/** The text a .env line holds for a value: a string as it is, any other JSON as its JSON text. */
export function dotenvText(value: JsonValue): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/**
 * The .env file for these entries, with the entries it cannot hold listed: connections, names
 * that are not env names, and values no quoting carries.
 * @example
 * formatDotenv([{ name: 'PORT', input: { kind: 'item', value: 8080 } }]).text; // '...PORT=8080\n'
 */
export function formatDotenv(entries: readonly Exportable[]): {
  readonly text: string;
  readonly exported: number;
  readonly leftOut: readonly LeftOut[];
} {
  const lines = ['# Exported from Coffer. PLAINTEXT: keep this file safe, delete it when done.'];
  const leftOut: LeftOut[] = [];
  for (const { name, input } of entries) {
    if (input.kind === 'connection') {
      leftOut.push({ name, reason: 'connection' });
      continue;
    }
    if (!ENV_NAME_PATTERN.test(name)) {
      leftOut.push({ name, reason: 'not-an-env-name' });
      continue;
    }
    const quoted = quoteDotenv(dotenvText(input.value));
    if (quoted === undefined) {
      leftOut.push({ name, reason: 'not-representable' });
      continue;
    }
    lines.push(`${name}=${quoted}`);
  }
  return { text: `${lines.join('\n')}\n`, exported: lines.length - 1, leftOut };
}
