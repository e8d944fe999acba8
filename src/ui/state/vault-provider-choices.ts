/**
 * The user's choices for keys in conflict (changed both here and at the provider): which are
 * still open, choosing one side for all, and the line that sums them up.
 */
import { countOf } from './vault-provider-text';
import type { ConflictChoice, ConflictChoices } from './vault-provider-types';

/** The choices for the keys still in conflict (choices for keys no longer in conflict dropped). */
export function choicesFor(
  conflicts: readonly string[],
  choices: ConflictChoices,
): ConflictChoices {
  const kept: Record<string, ConflictChoice> = {};
  for (const key of conflicts) {
    const choice = choices[key];
    if (choice !== undefined) kept[key] = choice;
  }
  return kept;
}

/** The same choice for every key in conflict. */
export function chooseAll(conflicts: readonly string[], choice: ConflictChoice): ConflictChoices {
  return Object.fromEntries(conflicts.map((key) => [key, choice]));
}

/** Apply is possible once every key in conflict has a choice. */
export function conflictsUnchosen(
  conflicts: readonly string[],
  choices: ConflictChoices,
): string[] {
  return conflicts.filter((key) => choices[key] === undefined);
}

/** "Apply: keep 2 of mine, take 1 of theirs." */
export function describeChoices(conflicts: readonly string[], choices: ConflictChoices): string {
  const mine = conflicts.filter((key) => choices[key] === 'mine').length;
  const theirs = conflicts.filter((key) => choices[key] === 'theirs').length;
  const open = conflicts.length - mine - theirs;
  const done = `Keep ${mine} of mine, take ${theirs} of theirs`;
  return open === 0 ? `${done}.` : `${done}; ${countOf(open, 'key')} still to choose.`;
}
