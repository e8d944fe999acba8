import { describe, expect, it } from 'vitest';
import { InvalidNameError } from '../../../src/core/vault/errors';
import {
  isValidEntryName,
  MAX_ENTRY_NAME_LENGTH,
  suggestEnvironmentName,
  validateEntryName,
  validateVaultName,
} from '../../../src/core/vault/names';
import { thrown } from './support';

function nameError(fn: () => unknown): InvalidNameError {
  const error = thrown(fn);
  expect(error).toBeInstanceOf(InvalidNameError);
  return error as InvalidNameError;
}

describe('entry names, default style', () => {
  it.each([
    'my-item',
    'API_KEY',
    'a',
    'Z',
    'v1.2.3',
    'db.primary-replica_2',
    'x'.repeat(MAX_ENTRY_NAME_LENGTH),
  ])('accepts %j', (name) => {
    expect(() => validateEntryName(name, 'default')).not.toThrow();
    expect(isValidEntryName(name, 'default')).toBe(true);
  });

  it('refuses a space, saying which character it is and what is allowed', () => {
    const error = nameError(() => validateEntryName('api key', 'default'));
    expect(error.rule).toBe('character');
    expect(error.rejectedName).toBe('api key');
    expect(error.style).toBe('default');
    expect(error.subject).toBe('entry');
    expect(error.message).toBe(
      '"api key" is not a valid name: character 4 is a space; names may contain only letters, digits, "_", "-" and "."',
    );
  });

  it('refuses an empty name', () => {
    const error = nameError(() => validateEntryName('', 'default'));
    expect(error.rule).toBe('empty');
    expect(error.message).toContain('it is empty');
  });

  it('allows 255 characters and refuses 256', () => {
    expect(() => validateEntryName('a'.repeat(255), 'default')).not.toThrow();
    const error = nameError(() => validateEntryName('a'.repeat(256), 'default'));
    expect(error.rule).toBe('too-long');
    expect(error.message).toContain('it has 256 characters; the limit is 255');
    // The message cuts a long name instead of repeating all of it.
    expect(error.message.length).toBeLessThan(200);
  });

  it.each([
    ['1password', '"1"'],
    ['_private', '"_"'],
    ['-x', '"-"'],
    ['.env', '"."'],
    [' lead', 'a space'],
  ])('refuses %j: it must start with a letter', (name, shown) => {
    const error = nameError(() => validateEntryName(name, 'default'));
    expect(error.rule).toBe('first-character');
    expect(error.message).toContain(`it starts with ${shown}; a name must start with a letter`);
  });

  it.each([
    ['a/b', 2, '"/"'],
    ['a:b', 2, '":"'],
    ['ab\tc', 3, 'a tab'],
    ['abc\n', 4, 'a line break'],
    ['abc\u0000', 4, 'the invisible character U+0000'],
    ['abc\u200b', 4, 'U+200B ZERO WIDTH SPACE, an invisible character'],
    ['café', 4, '"é" (U+00E9)'],
  ])('refuses %j at character %i (%s)', (name, position, shown) => {
    const error = nameError(() => validateEntryName(name, 'default'));
    expect(error.rule).toBe('character');
    expect(error.message).toContain(`character ${position} is ${shown};`);
  });

  it('counts positions in characters, not UTF-16 units, outside the BMP', () => {
    // 😀 is two UTF-16 code units; the space after it is character 3, not 4.
    const error = nameError(() => validateEntryName('a😀 b', 'default'));
    expect(error.message).toContain('character 2 is "😀" (U+1F600)');
    const second = nameError(() => validateEntryName('ab😀', 'default'));
    expect(second.message).toContain('character 3 is "😀"');
    // Length is in characters too: 200 emoji are not "too long" but a bad first character.
    const emoji = nameError(() => validateEntryName('😀'.repeat(200), 'default'));
    expect(emoji.rule).toBe('first-character');
    const long = nameError(() => validateEntryName('😀'.repeat(256), 'default'));
    expect(long.rule).toBe('too-long');
    expect(long.message).toContain('256 characters');
  });

  it('reports an unpaired surrogate as such', () => {
    const error = nameError(() => validateEntryName('ab\ud800', 'default'));
    expect(error.message).toContain('character 3 is an unpaired surrogate (U+D800)');
  });

  it.each([
    [42, 'a number'],
    [undefined, 'undefined'],
    [null, 'null'],
    [{ toString: () => 'API_KEY' }, 'an object'],
    [['API_KEY'], 'an array'],
  ])('refuses a non-string (%s) without showing it', (value, described) => {
    const error = nameError(() => validateEntryName(value, 'default'));
    expect(error.rule).toBe('not-a-string');
    expect(error.rejectedName).toBeUndefined();
    expect(error.message).toBe(`not a valid name: a name must be a string, got ${described}`);
  });
});

