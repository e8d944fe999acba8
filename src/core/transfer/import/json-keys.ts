/**
 * The keys of a JSON text as written, which JSON.parse cannot tell: it keeps the last of two
 * equal keys without a word, and an import that silently drops a value loses a secret. Runs
 * over text that already parsed (parseJsonText), so it only tracks strings and nesting.
 */
import { ImportFormatError } from '../errors';
import type { ImportFormat } from '../types';
import type { LineIndex } from './text-lines';

interface ObjectFrame {
  readonly object: true;
  readonly keys: Map<string, number>;
  expectingKey: boolean;
}
type Frame = ObjectFrame | { readonly object: false };

/**
 * Checks that no object in `text` has a key twice (refused with the line of the second one)
 * and returns where each top-level key starts (offsets into `text`), for line numbers.
 */
export function checkJsonKeys(
  text: string,
  lines: LineIndex,
  format: ImportFormat,
): Map<string, number> {
  const stack: Frame[] = [];
  let topLevel = new Map<string, number>();
  for (let at = 0; at < text.length; at++) {
    const character = text[at];
    if (character === '{') stack.push({ object: true, keys: new Map(), expectingKey: true });
    else if (character === '[') stack.push({ object: false });
    else if (character === '}' || character === ']') {
      const frame = stack.pop();
      if (stack.length === 0 && frame?.object) topLevel = frame.keys;
    } else if (character === ',') {
      const top = stack[stack.length - 1];
      if (top?.object) top.expectingKey = true;
    } else if (character === '"') {
      const end = stringEnd(text, at);
      const top = stack[stack.length - 1];
      if (top?.object && top.expectingKey) {
        top.expectingKey = false;
        const key = JSON.parse(text.slice(at, end + 1)) as string;
        const first = top.keys.get(key);
        if (first !== undefined) {
          throw new ImportFormatError(
            format,
            { line: lines.lineOf(at) },
            `an object has this key twice (first on line ${lines.lineOf(first)}); JSON readers silently keep only the later value, so the file is refused: remove or rename one`,
          );
        }
        top.keys.set(key, at);
      }
      at = end;
    }
  }
  return topLevel;
}

/** The offset of the quote that ends the string starting at `start` (the text is valid JSON). */
function stringEnd(text: string, start: number): number {
  let at = start + 1;
  for (;;) {
    const quote = text.indexOf('"', at);
    const backslash = text.indexOf('\\', at);
    if (backslash >= 0 && backslash < quote) {
      at = backslash + 2;
      continue;
    }
    return quote;
  }
}
