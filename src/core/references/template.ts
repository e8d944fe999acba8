/**
 * The scanner of the reference grammar (docs/integrations.md, "References"): it reads a template
 * over UTF-16 code units and splits it into text and `@{...}` references. Writing a reference
 * back in its canonical form is format.ts's job.
 *
 *   template   = *( text / escape / reference )
 *   escape     = "@@{"                         ; a literal "@{"
 *   reference  = "@{" *ws path *ws "}"
 *   path       = "vault" 1*accessor / "vaults" accessor 1*accessor / "keep" 1*accessor
 *   accessor   = "." name / "[" *ws ( quoted / index ) *ws "]"
 *
 * The template is read left to right, and at each "@" an escape is tried before a reference:
 * "@@@{vault.X}" is "@" then the escape, so the literal text "@@{vault.X}".
 */

import { endOfText, locate, ReferenceSyntaxError, show } from './errors';
import type { PathSegment, Reference, TemplatePart } from './types';

/** What a name in an accessor plays: it decides the words of errors and of completions. */
export type AccessorRole = 'vault-name' | 'entry' | 'keep' | 'field';

/** An accessor read in full. */
export interface ReadAccessor {
  readonly role: AccessorRole;
  readonly form: 'dot' | 'bracket';
  readonly value: PathSegment;
  /** Offset of its "." or "[". */
  readonly start: number;
  /** Offset just past its name or "]". */
  readonly end: number;
}

/** The accessor being read when the scanner stopped. */
export interface PartialAccessor {
  readonly role: AccessorRole;
  readonly form: 'dot' | 'bracket';
  readonly start: number;
  /** The name so far, escapes decoded (for a bracket, once its quote has opened). */
  text: string;
}

const scopeWords = ['vault', 'vaults', 'keep'] as const;
type ScopeWord = (typeof scopeWords)[number];

const labels: Readonly<Record<AccessorRole, string>> = {
  'vault-name': 'a vault name',
  entry: 'an entry name',
  keep: 'a kept name',
  field: 'a field name',
};

/**
 * Reads one reference starting at "@{". Its fields say how far it got, which is what
 * completion needs when the text ends inside the reference.
 */
export class ReferenceReader {
  pos: number;
  stage: 'scope' | 'accessors' | 'close' = 'scope';
  /** Where the scope word ("vault", "vaults", "keep") starts and ends. */
  scopeStart = -1;
  scopeEnd = -1;
  readonly accessors: ReadAccessor[] = [];
  current: PartialAccessor | undefined;

  constructor(
    readonly text: string,
    readonly start: number,
  ) {
    this.pos = start + 2;
  }

  read(): Reference {
    this.skipWhitespace();
    this.scopeStart = this.pos;
    const word = this.readName();
    this.scopeEnd = this.pos;
    if (!isScopeWord(word)) {
      this.fail(this.scopeStart, '"vault", "vaults" or "keep"', word === '' ? undefined : word);
    }
    this.stage = 'accessors';
    const required = word === 'vaults' ? 2 : 1;
    for (;;) {
      const unit = this.text[this.pos];
      if (unit === '.' || unit === '[') {
        this.accessors.push(this.readAccessor(roleAt(word, this.accessors.length)));
        continue;
      }
      if (this.accessors.length < required) {
        const role = roleAt(word, this.accessors.length);
        this.fail(this.pos, `"." or "[" and ${labels[role]} after ${this.pathSoFar()}`);
      }
      break;
    }
    this.stage = 'close';
    const pathEnd = this.pos;
    this.skipWhitespace();
    if (this.text[this.pos] !== '}') {
      this.fail(this.pos, this.pos === pathEnd ? '".", "[" or "}"' : '"}"');
    }
    this.pos++;
    const values = this.accessors.map((accessor) => accessor.value);
    const named = word === 'vaults' ? values.splice(0, 2) : values.splice(0, 1);
    return {
      scope: word === 'keep' ? 'keep' : 'vault',
      vault: word === 'vaults' ? (named[0] as string) : undefined,
      entry: named[named.length - 1] as string,
      path: values,
      start: this.start,
      end: this.pos,
      source: this.text.slice(this.start, this.pos),
    };
  }

