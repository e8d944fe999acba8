/**
 * Errors about names (of entries and of vaults): a name that breaks a naming rule, one that
 * looks like an existing name, and an unknown name style.
 * Names are not secrets and may appear; values never do, in any message or property, because
 * errors end up in logs and bug reports. Each class has a stable `code` (src/core/errors).
 *
 * Error's own `name` property holds the class name, so the name an error is about is carried
 * as `rejectedName`.
 */

import { CofferError } from '../errors';
import { describeCharacter } from './model-describe';
import { showName } from './show-name';

/**
 * The naming styles (NameStyle of entry-types.ts), spelled out here so that the errors do not
 * depend on the entry types: those name JSON values, whose checks throw these errors.
 */
type Style = 'default' | 'environment';

/**
 * Which naming rule a name broke.
 * @example
 * const rule: NameRule = 'lowercase'; // an environment-style name with a lowercase letter
 */
export type NameRule =
  | 'not-a-string'
  | 'empty'
  | 'too-long'
  | 'first-character'
  | 'character'
  | 'lowercase'
  | 'control-character'
  | 'bidi-control'
  | 'invisible-character'
  | 'unpaired-surrogate';

/**
 * A name (of an entry or of a vault) that breaks a naming rule. `rule` says which one; the
 * message says where and how to fix it.
 * @example
 * try {
 *   validateEntryName('api key', 'default');
 * } catch (error) {
 *   if (error instanceof InvalidNameError) console.warn(error.rule); // 'character'
 * }
 */
export class InvalidNameError extends CofferError {
  override readonly name = 'InvalidNameError';
  override readonly code = 'invalid-name' as const;
  /** The rejected name, or `undefined` when it was not a string. */
  readonly rejectedName: string | undefined;
  /** Whether an entry's or a vault's name was checked. */
  readonly subject: 'entry' | 'vault';
  /** The entry naming style that applied; `undefined` for vault names. */
  readonly style: Style | undefined;
  readonly rule: NameRule;

  constructor(details: {
    readonly rejectedName: string | undefined;
    readonly subject: 'entry' | 'vault';
    readonly style: Style | undefined;
    readonly rule: NameRule;
    /** What was wrong and how to fix it, in plain words. */
    readonly problem: string;
  }) {
    const what =
      details.subject === 'vault'
        ? 'vault name'
        : details.style === 'environment'
          ? 'environment-style name'
          : 'name';
    super(
      details.rejectedName === undefined
        ? `not a valid ${what}: ${details.problem}`
        : `${showName(details.rejectedName)} is not a valid ${what}: ${details.problem}`,
    );
    this.rejectedName = details.rejectedName;
    this.subject = details.subject;
    this.style = details.style;
    this.rule = details.rule;
  }
}

/** Look-alike ASCII characters, named so a message about them can be read in any font. */
const asciiLookalikes: Readonly<Record<string, string>> = {
  '0': 'digit zero',
  '1': 'digit one',
  I: 'capital letter I',
  O: 'capital letter O',
  l: 'small letter L',
  '|': 'vertical line',
};

const isShown = (character: string) =>
  !/^[\p{Cc}\p{Cf}\p{Z}\p{Co}\p{Cn}\p{Cs}\p{Default_Ignorable_Code_Point}]$/u.test(character);

/**
 * One or more characters of a name in plain words, for ConfusableNameError. `words` adds the
 * names of ASCII look-alikes ("1" and "l" side by side need them; "о" vs "o" does not, since
 * the Cyrillic one is named).
 */
function describeCharacters(characters: readonly string[], words = false): string {
  if (characters.length === 1) {
    const character = characters[0]!;
    const word = words ? asciiLookalikes[character] : undefined;
    return word === undefined
      ? describeCharacter(character)
      : `${JSON.stringify(character)} (${word})`;
  }
  return characters.every(isShown)
    ? JSON.stringify(characters.join(''))
    : characters.map((character) => describeCharacter(character)).join(', ');
}

/**
 * Where two confusable names differ: the part between their common beginning and their common
 * end, or, when the two parts have the same length, the first character that differs by more
 * than letter case (or by case, if that is all).
 */
