/**
 * Applying a step's plan to the vault, and the small comparisons the engine reports with.
 */
import type { JsonValue, Vault } from '../../vault';
import { sameValue } from './digest';
import type { LocalPlan } from './merge';
import type { LinkDiff } from './types';

/**
 * Writes the plan: every set in one change (new keys as masked secrets; existing ones keep
 * their kind and write-only flag), then the deletes. Validated by the vault first: if the set
 * is refused, nothing changed.
 */
export async function applyLocal(vault: Vault, plan: LocalPlan): Promise<void> {
  if (plan.set.length > 0) {
    await vault.setMany(
      plan.set.map((entry) =>
        entry.isNew
          ? { name: entry.name, value: entry.value, kind: 'secret' as const }
          : { name: entry.name, value: entry.value },
      ),
    );
  }
  for (const name of plan.remove) await vault.delete(name);
}

/** What a write changes at the remote, by key. */
export function remoteChanges(
  before: Readonly<Record<string, JsonValue>>,
  after: Readonly<Record<string, JsonValue>>,
): { added: string[]; changed: string[]; removed: string[] } {
  const added: string[] = [];
  const changed: string[] = [];
  const removed: string[] = [];
  for (const key of Object.keys(after).sort()) {
    if (!Object.hasOwn(before, key)) added.push(key);
    else if (!sameValue(before[key], after[key])) changed.push(key);
  }
  for (const key of Object.keys(before).sort()) if (!Object.hasOwn(after, key)) removed.push(key);
  return { added, changed, removed };
}

/** The first-link comparison of the vault's and the remote's keys. */
export function diffOf(
  local: ReadonlyMap<string, JsonValue>,
  remote: ReadonlyMap<string, JsonValue>,
): LinkDiff {
  const diff = { onlyLocal: [], onlyRemote: [], same: [], different: [] } as {
    onlyLocal: string[];
    onlyRemote: string[];
    same: string[];
    different: string[];
  };
  for (const key of [...new Set([...local.keys(), ...remote.keys()])].sort()) {
    if (!remote.has(key)) diff.onlyLocal.push(key);
    else if (!local.has(key)) diff.onlyRemote.push(key);
    else if (sameValue(local.get(key), remote.get(key))) diff.same.push(key);
    else diff.different.push(key);
  }
  return diff;
}

/** Runs tasks `limit` at a time, in order of start; resolves when all settled. */
export async function pool<T>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await task(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/**
 * At most `limit` tasks at once, in order of arrival: what a stage of a pipeline takes (Pull
 * All reads six secrets at a time while fewer vaults are written).
 */
export function limiter(limit: number): <T>(task: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async (task) => {
    if (active >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    else active += 1;
    try {
      return await task();
    } finally {
      // The slot passes straight to the next waiter, so nobody arriving meanwhile jumps ahead.
      const next = waiting.shift();
      if (next) next();
      else active -= 1;
    }
  };
}
