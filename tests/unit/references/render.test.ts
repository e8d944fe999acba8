/**
 * Rendering templates for each placement: known answers, and the refusals, whose errors point
 * at the template and never hold a value.
 */
import { describe, expect, it } from 'vitest';
import { CofferError, errorCode } from '../../../src/core/errors';
import {
  type Placement,
  parseTemplate,
  type Reference,
  ReferencePlacementError,
  renderTemplate,
} from '../../../src/core/references';
import type { JsonValue } from '../../../src/core/vault';

/** Renders with values looked up by entry name; records the references asked for. */
function render(
  template: string,
  placement: Placement,
  values: Record<string, JsonValue>,
): { rendered: string; asked: string[] } {
  const asked: string[] = [];
  const rendered = renderTemplate(parseTemplate(template), placement, (reference: Reference) => {
    asked.push(reference.source);
    const value = values[reference.entry];
    if (value === undefined) throw new Error(`no value for ${reference.entry} in this test`);
    return value;
  });
  return { rendered, asked };
}

function refused(
  template: string,
  placement: Placement,
  values: Record<string, JsonValue>,
): ReferencePlacementError {
  try {
    render(template, placement, values);
  } catch (error) {
    expect(error).toBeInstanceOf(ReferencePlacementError);
    const placementError = error as ReferencePlacementError;
    // No value, and no rendered text, in the message or any field.
    const everything = JSON.stringify({ ...placementError, message: placementError.message });
    for (const value of Object.values(values)) {
      const text = typeof value === 'string' ? value : JSON.stringify(value);
      if (text.length >= 6) expect(everything).not.toContain(text);
    }
    return placementError;
  }
  throw new Error(`expected ${JSON.stringify(template)} to be refused for ${placement}`);
}

const secret = 'hunter2-secret';

describe('text', () => {
  it('writes strings as themselves and other JSON as JSON.stringify', () => {
    expect(
      render(
        'a=@{vault.S} n=@{vault.N} b=@{vault.B} z=@{vault.Z} o=@{vault.O} l=@{vault.L}',
        'text',
        {
          S: 'x"y\n',
          N: -1.5e-7,
          B: false,
          Z: null,
          O: { k: ['v', 1] },
          L: [],
        },
      ).rendered,
    ).toBe('a=x"y\n n=-1.5e-7 b=false z=null o={"k":["v",1]} l=[]');
  });

  it('never reads a value as template, and asks once per reference in order', () => {
    const { rendered, asked } = render('@{vault.A}|@{vault.B}|@{vault.A}|@@{vault.B}', 'text', {
      A: '@{vault.B}',
      B: '@@{x}',
    });
    expect(rendered).toBe('@{vault.B}|@@{x}|@{vault.B}|@{vault.B}');
    expect(asked).toEqual(['@{vault.A}', '@{vault.B}', '@{vault.A}']);
  });

  it('renders a template with no reference without asking', () => {
    expect(render('just @@{text}', 'text', {})).toEqual({ rendered: 'just @{text}', asked: [] });
  });

  it('refuses a value that is not JSON, naming the reference and not the value', () => {
    const parts = parseTemplate('@{vault.X}');
    expect(() => renderTemplate(parts, 'text', () => undefined as unknown as JsonValue)).toThrow(
      new TypeError('the value for @{vault.X} must be JSON, got undefined'),
    );
    expect(() => renderTemplate(parts, 'text', () => Number.NaN)).toThrow(
      new TypeError('the value for @{vault.X} must be JSON; a number that is not finite is not'),
    );
  });

  it('checks its arguments', () => {
    const parts = parseTemplate('@{vault.X}');
    expect(() => renderTemplate('x' as never, 'text', () => 1)).toThrow(TypeError);
    expect(() => renderTemplate(parts, 'body' as Placement, () => 1)).toThrow(
      new TypeError(
        'placement must be one of text, url, header-name, header-value, json, got "body"',
      ),
    );
    expect(() => renderTemplate(parts, 'text', 'x' as never)).toThrow(
      new TypeError('resolve must be a function, got string'),
    );
    expect(() => renderTemplate([{ kind: 'text' }] as never, 'text', () => 1)).toThrow(TypeError);
  });

  it('lets an error of the resolver through', () => {
    const failure = new Error('locked');
    expect(() =>
      renderTemplate(parseTemplate('@{vault.X}'), 'text', () => {
        throw failure;
      }),
    ).toThrow(failure);
  });
});

