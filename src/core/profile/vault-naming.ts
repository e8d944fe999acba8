/**
 * How the profile names vaults: unique ignoring case (after NFC), never confusable with
 * another vault's name, and a joined vault's name made safe and free here.
 */
import type { OpenedVaultRecord } from '../storage';
import { ConfusableNameError, findConfusable, loadConfusables, validateVaultName } from '../vault';
import { VaultNameTakenError } from './errors';

/** What two names equal ignoring case (after NFC) have in common. */
export const sameNameKey = (name: string) => name.normalize('NFC').toLocaleLowerCase('en');

export const sameName = (a: string, b: string) => sameNameKey(a) === sameNameKey(b);

/**
 * Refuses a vault name that another vault has (ignoring case: VaultNameTakenError) or that
 * could be mistaken for another's (UTS #39 confusables: ConfusableNameError).
 */
export async function assertNameFree(
  name: string,
  others: readonly OpenedVaultRecord[],
): Promise<void> {
  const names = others.map((vault) => vault.metadata.name);
  const same = names.find((other) => sameName(other, name));
  if (same !== undefined) throw new VaultNameTakenError(name);
  await loadConfusables();
  const lookalike = findConfusable(name, names);
  if (lookalike !== undefined) {
    throw new ConfusableNameError({
      rejectedName: name,
      existingName: lookalike,
      subject: 'vault',
    });
  }
}

/**
 * The name a vault received by invitation gets here: the inviter's name without what this
 * device refuses in names it types (it was made before the rule, or by a faulty build), and
 * " (2)", " (3)", ... if it is taken or confusable, so nothing here is renamed.
 */
export async function nameForJoinedVault(
  offered: string,
  others: readonly OpenedVaultRecord[],
): Promise<string> {
  let base: string;
  try {
    base = validateVaultName(
      offered.replace(/[\p{Default_Ignorable_Code_Point}\p{Bidi_Control}]/gu, ''),
    );
  } catch {
    base = 'Shared vault';
  }
  await loadConfusables();
  const names = others.map((existing) => existing.metadata.name);
  const taken = (candidate: string) =>
    names.some((other) => sameName(other, candidate)) ||
    findConfusable(candidate, names) !== undefined;
  let name = base;
  for (let n = 2; taken(name); n++) {
    name = `${base.slice(0, 90)} (${n})`;
  }
  return name;
}
