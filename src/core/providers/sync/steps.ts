/**
 * The two kinds of step between a vault and its remote secret, each one read of both sides,
 * one merge, one check-and-set write, then the vault and the link (in that order, so an
 * interruption leaves a state the next step settles without loss):
 * - `firstLink`: no base yet. The union of both sides' keys; keys that differ need the user's
 *   choice (without one: `needs-choice` and nothing written).
 * - `syncStep`: pull or push against the link's base (merge.ts), up to PUSH_ATTEMPTS times when
 *   the remote moved between read and write.
 */
import type { JsonValue, Vault } from '../../vault';
import { RemoteConflictError } from '../errors';
import type { RemoteSecret, RemoteVersion, SecretsProvider } from '../types';
import { digestOf, newSalt, sameValue } from './digest';
import { ProviderLinkError } from './errors';
import type { ProviderLink, VaultProviderRecord } from './link';
import { diffOf, remoteChanges } from './local';
import { type LocalSide, readLocal, remoteObject, splitRemote, trackedLocal } from './mapping';
import {
  conflictsOf,
  type KeyMerge,
  type LocalPlan,
  localPlan,
  mergeKeys,
  nextBase,
  remotePlan,
} from './merge';
import type { LinkChoice, LinkOutcome, PushOptions, SyncOutcome } from './types';

/** How many times a step re-reads and merges after the remote moved under its write. */
export const PUSH_ATTEMPTS = 3;

export type Resolution = Readonly<Record<string, 'mine' | 'theirs'>>;

export interface StepOptions extends PushOptions {
  readonly resolve?: Resolution;
}

interface Counts {
  readonly added: string[];
  readonly changed: string[];
  readonly removed: string[];
}

/** What a step needs of the engine, for one vault. */
export interface StepContext {
  readonly vault: Vault;
  readonly provider: SecretsProvider;
  readonly now: () => number;
  /** The vault was filled since unlock (only matters for memory-only links). */
  readonly loaded: boolean;
  /** Writes the plan to the vault (the engine marks the writes as its own). */
  apply(plan: LocalPlan): Promise<void>;
  /** Saves the vault's provider record. */
  save(record: VaultProviderRecord): Promise<void>;
  audit(
    action: 'provider-pull' | 'provider-push',
    link: ProviderLink,
    counts: Counts,
    conflicts: number,
  ): void;
}

/** Reads the vault and splits the remote's keys into tracked and carried ones. */
async function sides(vault: Vault, values: Readonly<Record<string, JsonValue>>) {
  const read = await readLocal(vault);
  const split = splitRemote(values, read);
  const local: LocalSide = { ...read, tracked: trackedLocal(read, split) };
  return { local, split };
}

const changed = (counts: Counts) =>
  counts.added.length + counts.changed.length + counts.removed.length > 0;

export interface FirstLinkOptions {
  readonly path: string;
  readonly choice: LinkChoice | undefined;
  readonly autoSync: boolean;
  readonly memoryOnly: boolean;
  readonly signal?: AbortSignal;
  /**
   * The remote as the caller just read it (Pull All reads ahead while earlier vaults are being
   * written): taken for the first attempt instead of a read if it is of `path`. A retry after
   * a check-and-set conflict reads again, as always.
   */
  readonly prefetched?: { readonly path: string; readonly remote: RemoteSecret | undefined };
}

