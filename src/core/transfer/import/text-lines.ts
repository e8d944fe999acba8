/**
 * Line numbers for text formats: where an offset falls, counting "\n", "\r\n" and a lone "\r"
 * as one line break each, as editors do. Built once per file, answered by binary search, so a
 * 10,000-line file costs no more than reading it.
 */
export class LineIndex {
  readonly #starts: number[] = [0];

  constructor(text: string) {
    for (let at = 0; at < text.length; at++) {
      const code = text.charCodeAt(at);
      if (code === 10) this.#starts.push(at + 1);
      else if (code === 13) {
        if (text.charCodeAt(at + 1) === 10) at++;
        this.#starts.push(at + 1);
      }
    }
  }

  /** The 1-based line of a 0-based UTF-16 offset. */
  lineOf(offset: number): number {
    let low = 0;
    let high = this.#starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (this.#starts[middle]! <= offset) low = middle;
      else high = middle - 1;
    }
    return low + 1;
  }
}

/** Drops a leading byte order mark, which editors on Windows add and no format means. */
export function withoutBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Whether text holds NUL or other C0 controls a text format never has: binary junk. */
export function looksBinary(text: string): boolean {
  const end = Math.min(text.length, 4096);
  for (let at = 0; at < end; at++) {
    const code = text.charCodeAt(at);
    // Tab, line feed, vertical tab, form feed, carriage return and escape occur in real text.
    if (code < 0x20 && (code < 0x09 || (code > 0x0d && code !== 0x1b))) return true;
  }
  return false;
}