  private readAccessor(role: AccessorRole): ReadAccessor {
    const start = this.pos;
    if (this.text[this.pos] === '.') {
      this.pos++;
      this.current = { role, form: 'dot', start, text: '' };
      const name = this.readName();
      this.current.text = name;
      if (name === '') this.fail(this.pos, `${labels[role]} after ${this.pathSoFar()}`);
      this.current = undefined;
      return { role, form: 'dot', value: name, start, end: this.pos };
    }
    this.pos++;
    this.current = { role, form: 'bracket', start, text: '' };
    this.skipWhitespace();
    const unit = this.text[this.pos];
    let value: PathSegment;
    if (unit === '"') value = this.readQuoted(this.current);
    else if (role === 'field' && isDigit(unit)) value = this.readIndex();
    else
      this.fail(
        this.pos,
        role === 'field'
          ? 'a quoted field name or an index after "["'
          : `a quoted ${labels[role].replace(/^an? /, '')} after "["`,
      );
    this.skipWhitespace();
    if (this.text[this.pos] !== ']') this.fail(this.pos, '"]"');
    this.pos++;
    this.current = undefined;
    return { role, form: 'bracket', value, start, end: this.pos };
  }

  private readQuoted(current: PartialAccessor): string {
    this.pos++;
    let value = '';
    let runStart = this.pos;
    for (;;) {
      const code = this.text.charCodeAt(this.pos);
      if (Number.isNaN(code)) {
        current.text = value + this.text.slice(runStart, this.pos);
        this.fail(this.pos, 'a closing quote (")');
      }
      if (code === 0x22) {
        value += this.text.slice(runStart, this.pos);
        current.text = value;
        this.pos++;
        return value;
      }
      if (code === 0x5c) {
        value += this.text.slice(runStart, this.pos);
        current.text = value;
        const next = this.text[this.pos + 1];
        if (next !== '"' && next !== '\\')
          this.fail(
            this.pos + 1,
            'a quote (") or a backslash (\\) after a backslash in a quoted name',
          );
        value += next;
        this.pos += 2;
        runStart = this.pos;
        continue;
      }
      if (isControl(code)) {
        current.text = value + this.text.slice(runStart, this.pos);
        this.fail(this.pos, 'a closing quote (") or a character that is not a control character');
      }
      this.pos++;
    }
  }

  private readIndex(): number {
    const start = this.pos;
    if (this.text[this.pos] === '0') {
      this.pos++;
      if (isDigit(this.text[this.pos])) this.fail(this.pos, '"]" (an index has no leading zeros)');
      return 0;
    }
    while (isDigit(this.text[this.pos])) this.pos++;
    const digits = this.text.slice(start, this.pos);
    const index = Number(digits);
    if (!Number.isSafeInteger(index))
      this.fail(start, `an index of at most ${Number.MAX_SAFE_INTEGER}`, digits);
    return index;
  }

  private readName(): string {
    const start = this.pos;
    while (isNameUnit(this.text.charCodeAt(this.pos))) this.pos++;
    return this.text.slice(start, this.pos);
  }

  private skipWhitespace(): void {
    while (this.text[this.pos] === ' ' || this.text[this.pos] === '\t') this.pos++;
  }

  /** The path read so far, for "after ..." in errors. */
  private pathSoFar(): string {
    return show(this.text.slice(this.scopeStart, this.pos));
  }

  private fail(offset: number, expected: string, found?: string): never {
    this.pos = offset;
    throw new ReferenceSyntaxError(
      locate(this.text, offset),
      expected,
      found ?? characterAt(this.text, offset),
    );
  }
}

