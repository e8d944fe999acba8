/**
 * Naming rules for entries (two styles, chosen per vault) and for vaults.
 *
 * Entry names are ASCII in both styles, so what a name means never depends on Unicode
 * normalisation or on the reader's locale, and `@{vault.NAME}` references can be parsed
 * without quoting. Positions in messages count characters (code points), 1-based.
 */
import type { NameStyle } from './entry-types';
import { InvalidNameError, type NameRule } from './errors';
import { describeCharacter, describeType } from './model-describe';

/**
 * Longest entry name, in characters (the Kinesis limit).
 * @example
 * isValidEntryName('A'.repeat(MAX_ENTRY_NAME_LENGTH), 'environment'); // true
 */
export const MAX_ENTRY_NAME_LENGTH = 255;

/**
 * Longest vault name, in characters, after trimming.
 * @example
 * validateVaultName('v'.repeat(MAX_VAULT_NAME_LENGTH)); // fine; one more is 'too-long'
 */
export const MAX_VAULT_NAME_LENGTH = 100;

const defaultPattern = /^[A-Za-z][A-Za-z0-9_.-]*$/;
const environmentPattern = /^[A-Z][A-Z0-9_]*$/;
const isLetter = (character: string) => /^[A-Za-z]$/.test(character);
const isDefaultCharacter = (character: string) => /^[A-Za-z0-9_.-]$/.test(character);
const isEnvironmentCharacter = (character: string) => /^[A-Za-z0-9_]$/.test(character);

const defaultAllowed = 'names may contain only letters, digits, "_", "-" and "."';
const environmentAllowed = 'use only A–Z, 0–9 and "_"';

/**
 * Whether `name` is a valid entry name in `style`, without building an error.
 * @example
 * isValidEntryName('my-item', 'default');     // true
 * isValidEntryName('my-item', 'environment'); // false
 */
export function isValidEntryName(name: unknown, style: NameStyle): name is string {
  return (
    typeof name === 'string' &&
    name.length <= MAX_ENTRY_NAME_LENGTH &&
    (style === 'environment' ? environmentPattern : defaultPattern).test(name)
  );
}

/**
 * Checks an entry name against a vault's naming style.
 *
 * - `'default'`: 1 to 255 characters; a letter (A–Z, a–z) first, then letters, digits, `_`,
 *   `-` and `.`. Both `my-item` and `API_KEY` are valid.
 * - `'environment'`: the Kinesis rule: 1 to 255 characters of A–Z, 0–9 and `_`, starting with a
 *   letter. `API_KEY` is valid, `my-item` and `api_key` are not.
 *
 * Throws InvalidNameError whose `rule` names the first rule broken (checked in this order:
 * 'not-a-string', 'empty', 'too-long', then the characters from left to right; in environment
 * style a lowercase letter is reported as 'lowercase' once every character is otherwise allowed,
 * with a suggestion).
 * @example
 * validateEntryName('API_KEY', 'environment'); // fine
 * validateEntryName('api key', 'default');
 * // InvalidNameError: "api key" is not a valid name: character 4 is a space; names may contain
 * // only letters, digits, "_", "-" and "."
 */
export function validateEntryName(name: unknown, style: NameStyle): asserts name is string {
  if (isValidEntryName(name, style)) return;
  const fail = (rule: NameRule, problem: string): never => {
    throw new InvalidNameError({
      rejectedName: typeof name === 'string' ? name : undefined,
      subject: 'entry',
      style,
      rule,
      problem,
    });
  };
  if (typeof name !== 'string') {
    return fail('not-a-string', `a name must be a string, got ${describeType(name)}`);
  }
  const characters = Array.from(name);
  if (characters.length === 0) {
    return fail('empty', `it is empty; a name has 1 to ${MAX_ENTRY_NAME_LENGTH} characters`);
  }
  if (characters.length > MAX_ENTRY_NAME_LENGTH) {
    return fail(
      'too-long',
      `it has ${characters.length} characters; the limit is ${MAX_ENTRY_NAME_LENGTH}`,
    );
  }
  const first = characters[0]!;
  if (style === 'default') {
    if (!isLetter(first)) {
      return fail(
        'first-character',
        `it starts with ${describeCharacter(first)}; a name must start with a letter (A–Z or a–z)`,
      );
    }
    const position = characters.findIndex((character) => !isDefaultCharacter(character));
    return fail(
      'character',
      `character ${position + 1} is ${describeCharacter(characters[position]!)}; ${defaultAllowed}`,
    );
  }
  const suggestion = suggestEnvironmentName(name);
  const tryIt = suggestion === undefined ? '' : ` (try ${JSON.stringify(suggestion)})`;
  const position = characters.findIndex((character) => !isEnvironmentCharacter(character));
  if (position === 0 || (position < 0 && !isLetter(first))) {
    return fail(
      'first-character',
      `it starts with ${describeCharacter(first)}; an environment-style name must start with a letter A–Z${tryIt}`,
    );
  }
  if (position > 0) {
    return fail(
      'character',
      `character ${position + 1} is ${describeCharacter(characters[position]!)}; ${environmentAllowed}${tryIt}`,
    );
  }
  return fail('lowercase', `it has lowercase letters; ${environmentAllowed}${tryIt}`);
}

