/**
 * The spellings of a secret that masking looks for: the value itself, each of its lines, and
 * the encodings a request, a response or a log line commonly wraps it in (JSON, URL, form,
 * HTML, hex, base64 at every byte alignment).
 *
 * Lengths are counted in code points (what `[...value].length` says), not UTF-16 units: three
 * emoji are three characters, too short to mask, although they are six units. A spelling
 * shorter than MIN_MASKED_LENGTH is never registered, because a short spelling matches text
 * that has nothing to do with the secret (a one-character secret would mask every occurrence
 * of that character: actions/runner#326).
 *
 * Values are taken as given: not trimmed (but a value of white space only is not masked). A
 * value with a trailing newline (a file read whole) is still masked through its lines, which
 * are trimmed.
 */
import { base64, base64url, hex } from '@scure/base';

/** Values (and spellings) shorter than this many code points are not masked. */
export const MIN_MASKED_LENGTH = 6;

/**
 * True when `text` has at least `min` code points. Stops counting at `min`, so a long value
 * costs nothing.
 */
export function hasCodePoints(text: string, min: number): boolean {
  // A string of n UTF-16 units holds between n/2 and n code points.
  if (text.length >= 2 * min) return true;
  if (text.length < min) return false;
  let count = 0;
  for (let i = 0; i < text.length && count < min; i++) {
    const unit = text.charCodeAt(i);
    // A high surrogate followed by a low one is one code point: skip the low one.
    if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
      const low = text.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) i++;
    }
    count++;
  }
  return count >= min;
}

const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * The value with each lone surrogate replaced by U+FFFD, as TextEncoder, URLSearchParams and
 * fetch do before they encode (`String.prototype.toWellFormed`, not yet in every engine
 * Coffer supports). Encodings are computed on this form, so they match what was really sent.
 */
function wellFormed(value: string): string {
  return value.replace(loneSurrogate, '\uFFFD');
}

const utf8Encoder = new TextEncoder();

/** `%XX` of one ASCII character, upper-case hex as every encoder writes it. */
const percent = (char: string): string =>
  `%${char.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`;

/** `\uXXXX` of one UTF-16 unit, lower-case hex as JSON.stringify, Python and Go write it. */
const unicodeEscape = (char: string): string =>
  `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;

/**
 * The JSON string spellings, without their quotes: JavaScript's `JSON.stringify`; ASCII-only
 * (Python's `json.dumps` default, `ensure_ascii`: every non-ASCII unit as `\uXXXX`); and
 * HTML-safe (Go's `encoding/json`: `<`, `>`, `&`, U+2028 and U+2029 as `\uXXXX`).
 */
function jsonSpellings(value: string): string[] {
  const js = JSON.stringify(value).slice(1, -1);
  return [
    js,
    js.replace(/[\u0080-\uffff]/g, unicodeEscape),
    js.replace(/[<>&\u2028\u2029]/g, unicodeEscape),
  ];
}

/**
 * The percent-encoded spellings: `encodeURIComponent`; the WHATWG form encoding
 * (URLSearchParams and fetch's form bodies: only `*-._` and alphanumerics kept, space as `+`);
 * and `encodeURIComponent` with space as `+` (RFC 1738 style, as `qs` writes it).
 * `encodeURIComponent` keeps `!'()*-._~`; the form encoding also escapes `!'()~`.
 */
function percentSpellings(value: string): string[] {
  const component = encodeURIComponent(value);
  const plus = component.replace(/%20/g, '+');
  return [component, plus, plus.replace(/[!'()~]/g, percent)];
}

/**
 * The HTML/XML-escaped spellings: attribute escaping with `&#39;` and with `&#x27;` for the
 * apostrophe, and text escaping (only `&`, `<` and `>`).
 */
