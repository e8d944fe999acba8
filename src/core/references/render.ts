/**
 * Rendering a parsed template for one place in a request. Each reference's value is written in
 * the form its placement needs, and the text that results is never scanned again: a value that
 * holds "@{vault.X}" appears as those characters. Errors point into the template as written and
 * name references by their source; they never hold a value or the rendered text.
 */

import { InvalidJsonError, type JsonValue, parseJsonText } from '../vault';
import { locate, ReferencePlacementError, type TextLocation } from './errors';
import { escapeText, kindOf, templateText } from './template';
import { type Placement, placements, type Reference, type TemplatePart } from './types';

/**
 * Writes the template with each reference replaced by its value (see docs/integrations.md,
 * "References", for each placement's rules). `resolve` is called once per reference, in order.
 * @throws ReferencePlacementError when the result cannot go in its placement; TypeError when
 *   `resolve` returns something that is not JSON, or for arguments of the wrong kind. Errors
 *   thrown by `resolve` pass through.
 * @example
 * const parts = parseTemplate('{"port": @{vault.PORT}, "host": "db-@{vault.HOST}"}');
 * renderTemplate(parts, 'json', (r) => (r.entry === 'PORT' ? 5432 : 'a"b'));
 * // '{"port": 5432, "host": "db-a\\"b"}'
 */
export function renderTemplate(
  parts: readonly TemplatePart[],
  placement: Placement,
  resolve: (reference: Reference) => JsonValue,
): string {
  if (!Array.isArray(parts))
    throw new TypeError(`parts must be an array of template parts, got ${kindOf(parts)}`);
  if (!placements.includes(placement))
    throw new TypeError(
      `placement must be one of ${placements.join(', ')}, got ${typeof placement === 'string' ? JSON.stringify(placement) : kindOf(placement)}`,
    );
  if (typeof resolve !== 'function')
    throw new TypeError(`resolve must be a function, got ${kindOf(resolve)}`);
  for (const part of parts) checkPart(part);
  switch (placement) {
    case 'text':
      return join(parts, resolve, (value) => value);
    case 'url':
      return join(parts, resolve, (value, reference) => {
        if (/\p{Cs}/u.test(value))
          throw new ReferencePlacementError(
            placement,
            'unpaired-surrogate',
            `the value of ${reference.source} holds an unpaired UTF-16 surrogate, which a URL cannot carry`,
            reference.source,
            referenceLocation(parts, reference),
          );
        return encodeURIComponent(value);
      });
    case 'header-name':
      return renderHeaderName(parts, resolve);
    case 'header-value':
      return renderHeaderValue(parts, resolve);
    case 'json':
      return renderJson(parts, resolve);
  }
}

/** Literal text as is, each value's text as `write` turns it. */
function join(
  parts: readonly TemplatePart[],
  resolve: (reference: Reference) => JsonValue,
  write: (value: string, reference: Reference) => string,
): string {
  let out = '';
  for (const part of parts) {
    if (part.kind === 'text') out += part.text;
    else out += write(valueText(resolve(part.reference), part.reference), part.reference);
  }
  return out;
}

// The header placements check the template's own text first, so that a template that cannot
// work asks for no value.