describe('entry names, environment style (the Kinesis rule)', () => {
  it.each(['API_KEY', 'DATABASE_URL', 'JWT_SECRET', 'STRIPE_API_KEY', 'A', 'X1', 'A_1_B'])(
    'accepts %j, valid in both styles',
    (name) => {
      expect(() => validateEntryName(name, 'environment')).not.toThrow();
      expect(() => validateEntryName(name, 'default')).not.toThrow();
    },
  );

  it('accepts my-item only in the default style', () => {
    expect(isValidEntryName('my-item', 'default')).toBe(true);
    const error = nameError(() => validateEntryName('my-item', 'environment'));
    expect(error.rule).toBe('character');
    expect(error.style).toBe('environment');
    expect(error.message).toBe(
      '"my-item" is not a valid environment-style name: character 3 is "-"; use only A–Z, 0–9 and "_" (try "MY_ITEM")',
    );
  });

  it('refuses lowercase letters and suggests the uppercase name', () => {
    const error = nameError(() => validateEntryName('api_key', 'environment'));
    expect(error.rule).toBe('lowercase');
    expect(error.message).toBe(
      '"api_key" is not a valid environment-style name: it has lowercase letters; use only A–Z, 0–9 and "_" (try "API_KEY")',
    );
    expect(nameError(() => validateEntryName('Api_Key', 'environment')).rule).toBe('lowercase');
  });

  it.each([
    ['1ST_KEY', 'first-character'],
    ['_KEY', 'first-character'],
    ['-KEY', 'first-character'],
    ['9', 'first-character'],
    ['', 'empty'],
    ['A'.repeat(256), 'too-long'],
    ['API KEY', 'character'],
    ['API.KEY', 'character'],
    ['APÏ_KEY', 'character'],
  ] as const)('refuses %j (%s)', (name, rule) => {
    expect(nameError(() => validateEntryName(name, 'environment')).rule).toBe(rule);
  });

  it('accepts 255 characters and refuses 256', () => {
    expect(() => validateEntryName(`A${'_'.repeat(254)}`, 'environment')).not.toThrow();
    expect(nameError(() => validateEntryName(`A${'_'.repeat(255)}`, 'environment')).rule).toBe(
      'too-long',
    );
  });

  it('suggests a name only when there is an obvious one', () => {
    expect(suggestEnvironmentName('stripe-api-key')).toBe('STRIPE_API_KEY');
    expect(suggestEnvironmentName('jwt.secret')).toBe('JWT_SECRET');
    expect(suggestEnvironmentName('apiKey')).toBe('API_KEY');
    expect(suggestEnvironmentName('database url')).toBe('DATABASE_URL');
    expect(suggestEnvironmentName('1st')).toBeUndefined();
    expect(suggestEnvironmentName('café')).toBeUndefined();
    expect(suggestEnvironmentName('API_KEY')).toBeUndefined();
    const error = nameError(() => validateEntryName('1st', 'environment'));
    expect(error.message).not.toContain('try');
  });
});

describe('vault names', () => {
  it('trims, keeps any other Unicode, and returns NFC', () => {
    expect(validateVaultName('  my-vault  ')).toBe('my-vault');
    expect(validateVaultName('Café ☕ 𝄞 Ünïcödé')).toBe('Café ☕ 𝄞 Ünïcödé');
    expect(validateVaultName('Cafe\u0301')).toBe('Caf\u00e9');
    expect(validateVaultName('a b/c:d')).toBe('a b/c:d');
  });

  it('refuses empty and blank names', () => {
    expect(nameError(() => validateVaultName('')).rule).toBe('empty');
    const blank = nameError(() => validateVaultName(' \t\n '));
    expect(blank.rule).toBe('empty');
    expect(blank.subject).toBe('vault');
    expect(blank.message).toContain('once spaces are trimmed');
  });

  it('allows 100 characters (counted as characters, after trimming) and refuses 101', () => {
    expect(validateVaultName(` ${'v'.repeat(100)} `)).toBe('v'.repeat(100));
    expect(validateVaultName('😀'.repeat(100))).toBe('😀'.repeat(100));
    const error = nameError(() => validateVaultName('v'.repeat(101)));
    expect(error.rule).toBe('too-long');
    expect(error.message).toContain('101 characters; the limit is 100');
  });

  it('refuses control characters inside the name, at their position in the name as given', () => {
    const error = nameError(() => validateVaultName('  ab\u0007c'));
    expect(error.rule).toBe('control-character');
    expect(error.message).toContain('character 5 is the invisible character U+0007');
    expect(nameError(() => validateVaultName('a\tb')).message).toContain('character 2 is a tab');
    expect(nameError(() => validateVaultName('a\nb')).rule).toBe('control-character');
  });

  it('refuses unpaired surrogates, and non-strings', () => {
    expect(nameError(() => validateVaultName('ab\udc00')).rule).toBe('unpaired-surrogate');
    const error = nameError(() => validateVaultName(7));
    expect(error.rule).toBe('not-a-string');
    expect(error.message).toBe(
      'not a valid vault name: a vault name must be a string, got a number',
    );
  });
});
