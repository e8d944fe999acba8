/**
 * Masking (src/core/masking): each spelling of a secret, embedded in surrounding text, is
 * replaced by one mask. The embeddings are produced by Node (Buffer, encodeURIComponent,
 * URLSearchParams) or written out by hand, never by the code under test.
 */
import { describe, expect, it } from 'vitest';
import { createMasker, MASK, MIN_MASKED_LENGTH, maskVariants } from '../../../src/core/masking';
import type { JsonValue } from '../../../src/core/vault';

const ascii = 'correct-horse "battery" <staple> & \'co\'';
const unicode = 'pä$$wörd 🔑 ключ';

/** Each spelling, produced independently of the code under test, for an embedding test. */
const embeddings: ReadonlyArray<[kind: string, encode: (secret: string) => string]> = [
  ['raw', (s) => s],
  ['JSON string', (s) => JSON.stringify(s).slice(1, -1)],
  ['encodeURIComponent', (s) => encodeURIComponent(s)],
  ['URLSearchParams (WHATWG form)', (s) => new URLSearchParams({ q: s }).toString().slice(2)],
  ['form, + for space', (s) => encodeURIComponent(s).replaceAll('%20', '+')],
  ['hex', (s) => Buffer.from(s).toString('hex')],
  ['HEX', (s) => Buffer.from(s).toString('hex').toUpperCase()],
  ['base64', (s) => Buffer.from(s).toString('base64')],
  ['base64url', (s) => Buffer.from(s).toString('base64url')],
];

describe('maskVariants', () => {
  it('lists nothing for a value shorter than MIN_MASKED_LENGTH code points', () => {
    expect(MIN_MASKED_LENGTH).toBe(6);
    expect(maskVariants('')).toEqual([]);
    expect(maskVariants('12345')).toEqual([]);
    // Six UTF-16 units, but three characters.
    expect(maskVariants('🔑🔑🔑')).toEqual([]);
    expect(maskVariants('123456')).toContain('123456');
  });

  it('lists each spelling once, each at least 6 code points long', () => {
    for (const secret of [ascii, unicode, 'aaaaaa', 'one line\ntwo lines\r\nthree lines']) {
      const variants = maskVariants(secret);
      expect(new Set(variants).size).toBe(variants.length);
      for (const variant of variants) expect([...variant].length).toBeGreaterThanOrEqual(6);
    }
  });

  it('lists the known spellings of an ASCII value', () => {
    expect(maskVariants('hunter22').sort()).toEqual(
      [
        'hunter22',
        '68756e7465723232',
        '68756E7465723232',
        'aHVudGVyMjI=', // base64 of the value alone, padded
        'aHVudGVyMj', // bytes at offset 0 mod 3
        'h1bnRlcjIy', // offset 1: base64('\0hunter22') = 'AGh1bnRlcjIy', first 2 chars dropped
        'odW50ZXIyM', // offset 2: base64('\0\0hunter22') = 'AABodW50ZXIyMg==', 3 dropped
      ].sort(),
    );
  });

  it('does not modify or keep its argument, and refuses what is not a string', () => {
    expect(() => maskVariants(42 as unknown as string)).toThrow(
      /maskVariants expects a string, got a number/,
    );
  });
});