/**
 * The environment-style name a user most likely meant, if there is an obvious one:
 * `myItem`, `my-item`, `my.item` and `my item` all become `MY_ITEM`.
 * @example
 * suggestEnvironmentName('stripe-api-key'); // 'STRIPE_API_KEY'
 * suggestEnvironmentName('1st');            // undefined (cannot start with a digit)
 */
export function suggestEnvironmentName(name: string): string | undefined {
  const suggestion = name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[-. ]+/g, '_')
    .replace(/[a-z]/g, (letter) => letter.toUpperCase());
  return suggestion !== name && isValidEntryName(suggestion, 'environment')
    ? suggestion
    : undefined;
}

/**
 * Checks a vault name and returns it as stored: trimmed and in Unicode NFC, so "café" typed on
 * two keyboards is one name. Any Unicode is allowed except control characters and unpaired
 * surrogates (which cannot be stored as UTF-8); 1 to 100 characters after trimming.
 * Throws InvalidNameError with the first rule broken, in this order: 'not-a-string', 'empty',
 * 'control-character', 'unpaired-surrogate', 'too-long'. Positions count from the start of the
 * name as given.
 * @example
 * validateVaultName('  my-vault '); // 'my-vault'
 * validateVaultName('Café ☕ 2025'); // 'Café ☕ 2025'
 * validateVaultName('a\tb');        // InvalidNameError, rule 'control-character'
 */
export function validateVaultName(name: unknown): string {
  const fail = (rule: NameRule, problem: string): never => {
    throw new InvalidNameError({
      rejectedName: typeof name === 'string' ? name : undefined,
      subject: 'vault',
      style: undefined,
      rule,
      problem,
    });
  };
  if (typeof name !== 'string') {
    return fail('not-a-string', `a vault name must be a string, got ${describeType(name)}`);
  }
  const trimmed = name.trim();
  if (trimmed.length === 0) {
    return fail(
      'empty',
      `it is empty${name.length > 0 ? ' once spaces are trimmed' : ''}; a vault name has 1 to ${MAX_VAULT_NAME_LENGTH} characters`,
    );
  }
  // Whitespace is all in the BMP, so the trimmed prefix has as many characters as code units.
  const leading = name.length - name.trimStart().length;
  const characters = Array.from(trimmed);
  const control = characters.findIndex((character) => /^\p{Cc}$/u.test(character));
  if (control >= 0) {
    return fail(
      'control-character',
      `character ${leading + control + 1} is ${describeCharacter(characters[control]!)}; vault names cannot contain control characters such as tabs or line breaks`,
    );
  }
  const surrogate = characters.findIndex((character) => /^\p{Cs}$/u.test(character));
  if (surrogate >= 0) {
    return fail(
      'unpaired-surrogate',
      `character ${leading + surrogate + 1} is ${describeCharacter(characters[surrogate]!)}, which is not valid text`,
    );
  }
  const normalized = trimmed.normalize('NFC');
  const length = Array.from(normalized).length;
  if (length > MAX_VAULT_NAME_LENGTH) {
    return fail('too-long', `it has ${length} characters; the limit is ${MAX_VAULT_NAME_LENGTH}`);
  }
  return normalized;
}
