/**
 * Properties of the reference grammar and its rendering, over generated names, values and
 * templates: values are never read as template, JSON bodies give back exactly the values put
 * in, URL components decode to the value, and the canonical form of a reference parses back.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  formatReference,
  type PathSegment,
  parseTemplate,
  type Reference,
  ReferencePlacementError,
  ReferenceSyntaxError,
  type ReferenceTarget,
  renderTemplate,
} from '../../../src/core/references';
import type { JsonValue } from '../../../src/core/vault';

/** Strings rich in what matters here: reference syntax, quotes, backslashes, line breaks. */
const tricky = fc
  .array(
    fc.oneof(
      fc.string({ unit: 'binary', maxLength: 6 }),
      fc.constantFrom(
        '@{vault.A}',
        '@{',
        '@@{',
        '@',
        '{',
        '}',
        '"',
        '\\',
        '\\"',
        '\r\n',
        '\n',
        '\0',
        '\u2028',
        '🔑',
        '\ud800',
        'é',
      ),
    ),
    { maxLength: 6 },
  )
  .map((pieces) => pieces.join(''));

const jsonValue: fc.Arbitrary<JsonValue> = fc.oneof(
  tricky,
  fc.jsonValue() as fc.Arbitrary<JsonValue>,
);

/** Literal text of a template: "@{" written as the escape. */
function asWritten(text: string): string {
  return text.replaceAll('@{', '@@{');
}

/** A value's text as rendering defines it. */
function textOf(value: JsonValue): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** A resolver over values named V0, V1, ...; counts its calls. */
function resolver(values: readonly JsonValue[]): {
  resolve: (reference: Reference) => JsonValue;
  calls: () => number;
} {
  let calls = 0;
  return {
    resolve: (reference) => {
      calls++;
      return values[Number(reference.entry.slice(1))]!;
    },
    calls: () => calls,
  };
}

describe('rendering never reads a value as template', () => {
  it('text: the result is the literal text and the values, one call per reference', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(tricky, jsonValue), { maxLength: 5 }),
        tricky,
        (slots, tail) => {
          const template =
            slots.map(([before], index) => `${asWritten(before)}@{vault.V${index}}`).join('') +
            asWritten(tail);
          // An "@" right before a reference would make it the escape: the generator avoids that.
          fc.pre(!slots.some(([before]) => before.endsWith('@')));
          const { resolve, calls } = resolver(slots.map(([, value]) => value));
          const rendered = renderTemplate(parseTemplate(template), 'text', resolve);
          expect(calls()).toBe(slots.length);
          expect(rendered).toBe(
            slots.map(([before, value]) => before + textOf(value)).join('') + tail,
          );
        },
      ),
    );
  });

  it('json: parsing the body gives back exactly each value, in or out of a string', () => {
    const slot = fc.oneof(
      fc.record({ inString: fc.constant(true), before: tricky, value: jsonValue, after: tricky }),
      fc.record({ inString: fc.constant(false), value: jsonValue }),
    );
    fc.assert(
      fc.property(fc.array(slot, { maxLength: 6 }), (slots) => {
        // Literal text inside a JSON string: JSON-escaped, "@{" written as the escape, and a
        // last "@" as \u0040 so that it does not turn the reference into the escape.
        const literal = (text: string) =>
          asWritten(JSON.stringify(text).slice(1, -1)).replace(/@$/, '\\u0040');
        const template = `[${slots
          .map((s, index) =>
            s.inString
              ? `"${literal(s.before)}@{vault.V${index}}${literal(s.after)}"`
              : ` @{ vault.V${index} } `,
          )
          .join(',')}]`;
        const { resolve, calls } = resolver(slots.map((s) => s.value));
        const rendered = renderTemplate(parseTemplate(template), 'json', resolve);
        expect(calls()).toBe(slots.length);
        expect(JSON.parse(rendered)).toEqual(
          slots.map((s) =>
            s.inString ? s.before + textOf(s.value) + s.after : JSON.parse(JSON.stringify(s.value)),
          ),
        );
      }),
    );
  });

  it('header-value: a value goes in as is, or is refused for CR, LF or NUL without showing it', () => {
    fc.assert(
      fc.property(jsonValue, (value) => {
        const parts = parseTemplate('Bearer @{vault.V0}');
        const text = textOf(value);
        if (/[\r\n\0]/.test(text)) {
          let caught: unknown;
          try {
            renderTemplate(parts, 'header-value', () => value);
          } catch (error) {
            caught = error;
          }
          expect(caught).toBeInstanceOf(ReferencePlacementError);
          const error = caught as ReferencePlacementError;
          expect(error.reason).toBe('line-break-in-header');
          expect(error.message).toBe(
            'the value of @{vault.V0} holds a line break or NUL, which a header value cannot hold',
          );
          expect(Object.values(error)).not.toContain(text);
        } else {
          expect(renderTemplate(parts, 'header-value', () => value)).toBe(`Bearer ${text}`);
        }
      }),
    );
  });
});

