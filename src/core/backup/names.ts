/**
 * The name a restored vault gets: the backup's name made safe (what this device refuses in
 * names it types is removed, as for a vault received by invitation), then, if another vault
 * here has it or a look-alike of it, " (restored)", " (restored 2)", ... A restore never
 * renames or overwrites anything already here.
 */
import {
  findConfusable,
  loadConfusables,
  MAX_VAULT_NAME_LENGTH,
  validateVaultName,
} from '../vault';

const sameName = (a: string, b: string) =>
  a.normalize('NFC').toLocaleLowerCase('en') === b.normalize('NFC').toLocaleLowerCase('en');

/** Free names for `wanted`, in order, none clashing with `taken` or with each other. */
export async function restoredNames(
  wanted: readonly string[],
  taken: readonly string[],
): Promise<string[]> {
  await loadConfusables();
  const names = [...taken];
  const clashes = (candidate: string) =>
    names.some((other) => sameName(other, candidate)) ||
    findConfusable(candidate, names) !== undefined;
  return wanted.map((offered) => {
    let base: string;
    try {
      base = validateVaultName(
        offered.replace(/[\p{Default_Ignorable_Code_Point}\p{Bidi_Control}]/gu, ''),
      );
    } catch {
      base = 'Restored vault';
    }
    const stem = base.slice(0, MAX_VAULT_NAME_LENGTH - ' (restored 999)'.length).trimEnd();
    let name = base;
    for (let n = 1; clashes(name); n++) {
      name = n === 1 ? `${stem} (restored)` : `${stem} (restored ${n})`;
    }
    names.push(name);
    return name;
  });
}
