/**
 * JSON text typed by a person: `parseJsonText` accepts exactly RFC 8259 JSON and, when the text
 * breaks, says at which line and column, and why, in words. The error never quotes the text:
 * it may be a secret.
 */
import { InvalidJsonError, type JsonProblem } from './errors';
import { type JsonObject, type JsonValue, setOwn } from './json';
import { MAX_JSON_DEPTH } from './json-limits';
import { describeCharacter, describeType } from './model-describe';
import { locate } from './text-measure';

/**
 * Parses JSON text typed by a person, with errors that point at the problem: `line` and
 * `column` (1-based, counting characters) and `offset` (0-based UTF-16, for editors), and a
 * reason such as 'trailing-comma', 'single-quote', 'comment', 'unterminated-string'. The
 * message describes what was found ("a letter", `"}"`) and never quotes the text. Accepts
 * exactly RFC 8259 JSON (duplicate keys: the last one wins, as with JSON.parse); refuses
 * nesting deeper than MAX_JSON_DEPTH and numbers too large to store ('number-out-of-range',
 * which JSON.parse would turn into Infinity and then null).
 * @example
 * parseJsonText('{ "port": 8080 }'); // { port: 8080 }
 * parseJsonText('{\n  "port": 8080,\n}');
 * // InvalidJsonError: Invalid JSON at line 2, column 15: a comma cannot come before "}" (trailing comma)
 */
export function parseJsonText(text: string): JsonValue {
  if (typeof text !== 'string') {
    throw new InvalidJsonError(
      { line: 1, column: 1, offset: 0 },
      'not-text',
      `expected the JSON as a string, got ${describeType(text)}`,
    );
  }
  return new TextParser(text).parseDocument();
}

const valueExpected = 'a value (an object, array, string, number, true, false or null)';

/** A recursive-descent parser over UTF-16 code units; positions are turned into lines at the end. */
class TextParser {
  #position = 0;
  #depth = 0;

  constructor(readonly text: string) {}

  parseDocument(): JsonValue {
    this.#skipWhitespace();
    if (this.#position >= this.text.length) {
      this.#fail(0, 'empty', `the text is empty; expected ${valueExpected}`);
    }
    const value = this.#parseValue();
    this.#skipWhitespace();
    if (this.#position < this.text.length) {
      this.#unexpected('the end of the text after the JSON value', 'trailing-content');
    }
    return value;
  }