describe('url', () => {
  it('percent-encodes each value as a component and leaves the literal text alone', () => {
    expect(
      render('https://api.example.com/v1/@{vault.ID}?q=@{vault.Q}&n=@{vault.N}#a b', 'url', {
        ID: 'a/b?c',
        Q: 'x y&z=1+2%é🔑',
        N: 42,
      }).rendered,
    ).toBe(
      'https://api.example.com/v1/a%2Fb%3Fc?q=x%20y%26z%3D1%2B2%25%C3%A9%F0%9F%94%91&n=42#a b',
    );
  });

  it('encodes a JSON value as its JSON text', () => {
    expect(render('?f=@{vault.O}', 'url', { O: { a: [1] } }).rendered).toBe(
      '?f=%7B%22a%22%3A%5B1%5D%7D',
    );
  });

  it('refuses a value with an unpaired surrogate', () => {
    const error = refused('https://x/@{vault.ID}', 'url', { ID: 'ab\ud800cd-long' });
    expect(error.reason).toBe('unpaired-surrogate');
    expect(error.placement).toBe('url');
    expect(error.reference).toBe('@{vault.ID}');
    expect([error.line, error.column, error.offset]).toEqual([1, 11, 10]);
    expect(error.message).toBe(
      'the value of @{vault.ID} holds an unpaired UTF-16 surrogate, which a URL cannot carry',
    );
  });
});

describe('header-name', () => {
  it('accepts a token made of literal text and values', () => {
    expect(render("X-@{vault.N}-!#$%&'*+.^_`|~09", 'header-name', { N: 'Api-Key' }).rendered).toBe(
      "X-Api-Key-!#$%&'*+.^_`|~09",
    );
  });

  it.each([
    ['a space', 'my key'],
    ['a colon', 'key:x'],
    ['a line break', 'key\r\nX-Evil: 1'],
    ['a non-ASCII letter', 'clé'],
    ['a quote', '"key"'],
  ])('refuses a value with %s, naming the reference', (_, value) => {
    const error = refused('X-@{vault.N}', 'header-name', { N: value });
    expect(error.reason).toBe('not-a-token');
    expect(error.code).toBe('reference-placement');
    expect(error.reference).toBe('@{vault.N}');
    expect(error.message).toBe(
      "the value of @{vault.N} has a character a header name cannot hold (a token allows only letters, digits and !#$%&'*+-.^_`|~)",
    );
  });

  it('refuses literal text that is not a token, pointing at it', () => {
    const error = refused('X-@{vault.N} (x)', 'header-name', { N: 'ok' });
    expect(error.reason).toBe('not-a-token');
    expect(error.reference).toBeUndefined();
    expect([error.line, error.column, error.offset]).toEqual([1, 13, 12]);
    expect(error.message).toBe(
      "the header name's text at line 1, column 13 has a character a header name cannot hold (a token allows only letters, digits and !#$%&'*+-.^_`|~)",
    );
  });

  it('refuses bad literal text before asking for any value', () => {
    for (const [template, placement] of [
      ['X @{vault.N}', 'header-name'],
      ['@{vault.N}\r\n', 'header-value'],
    ] as const) {
      let asked = 0;
      expect(() =>
        renderTemplate(parseTemplate(template), placement, () => {
          asked++;
          return 'ok';
        }),
      ).toThrow(ReferencePlacementError);
      expect(asked).toBe(0);
    }
  });

  it('refuses an empty header name', () => {
    const error = refused('@{vault.N}', 'header-name', { N: '' });
    expect(error.reason).toBe('not-a-token');
    expect(error.reference).toBeUndefined();
    expect(error.line).toBeUndefined();
    expect(error.message).toBe(
      'the header name is empty; a header name is one or more token characters',
    );
  });
});

describe('header-value', () => {
  it('writes values as they are', () => {
    expect(
      render('Bearer @{vault.T}; n=@{vault.N}', 'header-value', { T: 'a b\t"c"', N: 3 }).rendered,
    ).toBe('Bearer a b\t"c"; n=3');
  });

  it.each([
    ['CR LF', `${secret}\r\nX-Evil: 1`],
    ['LF', `${secret}\n`],
    ['CR', `\r${secret}`],
    ['NUL', `${secret}\0`],
  ])('refuses a value holding %s, without the value in the error', (_, value) => {
    const error = refused('Bearer @{vault.TOKEN}', 'header-value', { TOKEN: value });
    expect(error).toBeInstanceOf(CofferError);
    expect(errorCode(error)).toBe('reference-placement');
    expect(error.name).toBe('ReferencePlacementError');
    expect(error.reason).toBe('line-break-in-header');
    expect(error.placement).toBe('header-value');
    expect(error.reference).toBe('@{vault.TOKEN}');
    expect([error.line, error.column, error.offset]).toEqual([1, 8, 7]);
    expect(error.message).toBe(
      'the value of @{vault.TOKEN} holds a line break or NUL, which a header value cannot hold',
    );
    expect(error.message).not.toContain(secret);
  });

  it('refuses a line break in the literal text, pointing at it', () => {
    const error = refused('a @{vault.T}\nX-Evil: 1', 'header-value', { T: 'fine' });
    expect(error.reason).toBe('line-break-in-header');
    expect(error.reference).toBeUndefined();
    expect([error.line, error.column, error.offset]).toEqual([1, 13, 12]);
  });

  it('takes a JSON value whose strings hold line breaks: its text escapes them', () => {
    expect(render('v=@{vault.O}', 'header-value', { O: { a: 'x\ny' } }).rendered).toBe(
      'v={"a":"x\\ny"}',
    );
  });
});

