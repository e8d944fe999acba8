/**
 * Completion for a template editor: when the cursor stands in a reference being typed, which
 * kind of name goes there, what has been typed of it, and which span a chosen name replaces.
 */

import { ReferenceSyntaxError } from './errors';
import { type AccessorRole, isNameUnit, kindOf, ReferenceReader, scopeWords } from './template';

/**
 * What is being typed: 'root' the scope (offer `vault.`, `vaults.`, `keep.`), 'vault-name' a
 * vault's name after `vaults`, 'entry' an entry's name (in `vault`, the default vault, in
 * `vaults.X`), 'keep' a kept name.
 * @example
 * const context: CompletionContext = 'entry';
 */
export type CompletionContext = 'root' | 'vault-name' | 'entry' | 'keep';

/**
 * Where and what to complete. The chosen completion replaces `from`..`to`: for 'root' the
 * scope word (and a "." after it), so insert `vault.`, `vaults.` or `keep.`; otherwise the
 * whole accessor, its "." or "[" included, so insert `formatAccessor(name)` (`.API_KEY`, or
 * `["db.password"]` for a name that needs quotes). `prefix` is what has been typed of the name
 * (quoted escapes decoded); `vault` is the vault named before an entry, for `vaults.X.`.
 * @example
 * referenceCompletion('@{vaults.ops.AP', 15);
 * // { from: 12, to: 15, context: 'entry', vault: 'ops', prefix: 'AP' }
 */
export interface Completion {
  readonly from: number;
  readonly to: number;
  readonly context: CompletionContext;
  readonly vault?: string;
  readonly prefix: string;
}

/**
 * The completion at `cursor`, or `undefined` when the cursor is not in an unfinished name of a
 * reference (in text, after an "@@{" escape, in a field after the entry, after a finished
 * `["..."]`, or where no name could make the reference well-formed).
 * Only the text before the cursor decides; the text after it only widens `to` over the rest of
 * the name being edited.
 * @throws TypeError or RangeError for arguments of the wrong kind or out of range.
 * @example
 * referenceCompletion('x @{', 4); // { from: 4, to: 4, context: 'root', prefix: '' }
 * referenceCompletion('@{vault.AP}', 10); // { from: 7, to: 10, context: 'entry', prefix: 'AP' }
 * referenceCompletion('@@{', 3); // undefined
 */
export function referenceCompletion(text: string, cursor: number): Completion | undefined {
  if (typeof text !== 'string') throw new TypeError(`text must be a string, got ${kindOf(text)}`);
  if (typeof cursor !== 'number')
    throw new TypeError(`cursor must be a number, got ${kindOf(cursor)}`);
  if (!Number.isInteger(cursor) || cursor < 0 || cursor > text.length)
    throw new RangeError(`cursor must be an integer from 0 to ${text.length}, got ${cursor}`);
  const before = text.slice(0, cursor);
  let at = before.indexOf('@');
  while (at !== -1) {
    if (before.startsWith('@@{', at)) {
      at = before.indexOf('@', at + 3);
    } else if (before.startsWith('@{', at)) {
      const reader = new ReferenceReader(before, at);
      try {
        at = before.indexOf('@', reader.read().end);
      } catch (error) {
        if (!(error instanceof ReferenceSyntaxError)) throw error;
        // A reference the text before the cursor leaves unfinished is the last one there.
        if (error.offset === cursor || (reader.stage === 'scope' && reader.scopeEnd === cursor))
          return completionIn(reader, text, cursor);
        at = before.indexOf('@', at + 2);
      }
    } else {
      at = before.indexOf('@', at + 1);
    }
  }
  return undefined;
}

const contexts: Readonly<Record<Exclude<AccessorRole, 'field'>, CompletionContext>> = {
  'vault-name': 'vault-name',
  entry: 'entry',
  keep: 'keep',
};

/** The completion for a reader that stopped at the cursor. */
function completionIn(
  reader: ReferenceReader,
  text: string,
  cursor: number,
): Completion | undefined {
  const scopeTyped = reader.scopeEnd === cursor;
  if (reader.stage === 'scope' || (scopeTyped && reader.accessors.length === 0)) {
    if (!scopeTyped) return undefined;
    const prefix = text.slice(reader.scopeStart, cursor);
    if (!scopeWords.some((word) => word.startsWith(prefix))) return undefined;
    let to = cursor;
    while (isNameUnit(text.charCodeAt(to))) to++;
    if (text[to] === '.') to++;
    return { from: reader.scopeStart, to, context: 'root', prefix };
  }
  const last = reader.accessors[reader.accessors.length - 1];
  const target = reader.current
    ? { role: reader.current.role, start: reader.current.start, prefix: reader.current.text }
    : last?.form === 'dot' && last.end === cursor && reader.pos === cursor
      ? { role: last.role, start: last.start, prefix: String(last.value) }
      : undefined;
  if (target === undefined || target.role === 'field') return undefined;
  const vault = reader.accessors[0];
  return {
    from: target.start,
    to: accessorEnd(text, reader.start, target.start, cursor),
    context: contexts[target.role],
    ...(target.role === 'entry' && vault?.role === 'vault-name'
      ? { vault: String(vault.value) }
      : {}),
    prefix: target.prefix,
  };
}

/** Where the accessor starting at `from` ends in the whole text (at least at the cursor). */
function accessorEnd(text: string, referenceStart: number, from: number, cursor: number): number {
  const reader = new ReferenceReader(text, referenceStart);
  try {
    reader.read();
  } catch (error) {
    if (!(error instanceof ReferenceSyntaxError)) throw error;
  }
  const read = reader.accessors.find((accessor) => accessor.start === from);
  if (read) return Math.max(cursor, read.end);
  if (reader.current?.start === from) return Math.max(cursor, reader.pos);
  return cursor;
}
