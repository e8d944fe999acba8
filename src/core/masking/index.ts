/**
 * Masking: every secret a run touched is replaced by `••••` in any text before it is shown
 * or stored (hook `debug()` output, errors, request and response views, run history). It is
 * a backstop, not the control: it only finds the spellings it knows (below), and cannot
 * protect against a value reversed, split, spelled out as character codes, compressed,
 * encrypted, hashed or encoded in a way not listed here.
 *
 * Contract:
 * - `createMasker(secrets?)` makes a Masker; `add(value)` registers more. A value is masked
 *   when it has at least MIN_MASKED_LENGTH (6) code points, counted as given (not trimmed),
 *   and is not only white space. Any other is not masked (it would mask unrelated text:
 *   actions/runner#326): `tooShort` counts such distinct values, never keeping their text or
 *   length anywhere readable, so the UI can warn; `size` counts the values that are masked.
 *   The empty string is ignored.
 * - `addJson(value)` registers a JSON secret: every string in it (not the keys) as `add`
 *   does, every number whose text has 6 or more characters (a shorter one is not counted in
 *   `tooShort`), and `JSON.stringify(value)` when it is an object or an array.
 * - Each value is masked in every spelling `maskVariants(value)` lists: the value; each line
 *   of a multi-line value (`\r\n`, `\n`, `\r`), trimmed, of 6 or more code points; and, for the value
 *   and each such line, JSON-escaped (JavaScript, ASCII-only, HTML-safe), URL-encoded
 *   (`encodeURIComponent`, WHATWG form encoding, `+` for space), HTML-escaped, hex of the
 *   UTF-8 bytes (lower and upper case), and base64 and base64url of the UTF-8 bytes at each
 *   of the three byte alignments, keeping only the characters the value's bytes determine
 *   (so base64("user:" + value + "\n") is masked too). Spellings shorter than 6 code points
 *   are dropped.
 * - `mask(text)` replaces each occurrence of any spelling by MASK; occurrences that overlap
 *   or touch are one range, and one MASK. It is one pass over the text, whatever the number
 *   of spellings (matcher.ts). Text with nothing to mask comes back as the same string.
 * - `maskJson(value)` returns a masked copy: every string, keys included, and numbers whose
 *   text masks. The argument is not modified.
 * - `stream()` masks a text that arrives in pieces: the outputs of `push(chunk)…` and `end()`
 *   put together equal `mask()` of the whole, however it is cut; a push holds back at most
 *   (longest spelling − 1) characters. The stream uses the values registered at each push.
 * - Arguments of the wrong type throw TypeError naming what was expected and the type that
 *   arrived, never the value. No message, error or field ever holds a secret.
 */
export { createMasker, MASK, type Masker, type MaskStream } from './masker';
export { MIN_MASKED_LENGTH, maskVariants } from './variants';