function htmlSpellings(value: string): string[] {
  const text = value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const attribute = text.replace(/"/g, '&quot;');
  return [attribute.replace(/'/g, '&#39;'), attribute.replace(/'/g, '&#x27;'), text];
}

/**
 * The base64 spellings of `bytes` wherever they sit in a longer encoded message.
 *
 * Base64 writes each 6 bits of its input as one character: character i stands for the bits
 * [6i, 6i + 6) of the message. When the value's n bytes follow k bytes of something else,
 * they are the bits [8k, 8(k + n)), and only the characters whose 6 bits all fall inside that
 * range are fixed by the value alone:
 *
 *   first = ceil(8k / 6)         k = 0, 1, 2  ->  0, 2, 3
 *   end   = floor(8(k + n) / 6)  (exclusive)
 *
 * The characters before `first` mix in the bits of the bytes before the value, the ones from
 * `end` on the bits of what follows it (or padding). Whatever k is, base64 restarts every 3
 * bytes, so k mod 3 is all that matters: encoding (k zero bytes + value) and keeping the
 * characters [first, end) gives the run that appears inside base64(anything + value +
 * anything) for every prefix whose length is k mod 3. (actions/runner registers the same
 * three "shifts", and learned to drop the trailing characters in actions/runner#291.)
 *
 * Besides the three runs, the complete padded encoding of the value alone (k = 0, nothing
 * after) is registered, so that a value encoded on its own is masked to the last character.
 */
function base64Spellings(bytes: Uint8Array): string[] {
  const out: string[] = [];
  const n = bytes.length;
  for (let k = 0; k < 3; k++) {
    const shifted = new Uint8Array(k + n);
    shifted.set(bytes, k);
    const first = Math.ceil((8 * k) / 6);
    const end = Math.floor((8 * (k + n)) / 6);
    out.push(base64.encode(shifted).slice(first, end), base64url.encode(shifted).slice(first, end));
  }
  out.push(base64.encode(bytes), base64url.encode(bytes));
  return out;
}

/** Every spelling of one value (or one line of it), before the length filter. */
function spellings(value: string): string[] {
  const sound = wellFormed(value);
  const bytes = utf8Encoder.encode(sound);
  const lowerHex = hex.encode(bytes);
  return [
    value,
    ...jsonSpellings(value),
    ...percentSpellings(sound),
    ...htmlSpellings(value),
    lowerHex,
    lowerHex.toUpperCase(),
    ...base64Spellings(bytes),
  ];
}

/**
 * Every spelling of `secret` that masking registers, without duplicates, each at least
 * MIN_MASKED_LENGTH code points; none at all when `secret` itself is shorter than that or
 * only white space.
 *
 * The spellings: the value; each line of a multi-line value (split at `\r\n`, `\n` and `\r`),
 * without the white space around it (indentation changes when a value is printed again), that
 * is still long enough; and for the value and each such line: JSON-escaped (JavaScript,
 * ASCII-only and HTML-safe), `encodeURIComponent`, form-encoded (WHATWG and `+` for space),
 * HTML-escaped (attribute with `&#39;` or `&#x27;`, and text), hex of the UTF-8 bytes in lower
 * and upper case, and base64 and base64url of the UTF-8 bytes at the three byte alignments
 * (see base64Spellings), plus the value's own padded encodings. Lone surrogates are encoded as
 * U+FFFD, as TextEncoder and URL encoders do.
 * @example
 * maskVariants('hunter22').includes('aHVudGVyMj'); // true: base64 with its last, partial character dropped
 * maskVariants('abc'); // [] (too short to mask)
 */
export function maskVariants(secret: string): string[] {
  if (typeof secret !== 'string') {
    throw new TypeError(`maskVariants expects a string, got ${describeType(secret)}`);
  }
  if (!isMaskable(secret)) return [];
  const sources = [secret];
  const lines = secret.split(/\r\n|\n|\r/);
  if (lines.length > 1) {
    for (const line of lines) {
      const trimmed = line.trim();
      if (hasCodePoints(trimmed, MIN_MASKED_LENGTH)) sources.push(trimmed);
    }
  }
  const out = new Set<string>();
  for (const source of sources) {
    for (const spelling of spellings(source)) {
      if (hasCodePoints(spelling, MIN_MASKED_LENGTH)) out.add(spelling);
    }
  }
  return [...out];
}

/**
 * True when `value` is long enough to mask: MIN_MASKED_LENGTH code points or more, counted as
 * given, and not only white space (six spaces would mask every indentation).
 */
export function isMaskable(value: string): boolean {
  return hasCodePoints(value, MIN_MASKED_LENGTH) && /\S/.test(value);
}

/** What arrived, for an error message: its type, never its content (it may be a secret). */
export function describeType(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return 'an array';
  const type = typeof value;
  return type === 'object' ? 'an object' : `a ${type}`;
}
