/**
 * Words for messages: what kind of thing arrived, and which character broke a rule. They
 * describe, never quote, anything that could be a secret: `describeType` never shows a value.
 */

const hex = (codePoint: number) => `U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}`;

const invisible = /^[\p{Cc}\p{Cf}\p{Z}\p{Co}\p{Cn}]$/u;
const ignorable = /^\p{Default_Ignorable_Code_Point}$/u;
const bidiControl = /^\p{Bidi_Control}$/u;
const loneSurrogate = /^\p{Cs}$/u;

/**
 * Unicode names (from UnicodeData.txt) of the characters that messages most need to name: the
 * invisible and bidirectional formatting characters, and letters that pass for Latin ones.
 * A few hundred bytes instead of a names database; other characters are shown by code point.
 */
const namedCharacters = new Map<number, string>([
  [0x00ad, 'SOFT HYPHEN'],
  [0x0131, 'LATIN SMALL LETTER DOTLESS I'],
  [0x01c0, 'LATIN LETTER DENTAL CLICK'],
  [0x0269, 'LATIN SMALL LETTER IOTA'],
  [0x034f, 'COMBINING GRAPHEME JOINER'],
  [0x04c0, 'CYRILLIC LETTER PALOCHKA'],
  [0x04cf, 'CYRILLIC SMALL LETTER PALOCHKA'],
  [0x061c, 'ARABIC LETTER MARK'],
  [0x115f, 'HANGUL CHOSEONG FILLER'],
  [0x1160, 'HANGUL JUNGSEONG FILLER'],
  [0x17b4, 'KHMER VOWEL INHERENT AQ'],
  [0x17b5, 'KHMER VOWEL INHERENT AA'],
  [0x180b, 'MONGOLIAN FREE VARIATION SELECTOR ONE'],
  [0x180c, 'MONGOLIAN FREE VARIATION SELECTOR TWO'],
  [0x180d, 'MONGOLIAN FREE VARIATION SELECTOR THREE'],
  [0x180e, 'MONGOLIAN VOWEL SEPARATOR'],
  [0x180f, 'MONGOLIAN FREE VARIATION SELECTOR FOUR'],
  [0x200b, 'ZERO WIDTH SPACE'],
  [0x200c, 'ZERO WIDTH NON-JOINER'],
  [0x200d, 'ZERO WIDTH JOINER'],
  [0x200e, 'LEFT-TO-RIGHT MARK'],
  [0x200f, 'RIGHT-TO-LEFT MARK'],
  [0x202a, 'LEFT-TO-RIGHT EMBEDDING'],
  [0x202b, 'RIGHT-TO-LEFT EMBEDDING'],
  [0x202c, 'POP DIRECTIONAL FORMATTING'],
  [0x202d, 'LEFT-TO-RIGHT OVERRIDE'],
  [0x202e, 'RIGHT-TO-LEFT OVERRIDE'],
  [0x2060, 'WORD JOINER'],
  [0x2061, 'FUNCTION APPLICATION'],
  [0x2062, 'INVISIBLE TIMES'],
  [0x2063, 'INVISIBLE SEPARATOR'],
  [0x2064, 'INVISIBLE PLUS'],
  [0x2066, 'LEFT-TO-RIGHT ISOLATE'],
  [0x2067, 'RIGHT-TO-LEFT ISOLATE'],
  [0x2068, 'FIRST STRONG ISOLATE'],
  [0x2069, 'POP DIRECTIONAL ISOLATE'],
  [0x206a, 'INHIBIT SYMMETRIC SWAPPING'],
  [0x206b, 'ACTIVATE SYMMETRIC SWAPPING'],
  [0x206c, 'INHIBIT ARABIC FORM SHAPING'],
  [0x206d, 'ACTIVATE ARABIC FORM SHAPING'],
  [0x206e, 'NATIONAL DIGIT SHAPES'],
  [0x206f, 'NOMINAL DIGIT SHAPES'],
  [0x2113, 'SCRIPT SMALL L'],
  [0x2160, 'ROMAN NUMERAL ONE'],
  [0x217c, 'SMALL ROMAN NUMERAL FIFTY'],
  [0x3164, 'HANGUL FILLER'],
  [0xfeff, 'ZERO WIDTH NO-BREAK SPACE'],
  [0xffa0, 'HALFWIDTH HANGUL FILLER'],
  [0xe0001, 'LANGUAGE TAG'],
  [0xe0020, 'TAG SPACE'],
  [0xe007f, 'CANCEL TAG'],
]);

const cyrillicExtra =
  'IE WITH GRAVE,IO,DJE,GJE,UKRAINIAN IE,DZE,BYELORUSSIAN-UKRAINIAN I,YI,JE,LJE,NJE,TSHE,KJE,I WITH GRAVE,SHORT U,DZHE'.split(
    ',',
  );
const cyrillicBasic =
  'A,BE,VE,GHE,DE,IE,ZHE,ZE,I,SHORT I,KA,EL,EM,EN,O,PE,ER,ES,TE,U,EF,HA,TSE,CHE,SHA,SHCHA,HARD SIGN,YERU,SOFT SIGN,E,YU,YA'.split(
    ',',
  );
const greek =
  'ALPHA,BETA,GAMMA,DELTA,EPSILON,ZETA,ETA,THETA,IOTA,KAPPA,LAMDA,MU,NU,XI,OMICRON,PI,RHO,FINAL SIGMA,SIGMA,TAU,UPSILON,PHI,CHI,PSI,OMEGA'.split(
    ',',
  );
const digits = 'ZERO,ONE,TWO,THREE,FOUR,FIVE,SIX,SEVEN,EIGHT,NINE'.split(',');

