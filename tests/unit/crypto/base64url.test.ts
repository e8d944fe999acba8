/**
 * The base64url codec for ids (crypto/bytes.ts over @scure/base): canonical unpadded base64url
 * only, so each byte string has exactly one spelling. Node's Buffer is the independent encoder.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromBase64url, InvalidBase64urlError, toBase64url } from '../../../src/core/crypto';

const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const nodeEncode = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');

function rejection(text: unknown): InvalidBase64urlError {
  try {
    fromBase64url(text as string);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidBase64urlError);
    expect(error).toBeInstanceOf(RangeError);
    return error as InvalidBase64urlError;
  }
  throw new Error('expected a rejection');
}

describe('base64url for ids', () => {
  it('matches an independent encoder, and decodes what it encodes', () => {
    for (let length = 0; length <= 40; length++) {
      const bytes = Uint8Array.from({ length }, (_, i) => (i * 37 + length) & 0xff);
      const text = toBase64url(bytes);
      expect(text).toBe(nodeEncode(bytes));
      expect(fromBase64url(text)).toEqual(bytes);
    }
  });

  it('rejects a last character with non-zero unused bits (another spelling of the same bytes)', () => {
    // 'AA' is [0x00]; before, 'AB' and 'AP' decoded to it too.
    expect(fromBase64url('AA')).toEqual(new Uint8Array([0]));
    for (const text of ['AB', 'AP', 'AAB', 'AAD']) {
      const error = rejection(text);
      expect(error.reason).toBe('trailing-bits');
      expect(error.position).toBe(text.length);
      expect(error.message).toMatch(/last character .*non-zero unused bits/);
    }
    // A 22-character id (16 bytes: 4 unused bits) and a 43-character one (32 bytes: 2 bits).
    const vaultId = toBase64url(new Uint8Array(16).fill(0xab));
    const deviceId = toBase64url(new Uint8Array(32).fill(0xcd));
    for (const id of [vaultId, deviceId]) {
      const last = alphabet.indexOf(id.at(-1)!);
      const other = `${id.slice(0, -1)}${alphabet[last ^ 1]}`;
      expect(rejection(other).reason).toBe('trailing-bits');
    }
  });

  it('rejects padding, standard base64, whitespace and other characters, saying where', () => {
    const cases: [string, InvalidBase64urlError['reason'], number, RegExp][] = [
      ['AA==', 'padding', 3, /character 3 of 4 is padding/],
      ['AAA=', 'padding', 4, /padding/],
      ['A+', 'character', 2, /standard base64's '\+' or '\/'/],
      ['A/', 'character', 2, /standard base64/],
      ['A A', 'character', 2, /whitespace/],
      ['AA\n', 'character', 3, /whitespace/],
      [' AA', 'character', 1, /whitespace/],
      ['AA\t', 'character', 3, /whitespace/],
      ['A.', 'character', 2, /not a base64url character/],
      ['Aé', 'character', 2, /not a base64url character/],
    ];
    for (const [text, reason, position, message] of cases) {
      const error = rejection(text);
      expect({ text, reason: error.reason, position: error.position }).toEqual({
        text,
        reason,
        position,
      });
      expect(error.message).toMatch(message);
      expect(error.length).toBe(text.length);
    }
  });

  it('rejects impossible lengths and non-strings', () => {
    const error = rejection('AAAAA');
    expect(error.reason).toBe('length');
    expect(error.message).toMatch(/got 5 characters/);
    for (const value of [undefined, null, 42, new Uint8Array(2)]) {
      expect(rejection(value).reason).toBe('not-a-string');
    }
  });

  it('never quotes the text it refuses (it may be a key)', () => {
    const secretish = 'SECRETsecretSECRETsecretSECRETsecretSECRETs';
    for (const text of [
      `${secretish}+`,
      `${secretish}=`,
      `${secretish.slice(0, 42)}B`,
      `${secretish}AB`,
    ]) {
      const error = rejection(text);
      expect(error.message).not.toContain('SECRET');
      expect(error.message).not.toContain('secret');
      expect(String(error.cause ?? '')).not.toContain('SECRET');
    }
  });

  it('property: encode then decode is the identity, and inputs are not modified', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (bytes) => {
        const copy = bytes.slice();
        const text = toBase64url(bytes);
        expect(text).toBe(nodeEncode(bytes));
        expect(fromBase64url(text)).toEqual(bytes);
        expect(bytes).toEqual(copy);
      }),
    );
  });

  it('property: of all last characters, exactly one spells a given byte string', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 60 }).filter((b) => b.length % 3 !== 0),
        (bytes) => {
          const text = toBase64url(bytes);
          const accepted = [...alphabet].filter((char) => {
            try {
              return bytesEqualTo(fromBase64url(`${text.slice(0, -1)}${char}`), bytes);
            } catch {
              return false;
            }
          });
          expect(accepted).toEqual([text.at(-1)]);
        },
      ),
    );
  });

  it('property: any text decode accepts is the canonical spelling of what it decodes to', () => {
    const base64urlText = fc
      .array(fc.constantFrom(...alphabet, '=', '+', '/', ' '), { maxLength: 40 })
      .map((chars) => chars.join(''));
    fc.assert(
      fc.property(base64urlText, (text) => {
        let bytes: Uint8Array;
        try {
          bytes = fromBase64url(text);
        } catch (error) {
          expect(error).toBeInstanceOf(InvalidBase64urlError);
          return;
        }
        expect(toBase64url(bytes)).toBe(text);
      }),
      { numRuns: 2000 },
    );
  });
});

function bytesEqualTo(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((value, i) => value === b[i]);
}