describe('every spelling is masked where it is embedded', () => {
  for (const secret of [ascii, unicode]) {
    for (const [kind, encode] of embeddings) {
      it(`${kind} of ${secret === ascii ? 'an ASCII' : 'a non-ASCII'} value`, () => {
        const form = encode(secret);
        const text = `before ${form} after`;
        const masked = createMasker([secret]).mask(text);
        expect(masked).not.toContain(form);
        // The surroundings stay (a base64 form may keep its last character or padding).
        expect(masked.startsWith(`before ${MASK}`)).toBe(true);
        expect(masked.endsWith(' after')).toBe(true);
        expect(masked.length).toBeLessThanOrEqual(`before ${MASK}=== after`.length);
      });
    }
  }

  it('HTML-escaped, with each spelling of the apostrophe, and text-escaped', () => {
    const secret = `a&b<c>d"e'f`;
    const masker = createMasker([secret]);
    for (const form of [
      'a&amp;b&lt;c&gt;d&quot;e&#39;f',
      'a&amp;b&lt;c&gt;d&quot;e&#x27;f',
      `a&amp;b&lt;c&gt;d"e'f`,
    ]) {
      expect(masker.mask(`<td title="${form}">`)).toBe(`<td title="${MASK}">`);
    }
  });

  it('JSON-escaped as Python (ASCII only) and Go (HTML-safe) write it', () => {
    const masker = createMasker(['pässwörd-1', 'a<b>&c"d-2']);
    // json.dumps('pässwörd-1') and json.Marshal("a<b>&c\"d-2"), written out.
    expect(masker.mask('{"p": "p\\u00e4ssw\\u00f6rd-1"}')).toBe(`{"p": "${MASK}"}`);
    expect(masker.mask('{"g":"a\\u003cb\\u003e\\u0026c\\"d-2"}')).toBe(`{"g":"${MASK}"}`);
  });

  it('a whole JSON document that holds the value', () => {
    const secret = 'line one\n\t"quoted" \\ end';
    const text = JSON.stringify({ password: secret, other: 1 });
    expect(createMasker([secret]).mask(text)).toBe(`{"password":"${MASK}","other":1}`);
  });

  it('a value with a lone surrogate: encoded as U+FFFD, as URL encoders and TextEncoder do', () => {
    const secret = 'abc\uD800defg';
    const masker = createMasker([secret]);
    expect(masker.mask(`x${secret}x`)).toBe(`x${MASK}x`);
    const form = new URLSearchParams({ q: secret }).toString().slice(2);
    expect(form).toContain('%EF%BF%BD');
    expect(masker.mask(`q=${form}&r=1`)).toBe(`q=${MASK}&r=1`);
    expect(masker.mask(Buffer.from(secret).toString('hex'))).toBe(MASK);
  });
});

describe('base64 at every byte alignment', () => {
  // Prefixes of 0 to 5 bytes (so each alignment twice), one of them with a 2-byte character,
  // and suffixes that change the last characters of the run.
  const prefixes = ['', 'u', 'us', 'user:', 'é', 'ab:', 'admin:'];
  const suffixes = ['', '\n', 'x', 'xy', ':more'];
  const secrets = ['hunter22', 'correct horse battery', unicode, 'six ch', 'seven c'];

  for (const encoding of ['base64', 'base64url'] as const) {
    it(`${encoding}(prefix + secret + suffix) keeps only what the prefix and suffix determine`, () => {
      for (const secret of secrets) {
        const masker = createMasker([secret]);
        for (const prefix of prefixes) {
          for (const suffix of suffixes) {
            const full = Buffer.from(prefix + secret + suffix).toString(encoding);
            const p = Buffer.byteLength(prefix);
            const n = Buffer.byteLength(secret);
            // Characters wholly made of the secret's bits: [ceil(8p/6), floor(8(p+n)/6)).
            const first = Math.ceil((8 * p) / 6);
            let end = Math.floor((8 * (p + n)) / 6);
            // The padded encoding of the value alone is a spelling of its own.
            if (encoding === 'base64' && p % 3 === 0 && suffix === '') end = full.length;
            const text = `Authorization: Basic ${full}\r\n`;
            const expected = `Authorization: Basic ${full.slice(0, first)}${MASK}${full.slice(end)}\r\n`;
            expect(
              masker.mask(text),
              `${encoding} prefix ${JSON.stringify(prefix)} suffix ${JSON.stringify(suffix)}`,
            ).toBe(expected);
          }
        }
      }
    });
  }

  it('never registers a shifted run shorter than MIN_MASKED_LENGTH', () => {
    // Six bytes at offset 2: characters [3, 10) of 12, seven of them.
    for (const variant of maskVariants('abcdef')) expect(variant.length).toBeGreaterThanOrEqual(6);
  });
});