/** Links a vault that has none yet (see the module's comment). */
export async function firstLink(
  ctx: StepContext,
  record: VaultProviderRecord,
  options: FirstLinkOptions,
): Promise<LinkOutcome> {
  const { provider } = ctx;
  const { path, choice, signal } = options;
  let lastConflict: unknown;
  for (let attempt = 0; attempt < PUSH_ATTEMPTS; attempt++) {
    signal?.throwIfAborted();
    const remote =
      attempt === 0 && options.prefetched?.path === path
        ? options.prefetched.remote
        : await provider.read(path, signal);
    const version = remote?.version ?? 'absent';
    const { local, split } = await sides(ctx.vault, remote?.values ?? {});
    const diff = diffOf(local.tracked, split.tracked);
    const bothHaveKeys = local.tracked.size > 0 && split.tracked.size > 0;
    const allSame = diff.onlyLocal.length + diff.onlyRemote.length + diff.different.length === 0;
    if (choice === undefined && bothHaveKeys && !allSame) return { state: 'needs-choice', diff };
    const union = new Map<string, JsonValue>();
    for (const key of [...diff.onlyLocal, ...diff.onlyRemote, ...diff.same, ...diff.different]) {
      const keepRemote =
        !local.tracked.has(key) || (choice === 'keep-remote' && split.tracked.has(key));
      union.set(key, (keepRemote ? split.tracked.get(key) : local.tracked.get(key)) as JsonValue);
    }
    const object = remoteObject(split.carried, Object.fromEntries(union));
    const changes = remoteChanges(remote?.values ?? {}, object);
    let newVersion: RemoteVersion | 'absent' = version;
    if (changed(changes)) {
      try {
        newVersion = await provider.write(path, object, version, signal);
      } catch (error) {
        if (!(error instanceof RemoteConflictError)) throw error;
        lastConflict = error;
        continue;
      }
    }
    const plan = planTowards(local, union);
    await ctx.apply(plan);
    const salt = newSalt();
    const link: ProviderLink = {
      path,
      enabled: true,
      autoSync: options.autoSync,
      memoryOnly: options.memoryOnly,
      remoteVersion: newVersion,
      base: Object.fromEntries(
        [...union].map(([key, value]) => [key, digestOf(salt, value) as string]),
      ),
      names: [...union.keys()].sort(),
      conflicts: [],
      salt,
      lastSyncAt: ctx.now(),
    };
    await ctx.save({ ...record, link });
    ctx.audit('provider-pull', link, plan, 0);
    if (changed(changes)) ctx.audit('provider-push', link, changes, 0);
    return {
      state: 'linked',
      link,
      outcome: {
        added: plan.added,
        changed: plan.changed,
        removed: plan.removed,
        pushed: changed(changes),
        remote: changes,
        conflicts: [],
        skipped: split.skipped,
        remoteVersion: newVersion,
      },
    };
  }
  throw lastConflict;
}

/** One pull or push of a linked vault (see merge.ts for the rules). */
export async function syncStep(
  ctx: StepContext,
  record: VaultProviderRecord & { readonly link: ProviderLink },
  mode: 'pull' | 'push',
  options: StepOptions,
): Promise<SyncOutcome> {
  const { provider, vault } = ctx;
  const { link } = record;
  let resolved: Record<string, string | undefined> | undefined;
  let lastConflict: unknown;
  for (let attempt = 0; attempt < PUSH_ATTEMPTS; attempt++) {
    options.signal?.throwIfAborted();
    const remote = await provider.read(link.path, options.signal);
    const wasThere = link.remoteVersion !== undefined && link.remoteVersion !== 'absent';
    if (!remote && wasThere && !options.recreate) {
      // Gone at the remote: not a deletion of every key. Nothing changes here.
      if (mode === 'push') {
        throw new ProviderLinkError(
          'remote-gone',
          { vaultId: vault.id, path: link.path },
          `the secret ${link.path} is gone from the remote; restore it, or push with recreate`,
        );
      }
      return {
        added: [],
        changed: [],
        removed: [],
        pushed: false,
        conflicts: [...link.conflicts],
        skipped: [],
        remoteVersion: link.remoteVersion ?? 'absent',
        remoteGone: true,
      };
    }
    const version = remote?.version ?? 'absent';
    const { local, split } = await sides(vault, remote?.values ?? {});
    const hydrated = hydrate(ctx.loaded, link, local, split.tracked);
    const conflicts = new Set(link.conflicts.filter((key) => !hydrated.has(key)));
    // Recreating a destroyed secret: every key of the vault is new to it.
    const base: Record<string, string> = !remote && options.recreate ? {} : { ...link.base };
    if (options.resolve) {
      resolved ??= resolutionBase(link, options.resolve, local, split.tracked);
      for (const [key, digest] of Object.entries(resolved)) {
        conflicts.delete(key);
        if (digest === undefined) delete base[key];
        else base[key] = digest;
      }
    }
    const merged = mergeKeys({
      local: new Map([
        ...local.tracked,
        ...[...hydrated].map((key) => [key, split.tracked.get(key) as JsonValue] as const),
      ]),
      remote: split.tracked,
      base,
      salt: link.salt,
      conflicts,
    });
    const plan = withHydrated(localPlan(merged), hydrated, split.tracked);
    let newVersion: RemoteVersion | 'absent' = version;
    let changes: Counts = { added: [], changed: [], removed: [] };
    if (mode === 'push') {
      const object = remoteObject(split.carried, remotePlan(merged));
      changes = remoteChanges(remote?.values ?? {}, object);
      if (changed(changes)) {
        try {
          newVersion = await provider.write(link.path, object, version, options.signal);
        } catch (error) {
          if (!(error instanceof RemoteConflictError)) throw error;
          lastConflict = error;
          continue;
        }
      }
    }
    const pushed = newVersion !== version;
    await ctx.apply(plan);
    const conflicted = conflictsOf(merged);
    const next: ProviderLink = {
      ...link,
      remoteVersion: newVersion,
      base: {
        // A key carried through keeps its base until the vault can take the remote's value.
        ...Object.fromEntries(
          split.carried.flatMap(([key]) => (key in base ? [[key, base[key] as string]] : [])),
        ),
        ...nextBase(merged, base, link.salt, mode === 'push'),
      },
      names: namesAfter(merged),
      conflicts: conflicted,
      lastSyncAt: ctx.now(),
    };
    await ctx.save({ ...record, link: next });
    ctx.audit('provider-pull', next, plan, conflicted.length);
    if (pushed) ctx.audit('provider-push', next, changes, conflicted.length);
    return {
      added: plan.added,
      changed: plan.changed,
      removed: plan.removed,
      pushed,
      ...(mode === 'push' ? { remote: changes } : {}),
      conflicts: conflicted,
      skipped: split.skipped,
      remoteVersion: newVersion,
    };
  }
  throw lastConflict;
}

