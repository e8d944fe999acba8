/**
 * The reference grammar (docs/integrations.md, "References"): known answers for every form,
 * every escape rule and every syntax error, with the exact place and words of the error.
 */
import { describe, expect, it } from 'vitest';
import { CofferError, errorCode } from '../../../src/core/errors';
import {
  parseTemplate,
  type Reference,
  ReferenceSyntaxError,
  referencesIn,
  type TemplatePart,
} from '../../../src/core/references';

function reference(
  source: string,
  fields: Pick<Reference, 'scope' | 'vault' | 'entry' | 'path'>,
  start = 0,
): TemplatePart {
  return {
    kind: 'reference',
    reference: { ...fields, start, end: start + source.length, source },
  };
}

function syntaxError(text: string): ReferenceSyntaxError {
  try {
    parseTemplate(text);
  } catch (error) {
    expect(error).toBeInstanceOf(ReferenceSyntaxError);
    return error as ReferenceSyntaxError;
  }
  throw new Error(`expected ${JSON.stringify(text)} to be refused`);
}

describe('parseTemplate: the forms of a reference', () => {
  it.each<[string, Pick<Reference, 'scope' | 'vault' | 'entry' | 'path'>]>([
    ['@{vault.API_KEY}', { scope: 'vault', vault: undefined, entry: 'API_KEY', path: [] }],
    ['@{vault.db.host}', { scope: 'vault', vault: undefined, entry: 'db', path: ['host'] }],
    [
      '@{vault["db.password"]}',
      { scope: 'vault', vault: undefined, entry: 'db.password', path: [] },
    ],
    [
      '@{vault.servers[0].url}',
      { scope: 'vault', vault: undefined, entry: 'servers', path: [0, 'url'] },
    ],
    [
      '@{vault.config.list[12][0]}',
      { scope: 'vault', vault: undefined, entry: 'config', path: ['list', 12, 0] },
    ],
    ['@{vault.config.0}', { scope: 'vault', vault: undefined, entry: 'config', path: ['0'] }],
    [
      '@{vaults.my-vault.API_KEY}',
      { scope: 'vault', vault: 'my-vault', entry: 'API_KEY', path: [] },
    ],
    [
      '@{vaults["My vault"].token}',
      { scope: 'vault', vault: 'My vault', entry: 'token', path: [] },
    ],
    [
      '@{vaults.ops["db.main"].hosts[1]}',
      { scope: 'vault', vault: 'ops', entry: 'db.main', path: ['hosts', 1] },
    ],
    ['@{keep.token}', { scope: 'keep', vault: undefined, entry: 'token', path: [] }],
    [
      '@{keep.session["expires at"]}',
      { scope: 'keep', vault: undefined, entry: 'session', path: ['expires at'] },
    ],
    ['@{ vault.KEY }', { scope: 'vault', vault: undefined, entry: 'KEY', path: [] }],
    ['@{\tvault.KEY\t \t}', { scope: 'vault', vault: undefined, entry: 'KEY', path: [] }],
    [
      '@{vault[ "a" ][ 3 ][ "b" ]}',
      { scope: 'vault', vault: undefined, entry: 'a', path: [3, 'b'] },
    ],
    ['@{vault["q\\"x\\\\y"]}', { scope: 'vault', vault: undefined, entry: 'q"x\\y', path: [] }],
    ['@{vault[""]}', { scope: 'vault', vault: undefined, entry: '', path: [] }],
    ['@{vault["é 🔑 }]"]}', { scope: 'vault', vault: undefined, entry: 'é 🔑 }]', path: [] }],
    ['@{vault.0-_Az}', { scope: 'vault', vault: undefined, entry: '0-_Az', path: [] }],
    [
      '@{vault.a[9007199254740991]}',
      { scope: 'vault', vault: undefined, entry: 'a', path: [9007199254740991] },
    ],
  ])('%s', (source, fields) => {
    expect(parseTemplate(source)).toEqual([reference(source, fields)]);
  });

  it('gives offsets and the exact source of each reference, and keeps the text around them', () => {
    const text = 'Bearer @{ vault.TOKEN } and @{keep.x}!';
    expect(parseTemplate(text)).toEqual([
      { kind: 'text', text: 'Bearer ' },
      reference(
        '@{ vault.TOKEN }',
        { scope: 'vault', vault: undefined, entry: 'TOKEN', path: [] },
        7,
      ),
      { kind: 'text', text: ' and ' },
      reference('@{keep.x}', { scope: 'keep', vault: undefined, entry: 'x', path: [] }, 28),
      { kind: 'text', text: '!' },
    ]);
    for (const found of referencesIn(text)) {
      expect(text.slice(found.start, found.end)).toBe(found.source);
    }
  });

  it('returns adjacent references with no empty text between them', () => {
    expect(parseTemplate('@{vault.A}@{vault.B}').map((part) => part.kind)).toEqual([
      'reference',
      'reference',
    ]);
    expect(parseTemplate('')).toEqual([]);
  });

  it('referencesIn lists the references in order', () => {
    expect(
      referencesIn('x @{vault.A} @@{vault.NOT} @{vaults.v.B.c} @{keep.k}').map((r) => [
        r.scope,
        r.vault,
        r.entry,
        r.path,
      ]),
    ).toEqual([
      ['vault', undefined, 'A', []],
      ['vault', 'v', 'B', ['c']],
      ['keep', undefined, 'k', []],
    ]);
  });
});