describe('values too short to mask', () => {
  it('are not masked, and are counted (once each) in tooShort', () => {
    const masker = createMasker(['12345', '12345', 'abc', '🔑🔑🔑', 'long enough']);
    expect(masker.tooShort).toBe(3);
    expect(masker.size).toBe(1);
    expect(masker.mask('12345 abc 🔑🔑🔑 long enough')).toBe(`12345 abc 🔑🔑🔑 ${MASK}`);
  });

  it('the empty string is ignored, and values are not trimmed', () => {
    const masker = createMasker(['', '  ab  ']);
    expect(masker.tooShort).toBe(0);
    expect(masker.size).toBe(1);
    expect(masker.mask('x  ab  x ab x')).toBe(`x${MASK}x ab x`);
  });

  it('a value of white space only is not masked (six spaces would mask every indentation)', () => {
    const masker = createMasker(['      ', '\n\t\n\t\n\t', 'ab    ']);
    expect(masker.tooShort).toBe(2);
    expect(masker.size).toBe(1);
    expect(masker.mask('{\n        "a": 1\n}')).toBe('{\n        "a": 1\n}');
    expect(masker.mask('ab     cd')).toBe(`${MASK} cd`);
  });

  it('a value added twice counts once', () => {
    const masker = createMasker();
    masker.add('secret-value');
    masker.add('secret-value');
    expect(masker.size).toBe(1);
  });
});

describe('overlapping and touching matches', () => {
  const masker = createMasker(['abcdefgh', 'efghijkl', 'mnopqr', 'stuvwx', 'defg-in-abcdefgh-hij']);

  it('overlapping occurrences of two secrets are one mask', () => {
    expect(masker.mask('xx abcdefghijkl yy')).toBe(`xx ${MASK} yy`);
  });

  it('touching occurrences are one mask; one character apart, two', () => {
    expect(masker.mask('<mnopqrstuvwx>')).toBe(`<${MASK}>`);
    expect(masker.mask('<mnopqr stuvwx>')).toBe(`<${MASK} ${MASK}>`);
    expect(masker.mask('mnopqrmnopqrmnopqr')).toBe(MASK);
  });

  it('a secret inside another, and occurrences that overlap themselves', () => {
    expect(masker.mask('1 defg-in-abcdefgh-hij 2')).toBe(`1 ${MASK} 2`);
    const self = createMasker(['aaaaaa']);
    expect(self.mask('baaaaaaaab')).toBe(`b${MASK}b`);
    expect(self.mask('baaaaab')).toBe('baaaaab');
  });
});

describe('multi-line values', () => {
  const secret =
    '-----BEGIN KEY-----\nline-two-secret\r\nthird-line-secret\rshort\nfifth line secret\n';
  const masker = createMasker([secret]);

  it('each line of 6 or more characters is masked on its own', () => {
    expect(masker.mask('got: line-two-secret.')).toBe(`got: ${MASK}.`);
    expect(masker.mask('"third-line-secret"')).toBe(`"${MASK}"`);
    expect(masker.mask('fifth line secret')).toBe(MASK);
    expect(masker.mask('-----BEGIN KEY-----')).toBe(MASK);
    // "short" is 5 characters: a line of its own, too short.
    expect(masker.mask('a short line')).toBe('a short line');
  });

  it('the whole value, and its lines in other spellings', () => {
    expect(masker.mask(`[${secret}]`)).toBe(`[${MASK}]`);
    expect(masker.mask(encodeURIComponent('fifth line secret'))).toBe(MASK);
    expect(masker.mask(Buffer.from('line-two-secret').toString('base64'))).toBe(MASK);
  });

  it('lines are trimmed: found at any indentation, and short ones (a lone brace) are left alone', () => {
    const pretty = JSON.stringify(
      { client_secret: 'abc123', nested: { key: 'k-0123456789' } },
      null,
      4,
    );
    const json = createMasker([pretty]);
    const reprinted = JSON.stringify(
      { client_secret: 'abc123', other: 1, nested: { key: 'k-0123456789' } },
      null,
      2,
    );
    expect(json.mask(reprinted)).toBe(
      // Every line of 6 or more characters is a spelling, names included ('"nested": {').
      `{\n  ${MASK}\n  "other": 1,\n  ${MASK}\n    ${MASK}\n  }\n}`,
    );
    expect(json.mask('{\n    },\n}')).toBe('{\n    },\n}');
  });

  it('lines rejoined with other line ends are masked line by line', () => {
    const rejoined = secret.split(/\r\n|\n|\r/).join('\n');
    expect(masker.mask(rejoined)).toBe(`${MASK}\n${MASK}\n${MASK}\nshort\n${MASK}\n`);
  });
});

