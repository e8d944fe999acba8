/**
 * The shapes of parsed templates: what the parser returns and the renderer takes.
 */

/**
 * One step into an entry's JSON value: a property name, or an index into an array.
 * @example
 * const path: PathSegment[] = ['servers', 0, 'url']; // @{vault.config.servers[0].url}
 */
export type PathSegment = string | number;

/**
 * One `@{...}` reference, as parsed from a template.
 * @example
 * parseTemplate('x@{vaults["My vault"].db.host}')[1];
 * // { kind: 'reference', reference: { scope: 'vault', vault: 'My vault', entry: 'db',
 * //   path: ['host'], start: 1, end: 30, source: '@{vaults["My vault"].db.host}' } }
 */
export interface Reference {
  readonly scope: 'vault' | 'keep';
  /** Set for `vaults.X...`; `undefined` for the integration's default vault, and for keep. */
  readonly vault: string | undefined;
  /** The entry's name, or for keep the kept name. */
  readonly entry: string;
  /** Fields into the JSON value after the entry: names and array indexes. */
  readonly path: readonly PathSegment[];
  /** Offset (UTF-16) of "@{" in the template. */
  readonly start: number;
  /** Offset just past "}". */
  readonly end: number;
  /** The reference exactly as written: names only, never a value. */
  readonly source: string;
}

/**
 * A piece of a parsed template: literal text (escapes already turned into "@{"), or a
 * reference.
 * @example
 * const parts: TemplatePart[] = [
 *   { kind: 'text', text: 'Bearer ' },
 *   { kind: 'reference', reference },
 * ];
 */
export type TemplatePart =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'reference'; readonly reference: Reference };

/**
 * Where a rendered template goes, which decides how values are written into it:
 * - 'text': as is;
 * - 'url': each value percent-encoded as a URL component (literal text left alone);
 * - 'header-name': the whole must be an RFC 9110 token;
 * - 'header-value': no CR, LF or NUL anywhere;
 * - 'json': a JSON body; values JSON-escaped inside strings, whole JSON values outside.
 * @example
 * renderTemplate(parts, 'url', resolve);
 */
export type Placement = 'text' | 'url' | 'header-name' | 'header-value' | 'json';

/** Every placement, for checks at entry. */
export const placements: readonly Placement[] = [
  'text',
  'url',
  'header-name',
  'header-value',
  'json',
];
