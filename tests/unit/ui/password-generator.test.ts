import { describe, expect, it } from 'vitest';
import {
  DIGITS,
  defaultPasswordOptions,
  generatePassword,
  LETTERS,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  passwordEntropyBits,
  passwordOptionsProblem,
  SYMBOLS,
  uniformIndex,
} from '../../../src/ui/state/password-generator';

const all = { length: 24, letters: true, digits: true, symbols: true };

describe('generatePassword', () => {
  it('defaults to 24 characters of letters, digits and symbols', () => {
    expect(defaultPasswordOptions).toEqual(all);
    const password = generatePassword(defaultPasswordOptions);
    expect(Array.from(password)).toHaveLength(24);
  });

  it('makes every length from 8 to 128 and refuses the others', () => {
    for (const length of [PASSWORD_MIN_LENGTH, 9, 50, PASSWORD_MAX_LENGTH]) {
      expect(generatePassword({ ...all, length })).toHaveLength(length);
    }
    for (const length of [0, 7, 129, 12.5, Number.NaN]) {
      expect(passwordOptionsProblem({ ...all, length })).toMatch(/from 8 to 128/);
      expect(() => generatePassword({ ...all, length })).toThrow(RangeError);
    }
  });

  it('uses only the chosen sets, and each chosen set at least once', () => {
    const cases = [
      { sets: { letters: true, digits: false, symbols: false }, allowed: LETTERS },
      { sets: { letters: false, digits: true, symbols: false }, allowed: DIGITS },
      { sets: { letters: false, digits: false, symbols: true }, allowed: SYMBOLS },
      { sets: { letters: true, digits: true, symbols: false }, allowed: LETTERS + DIGITS },
      { sets: { letters: true, digits: true, symbols: true }, allowed: LETTERS + DIGITS + SYMBOLS },
    ];
    for (const { sets, allowed } of cases) {
      for (let round = 0; round < 200; round++) {
        const password = generatePassword({ length: 8, ...sets });
        for (const character of password) expect(allowed).toContain(character);
        if (sets.letters) expect(password).toMatch(/[A-Za-z]/);
        if (sets.digits) expect(password).toMatch(/[0-9]/);
        if (sets.symbols) expect([...password].some((c) => SYMBOLS.includes(c))).toBe(true);
      }
    }
  });

  it('refuses options with no character set', () => {
    const none = { length: 24, letters: false, digits: false, symbols: false };
    expect(passwordOptionsProblem(none)).toMatch(/at least one/);
    expect(() => generatePassword(none)).toThrow(RangeError);
  });

  it('draws from the random source it is given (crypto.getRandomValues by default)', () => {
    // A source that always returns 0 picks the first character of the alphabet every time.
    const zeros = (target: Uint32Array) => target.fill(0);
    expect(
      generatePassword({ length: 8, letters: true, digits: false, symbols: false }, zeros),
    ).toBe('AAAAAAAA');
  });

  it('has the entropy its alphabet gives', () => {
    expect(passwordEntropyBits({ length: 24, letters: false, digits: true, symbols: false })).toBe(
      Math.floor(24 * Math.log2(10)),
    );
  });
});

describe('uniformIndex (rejection sampling)', () => {
  it('rejects the values at the top of the 32-bit range that would bias x % size', () => {
    // For size 3, 2^32 % 3 = 1: the single value 2^32 - 1 must be redrawn, not mapped to 0.
    const values = [2 ** 32 - 1, 2 ** 32 - 2];
    const drawn: number[] = [];
    const next = () => {
      const value = values.shift()!;
      drawn.push(value);
      return value;
    };
    expect(uniformIndex(3, next)).toBe((2 ** 32 - 2) % 3);
    expect(drawn).toEqual([2 ** 32 - 1, 2 ** 32 - 2]);
  });

  it('accepts every value below the largest multiple of the size', () => {
    const size = 90;
    const limit = 2 ** 32 - (2 ** 32 % size);
    expect(uniformIndex(size, () => limit - 1)).toBe((limit - 1) % size);
    let calls = 0;
    const next = () => (calls++ === 0 ? limit : 5);
    expect(uniformIndex(size, next)).toBe(5);
    expect(calls).toBe(2);
  });

  it('maps the top of the 32-bit range evenly: accepted values exactly, the rest redrawn', () => {
    const size = 6;
    const space = 2 ** 32;
    const limit = space - (space % size); // 2^32 % 6 = 4 values above it
    const counts = new Array(size).fill(0);
    for (let value = limit - 60; value < limit; value++) {
      counts[uniformIndex(size, () => value)]++;
    }
    expect(counts).toEqual(new Array(size).fill(10));
    for (let value = limit; value < space; value++) {
      const queue = [value, 0];
      expect(uniformIndex(size, () => queue.shift()!)).toBe(0);
      expect(queue).toEqual([]); // the biased value was drawn again
    }
    // What the redraw prevents: a modulo-only mapping of the same range is uneven.
    const moduloOnly = new Array(size).fill(0);
    for (let value = limit - 60; value < space; value++) moduloOnly[value % size]++;
    expect(new Set(moduloOnly).size).toBeGreaterThan(1);
  });

  it('is uniform in a statistical smoke test (chi-square over crypto randomness)', () => {
    const size = 90; // letters + digits + symbols ≈ this alphabet size
    const draws = 90_000;
    const counts = new Array(size).fill(0);
    const buffer = new Uint32Array(1);
    const next = () => {
      crypto.getRandomValues(buffer);
      return buffer[0]!;
    };
    for (let i = 0; i < draws; i++) counts[uniformIndex(size, next)]++;
    const expected = draws / size;
    const chiSquare = counts.reduce((sum, count) => sum + (count - expected) ** 2 / expected, 0);
    // 89 degrees of freedom: p = 0.0001 at about 145.
    expect(chiSquare).toBeLessThan(145);
  });

  it('refuses sizes it cannot draw from', () => {
    expect(() => uniformIndex(0, () => 0)).toThrow(RangeError);
    expect(() => uniformIndex(1.5, () => 0)).toThrow(RangeError);
  });
});
