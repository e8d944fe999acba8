/**
 * The three-way merge of one sync step, key by key, with nothing lost:
 *
 *   L = the vault's value, R = the remote's, B = the base digest (what both last agreed on);
 *   any of the three may be absent (absent matches only absent).
 *
 *   L == R            -> same: nothing to do, B becomes digest(L)
 *   digest(L) == B    -> take-remote: only the remote changed (or deleted) it
 *   digest(R) == B    -> take-local: only the vault changed (or deleted) it
 *   otherwise         -> conflict: the vault keeps L, the remote keeps R, B stays, and the key
 *                        is never pushed over until `resolve` picks a side
 *
 * A key already in conflict stays in conflict until resolved, unless L and R have come to agree
 * meanwhile (someone settled it on one side by hand, or a teammate resolved it): then there is
 * nothing left to choose and no value to lose. Pure functions: no I/O, no clock.
 */
import type { JsonValue } from '../../vault';
import { digestOf, sameValue, type ValueDigest } from './digest';

export type KeyState = 'same' | 'take-remote' | 'take-local' | 'conflict';

export interface MergeInput {
  /** The vault's synced keys (items and secrets) and their values. */
  readonly local: ReadonlyMap<string, JsonValue>;
  /** The remote's keys that the vault tracks (not the carried-through ones). */
  readonly remote: ReadonlyMap<string, JsonValue>;
  readonly base: Readonly<Record<string, string>>;
  readonly salt: string;
  /** Keys awaiting review from earlier steps. */
  readonly conflicts: ReadonlySet<string>;
}

export interface KeyMerge {
  readonly key: string;
  readonly state: KeyState;
  readonly local: JsonValue | undefined;
  readonly remote: JsonValue | undefined;
}

/** Each key of the vault, the remote and the base, merged; sorted by key. */
export function mergeKeys(input: MergeInput): KeyMerge[] {
  const keys = new Set([...input.local.keys(), ...input.remote.keys(), ...Object.keys(input.base)]);
  return [...keys].sort().map((key) => {
    const local = input.local.get(key);
    const remote = input.remote.get(key);
    const base = input.base[key];
    return { key, state: stateOf(input, key, local, remote, base), local, remote };
  });
}

function stateOf(
  input: MergeInput,
  key: string,
  local: JsonValue | undefined,
  remote: JsonValue | undefined,
  base: string | undefined,
): KeyState {
  if (sameValue(local, remote)) return 'same';
  if (input.conflicts.has(key)) return 'conflict';
  if (digestOf(input.salt, local) === base) return 'take-remote';
  if (digestOf(input.salt, remote) === base) return 'take-local';
  return 'conflict';
}

/** What one step changes in the vault: entries to write, entries to delete, and the counts. */
export interface LocalPlan {
  readonly set: { readonly name: string; readonly value: JsonValue; readonly isNew: boolean }[];
  readonly remove: string[];
  readonly added: string[];
  readonly changed: string[];
  readonly removed: string[];
}

/** The remote's side of `take-remote` keys, applied to the vault. */
export function localPlan(merged: readonly KeyMerge[]): LocalPlan {
  const plan: LocalPlan = { set: [], remove: [], added: [], changed: [], removed: [] };
  for (const key of merged) {
    if (key.state !== 'take-remote') continue;
    if (key.remote === undefined) {
      if (key.local === undefined) continue;
      plan.remove.push(key.key);
      plan.removed.push(key.key);
    } else {
      const isNew = key.local === undefined;
      plan.set.push({ name: key.key, value: key.remote, isNew });
      (isNew ? plan.added : plan.changed).push(key.key);
    }
  }
  return plan;
}

/**
 * The tracked keys the remote holds after a push: settled keys take the merged value, local
 * changes go out, and a conflict keeps the remote's value.
 */
export function remotePlan(merged: readonly KeyMerge[]): Record<string, JsonValue> {
  const out: Record<string, JsonValue> = {};
  for (const key of merged) {
    const value = key.state === 'take-local' ? key.local : key.remote;
    if (value !== undefined) out[key.key] = value;
  }
  return out;
}

/**
 * The base after a step. Keys both sides now agree on get the digest of that value; conflicts
 * keep their old digest; after a pull, local changes not pushed yet keep theirs too (so the
 * next push still sees them as local changes).
 */
export function nextBase(
  merged: readonly KeyMerge[],
  previous: Readonly<Record<string, string>>,
  salt: string,
  pushed: boolean,
): Record<string, ValueDigest | string> {
  const base: Record<string, string> = {};
  for (const key of merged) {
    let digest: string | undefined;
    switch (key.state) {
      case 'same':
      case 'take-remote':
        digest = digestOf(salt, key.remote);
        break;
      case 'take-local':
        digest = pushed ? digestOf(salt, key.local) : previous[key.key];
        break;
      case 'conflict':
        digest = previous[key.key];
        break;
    }
    if (digest !== undefined) base[key.key] = digest;
  }
  return base;
}

/** The keys in conflict after a step, sorted. */
export const conflictsOf = (merged: readonly KeyMerge[]): string[] =>
  merged.filter((key) => key.state === 'conflict').map((key) => key.key);