describe('mask', () => {
  it('returns the same string when there is nothing to mask', () => {
    const text = 'nothing to see here, '.repeat(100);
    expect(createMasker(['not-in-the-text']).mask(text)).toBe(text);
    expect(createMasker().mask(text)).toBe(text);
    expect(createMasker(['abcdef']).mask('')).toBe('');
  });

  it('masks values added later', () => {
    const masker = createMasker(['first-secret']);
    expect(masker.mask('second-secret')).toBe('second-secret');
    masker.add('second-secret');
    expect(masker.mask('first-secret second-secret')).toBe(`${MASK} ${MASK}`);
  });

  it('refuses arguments of the wrong type without quoting them', () => {
    const masker = createMasker();
    expect(() => masker.add(123456789 as unknown as string)).toThrow(
      /Masker\.add expects a string, got a number/,
    );
    expect(() => masker.mask(undefined as unknown as string)).toThrow(TypeError);
    expect(() => createMasker(42 as unknown as string[])).toThrow(
      /expects an iterable of strings, got a number/,
    );
    expect(() => masker.stream().push(null as unknown as string)).toThrow(/got null/);
  });
});

describe('addJson', () => {
  it('registers every string, long numbers and the whole JSON text, not the keys', () => {
    const masker = createMasker();
    masker.addJson({
      username: 'service-account',
      password: 'p@ss w0rd!!',
      port: 5432,
      pin: 12345678,
      nested: [{ token: 'tok-abcdef' }],
      tls: true,
      proxy: null,
    });
    expect(masker.mask('service-account / p%40ss%20w0rd!! / tok-abcdef')).toBe(
      `${MASK} / ${MASK} / ${MASK}`,
    );
    expect(masker.mask('pin 12345678 port 5432')).toBe(`pin ${MASK} port 5432`);
    // The keys are names, not secrets.
    expect(masker.mask('username password nested token')).toBe('username password nested token');
    expect(masker.tooShort).toBe(0);
  });

  it('masks the whole value in its base64 form', () => {
    const value = { a: 'first-value', b: 'x' };
    const masker = createMasker();
    masker.addJson(value);
    expect(masker.mask(Buffer.from(JSON.stringify(value)).toString('base64'))).toBe(MASK);
    // "x" alone is too short: counted.
    expect(masker.tooShort).toBe(1);
  });

  it('a string value is registered as `add` would', () => {
    const masker = createMasker();
    masker.addJson('abcd');
    expect(masker.size).toBe(0);
    expect(masker.tooShort).toBe(1);
    expect(masker.mask('"abcd"')).toBe('"abcd"');
  });

  it('refuses what is not JSON, registering nothing, without quoting it', () => {
    const masker = createMasker();
    const cyclic: Record<string, unknown> = { secret: 'cyclic-secret' };
    cyclic.self = cyclic;
    expect(() => masker.addJson(cyclic as JsonValue)).toThrow(TypeError);
    expect(() => masker.addJson({ a: 'fine-value', b: undefined } as unknown as JsonValue)).toThrow(
      /expects a JSON value, found undefined/,
    );
    expect(() => masker.addJson([1, Number.NaN])).toThrow(/non-finite number/);
    expect(masker.size).toBe(0);
  });
});

