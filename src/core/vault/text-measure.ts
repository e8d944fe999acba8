/**
 * Counting in JavaScript strings (UTF-16 code units) without encoding them: UTF-8 bytes, for
 * size limits, and line and column, for pointing at a place in text a person typed.
 */

/**
 * The length of `text` in UTF-8 bytes, without encoding it (an unpaired surrogate counts as
 * the 3 bytes of the replacement character an encoder writes for it).
 * @example
 * utf8Length('€'); // 3
 */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let index = 0; index < text.length; index++) {
    const unit = text.charCodeAt(index);
    if (unit < 0x80) bytes += 1;
    else if (unit < 0x800) bytes += 2;
    else if (unit >= 0xd800 && unit <= 0xdbff && isLowSurrogate(text.charCodeAt(index + 1))) {
      bytes += 4;
      index++;
    } else bytes += 3;
  }
  return bytes;
}

/** A UTF-16 low (trailing) surrogate, the second half of a pair. */
export const isLowSurrogate = (unit: number) => unit >= 0xdc00 && unit <= 0xdfff;

/** 1-based line and column (in code points) of a UTF-16 offset; CRLF, LF and CR end lines. */
export function locate(
  text: string,
  offset: number,
): { line: number; column: number; offset: number } {
  let line = 1;
  let lineStart = 0;
  for (let index = 0; index < offset; index++) {
    const unit = text.charCodeAt(index);
    if (unit === 0x0a || (unit === 0x0d && text.charCodeAt(index + 1) !== 0x0a)) {
      line++;
      lineStart = index + 1;
    }
  }
  let column = 1;
  for (let index = lineStart; index < offset; index++) {
    const unit = text.charCodeAt(index);
    if (
      unit >= 0xd800 &&
      unit <= 0xdbff &&
      isLowSurrogate(text.charCodeAt(index + 1)) &&
      index + 1 < offset
    ) {
      index++;
    }
    column++;
  }
  return { line, column, offset };
}
