/**
 * Random passwords for the secret form. Pure functions over an injected random source so Node
 * tests can drive them; the app passes `crypto.getRandomValues`.
 *
 * Every character is drawn with rejection sampling: a 32-bit random number is accepted only
 * below the largest multiple of the alphabet's size, so `x % size` is exactly uniform (no modulo
 * bias). A password that misses one of the chosen character sets is thrown away whole and drawn
 * again, which keeps the result uniform over all passwords that contain every chosen set.
 */

export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 128;
export const PASSWORD_DEFAULT_LENGTH = 24;

export const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
export const DIGITS = '0123456789';
/** Printable ASCII punctuation without quotes, backslash and backtick, which break shells and configs. */
export const SYMBOLS = '!#$%&()*+,-./:;<=>?@[]^_{|}~';

export interface PasswordOptions {
  readonly length: number;
  readonly letters: boolean;
  readonly digits: boolean;
  readonly symbols: boolean;
}

export const defaultPasswordOptions: PasswordOptions = {
  length: PASSWORD_DEFAULT_LENGTH,
  letters: true,
  digits: true,
  symbols: true,
};

/** Fills the array with random bytes, like `crypto.getRandomValues`. */
export type RandomSource = (target: Uint32Array) => void;

const webRandom: RandomSource = (target) => {
  crypto.getRandomValues(target);
};

/** The chosen character sets, in a fixed order. */
export function characterSets(options: PasswordOptions): string[] {
  const sets: string[] = [];
  if (options.letters) sets.push(LETTERS);
  if (options.digits) sets.push(DIGITS);
  if (options.symbols) sets.push(SYMBOLS);
  return sets;
}

/** Why these options cannot make a password, in words for the form; null when they can. */
export function passwordOptionsProblem(options: PasswordOptions): string | null {
  if (
    !Number.isInteger(options.length) ||
    options.length < PASSWORD_MIN_LENGTH ||
    options.length > PASSWORD_MAX_LENGTH
  ) {
    return `Choose a length from ${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH}.`;
  }
  if (characterSets(options).length === 0) return 'Choose at least one kind of character.';
  return null;
}

/** Bits of entropy of a password drawn from these options (an upper bound, ignoring the "every set" rule). */
export function passwordEntropyBits(options: PasswordOptions): number {
  const size = characterSets(options).join('').length;
  return size === 0 ? 0 : Math.floor(options.length * Math.log2(size));
}

/**
 * A uniform index in [0, size) from 32-bit random numbers, by rejection sampling.
 * `next` returns a fresh uniform 32-bit unsigned integer on each call.
 */
export function uniformIndex(size: number, next: () => number): number {
  if (!Number.isInteger(size) || size < 1 || size > 2 ** 32) {
    throw new RangeError(`uniformIndex: size must be an integer from 1 to 2^32, got ${size}`);
  }
  // The largest multiple of `size` that fits in 2^32: values at or above it would favour the
  // low indexes, so they are drawn again.
  const limit = 2 ** 32 - (2 ** 32 % size);
  for (;;) {
    const value = next();
    if (value < limit) return value % size;
  }
}

/** Random 32-bit numbers from the source, fetched in batches. */
function randomStream(random: RandomSource): () => number {
  const buffer = new Uint32Array(64);
  let used = buffer.length;
  return () => {
    if (used === buffer.length) {
      random(buffer);
      used = 0;
    }
    return buffer[used++]!;
  };
}

/**
 * A password of `options.length` characters drawn uniformly from the chosen sets, containing at
 * least one character of each chosen set. Throws RangeError for options that cannot work.
 */
export function generatePassword(
  options: PasswordOptions,
  random: RandomSource = webRandom,
): string {
  const problem = passwordOptionsProblem(options);
  if (problem) throw new RangeError(problem);
  const sets = characterSets(options);
  const alphabet = Array.from(sets.join(''));
  const next = randomStream(random);
  for (;;) {
    let password = '';
    for (let index = 0; index < options.length; index++) {
      password += alphabet[uniformIndex(alphabet.length, next)];
    }
    if (sets.every((set) => Array.from(password).some((character) => set.includes(character)))) {
      return password;
    }
  }
}