describe('maskJson', () => {
  const masker = createMasker(['top-secret', 'key-secret', '987654321']);

  it('masks keys and nested values, and numbers whose text is a secret', () => {
    const value: JsonValue = {
      'key-secret': 'value',
      list: ['a top-secret b', { deep: [['top-secret']] }],
      n: 987654321,
      m: 5,
      ok: true,
      none: null,
    };
    expect(masker.maskJson(value)).toEqual({
      [MASK]: 'value',
      list: [`a ${MASK} b`, { deep: [[MASK]] }],
      n: MASK,
      m: 5,
      ok: true,
      none: null,
    });
  });

  it('does not modify its argument', () => {
    const value = { a: ['top-secret', { b: 'top-secret' }], 'key-secret': 1 };
    const before = structuredClone(value);
    const frozen = deepFreeze(value);
    const masked = masker.maskJson(frozen);
    expect(value).toEqual(before);
    expect(masked).not.toBe(value);
  });

  it('scalars, `__proto__` keys and deep nesting', () => {
    expect(masker.maskJson('x top-secret')).toBe(`x ${MASK}`);
    expect(masker.maskJson(null)).toBe(null);
    const proto = JSON.parse('{"__proto__": "top-secret"}') as JsonValue;
    const masked = masker.maskJson(proto) as Record<string, unknown>;
    expect(Object.getPrototypeOf(masked)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(masked, '__proto__')?.value).toBe(MASK);
    let deep: JsonValue = 'top-secret';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    let out = masker.maskJson(deep);
    for (let i = 0; i < 100_000; i++) out = (out as JsonValue[])[0]!;
    expect(out).toBe(MASK);
  });
});

describe('stream', () => {
  const secret = 'split-across-chunks';
  const masker = createMasker([secret]);
  const longest = Math.max(...maskVariants(secret).map((v) => v.length));

  it('masks a secret split across chunks', () => {
    const stream = masker.stream();
    const out = [stream.push('before split-acr'), stream.push('oss-ch'), stream.push('unks after')];
    out.push(stream.end());
    expect(out.join('')).toBe(`before ${MASK} after`);
  });

  it('holds back at most (longest spelling - 1) characters', () => {
    const stream = masker.stream();
    const text = 'x'.repeat(1000);
    expect(stream.push(text)).toBe(text.slice(0, 1000 - (longest - 1)));
    expect(stream.push('y')).toBe('x');
    expect(stream.end()).toBe(`${'x'.repeat(longest - 2)}y`);
  });

  it('touching occurrences across a chunk boundary are still one mask', () => {
    const text = `<${secret.repeat(5)}>`;
    for (let cut = 0; cut <= text.length; cut++) {
      const stream = masker.stream();
      const out = stream.push(text.slice(0, cut)) + stream.push(text.slice(cut)) + stream.end();
      expect(out, `cut at ${cut}`).toBe(`<${MASK}>`);
    }
    const stream = masker.stream();
    let out = '';
    for (const char of text) out += stream.push(char);
    expect(out + stream.end()).toBe(`<${MASK}>`);
  });

  it('starts afresh after end()', () => {
    const stream = masker.stream();
    expect(stream.push('split-across')).toBe('');
    expect(stream.end()).toBe('split-across');
    expect(stream.push('-chunks')).toBe('');
    expect(stream.end()).toBe('-chunks');
  });

  it('passes text through at once when nothing is registered', () => {
    const stream = createMasker().stream();
    expect(stream.push('abc')).toBe('abc');
    expect(stream.end()).toBe('');
  });
});

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