/**
 * Splits a template into literal text and references. Adjacent text is merged into one part,
 * escapes ("@@{") are already turned into "@{", and empty text parts are left out.
 * @throws ReferenceSyntaxError for the first "@{" that does not start a well-formed reference.
 * @example
 * parseTemplate('Bearer @{vault.TOKEN}');
 * // [{ kind: 'text', text: 'Bearer ' }, { kind: 'reference', reference: { scope: 'vault', ... } }]
 * parseTemplate('@@{vault.X}'); // [{ kind: 'text', text: '@{vault.X}' }]
 */
export function parseTemplate(text: string): TemplatePart[] {
  if (typeof text !== 'string')
    throw new TypeError(`a template must be a string, got ${kindOf(text)}`);
  const parts: TemplatePart[] = [];
  let pending = '';
  let textStart = 0;
  let at = text.indexOf('@');
  while (at !== -1) {
    if (text.startsWith('@@{', at)) {
      pending += `${text.slice(textStart, at)}@{`;
      textStart = at + 3;
      at = text.indexOf('@', textStart);
    } else if (text.startsWith('@{', at)) {
      pending += text.slice(textStart, at);
      if (pending !== '') parts.push({ kind: 'text', text: pending });
      pending = '';
      const reference = new ReferenceReader(text, at).read();
      parts.push({ kind: 'reference', reference });
      textStart = reference.end;
      at = text.indexOf('@', textStart);
    } else {
      at = text.indexOf('@', at + 1);
    }
  }
  pending += text.slice(textStart);
  if (pending !== '') parts.push({ kind: 'text', text: pending });
  return parts;
}

/**
 * The references of a template, in order.
 * @throws ReferenceSyntaxError as parseTemplate does.
 * @example
 * referencesIn('@{vault.A}:@{keep.b}').map((r) => r.entry); // ['A', 'b']
 */
export function referencesIn(text: string): Reference[] {
  return parseTemplate(text).flatMap((part) => (part.kind === 'reference' ? [part.reference] : []));
}

/**
 * The template text that parses to `parts`: literal "@{" written as the escape "@@{", each
 * reference as its source. Positions in it are what errors about a rendered template report.
 */
export function templateText(parts: readonly TemplatePart[]): string {
  return parts
    .map((part) => (part.kind === 'text' ? escapeText(part.text) : part.reference.source))
    .join('');
}

/** Literal text as a template writes it: every "@{" as "@@{". */
export function escapeText(text: string): string {
  return text.replaceAll('@{', '@@{');
}

/** The accessor role of the accessor at `index` after a scope word. */
export function roleAt(scope: ScopeWord, index: number): AccessorRole {
  if (scope === 'vaults') return index === 0 ? 'vault-name' : index === 1 ? 'entry' : 'field';
  if (index > 0) return 'field';
  return scope === 'keep' ? 'keep' : 'entry';
}

export function isScopeWord(word: string): word is ScopeWord {
  return (scopeWords as readonly string[]).includes(word);
}

export { scopeWords };

/** ALPHA / DIGIT / "_" / "-" */
export function isNameUnit(code: number): boolean {
  return (
    (code >= 0x61 && code <= 0x7a) ||
    (code >= 0x41 && code <= 0x5a) ||
    (code >= 0x30 && code <= 0x39) ||
    code === 0x5f ||
    code === 0x2d
  );
}

function isDigit(unit: string | undefined): boolean {
  return unit !== undefined && unit >= '0' && unit <= '9';
}

/** C0 controls and DEL: never inside a quoted name. */
export function isControl(code: number): boolean {
  return code < 0x20 || code === 0x7f;
}

/** The character (a whole code point) at `offset`, or 'end of text'. */
function characterAt(text: string, offset: number): string {
  const code = text.codePointAt(offset);
  return code === undefined ? endOfText : String.fromCodePoint(code);
}

/** Names what arrived, without its contents (it may be secret). */
export function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value !== 'object') return typeof value;
  return value.constructor?.name ?? 'object';
}
