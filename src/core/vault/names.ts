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

const controlCharacter = /^\p{Cc}$/u;
const bidiControl = /^\p{Bidi_Control}$/u;
const ignorable = /^\p{Default_Ignorable_Code_Point}$/u;
const unpairedSurrogate = /^\p{Cs}$/u;
const emoji = /^\p{Emoji}$/u;
const pictographic = /^\p{Extended_Pictographic}$/u;
const emojiModifier = /^\p{Emoji_Modifier}$/u;
const zeroWidthJoiner = '\u200D';
const variationSelectors = new Set(['\uFE0E', '\uFE0F']);
const blackFlag = '\u{1F3F4}';
const cancelTag = '\u{E007F}';
const tagLetterOrDigit = /^[\u{E0030}-\u{E0039}\u{E0061}-\u{E007A}]$/u;

/**
 * Positions (in `characters`) of the invisible characters that belong to an emoji: text (VS15)
 * and emoji (VS16) presentation selectors right after a character that can be an emoji; a zero
 * width joiner between an emoji (or its skin tone or VS16) and a pictograph; the tag letters
 * and cancel tag of a subdivision flag such as 🏴󠁧󠁢󠁳󠁣󠁴󠁿.
 */
function emojiParts(characters: readonly string[]): Set<number> {
  const parts = new Set<number>();
  characters.forEach((character, at) => {
    const before = characters[at - 1];
    if (variationSelectors.has(character)) {
      if (before !== undefined && emoji.test(before)) parts.add(at);
    } else if (character === zeroWidthJoiner) {
      const after = characters[at + 1];
      const joins =
        before !== undefined &&
        (pictographic.test(before) ||
          emojiModifier.test(before) ||
          (before === '\uFE0F' && parts.has(at - 1)));
      if (joins && after !== undefined && pictographic.test(after)) parts.add(at);
    } else if (character === blackFlag) {
      let end = at + 1;
      while (end < characters.length && tagLetterOrDigit.test(characters[end]!)) end++;
      if (end - at - 1 >= 2 && end - at - 1 <= 7 && characters[end] === cancelTag) {
        for (let tag = at + 1; tag <= end; tag++) parts.add(tag);
      }
    }
  });
  return parts;
}

/**
 * Checks a vault name and returns it as stored: trimmed and in Unicode NFC, so "café" typed on
 * two keyboards is one name. Any Unicode is allowed except what cannot be seen or stored:
 * control characters; bidirectional formatting characters (Unicode's Bidi_Control: LRM, RLM,
 * ALM, the embeddings LRE RLE PDF, the overrides LRO RLO, the isolates LRI RLI FSI PDI), which
 * can show a name's characters in another order than they are stored ("\u202Edorp" displays
 * as "prod"); other invisible characters (Default_Ignorable_Code_Point: zero width space and
 * non-joiner, soft hyphen, word joiner, BOM, Hangul fillers, variation selectors, tags, ...),
 * which make two different names look the same; and unpaired surrogates (which cannot be stored
 * as UTF-8). 1 to 100 characters after trimming (JavaScript's trim also drops a BOM at either
 * end, as it does spaces).
 *
 * Emoji keep working: a zero width joiner is allowed between two emoji ("👩‍💻", "🏳️‍🌈"), VS16
 * and VS15 right after a character that can be an emoji ("☕️", "1️⃣"), and the tags of a
 * subdivision flag. Anywhere else they are refused; a name that differs from another only by
 * such a character is caught by `findConfusable`, whose skeleton drops them. Zero width
 * non-joiner is refused even though Persian and Indic text use it: a vault name does not need
 * it to be read.
 *
 * Throws InvalidNameError with the first rule broken, in this order: 'not-a-string', 'empty',
 * 'control-character', 'bidi-control', 'invisible-character', 'unpaired-surrogate', 'too-long'.
 * Positions count from the start of the name as given.
 * @example
 * validateVaultName('  my-vault '); // 'my-vault'
 * validateVaultName('Café ☕ 2025'); // 'Café ☕ 2025'
 * validateVaultName('a\tb');        // InvalidNameError, rule 'control-character'
 * validateVaultName('pro\u200Bd');  // InvalidNameError, rule 'invisible-character'
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
  const at = (index: number) =>
    `character ${leading + index + 1} is ${describeCharacter(characters[index]!)}`;
  const control = characters.findIndex((character) => controlCharacter.test(character));
  if (control >= 0) {
    return fail(
      'control-character',
      `${at(control)}; vault names cannot contain control characters such as tabs or line breaks`,
    );
  }
  const bidi = characters.findIndex((character) => bidiControl.test(character));
  if (bidi >= 0) {
    return fail(
      'bidi-control',
      `${at(bidi)}; vault names cannot contain bidirectional formatting characters, which can show a name's characters in another order than they are written`,
    );
  }
  if (characters.some((character) => ignorable.test(character))) {
    const allowed = emojiParts(characters);
    const hidden = characters.findIndex(
      (character, index) => ignorable.test(character) && !allowed.has(index),
    );
    if (hidden >= 0) {
      const character = characters[hidden]!;
      const hint =
        character === zeroWidthJoiner
          ? ' (a zero width joiner is allowed only between two emoji, as in "👩‍💻")'
          : variationSelectors.has(character)
            ? ' (it is allowed only right after an emoji, as in "☕️")'
            : '';
      return fail(
        'invisible-character',
        `${at(hidden)}; vault names cannot contain invisible characters, which make two different names look the same${hint}`,
      );
    }
  }
  const surrogate = characters.findIndex((character) => unpairedSurrogate.test(character));
  if (surrogate >= 0) {
    return fail('unpaired-surrogate', `${at(surrogate)}, which is not valid text`);
  }
  const normalized = trimmed.normalize('NFC');
  const length = Array.from(normalized).length;
  if (length > MAX_VAULT_NAME_LENGTH) {
    return fail('too-long', `it has ${length} characters; the limit is ${MAX_VAULT_NAME_LENGTH}`);
  }
  return normalized;
}
