import {
  type Placement,
  parseTemplate,
  type Reference,
  renderTemplate,
  type TemplatePart,
} from '../references';
import type { JsonValue } from '../vault';
import { ReferenceUnresolvedError } from './errors';
import { checkRequestUrl, type OutgoingRequest } from './http';
import type { IntegrationField, RequestTemplate } from './types';

/**
 * From a request template to the request the page sends: each field parsed once, its
 * references resolved, and the values written in the way the field needs (src/core/references).
 * Errors carry the field they belong to (`fieldOf`), so the UI shows them there.
 */

const fields = new WeakMap<object, IntegrationField>();

/** The field an error was raised for, if it was. */
export function fieldOf(error: unknown): IntegrationField | undefined {
  return typeof error === 'object' && error !== null ? fields.get(error) : undefined;
}

export function atField<T>(field: IntegrationField, run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (typeof error === 'object' && error !== null && !fields.has(error)) {
      fields.set(error, field);
    }
    throw error;
  }
}

/** One field of the template, parsed, with where it goes. */
export interface ParsedField {
  readonly field: IntegrationField;
  readonly placement: Placement;
  readonly parts: readonly TemplatePart[];
}

/** Every field that is sent (switched-off pairs are not), parsed; the first syntax error throws. */
export function parseRequest(template: RequestTemplate): ParsedField[] {
  const out: ParsedField[] = [];
  const add = (field: IntegrationField, placement: Placement, text: string) => {
    out.push({ field, placement, parts: atField(field, () => parseTemplate(text)) });
  };
  add({ part: 'url' }, 'url', template.url);
  template.query.forEach((pair, index) => {
    if (!pair.enabled) return;
    add({ part: 'query', index, side: 'name' }, 'text', pair.name);
    add({ part: 'query', index, side: 'value' }, 'text', pair.value);
  });
  template.headers.forEach((pair, index) => {
    if (!pair.enabled) return;
    add({ part: 'header', index, side: 'name' }, 'header-name', pair.name);
    add({ part: 'header', index, side: 'value' }, 'header-value', pair.value);
  });
  if (template.body.type !== 'none') {
    add({ part: 'body' }, template.body.type === 'json' ? 'json' : 'text', template.body.text);
  }
  return out;
}

/** Every reference in the parsed fields, with its field. */
export function referencesOf(
  parsed: readonly ParsedField[],
): { reference: Reference; field: IntegrationField }[] {
  return parsed.flatMap(({ field, parts }) =>
    parts.flatMap((part) =>
      part.kind === 'reference' ? [{ reference: part.reference, field }] : [],
    ),
  );
}

/** Follows `path` into `value`; ReferenceUnresolvedError naming the first step that is not there. */
export function walkPath(
  value: JsonValue | undefined,
  reference: Reference,
  field: IntegrationField | undefined,
): JsonValue {
  let current: JsonValue | undefined = value;
  let where = reference.entry;
  for (const segment of reference.path) {
    const next: JsonValue | undefined =
      typeof segment === 'number'
        ? Array.isArray(current)
          ? current[segment]
          : undefined
        : current !== null && typeof current === 'object' && !Array.isArray(current)
          ? Object.hasOwn(current, segment)
            ? current[segment]
            : undefined
          : undefined;
    if (next === undefined) {
      throw new ReferenceUnresolvedError(
        reference.source,
        'no-field',
        typeof segment === 'number'
          ? `${where} has no item ${segment}`
          : `${where} has no field "${segment}"`,
        field,
      );
    }
    current = next;
    where = typeof segment === 'number' ? `${where}[${segment}]` : `${where}.${segment}`;
  }
  if (current === undefined) {
    throw new ReferenceUnresolvedError(reference.source, 'no-entry', 'has no value', field);
  }
  return current;
}

/** Default content types for a body the user gave none for. */
const bodyContentType = { json: 'application/json', text: 'text/plain;charset=utf-8' } as const;

/** Renders every field with `resolve` and assembles the request. */
export function buildRequest(
  template: RequestTemplate,
  parsed: readonly ParsedField[],
  resolve: (reference: Reference, field: IntegrationField) => JsonValue,
): OutgoingRequest {
  const rendered = new Map<string, string>();
  const key = (field: IntegrationField) => JSON.stringify(field);
  for (const { field, placement, parts } of parsed) {
    rendered.set(
      key(field),
      atField(field, () =>
        renderTemplate(parts, placement, (reference) => resolve(reference, field)),
      ),
    );
  }
  const text = (field: IntegrationField) => rendered.get(key(field)) ?? '';
  const url = atField({ part: 'url' }, () => checkRequestUrl(text({ part: 'url' })));
  template.query.forEach((pair, index) => {
    if (!pair.enabled) return;
    const name = text({ part: 'query', index, side: 'name' });
    if (name === '') return;
    url.searchParams.append(name, text({ part: 'query', index, side: 'value' }));
  });
  const headers: [string, string][] = [];
  template.headers.forEach((pair, index) => {
    if (!pair.enabled) return;
    const name = text({ part: 'header', index, side: 'name' });
    if (name === '') return;
    headers.push([name, text({ part: 'header', index, side: 'value' })]);
  });
  let body: string | undefined;
  if (template.body.type !== 'none') {
    body = text({ part: 'body' });
    if (!headers.some(([name]) => name.toLowerCase() === 'content-type')) {
      headers.push(['Content-Type', bodyContentType[template.body.type]]);
    }
  }
  return { method: template.method, url: url.href, headers, body };
}