  #fail(offset: number, reason: JsonProblem, problem: string): never {
    throw new InvalidJsonError(locate(this.text, offset), reason, problem);
  }

  /** An error at the current position, for a character that does not fit there. */
  #unexpected(expected: string, otherwise: JsonProblem = 'unexpected-character'): never {
    const at = this.#position;
    if (at >= this.text.length) {
      return this.#fail(at, 'unexpected-end', `the text ends too early; expected ${expected}`);
    }
    const character = String.fromCodePoint(this.text.codePointAt(at)!);
    if (character === '/') {
      return this.#fail(at, 'comment', 'JSON does not allow comments');
    }
    if (character === "'") {
      return this.#fail(at, 'single-quote', 'strings and property names need double quotes (")');
    }
    return this.#fail(at, otherwise, `expected ${expected}, found ${describeFound(character)}`);
  }

  #skipWhitespace(): void {
    const text = this.text;
    let position = this.#position;
    for (;;) {
      const unit = text.charCodeAt(position);
      if (unit === 0x20 || unit === 0x0a || unit === 0x0d || unit === 0x09) position++;
      else break;
    }
    this.#position = position;
  }

  #parseValue(): JsonValue {
    const unit = this.text.charCodeAt(this.#position);
    switch (unit) {
      case 0x7b: // {
        return this.#parseObject();
      case 0x5b: // [
        return this.#parseArray();
      case 0x22: // "
        return this.#parseString();
      case 0x74: // t
        return this.#parseLiteral('true', true);
      case 0x66: // f
        return this.#parseLiteral('false', false);
      case 0x6e: // n
        return this.#parseLiteral('null', null);
      default:
        if (unit === 0x2d || (unit >= 0x30 && unit <= 0x39)) return this.#parseNumber();
        if (unit === 0x2b || unit === 0x2e) {
          return this.#fail(
            this.#position,
            'invalid-number',
            'a number must start with a digit or "-" (not "+" or ".")',
          );
        }
        if (/[A-Za-z]/.test(this.text.charAt(this.#position))) {
          return this.#fail(
            this.#position,
            'unexpected-character',
            `expected ${valueExpected}, found a word that is not true, false or null (strings need double quotes)`,
          );
        }
        return this.#unexpected(valueExpected);
    }
  }

  #parseLiteral<T extends JsonValue>(word: string, value: T): T {
    const start = this.#position;
    if (
      !this.text.startsWith(word, start) ||
      /[A-Za-z0-9_]/.test(this.text.charAt(start + word.length))
    ) {
      return this.#fail(
        start,
        'unexpected-character',
        `expected ${valueExpected}, found a word that is not true, false or null (strings need double quotes)`,
      );
    }
    this.#position = start + word.length;
    return value;
  }

  #enter(): void {
    if (this.#depth >= MAX_JSON_DEPTH) {
      this.#fail(
        this.#position,
        'too-deep',
        `arrays and objects are nested deeper than ${MAX_JSON_DEPTH} levels`,
      );
    }
    this.#depth++;
    this.#position++;
  }

  #parseArray(): JsonValue[] {
    this.#enter();
    const out: JsonValue[] = [];
    this.#skipWhitespace();
    if (this.text.charCodeAt(this.#position) === 0x5d) {
      this.#position++;
      this.#depth--;
      return out;
    }
    for (;;) {
      this.#skipWhitespace();
      out.push(this.#parseValue());
      this.#skipWhitespace();
      const unit = this.text.charCodeAt(this.#position);
      if (unit === 0x5d) {
        this.#position++;
        this.#depth--;
        return out;
      }
      if (unit !== 0x2c) this.#unexpected('"," or "]" after an array element');
      const comma = this.#position++;
      this.#skipWhitespace();
      if (this.text.charCodeAt(this.#position) === 0x5d) {
        this.#fail(comma, 'trailing-comma', 'a comma cannot come before "]" (trailing comma)');
      }
    }
  }

  #parseObject(): JsonObject {
    this.#enter();
    const out: JsonObject = {};
    this.#skipWhitespace();
    if (this.text.charCodeAt(this.#position) === 0x7d) {
      this.#position++;
      this.#depth--;
      return out;
    }
    for (;;) {
      this.#skipWhitespace();
      if (this.text.charCodeAt(this.#position) !== 0x22) {
        this.#unexpected('a property name in double quotes');
      }
      const key = this.#parseString();
      this.#skipWhitespace();
      if (this.text.charCodeAt(this.#position) !== 0x3a)
        this.#unexpected('":" after a property name');
      this.#position++;
      this.#skipWhitespace();
      setOwn(out, key, this.#parseValue());
      this.#skipWhitespace();
      const unit = this.text.charCodeAt(this.#position);
      if (unit === 0x7d) {
        this.#position++;
        this.#depth--;
        return out;
      }
      if (unit !== 0x2c) this.#unexpected('"," or "}" after a property value');
      const comma = this.#position++;
      this.#skipWhitespace();
      if (this.text.charCodeAt(this.#position) === 0x7d) {
        this.#fail(comma, 'trailing-comma', 'a comma cannot come before "}" (trailing comma)');
      }
    }
  }

  #parseString(): string {
    const text = this.text;
    const open = this.#position;
    let position = open + 1;
    let chunkStart = position;
    let out = '';
    for (;;) {
      if (position >= text.length) {
        return this.#fail(
          open,
          'unterminated-string',
          'the string that starts here is not closed with "',
        );
      }
      const unit = text.charCodeAt(position);
      if (unit === 0x22) {
        this.#position = position + 1;
        return out + text.slice(chunkStart, position);
      }
      if (unit < 0x20) {
        const name =
          unit === 0x0a || unit === 0x0d
            ? 'a line break'
            : unit === 0x09
              ? 'a tab'
              : 'a control character';
        const written =
          unit === 0x0a
            ? '\\n'
            : unit === 0x0d
              ? '\\r'
              : unit === 0x09
                ? '\\t'
                : `\\u${unit.toString(16).padStart(4, '0')}`;
        return this.#fail(
          position,
          'control-character',
          `a string cannot contain ${name} as it is; write it as ${written} (or close the string with ")`,
        );
      }
      if (unit !== 0x5c) {
        position++;
        continue;
      }
      out += text.slice(chunkStart, position);
      const escaped = text.charAt(position + 1);
      const simple = simpleEscapes[escaped];
      if (simple !== undefined) {
        out += simple;
        position += 2;
      } else if (
        escaped === 'u' &&
        /^[0-9A-Fa-f]{4}$/.test(text.slice(position + 2, position + 6))
      ) {
        out += String.fromCharCode(Number.parseInt(text.slice(position + 2, position + 6), 16));
        position += 6;
      } else {
        return this.#fail(
          position,
          'invalid-escape',
          'invalid escape in a string: after "\\" comes one of " \\ / b f n r t, or u and four hex digits',
        );
      }
      chunkStart = position;
    }
  }

  #parseNumber(): number {
    const text = this.text;
    const start = this.#position;
    let position = start;
    const digitsFrom = (from: number) => {
      let end = from;
      while (end < text.length && text.charCodeAt(end) >= 0x30 && text.charCodeAt(end) <= 0x39)
        end++;
      return end;
    };
    if (text.charCodeAt(position) === 0x2d) position++;
    const integerEnd = digitsFrom(position);
    if (integerEnd === position) {
      this.#fail(start, 'invalid-number', 'a "-" must be followed by digits');
    }
    if (text.charCodeAt(position) === 0x30 && integerEnd > position + 1) {
      this.#fail(start, 'invalid-number', 'a number cannot start with 0 followed by more digits');
    }
    position = integerEnd;
    if (text.charCodeAt(position) === 0x2e) {
      const fractionEnd = digitsFrom(position + 1);
      if (fractionEnd === position + 1) {
        this.#fail(position, 'invalid-number', 'a decimal point must be followed by digits');
      }
      position = fractionEnd;
    }
    const exponent = text.charCodeAt(position);
    if (exponent === 0x65 || exponent === 0x45) {
      let from = position + 1;
      const sign = text.charCodeAt(from);
      if (sign === 0x2b || sign === 0x2d) from++;
      const exponentEnd = digitsFrom(from);
      if (exponentEnd === from) {
        this.#fail(position, 'invalid-number', 'an exponent ("e") must be followed by digits');
      }
      position = exponentEnd;
    }
    const value = Number(text.slice(start, position));
    if (!Number.isFinite(value)) {
      this.#fail(
        start,
        'number-out-of-range',
        'the number is too large to store (it would become Infinity)',
      );
    }
    this.#position = position;
    return value === 0 ? 0 : value;
  }
}

const simpleEscapes: Readonly<Record<string, string>> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};

/** A found character in words: JSON punctuation as itself, anything else by its category. */
function describeFound(character: string): string {
  if (/^[A-Za-z]$/.test(character)) return 'a letter';
  if (/^[0-9]$/.test(character)) return 'a digit';
  if (/^[!-/:-@[-`{-~]$/.test(character)) return JSON.stringify(character);
  if (/^[\s\p{Cc}\p{Cf}\p{Cs}]$/u.test(character)) return describeCharacter(character);
  return 'a character that is not part of JSON syntax';
}