describe('parseTemplate: text and escapes', () => {
  it.each<[string, TemplatePart[]]>([
    ['plain text', [{ kind: 'text', text: 'plain text' }]],
    ['a lone @ and { and } are text', [{ kind: 'text', text: 'a lone @ and { and } are text' }]],
    ['user@example.com {x}', [{ kind: 'text', text: 'user@example.com {x}' }]],
    ['@', [{ kind: 'text', text: '@' }]],
    ['{', [{ kind: 'text', text: '{' }]],
    ['@ {vault.X}', [{ kind: 'text', text: '@ {vault.X}' }]],
    ['@@{vault.X}', [{ kind: 'text', text: '@{vault.X}' }]],
    ['@@x', [{ kind: 'text', text: '@@x' }]],
    ['@@', [{ kind: 'text', text: '@@' }]],
    ['a@@{b@@{c', [{ kind: 'text', text: 'a@{b@{c' }]],
    // Left to right, the escape first: "@" then "@@{" (no reference).
    ['@@@{vault.X}', [{ kind: 'text', text: '@@{vault.X}' }]],
    // Two escapes in a row.
    ['@@{@@{', [{ kind: 'text', text: '@{@{' }]],
    // "@@@@{": "@", "@", then the escape.
    ['@@@@{', [{ kind: 'text', text: '@@@{' }]],
  ])('%j', (text, parts) => {
    expect(parseTemplate(text)).toEqual(parts);
  });

  it('merges an escape with the text around it, next to a reference', () => {
    expect(parseTemplate('a@@{b@{vault.X}c')).toEqual([
      { kind: 'text', text: 'a@{b' },
      reference('@{vault.X}', { scope: 'vault', vault: undefined, entry: 'X', path: [] }, 5),
      { kind: 'text', text: 'c' },
    ]);
  });

  it('refuses a template that is not a string', () => {
    expect(() => parseTemplate(42 as unknown as string)).toThrow(
      new TypeError('a template must be a string, got number'),
    );
  });
});

