/**
 * The recovery code as typed: round trips, and the check symbols catch every single wrong
 * symbol and every swap of two neighbours, naming the group and never the code.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  formatRecoveryCode,
  parseRecoveryCode,
  RecoveryCodeInvalidError,
} from '../../../src/core/recovery';

const codeBytes = fc.uint8Array({ minLength: 16, maxLength: 16 });
const checkAlphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ*~$=U';

/** The error parseRecoveryCode throws (fails the test if it does not throw). */
function invalid(text: string): RecoveryCodeInvalidError {
  try {
    parseRecoveryCode(text);
  } catch (error) {
    expect(error).toBeInstanceOf(RecoveryCodeInvalidError);
    return error as RecoveryCodeInvalidError;
  }
  throw new Error('expected the code to be refused');
}

/** Positions of symbols (not dashes) in a formatted code, and the group of each. */
function symbolPositions(code: string): { index: number; group: number }[] {
  const out: { index: number; group: number }[] = [];
  let group = 1;
  [...code].forEach((char, index) => {
    if (char === '-') group += 1;
    else out.push({ index, group });
  });
  return out;
}

describe('recovery code', () => {
  it('round trips any 16 bytes, in five groups of 6, 6, 6, 6 and 7 symbols', () => {
    fc.assert(
      fc.property(codeBytes, (bytes) => {
        const code = formatRecoveryCode(bytes);
        expect(code.split('-').map((group) => group.length)).toEqual([6, 6, 6, 6, 7]);
        expect(parseRecoveryCode(code)).toEqual(bytes);
      }),
    );
  });

  it('accepts lower case, spaces, dashes, no separators and the look-alikes I, L and O', () => {
    fc.assert(
      fc.property(
        codeBytes,
        fc.constantFrom(' ', '  ', '-', ' - ', ''),
        fc.constantFrom('i', 'l', 'I', 'L'),
        fc.constantFrom('o', 'O'),
        (bytes, separator, one, zero) => {
          const code = formatRecoveryCode(bytes);
          const typed = code
            .split('-')
            .join(separator)
            .toLowerCase()
            .replace(/1/g, one)
            .replace(/0/g, zero);
          expect(parseRecoveryCode(`  ${typed}\n`)).toEqual(bytes);
        },
      ),
    );
  });

  it('catches every single wrong symbol, and names its group', () => {
    fc.assert(
      fc.property(
        codeBytes,
        fc.nat(),
        fc.constantFrom(...checkAlphabet, 'U', '!', 'é', '.'),
        (bytes, at, replacement) => {
          const code = formatRecoveryCode(bytes);
          const positions = symbolPositions(code);
          const { index, group } = positions[at % positions.length]!;
          fc.pre(code[index] !== replacement);
          const typo = code.slice(0, index) + replacement + code.slice(index + 1);
          const error = invalid(typo);
          expect(error.group).toBe(group);
          expect(['check', 'character']).toContain(error.problem);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('catches every swap of two neighbouring symbols, across a dash too', () => {
    fc.assert(
      fc.property(codeBytes, fc.nat(), (bytes, at) => {
        const code = formatRecoveryCode(bytes);
        const positions = symbolPositions(code);
        const first = positions[at % (positions.length - 1)]!;
        const second = positions[(at % (positions.length - 1)) + 1]!;
        fc.pre(code[first.index] !== code[second.index]);
        const chars = [...code];
        [chars[first.index], chars[second.index]] = [chars[second.index]!, chars[first.index]!];
        const error = invalid(chars.join(''));
        expect([first.group, second.group]).toContain(error.group);
      }),
      { numRuns: 2000 },
    );
  });

  it('catches two groups typed in each other’s place', () => {
    fc.assert(
      fc.property(codeBytes, fc.constantFrom([0, 1], [1, 2], [2, 3], [0, 3]), (bytes, [a, b]) => {
        const groups = formatRecoveryCode(bytes).split('-');
        fc.pre(groups[a!] !== groups[b!]);
        [groups[a!], groups[b!]] = [groups[b!]!, groups[a!]!];
        expect(invalid(groups.join('-')).problem).toBe('check');
      }),
    );
  });

  it('says which group is too short or too long when the groups are separated', () => {
    const code = formatRecoveryCode(new Uint8Array(16).fill(0x5a));
    const groups = code.split('-');
    const short = [...groups];
    short[2] = short[2]!.slice(1);
    expect(invalid(short.join('-'))).toMatchObject({ problem: 'length', group: 3 });
    const long = [...groups];
    long[4] = `${long[4]}7`;
    expect(invalid(long.join(' '))).toMatchObject({ problem: 'length', group: 5 });
  });

  it('refuses a wrong overall length, empty text and non-strings', () => {
    const code = formatRecoveryCode(new Uint8Array(16).fill(3)).replace(/-/g, '');
    for (const text of ['', '   ', code.slice(1), `${code}A`, 'a-b']) {
      expect(invalid(text)).toMatchObject({ problem: 'length' });
    }
    expect(() => parseRecoveryCode(undefined as unknown as string)).toThrow(
      RecoveryCodeInvalidError,
    );
  });

  it('refuses a U or a check-only symbol where a data symbol belongs', () => {
    const code = formatRecoveryCode(new Uint8Array(16).fill(9));
    for (const symbol of ['U', '*', '~', '$', '=']) {
      expect(invalid(symbol + code.slice(1))).toMatchObject({ problem: 'character', group: 1 });
    }
  });

  it('never puts the code, or any of its groups, in an error message', () => {
    fc.assert(
      fc.property(codeBytes, fc.nat(), (bytes, at) => {
        const code = formatRecoveryCode(bytes);
        const positions = symbolPositions(code);
        const { index } = positions[at % positions.length]!;
        const typo = `${code.slice(0, index)}${code[index] === 'Z' ? 'Y' : 'Z'}${code.slice(index + 1)}`;
        const error = invalid(typo);
        for (const group of [...typo.split('-'), ...code.split('-')]) {
          expect(error.message).not.toContain(group);
        }
      }),
    );
  });

  it('formats only 16 bytes', () => {
    expect(() => formatRecoveryCode(new Uint8Array(15))).toThrow(TypeError);
    expect(() => formatRecoveryCode(new Uint8Array(17))).toThrow(TypeError);
  });
});
