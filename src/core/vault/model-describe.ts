/**
 * Words for messages: what kind of thing arrived, and which character broke a rule. They
 * describe, never quote, anything that could be a secret: `describeType` never shows a value.
 */

const hex = (codePoint: number) => `U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}`;

const invisible = /^[\p{Cc}\p{Cf}\p{Z}\p{Co}\p{Cn}]$/u;
const loneSurrogate = /^\p{Cs}$/u;

/**
 * One character (a code point, possibly a lone surrogate) in plain words.
 * @example
 * describeCharacter(' '); // 'a space'
 * describeCharacter('ä'); // '"ä" (U+00E4)'
 */
export function describeCharacter(character: string): string {
  const codePoint = character.codePointAt(0) ?? 0;
  if (character === ' ') return 'a space';
  if (character === '\t') return 'a tab';
  if (character === '\n' || character === '\r') return 'a line break';
  if (loneSurrogate.test(character)) return `an unpaired surrogate (${hex(codePoint)})`;
  if (invisible.test(character)) return `the invisible character ${hex(codePoint)}`;
  if (codePoint < 0x80) return JSON.stringify(character);
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
