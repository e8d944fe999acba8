import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AuthenticationError,
  associatedData,
  envelopeOverhead,
  generateKey,
  hkdfLabel,
  KeyMismatchError,
  keyIdOf,
  MalformedEnvelopeError,
  open,
  seal,
  UnsupportedFormatError,
  utf8,
} from '../../../src/core/crypto';

const key = generateKey('storage');
const context = associatedData('update', utf8('vault-1'), 3);

describe('envelope', () => {
  it('round-trips and costs a fixed overhead', () => {
    const plaintext = utf8('hello');
    const sealed = seal(key, plaintext, context);
    expect(sealed.length).toBe(plaintext.length + envelopeOverhead);
    expect(open(key, sealed, context)).toEqual(plaintext);
  });

  it('a key keeps its id; a wiped key is no longer the key that sealed', () => {
    const own = generateKey('storage');
    const id = keyIdOf(own);
    expect(keyIdOf(own)).toEqual(id);
    expect(keyIdOf(own)).toEqual(hkdfLabel(own, 'key-id', 16));
    // A caller that scribbles on the id it was given does not change the key's id.
    keyIdOf(own).fill(1);
    expect(keyIdOf(own)).toEqual(id);
    const sealed = seal(own, utf8('x'), context);
    own.fill(0);
    expect(keyIdOf(own)).toEqual(hkdfLabel(new Uint8Array(32), 'key-id', 16));
    expect(() => open(own, sealed, context)).toThrow(KeyMismatchError);
  });

  it('uses a fresh nonce each time', () => {
    const a = seal(key, utf8('same'), context);
    const b = seal(key, utf8('same'), context);
    expect(a).not.toEqual(b);
  });

  it('does not modify its inputs', () => {
    const plaintext = utf8('untouched');
    const ctx = context.slice();
    const keyCopy = key.slice();
    const sealed = seal(key, plaintext, ctx);
    const sealedCopy = sealed.slice();
    open(key, sealed, ctx);
    expect(plaintext).toEqual(utf8('untouched'));
    expect(ctx).toEqual(context);
    expect(key).toEqual(keyCopy);
    expect(sealed).toEqual(sealedCopy);
  });

  it('tells another key apart from damage', () => {
    const sealed = seal(key, utf8('x'), context);
    expect(() => open(generateKey('storage'), sealed, context)).toThrow(KeyMismatchError);
  });

  it('binds the context: another vault, label or sequence number fails', () => {
    const sealed = seal(key, utf8('x'), context);
    for (const other of [
      associatedData('update', utf8('vault-2'), 3),
      associatedData('update', utf8('vault-1'), 4),
      associatedData('snapshot', utf8('vault-1'), 3),
    ]) {
      expect(() => open(key, sealed, other)).toThrow(AuthenticationError);
    }
  });

  it('rejects unknown formats and algorithms instead of guessing', () => {
    const sealed = seal(key, utf8('x'), context);
    const format = sealed.slice();
    format[0] = 2;
    expect(() => open(key, format, context)).toThrow(UnsupportedFormatError);
    const algorithm = sealed.slice();
    algorithm[1] = 9;
    expect(() => open(key, algorithm, context)).toThrow(/unsupported algorithm 9/);
  });

  it('any single-byte change fails to open, with a typed error (property)', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 200 }),
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        (plaintext, position, delta) => {
          const sealed = seal(key, plaintext, context);
          const index = position % sealed.length;
          const damaged = sealed.slice();
          damaged[index] = (damaged[index]! + delta) & 0xff;
          let error: unknown;
          try {
            open(key, damaged, context);
          } catch (caught) {
            error = caught;
          }
          const expected =
            index < 2
              ? UnsupportedFormatError
              : index < 18
                ? KeyMismatchError
                : AuthenticationError;
          expect(error).toBeInstanceOf(expected);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('any truncation fails to open (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), fc.nat(), (plaintext, cut) => {
        const sealed = seal(key, plaintext, context);
        const truncated = sealed.subarray(0, cut % sealed.length);
        expect(() => open(key, truncated, context)).toThrow(
          truncated.length < envelopeOverhead && truncated.length >= 2
            ? MalformedEnvelopeError
            : Error,
        );
      }),
    );
  });

  it('rejects non-bytes with a message that says what arrived', () => {
    expect(() => open(key, 'abc' as unknown as Uint8Array, context)).toThrow(
      /must be a Uint8Array, got string/,
    );
  });
});