/** The Unicode name of `codePoint` if it is one messages need (see namedCharacters). */
function unicodeName(codePoint: number): string | undefined {
  const named = namedCharacters.get(codePoint);
  if (named !== undefined) return named;
  const between = (low: number, high: number) => codePoint >= low && codePoint <= high;
  const letter = (base: number) => String.fromCharCode(0x41 + codePoint - base);
  if (between(0x0400, 0x045f)) {
    const name = between(0x0410, 0x044f)
      ? cyrillicBasic[(codePoint - 0x0410) % 32]
      : cyrillicExtra[(codePoint - 0x0400) % 16];
    return `CYRILLIC ${codePoint >= 0x0430 ? 'SMALL' : 'CAPITAL'} LETTER ${name}`;
  }
  // Greek's index 17 is FINAL SIGMA: U+03C2 is small only (U+03A2 is unassigned).
  if (between(0x0391, 0x03a9) && codePoint !== 0x03a2) {
    return `GREEK CAPITAL LETTER ${greek[codePoint - 0x0391]}`;
  }
  if (between(0x03b1, 0x03c9)) return `GREEK SMALL LETTER ${greek[codePoint - 0x03b1]}`;
  if (between(0xfe00, 0xfe0f)) return `VARIATION SELECTOR-${codePoint - 0xfe00 + 1}`;
  if (between(0xe0100, 0xe01ef)) return `VARIATION SELECTOR-${codePoint - 0xe0100 + 17}`;
  if (between(0xe0030, 0xe0039)) return `TAG DIGIT ${digits[codePoint - 0xe0030]}`;
  if (between(0xe0041, 0xe005a)) return `TAG LATIN CAPITAL LETTER ${letter(0xe0041)}`;
  if (between(0xe0061, 0xe007a)) return `TAG LATIN SMALL LETTER ${letter(0xe0061)}`;
  if (between(0xff10, 0xff19)) return `FULLWIDTH DIGIT ${digits[codePoint - 0xff10]}`;
  if (between(0xff21, 0xff3a)) return `FULLWIDTH LATIN CAPITAL LETTER ${letter(0xff21)}`;
  if (between(0xff41, 0xff5a)) return `FULLWIDTH LATIN SMALL LETTER ${letter(0xff41)}`;
  return undefined;
}

/**
 * One character (a code point, possibly a lone surrogate) in plain words. Invisible and
 * bidirectional formatting characters are named and called invisible; letters that pass for
 * Latin ones (Cyrillic, Greek, fullwidth) are named instead of shown.
 * @example
 * describeCharacter(' ');      // 'a space'
 * describeCharacter('ä');      // '"ä" (U+00E4)'
 * describeCharacter('\u200B'); // 'U+200B ZERO WIDTH SPACE, an invisible character'
 * describeCharacter('о');      // 'U+043E CYRILLIC SMALL LETTER O'
 */
export function describeCharacter(character: string): string {
  const codePoint = character.codePointAt(0) ?? 0;
  if (character === ' ') return 'a space';
  if (character === '\t') return 'a tab';
  if (character === '\n' || character === '\r') return 'a line break';
  if (loneSurrogate.test(character)) return `an unpaired surrogate (${hex(codePoint)})`;
  const name = unicodeName(codePoint);
  if (bidiControl.test(character)) {
    return `${hex(codePoint)} ${name}, an invisible character that changes the direction of text`;
  }
  if (ignorable.test(character) && name !== undefined) {
    return `${hex(codePoint)} ${name}, an invisible character`;
  }
  if (invisible.test(character) || ignorable.test(character)) {
    return `the invisible character ${hex(codePoint)}`;
  }
  if (codePoint < 0x80) return JSON.stringify(character);
  if (name !== undefined) return `${hex(codePoint)} ${name}`;
  return `${JSON.stringify(character)} (${hex(codePoint)})`;
}

/**
 * What kind of thing a value is, for "expected X, got Y" messages. Never the value itself.
 * Class instances are named by their constructor, read without running getters.
 * @example
 * describeType(Number.NaN); // 'NaN'
 * describeType(new Map());  // 'a Map'
 * describeType('hunter2');  // 'a string'
 */
export function describeType(value: unknown): string {
  switch (typeof value) {
    case 'undefined':
      return 'undefined';
    case 'string':
      return 'a string';
    case 'boolean':
      return 'a boolean';
    case 'bigint':
      return 'a bigint';
    case 'symbol':
      return 'a symbol';
    case 'function':
      return 'a function';
    case 'number':
      if (Number.isNaN(value)) return 'NaN';
      if (value === Number.POSITIVE_INFINITY) return 'Infinity';
      if (value === Number.NEGATIVE_INFINITY) return '-Infinity';
      return 'a number';
    default:
      break;
  }
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype === Object.prototype || prototype === null) return 'an object';
  const name = className(prototype);
  if (name === undefined) return 'a non-plain object';
  return /^[AEIO]/.test(name) ? `an ${name}` : `a ${name}`;
}

function className(prototype: unknown): string | undefined {
  if (typeof prototype !== 'object' || prototype === null) return undefined;
  // A data property only: reading through a getter would run code owned by the value.
  const descriptor = Object.getOwnPropertyDescriptor(prototype, 'constructor');
  const maker: unknown = descriptor && 'value' in descriptor ? descriptor.value : undefined;
  if (typeof maker !== 'function') return undefined;
  const name = Object.getOwnPropertyDescriptor(maker, 'name');
  return name && typeof name.value === 'string' && /^[A-Za-z_$][\w$]{0,63}$/.test(name.value)
    ? name.value
    : undefined;
}