describe('parseTemplate: syntax errors', () => {
  it.each<[string, number, string, string]>([
    // [template, offset, expected, found]
    ['@{vault}', 7, '"." or "[" and an entry name after "vault"', '}'],
    ['@{vault.}', 8, 'an entry name after "vault."', '}'],
    ['@{env.X}', 2, '"vault", "vaults" or "keep"', 'env'],
    ['@{}', 2, '"vault", "vaults" or "keep"', '}'],
    ['@{', 2, '"vault", "vaults" or "keep"', 'end of text'],
    ['@{ Vault.X}', 3, '"vault", "vaults" or "keep"', 'Vault'],
    ['@{vault.X', 9, '".", "[" or "}"', 'end of text'],
    ['@{vault.X ', 10, '"}"', 'end of text'],
    ['@{vault.X y}', 10, '"}"', 'y'],
    ['@{vault.X!}', 9, '".", "[" or "}"', '!'],
    ['@{vault .X}', 7, '"." or "[" and an entry name after "vault"', ' '],
    ['@{vault. X}', 8, 'an entry name after "vault."', ' '],
    ['@{vault.X. }', 10, 'a field name after "vault.X."', ' '],
    ['@{vault["x}', 11, 'a closing quote (")', 'end of text'],
    ['@{vault["x"}', 11, '"]"', '}'],
    [
      '@{vault["a\nb"]}',
      10,
      'a closing quote (") or a character that is not a control character',
      '\n',
    ],
    [
      '@{vault["a\\n"]}',
      11,
      'a quote (") or a backslash (\\) after a backslash in a quoted name',
      'n',
    ],
    ['@{vault.a[01]}', 11, '"]" (an index has no leading zeros)', '1'],
    ['@{vault.a[00]}', 11, '"]" (an index has no leading zeros)', '0'],
    ['@{vault.a[1 2]}', 12, '"]"', '2'],
    ['@{vault.a[-1]}', 10, 'a quoted field name or an index after "["', '-'],
    ['@{vault.a[x]}', 10, 'a quoted field name or an index after "["', 'x'],
    ['@{vault.a[]}', 10, 'a quoted field name or an index after "["', ']'],
    [
      '@{vault.a[9007199254740992]}',
      10,
      'an index of at most 9007199254740991',
      '9007199254740992',
    ],
    ['@{vault[0]}', 8, 'a quoted entry name after "["', '0'],
    ['@{keep[0]}', 7, 'a quoted kept name after "["', '0'],
    ['@{vaults[0].x}', 9, 'a quoted vault name after "["', '0'],
    ['@{vaults.x}', 10, '"." or "[" and an entry name after "vaults.x"', '}'],
    ['@{vaults.}', 9, 'a vault name after "vaults."', '}'],
    ['@{vaults.v[1]}', 11, 'a quoted entry name after "["', '1'],
    ['@{keep}', 6, '"." or "[" and a kept name after "keep"', '}'],
    ['@{keep.}', 7, 'a kept name after "keep."', '}'],
    ['@{vault.é}', 8, 'an entry name after "vault."', 'é'],
    ['@{vault.🔑}', 8, 'an entry name after "vault."', '🔑'],
    ['@{vault.X}@{vault}', 17, '"." or "[" and an entry name after "vault"', '}'],
  ])('%j', (text, offset, expected, found) => {
    const error = syntaxError(text);
    expect(error.offset).toBe(offset);
    expect(error.expected).toBe(expected);
    expect(error.found).toBe(found);
    expect(error.line).toBe(1);
    expect(error.column).toBe(offset + 1 - (text.slice(0, offset).includes('🔑') ? 1 : 0));
  });

  it('says where and what in its message, and carries its code', () => {
    const error = syntaxError('@{vault.}');
    expect(error.message).toBe(
      'Reference at line 1, column 9: expected an entry name after "vault.", found "}"',
    );
    expect(error.name).toBe('ReferenceSyntaxError');
    expect(error.code).toBe('reference-syntax');
    expect(errorCode(error)).toBe('reference-syntax');
    expect(error).toBeInstanceOf(CofferError);
    expect(syntaxError('@{vault.X').message).toBe(
      'Reference at line 1, column 10: expected ".", "[" or "}", found end of text',
    );
    expect(syntaxError('@{vault["a\tb"]}').message).toBe(
      'Reference at line 1, column 11: expected a closing quote (") or a character that is not a control character, found "\\t"',
    );
  });

  it('counts lines (LF, CRLF, CR) and columns in characters', () => {
    const error = syntaxError('{\r\n  "a": 1,\r  "b": "🔑 @{vault.}"\n}');
    expect([error.line, error.column, error.offset]).toEqual([3, 19, 32]);
    expect(error.message).toBe(
      'Reference at line 3, column 19: expected an entry name after "vault.", found "}"',
    );
  });

  it('cuts a long word it quotes', () => {
    const error = syntaxError(`@{${'x'.repeat(100)}}`);
    expect(error.found).toBe('x'.repeat(100));
    expect(error.message).toBe(
      `Reference at line 1, column 3: expected "vault", "vaults" or "keep", found "${'x'.repeat(63)}…"`,
    );
  });
});
