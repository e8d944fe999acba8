/**
 * The recovery code as people read, print and type it (docs/crypto.md, "Recovery kit"):
 *
 *   16 random bytes -> Crockford base32 (26 symbols, the last 2 bits zero)
 *   -> 5 groups of 5, 5, 5, 5 and 6 symbols, each followed by its check symbol
 *   -> joined by "-": 31 symbols, e.g. "0KX3MZ-...-...-...-......."
 *
 * A group's check symbol is Crockford's mod-37 check of the group's symbols preceded by the
 * group's number (1 to 5) as a symbol: `(g * 32^n + value(group)) mod 37`, written with
 * Crockford's 37-symbol check alphabet (the 32 symbols, then `*~$=U`). 37 is prime and does
 * not divide 32 - 1 or any difference of two symbols, so every single wrong symbol and every
 * swap of two neighbours in a group is caught, and a group typed in another group's place too;
 * and the check tells which group is wrong.
 *
 * Typed input is forgiving as Crockford says: lower case, spaces and dashes anywhere, I and L
 * for 1, O for 0.
 */
import { base32crockford } from '@scure/base';
import { RecoveryCodeInvalidError } from './errors';

/** The 16 bytes a recovery code stands for. */
export type RecoveryCodeBytes = Uint8Array & { readonly __brand: 'RecoveryCodeBytes' };

export const recoveryCodeBytes = 16;
const symbols = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const checkSymbols = `${symbols}*~$=U`;
/** How many data symbols each group has; every group then has one check symbol. */
export const groupSizes: readonly number[] = [5, 5, 5, 5, 6];
const typedLength = groupSizes.reduce((sum, size) => sum + size + 1, 0);

/** The check symbol of group `group` (1-based) with these data symbols (all from `symbols`). */
export function checkSymbol(group: number, data: string): string {
  let value = group % 37;
  for (const symbol of data) value = (value * 32 + symbols.indexOf(symbol)) % 37;
  return checkSymbols[value]!;
}

/** Writes 16 bytes as a recovery code: five groups, each with its check symbol, joined by "-". */
export function formatRecoveryCode(bytes: Uint8Array): string {
  if (!(bytes instanceof Uint8Array) || bytes.length !== recoveryCodeBytes)
    throw new TypeError(`a recovery code is ${recoveryCodeBytes} bytes`);
  const data = base32crockford.encode(bytes);
  const groups: string[] = [];
  let at = 0;
  groupSizes.forEach((size, index) => {
    const part = data.slice(at, at + size);
    at += size;
    groups.push(part + checkSymbol(index + 1, part));
  });
  return groups.join('-');
}

/** Upper case, with Crockford's look-alikes read as the digits they look like. */
function normalize(text: string): string {
  return text.toUpperCase().replace(/[IL]/g, '1').replace(/O/g, '0');
}

/** The typed groups: by the separators when there are five, else cut at the fixed lengths. */
function splitGroups(text: string): string[] {
  const parts = normalize(text)
    .split(/[\s\-‐‑‒–—]+/)
    .filter((part) => part.length > 0);
  if (parts.length === groupSizes.length) return parts;
  const joined = parts.join('');
  if (joined.length !== typedLength) throw new RecoveryCodeInvalidError('length', undefined);
  const groups: string[] = [];
  let at = 0;
  for (const size of groupSizes) {
    groups.push(joined.slice(at, at + size + 1));
    at += size + 1;
  }
  return groups;
}

/**
 * Reads a typed recovery code. Throws RecoveryCodeInvalidError naming the group that looks
 * wrong (never the code): a wrong length, a character the code never has, or a check symbol
 * that does not match (a typo).
 * @example
 * parseRecoveryCode(' 0kx3mz-... '); // the 16 bytes
 */
export function parseRecoveryCode(text: string): RecoveryCodeBytes {
  if (typeof text !== 'string') throw new RecoveryCodeInvalidError('length', undefined);
  const groups = splitGroups(text);
  let data = '';
  groups.forEach((group, index) => {
    const number = index + 1;
    if (group.length !== groupSizes[index]! + 1)
      throw new RecoveryCodeInvalidError('length', number);
    const part = group.slice(0, -1);
    const check = group.slice(-1);
    if ([...part].some((symbol) => !symbols.includes(symbol)) || !checkSymbols.includes(check))
      throw new RecoveryCodeInvalidError('character', number);
    if (checkSymbol(number, part) !== check) throw new RecoveryCodeInvalidError('check', number);
    data += part;
  });
  try {
    return base32crockford.decode(data) as RecoveryCodeBytes;
  } catch {
    // Only the last symbol's two unused bits can be wrong here (the checks passed).
    throw new RecoveryCodeInvalidError('character', groupSizes.length);
  }
}
