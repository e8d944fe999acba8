/**
 * Entry names made from free text (a Bitwarden item "GitHub – personal" in the folder "Work",
 * a KeePass entry under its groups): the closest name the vault's naming rule takes, so such
 * imports are not refused wholesale. Files that carry names (.env, JSON, CSV) keep theirs as
 * written, and the preview says which the rule refuses.
 */
import { MAX_ENTRY_NAME_LENGTH, type NameStyle } from '../../vault';

/** Latin letters without their accents (é -> e): NFD, then the combining marks dropped. */
const plain = (text: string) => text.normalize('NFKD').replace(/\p{M}/gu, '');

function part(text: string, style: NameStyle): string {
  const ascii = plain(text);
  // camelCase is split into words only when there are no other word breaks ("GitHub login"
  // is GITHUB_LOGIN, "myItem" is MY_ITEM).
  const words = /[^A-Za-z0-9]/.test(ascii) ? ascii : ascii.replace(/([a-z0-9])([A-Z])/g, '$1_$2');
  return style === 'environment'
    ? words
        .toUpperCase()
        .replace(/[^A-Z0-9]+/g, '_')
        .replace(/^_+|_+$/g, '')
    : ascii.replace(/[^A-Za-z0-9_.]+/g, '-').replace(/^[-.]+|[-.]+$/g, '');
}

/**
 * A name for `parts` (folders first, then the item's own name) in `style`: default style joins
 * them with "." and turns other characters into "-" (`Work.GitHub-personal`); environment style
 * upper-cases and joins with "_" (`WORK_GITHUB_PERSONAL`). A name that would not start with a
 * letter gets "N" (environment) or "n-" (default) before it; an empty one is "item". Cut at
 * MAX_ENTRY_NAME_LENGTH.
 * @example
 * toEntryName(['Work', 'GitHub – personal'], 'default');     // 'Work.GitHub-personal'
 * toEntryName(['Work', 'GitHub – personal'], 'environment'); // 'WORK_GITHUB_PERSONAL'
 */
export function toEntryName(parts: readonly string[], style: NameStyle): string {
  const pieces = parts.map((text) => part(text, style)).filter((piece) => piece !== '');
  let name = pieces.join(style === 'environment' ? '_' : '.');
  if (name === '') name = style === 'environment' ? 'ITEM' : 'item';
  if (!/^[A-Za-z]/.test(name)) name = style === 'environment' ? `N${name}` : `n-${name}`;
  return name.slice(0, MAX_ENTRY_NAME_LENGTH).replace(/[-._]+$/, '');
}
