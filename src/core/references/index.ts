/**
 * References: the `@{...}` grammar of integration request templates, and how a template is
 * rendered for each place in a request. docs/integrations.md, "References", is the spec.
 *
 * Contract:
 * - `parseTemplate(text)` reads a template left to right with a hand-written scanner and
 *   returns its parts: literal text (adjacent text merged, the escape "@@{" already turned into
 *   "@{") and references `@{vault.ENTRY...}`, `@{vaults.VAULT.ENTRY...}`, `@{keep.NAME...}`,
 *   each with its scope, vault, entry, path of fields and indexes, offsets and exact source.
 *   At each "@" an escape is tried before a reference, so "@@@{vault.X}" is the literal text
 *   "@@{vault.X}". A lone "@" or "{" is text. Any other text after "@{" throws
 *   ReferenceSyntaxError with line, column, offset, what was expected and what was found.
 * - `renderTemplate(parts, placement, resolve)` calls `resolve` once per reference, in order,
 *   and writes each value for its placement: 'text' as is; 'url' percent-encoded as a
 *   component; 'header-name' only if the whole is an RFC 9110 token; 'header-value' never with
 *   CR, LF or NUL (refused, not stripped); 'json' JSON-escaped inside a string literal of the
 *   template, a whole JSON value outside one, and the result must parse. A value is text as
 *   itself if a string, as JSON.stringify otherwise. What a value holds is never read as
 *   template: "@{vault.X}" in a value appears as those characters.
 * - A result that cannot go in its placement throws ReferencePlacementError with the reason,
 *   the reference's source (names only) and the place in the template as written. No error,
 *   message or field ever holds a value or the rendered text: values are secrets.
 * - `formatReference(target)` writes the canonical text of a reference (names quoted when
 *   they need it), which parses back to the same scope, vault, entry and path;
 *   `formatAccessor(name)` writes one accessor, as completions insert it.
 * - `referenceCompletion(text, cursor)` says, for an editor, which name is being typed at the
 *   cursor inside an unfinished reference ('root', 'vault-name', 'entry', 'keep'), what has
 *   been typed, and which span a choice replaces; `undefined` anywhere else.
 * - Pure functions over strings: nothing here touches the vault; arguments of the wrong kind
 *   throw TypeError (RangeError when out of range), saying what arrived.
 */
export { type Completion, type CompletionContext, referenceCompletion } from './completion';
export {
  type PlacementProblem,
  ReferencePlacementError,
  ReferenceSyntaxError,
  type TextLocation,
} from './errors';
export { formatAccessor, formatReference, type ReferenceTarget } from './format';
export { renderTemplate } from './render';
export { parseTemplate, referencesIn } from './template';
export type { PathSegment, Placement, Reference, TemplatePart } from './types';