/**
 * A memory-only vault not yet filled since unlock holds none of its values: its missing keys
 * are unknown, not deleted. They are taken from the remote (and leave `conflicts`).
 */
function hydrate(
  loaded: boolean,
  link: ProviderLink,
  local: LocalSide,
  remote: ReadonlyMap<string, JsonValue>,
): Set<string> {
  if (!link.memoryOnly || loaded) return new Set();
  return new Set([...remote.keys()].filter((key) => !local.tracked.has(key)));
}

/** The vault's writes that make it hold `target` (a union being linked). */
function planTowards(local: LocalSide, target: ReadonlyMap<string, JsonValue>): LocalPlan {
  const plan: LocalPlan = { set: [], remove: [], added: [], changed: [], removed: [] };
  for (const [key, value] of [...target].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const current = local.tracked.get(key);
    if (sameValue(current, value)) continue;
    const isNew = current === undefined;
    plan.set.push({ name: key, value, isNew });
    (isNew ? plan.added : plan.changed).push(key);
  }
  return plan;
}

/** Keys filled into a memory-only vault count as added. */
function withHydrated(
  plan: LocalPlan,
  hydrated: ReadonlySet<string>,
  remote: ReadonlyMap<string, JsonValue>,
): LocalPlan {
  if (hydrated.size === 0) return plan;
  const keys = [...hydrated].sort();
  return {
    ...plan,
    set: [
      ...plan.set,
      ...keys.map((key) => ({ name: key, value: remote.get(key) as JsonValue, isNew: true })),
    ],
    added: [...plan.added, ...keys].sort(),
  };
}

/** The keys the vault holds after a step (the synced ones and those in conflict). */
function namesAfter(merged: readonly KeyMerge[]): string[] {
  return merged
    .filter((key) =>
      key.state === 'take-remote'
        ? key.remote !== undefined
        : key.local !== undefined || key.state === 'conflict',
    )
    .map((key) => key.key);
}

/**
 * The base that makes the merge pick each chosen side: 'mine' sets it to the remote's value
 * (so the vault's counts as the only change), 'theirs' to the vault's. Taken once, from the
 * values the user saw: if the remote moves again before the write, that is a new conflict.
 */
function resolutionBase(
  link: ProviderLink,
  choices: Resolution,
  local: LocalSide,
  remote: ReadonlyMap<string, JsonValue>,
): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [key, choice] of Object.entries(choices)) {
    if (!link.conflicts.includes(key)) continue;
    out[key] =
      choice === 'mine'
        ? digestOf(link.salt, remote.get(key))
        : digestOf(link.salt, local.tracked.get(key));
  }
  return out;
}