function differenceOf(
  rejectedName: string,
  existingName: string,
): {
  readonly position: number;
  readonly rejectedCharacters: string;
  readonly existingCharacters: string;
  readonly problem: string;
} {
  const rejected = Array.from(rejectedName);
  const existing = Array.from(existingName);
  const shorter = Math.min(rejected.length, existing.length);
  let start = 0;
  while (start < shorter && rejected[start] === existing[start]) start++;
  let end = 0;
  while (
    end < shorter - start &&
    rejected[rejected.length - 1 - end] === existing[existing.length - 1 - end]
  ) {
    end++;
  }
  const ours = rejected.slice(start, rejected.length - end);
  const theirs = existing.slice(start, existing.length - end);
  if (ours.length === theirs.length && ours.length > 0) {
    const differing = ours.map((_, at) => at).filter((at) => ours[at] !== theirs[at]);
    const lookalike = differing.find((at) => ours[at]!.toLowerCase() !== theirs[at]!.toLowerCase());
    const at = lookalike ?? differing[0]!;
    const position = start + at + 1;
    const mine = ours[at]!;
    const other = theirs[at]!;
    const words = mine < '\x80' && other < '\x80';
    return {
      position,
      rejectedCharacters: mine,
      existingCharacters: other,
      problem:
        lookalike === undefined
          ? `the names differ only in letter case (character ${position} is ${JSON.stringify(mine)}, not ${JSON.stringify(other)})`
          : `character ${position} is ${describeCharacters([mine], words)}, which looks like ${describeCharacters([other], words)}`,
    };
  }
  const position = start + 1;
  const result = {
    position,
    rejectedCharacters: ours.join(''),
    existingCharacters: theirs.join(''),
  };
  if (ours.length === 0) {
    return {
      ...result,
      problem: `character ${position} of the existing name is ${describeCharacters(theirs)}, which this one lacks`,
    };
  }
  if (theirs.length === 0) {
    return {
      ...result,
      problem: `${ours.length === 1 ? `character ${position} is` : `characters ${position}–${start + ours.length} are`} ${describeCharacters(ours)}, which the existing name does not have`,
    };
  }
  return {
    ...result,
    problem:
      ours.length === 1
        ? `character ${position} is ${describeCharacters(ours)}, which looks like ${describeCharacters(theirs)}`
        : `characters ${position}–${start + ours.length} are ${describeCharacters(ours)}, which look like ${describeCharacters(theirs)}`,
  };
}

/**
 * A new name (of an entry or a vault) that could be mistaken for an existing one: the same
 * Unicode skeleton (UTS #39), as given or once both are lowercase. It says which existing name,
 * and where they differ: `position` (1-based, in characters) and the characters there.
 * @example
 * try {
 *   store.set('KEY_l', { kind: 'secret', value: 'v' }); // while KEY_1 exists
 * } catch (error) {
 *   if (error instanceof ConfusableNameError) console.warn(error.existingName); // 'KEY_1'
 * }
 * // "KEY_l" looks the same as the existing entry "KEY_1": character 5 is "l" (small letter L),
 * // which looks like "1" (digit one); choose a name that cannot be mistaken for it
 */
export class ConfusableNameError extends CofferError {
  override readonly name = 'ConfusableNameError';
  override readonly code = 'confusable-name' as const;
  /** The refused new name. */
  readonly rejectedName: string;
  /** The name already in use that it looks like. */
  readonly existingName: string;
  readonly subject: 'entry' | 'vault';
  /** 1-based position (in characters) in `rejectedName` where the two names start to differ. */
  readonly position: number;
  /** The characters of `rejectedName` at `position` that differ (empty if it lacks some). */
  readonly rejectedCharacters: string;
  /** The characters of `existingName` they stand for (empty if the rejected name adds some). */
  readonly existingCharacters: string;

  constructor(details: {
    readonly rejectedName: string;
    readonly existingName: string;
    readonly subject: 'entry' | 'vault';
  }) {
    const difference = differenceOf(details.rejectedName, details.existingName);
    super(
      `${showName(details.rejectedName)} looks the same as the existing ${details.subject} ${showName(details.existingName)}: ${difference.problem}; choose a name that cannot be mistaken for it`,
    );
    this.rejectedName = details.rejectedName;
    this.existingName = details.existingName;
    this.subject = details.subject;
    this.position = difference.position;
    this.rejectedCharacters = difference.rejectedCharacters;
    this.existingCharacters = difference.existingCharacters;
  }
}

/**
 * A name style other than 'default' or 'environment'.
 * @example
 * try {
 *   store.nameStyle = 'kebab' as NameStyle;
 * } catch (error) {
 *   if (error instanceof InvalidNameStyleError) console.warn(error.received); // 'a string'
 * }
 */
export class InvalidNameStyleError extends CofferError {
  override readonly name = 'InvalidNameStyleError';
  override readonly code = 'invalid-name-style' as const;
  constructor(readonly received: string) {
    super(`a name style is 'default' or 'environment', got ${received}`);
  }
}