describe('url', () => {
  it('the component decodes to the value text', () => {
    fc.assert(
      fc.property(jsonValue, tricky, (value, raw) => {
        const text = textOf(value);
        fc.pre(!/\p{Cs}/u.test(text));
        const suffix = `&z=${asWritten(raw)}`;
        const rendered = renderTemplate(
          parseTemplate(`https://x/?q=@{vault.V0}${suffix}`),
          'url',
          () => value,
        );
        const tail = raw;
        expect(rendered.startsWith('https://x/?q=')).toBe(true);
        expect(rendered.endsWith(`&z=${tail}`)).toBe(true);
        const component = rendered.slice(
          'https://x/?q='.length,
          rendered.length - `&z=${tail}`.length,
        );
        expect(component).not.toMatch(/[^A-Za-z0-9\-_.!~*'()%]/);
        expect(decodeURIComponent(component)).toBe(text);
      }),
    );
  });

  it('a value with an unpaired surrogate is refused', () => {
    fc.assert(
      fc.property(tricky, tricky, fc.constantFrom('\ud800', '\udfff', '\udc00x'), (a, b, lone) => {
        const value = a + lone + b;
        fc.pre(/\p{Cs}/u.test(value));
        expect(() => renderTemplate(parseTemplate('@{vault.V0}'), 'url', () => value)).toThrow(
          ReferencePlacementError,
        );
      }),
    );
  });
});

describe('formatReference and parseTemplate', () => {
  const anyName = fc.oneof(
    fc.stringMatching(/^[A-Za-z0-9_-]{1,12}$/),
    fc.string({ unit: 'binary', maxLength: 12 }),
    tricky,
  );
  const writable = (name: string) =>
    ![...name].some((unit) => unit.charCodeAt(0) < 0x20 || unit.charCodeAt(0) === 0x7f);
  const target: fc.Arbitrary<ReferenceTarget> = fc.oneof(
    fc.record({
      scope: fc.constant('vault' as const),
      vault: fc.option(anyName, { nil: undefined }),
      entry: anyName,
      path: fc.array(fc.oneof(anyName, fc.nat()) as fc.Arbitrary<PathSegment>, { maxLength: 4 }),
    }),
    fc.record({
      scope: fc.constant('keep' as const),
      entry: anyName,
      path: fc.array(fc.oneof(anyName, fc.nat()) as fc.Arbitrary<PathSegment>, { maxLength: 4 }),
    }),
  );

  it('the canonical text parses back to the same reference', () => {
    fc.assert(
      fc.property(target, tricky, (reference, around) => {
        const names = [reference.vault, reference.entry, ...(reference.path ?? [])];
        if (!names.every((name) => typeof name !== 'string' || writable(name))) {
          expect(() => formatReference(reference)).toThrow(RangeError);
          return;
        }
        const text = formatReference(reference);
        const before = asWritten(around).replace(/@+$/, '');
        const parts = parseTemplate(`${before}${text}${asWritten(around)}`);
        const found = parts.filter((part) => part.kind === 'reference');
        expect(found).toHaveLength(1);
        expect(found[0]).toEqual({
          kind: 'reference',
          reference: {
            scope: reference.scope,
            vault: reference.vault,
            entry: reference.entry,
            path: reference.path,
            start: before.length,
            end: before.length + text.length,
            source: text,
          },
        });
        expect(formatReference((found[0] as { reference: Reference }).reference)).toBe(text);
      }),
    );
  });

  it('any text either parses, writing back to itself, or is refused with a syntax error', () => {
    const grammarish = fc
      .array(
        fc.oneof(
          fc.constantFrom('@', '{', '}', '@{', '@@{', 'vault', 'vaults', 'keep', '.', '[', ']'),
          fc.constantFrom('"', '\\', ' ', '0', '1', 'a', '-', '\n', 'é', '🔑'),
        ),
        { maxLength: 20 },
      )
      .map((pieces) => pieces.join(''));
    fc.assert(
      fc.property(fc.oneof(grammarish, tricky), (text) => {
        let parts: ReturnType<typeof parseTemplate>;
        try {
          parts = parseTemplate(text);
        } catch (error) {
          expect(error).toBeInstanceOf(ReferenceSyntaxError);
          const syntax = error as ReferenceSyntaxError;
          expect(syntax.offset).toBeGreaterThanOrEqual(0);
          expect(syntax.offset).toBeLessThanOrEqual(text.length);
          return;
        }
        const written = parts
          .map((part) => (part.kind === 'text' ? asWritten(part.text) : part.reference.source))
          .join('');
        expect(written).toBe(text);
        for (const [index, part] of parts.entries()) {
          if (index > 0)
            expect(part.kind === 'text' && parts[index - 1]!.kind === 'text').toBe(false);
          if (part.kind === 'text') expect(part.text).not.toBe('');
          else
            expect(text.slice(part.reference.start, part.reference.end)).toBe(
              part.reference.source,
            );
        }
      }),
      { numRuns: 2000 },
    );
  });
});
