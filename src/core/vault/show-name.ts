/**
 * How the vault's errors quote a name: one rule for every message that names an entry or a
 * vault. Names are not secrets; values never reach a message.
 */

/** Longest name shown in a message; longer ones are cut (an argument mix-up should not dump a value). */
const maxShownName = 64;

/**
 * A name as messages show it: quoted, and cut if very long.
 * @example
 * showName('API_KEY'); // '"API_KEY"'
 */
export function showName(name: string): string {
  const codePoints = Array.from(name);
  const shown =
    codePoints.length > maxShownName ? `${codePoints.slice(0, maxShownName - 1).join('')}…` : name;
  return JSON.stringify(shown);
}