function renderHeaderName(
  parts: readonly TemplatePart[],
  resolve: (reference: Reference) => JsonValue,
): string {
  const offset = firstTextOffset(parts, (text) => text.search(/[^!#$%&'*+\-.^_`|~0-9A-Za-z]/));
  if (offset !== undefined)
    throw new ReferencePlacementError(
      'header-name',
      'not-a-token',
      `the header name's text at ${place(offset)} has a character a header name cannot hold (${tokenRule})`,
      undefined,
      offset,
    );
  const out = join(parts, resolve, (value, reference) => {
    if (!isToken(value))
      throw new ReferencePlacementError(
        'header-name',
        'not-a-token',
        `the value of ${reference.source} has a character a header name cannot hold (${tokenRule})`,
        reference.source,
        referenceLocation(parts, reference),
      );
    return value;
  });
  if (out === '')
    throw new ReferencePlacementError(
      'header-name',
      'not-a-token',
      'the header name is empty; a header name is one or more token characters',
      undefined,
    );
  return out;
}

function renderHeaderValue(
  parts: readonly TemplatePart[],
  resolve: (reference: Reference) => JsonValue,
): string {
  const offset = firstTextOffset(parts, (text) => text.search(/[\r\n\0]/));
  if (offset !== undefined)
    throw new ReferencePlacementError(
      'header-value',
      'line-break-in-header',
      `the header value's text at ${place(offset)} holds a line break or NUL, which a header value cannot hold`,
      undefined,
      offset,
    );
  return join(parts, resolve, (value, reference) => {
    if (/[\r\n\0]/.test(value))
      throw new ReferencePlacementError(
        'header-value',
        'line-break-in-header',
        `the value of ${reference.source} holds a line break or NUL, which a header value cannot hold`,
        reference.source,
        referenceLocation(parts, reference),
      );
    return value;
  });
}

const tokenRule = "a token allows only letters, digits and !#$%&'*+-.^_`|~";

function isToken(text: string): boolean {
  return /^[!#$%&'*+\-.^_`|~0-9A-Za-z]*$/.test(text);
}

function place(location: TextLocation): string {
  return `line ${location.line}, column ${location.column}`;
}

/**
 * The JSON placement: while walking the literal text, track whether the position is inside a
 * string literal (minding `\"` and `\\`); a value goes in JSON-escaped without quotes inside a
 * string, as a whole JSON value outside one. The result must then parse.
 */
function renderJson(
  parts: readonly TemplatePart[],
  resolve: (reference: Reference) => JsonValue,
): string {
  let out = '';
  let inString = false;
  let escaped = false;
  // Where each part landed in the rendered text, to map a problem back to the template.
  const starts: number[] = [];
  for (const part of parts) {
    starts.push(out.length);
    if (part.kind === 'text') {
      for (let index = 0; index < part.text.length; index++) {
        const unit = part.text.charCodeAt(index);
        if (!inString) inString = unit === 0x22;
        else if (escaped) escaped = false;
        else if (unit === 0x5c) escaped = true;
        else if (unit === 0x22) inString = false;
      }
      out += part.text;
      continue;
    }
    const reference = part.reference;
    if (escaped)
      throw new ReferencePlacementError(
        'json',
        'invalid-json',
        `the body is not valid JSON: ${reference.source} follows a backslash inside a string`,
        reference.source,
        referenceLocation(parts, reference),
      );
    const value = resolve(reference);
    const text = valueText(value, reference);
    out += inString ? JSON.stringify(text).slice(1, -1) : JSON.stringify(value);
  }
  try {
    JSON.parse(out);
    return out;
  } catch {
    // JSON.parse's message may quote the text: it is dropped, and the place found again below.
  }
  let offset = out.length;
  let problem: string | undefined;
  try {
    parseJsonText(out);
  } catch (error) {
    if (!(error instanceof InvalidJsonError) || error.offset === undefined) throw error;
    offset = error.offset;
    problem = error.problem;
  }
  let index = parts.length - 1;
  while (index > 0 && starts[index]! > offset) index--;
  const part = parts[index];
  if (part?.kind === 'reference' && offset < out.length)
    throw new ReferencePlacementError(
      'json',
      'invalid-json',
      `the body is not valid JSON: the value of ${part.reference.source} does not fit where it stands (outside a string, a reference stands for a whole JSON value)`,
      part.reference.source,
      referenceLocation(parts, part.reference),
    );
  const location =
    part?.kind === 'text' && offset < out.length
      ? textLocation(parts, index, offset - starts[index]!)
      : endLocation(parts);
  throw new ReferencePlacementError(
    'json',
    'invalid-json',
    `the body is not valid JSON at ${place(location)}${problem === undefined ? '' : `: ${problem}`}`,
    undefined,
    location,
  );
}

/** A value as text: a string as itself, any other JSON as JSON.stringify writes it. */
function valueText(value: unknown, reference: Reference): string {
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
      if (!Number.isFinite(value))
        throw new TypeError(
          `the value for ${reference.source} must be JSON; a number that is not finite is not`,
        );
      return JSON.stringify(value);
    case 'boolean':
      return JSON.stringify(value);
    case 'object':
      return JSON.stringify(value);
    default:
      throw new TypeError(`the value for ${reference.source} must be JSON, got ${kindOf(value)}`);
  }
}

function checkPart(part: unknown): asserts part is TemplatePart {
  const shape = part as { kind?: unknown; text?: unknown; reference?: { source?: unknown } };
  if (typeof part !== 'object' || part === null)
    throw new TypeError(`a template part must be an object, got ${kindOf(part)}`);
  if (shape.kind === 'text' && typeof shape.text === 'string') return;
  if (
    shape.kind === 'reference' &&
    typeof shape.reference === 'object' &&
    shape.reference !== null &&
    typeof shape.reference.source === 'string'
  )
    return;
  throw new TypeError(
    "a template part must be { kind: 'text', text } or { kind: 'reference', reference } as parseTemplate returns",
  );
}

/** Where a reference is in the template as written. */
function referenceLocation(parts: readonly TemplatePart[], reference: Reference): TextLocation {
  const index = parts.findIndex(
    (part) => part.kind === 'reference' && part.reference === reference,
  );
  return locate(templateText(parts), writtenStart(parts, index));
}

/** Where the `inside`-th unit of the text part at `index` is, in the template as written. */
function textLocation(parts: readonly TemplatePart[], index: number, inside: number): TextLocation {
  const part = parts[index];
  // Each "@{" that starts before the place is written one unit longer, as "@@{".
  let before = inside;
  if (part?.kind === 'text')
    for (
      let at = part.text.indexOf('@{');
      at !== -1 && at < inside;
      at = part.text.indexOf('@{', at + 2)
    )
      before++;
  return locate(templateText(parts), writtenStart(parts, index) + before);
}

function endLocation(parts: readonly TemplatePart[]): TextLocation {
  const whole = templateText(parts);
  return locate(whole, whole.length);
}

/** The first place in the literal text that `search` finds, in the template as written. */
function firstTextOffset(
  parts: readonly TemplatePart[],
  search: (text: string) => number,
): TextLocation | undefined {
  for (const [index, part] of parts.entries()) {
    if (part.kind !== 'text') continue;
    const found = search(part.text);
    if (found !== -1) return textLocation(parts, index, found);
  }
  return undefined;
}

/** Offset of the part at `index` in the template as written (templateText). */
function writtenStart(parts: readonly TemplatePart[], index: number): number {
  let offset = 0;
  for (const part of parts.slice(0, index)) {
    offset += part.kind === 'text' ? escapedLength(part.text) : part.reference.source.length;
  }
  return offset;
}

/** The length of literal text as written: each "@{" takes one more unit, as "@@{". */
function escapedLength(text: string): number {
  return escapeText(text).length;
}
