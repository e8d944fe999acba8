/**
 * Errors of the reference grammar. They carry data (where, what was expected, which reference)
 * and say in plain words what was wrong. A template's names may appear in them; a substituted
 * value never does, in any message or property: values are secrets, and errors end up in logs.
 * Each class has a stable `code` (src/core/errors).
 */

import { CofferError } from '../errors';
import { locateInText } from '../vault';
import type { Placement } from './types';

/** What `found` holds when the text ended where something else was expected. */
export const endOfText = 'end of text';

/** Longest name or word shown in a message; longer ones are cut. */
const maxShown = 64;

/**
 * A name, word or character as messages show it: quoted, and cut if very long.
 * @example
 * show('vault.'); // '"vault."'
 */
export function show(text: string): string {
  const codePoints = Array.from(text);
  return JSON.stringify(
    codePoints.length > maxShown ? `${codePoints.slice(0, maxShown - 1).join('')}…` : text,
  );
}

/** A place in a text: 1-based line and column (a surrogate pair counts as one), 0-based offset. */
export interface TextLocation {
  readonly line: number;
  readonly column: number;
  /** 0-based, in UTF-16 code units (what editors use). */
  readonly offset: number;
}

/**
 * The line and column of `offset` in `text`. A line ends at LF, CR or CRLF.
 * @example
 * locate('a\nbc', 3); // { line: 2, column: 2, offset: 3 }
 */
export function locate(text: string, offset: number): TextLocation {
  return locateInText(text, offset);
}

/**
 * A template that breaks the reference grammar (docs/integrations.md, "References"): `line`
 * and `column` (1-based) and `offset` (0-based UTF-16) point at the problem; `expected` says
 * what would have been accepted there and `found` is the character (or the word, for an unknown
 * scope or an index too large) that was there instead, or `'end of text'`.
 * @example
 * try {
 *   parseTemplate('@{vault.}');
 * } catch (error) {
 *   // Reference at line 1, column 9: expected an entry name after "vault.", found "}"
 *   if (error instanceof ReferenceSyntaxError) editor.mark(error.offset);
 * }
 */
export class ReferenceSyntaxError extends CofferError {
  override readonly name = 'ReferenceSyntaxError';
  override readonly code = 'reference-syntax' as const;
  readonly offset: number;
  readonly line: number;
  readonly column: number;

  constructor(
    location: TextLocation,
    readonly expected: string,
    readonly found: string,
  ) {
    super(
      `Reference at line ${location.line}, column ${location.column}: expected ${expected}, found ${
        found === endOfText ? endOfText : show(found)
      }`,
    );
    this.offset = location.offset;
    this.line = location.line;
    this.column = location.column;
  }
}

/**
 * Why a rendered template cannot go where it was meant to:
 * - 'line-break-in-header': a header value (a substituted value, or the template's own text)
 *   holds CR, LF or NUL, which could split the request; it is refused, never stripped.
 * - 'not-a-token': a header name is empty or holds a character outside RFC 9110's tchar.
 * - 'invalid-json': the rendered body is not JSON, or a reference follows a backslash inside
 *   a JSON string.
 * - 'unpaired-surrogate': a value for a URL holds a lone UTF-16 surrogate, which has no UTF-8
 *   form to percent-encode.
 * @example
 * const reason: PlacementProblem = 'line-break-in-header';
 */
export type PlacementProblem =
  | 'line-break-in-header'
  | 'not-a-token'
  | 'invalid-json'
  | 'unpaired-surrogate';

/**
 * A rendered template that does not fit its placement. `reference` is the source text of the
 * reference whose value was refused (it holds names only), or `undefined` when the template's
 * own text is at fault. `line`, `column` and `offset` point into the template as written (a
 * value's problem points at its reference), when there is a place to point at. Neither the
 * value nor the rendered text is ever part of the error.
 * @example
 * try {
 *   renderTemplate(parseTemplate('Bearer @{vault.TOKEN}'), 'header-value', resolve);
 * } catch (error) {
 *   // the value of @{vault.TOKEN} holds a line break or NUL, which a header value cannot hold
 *   if (error instanceof ReferencePlacementError) console.warn(error.reason, error.reference);
 * }
 */
export class ReferencePlacementError extends CofferError {
  override readonly name = 'ReferencePlacementError';
  override readonly code = 'reference-placement' as const;
  readonly line: number | undefined;
  readonly column: number | undefined;
  readonly offset: number | undefined;

  constructor(
    readonly placement: Placement,
    readonly reason: PlacementProblem,
    message: string,
    readonly reference: string | undefined,
    location?: TextLocation,
  ) {
    super(message);
    this.line = location?.line;
    this.column = location?.column;
    this.offset = location?.offset;
  }
}