describe('json', () => {
  it('writes a whole JSON value outside a string literal', () => {
    expect(
      render(
        '{"port": @{vault.PORT}, "host": @{vault.HOST}, "tls": @{vault.TLS}, "x": [@{vault.O}]}',
        'json',
        {
          PORT: 5432,
          HOST: 'db"1',
          TLS: true,
          O: { a: [null] },
        },
      ).rendered,
    ).toBe('{"port": 5432, "host": "db\\"1", "tls": true, "x": [{"a":[null]}]}');
  });

  it('writes the value text JSON-escaped inside a string literal', () => {
    expect(
      render('{"url": "https://@{vault.HOST}:@{vault.PORT}/x", "o": "@{vault.O}"}', 'json', {
        HOST: 'a"b\\c\n\u0001é',
        PORT: 5432,
        O: { k: 'v' },
      }).rendered,
    ).toBe('{"url": "https://a\\"b\\\\c\\n\\u0001é:5432/x", "o": "{\\"k\\":\\"v\\"}"}');
  });

  it('reads \\" and \\\\ in the literal text: the string goes on, or ends, as JSON says', () => {
    // After \" the string is still open: the value goes in escaped.
    expect(render('{"a": "say \\"@{vault.S}\\""}', 'json', { S: 'hi"' }).rendered).toBe(
      '{"a": "say \\"hi\\"\\""}',
    );
    // After \\" the string has ended: the value is a whole JSON value.
    expect(render('{"a": ["x\\\\", @{vault.S}]}', 'json', { S: 'y"' }).rendered).toBe(
      '{"a": ["x\\\\", "y\\""]}',
    );
    // A reference in a key.
    expect(render('{"@{vault.K}": 1, @{vault.K}: 2}', 'json', { K: 'k"' }).rendered).toBe(
      '{"k\\"": 1, "k\\"": 2}',
    );
  });

  it('treats escaped "@{" in a string as text', () => {
    expect(render('{"a": "@@{vault.X}"}', 'json', {}).rendered).toBe('{"a": "@{vault.X}"}');
  });

  it('refuses a reference right after a backslash inside a string', () => {
    const error = refused('{"a": "x\\@{vault.S}"}', 'json', { S: 'nasty-value' });
    expect(error.reason).toBe('invalid-json');
    expect(error.reference).toBe('@{vault.S}');
    expect([error.line, error.column]).toEqual([1, 10]);
    expect(error.message).toBe(
      'the body is not valid JSON: @{vault.S} follows a backslash inside a string',
    );
  });

  it('refuses a template that is not JSON, at its line and column, without values', () => {
    const error = refused('{\n  "a": "@{vault.S}",\n  "b": @{vault.N},\n}', 'json', {
      S: `${secret}-1`,
      N: 1234567,
    });
    expect(error.reason).toBe('invalid-json');
    expect(error.placement).toBe('json');
    expect(error.reference).toBeUndefined();
    expect([error.line, error.column, error.offset]).toEqual([3, 18, 40]);
    expect(error.message).toBe(
      'the body is not valid JSON at line 3, column 18: a comma cannot come before "}" (trailing comma)',
    );
  });

  it('points at the template as written, counting escapes as written', () => {
    const error = refused('{"@@{": @{vault.S} x}', 'json', { S: secret });
    expect([error.line, error.column, error.offset]).toEqual([1, 20, 19]);
    expect(error.reference).toBeUndefined();
  });

  it('blames the reference whose value does not fit', () => {
    const error = refused('{"a": 1 @{vault.S}}', 'json', { S: secret });
    expect(error.reference).toBe('@{vault.S}');
    expect([error.line, error.column, error.offset]).toEqual([1, 9, 8]);
    expect(error.message).toBe(
      'the body is not valid JSON: the value of @{vault.S} does not fit where it stands (outside a string, a reference stands for a whole JSON value)',
    );
  });

  it('refuses a body that ends too early, at the end of the template', () => {
    const error = refused('{"a": @{vault.S}', 'json', { S: secret });
    expect(error.reference).toBeUndefined();
    expect([error.line, error.column, error.offset]).toEqual([1, 17, 16]);
  });

  it("accepts what JSON.parse accepts, even beyond the vault's limits", () => {
    const deep = `${'['.repeat(150)}@{vault.N}${']'.repeat(150)}`;
    expect(render(deep, 'json', { N: 1 }).rendered).toBe(`${'['.repeat(150)}1${']'.repeat(150)}`);
  });
});
