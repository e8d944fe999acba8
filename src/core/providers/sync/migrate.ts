/**
 * Moving a link's remote secret to a new path, in stages recorded in the link before each
 * step, so an interruption anywhere can be resumed or undone and nothing is lost:
 *
 *   started  -> read the old secret (its version kept as fromVersion)
 *            -> write it at the new path with 'absent' (something there: RemoteConflictError,
 *               the migration is dropped, nothing changed)
 *   copied   -> read both back: the old still at fromVersion, the copy the same values
 *   verified -> the link's path becomes the new one
 *   switched -> soft-delete the old secret (a provider without soft delete, KV v1, keeps it and
 *               the outcome says so) -> the migration record is cleared
 *
 * Undo: started (the copy may exist: removed if it holds exactly the old values), copied and
 * verified (the copy is soft-deleted, or destroyed when the provider has no soft delete), switched
 * (the path goes back, the old secret restored if it was already deleted, then as verified).
 * The old secret is never changed by an undo.
 */
import { ProviderError, RemoteConflictError } from '../errors';
import type { DeletedSecret, RemoteSecret, SecretsProvider } from '../types';
import { sameValue } from './digest';
import { ProviderLinkError } from './errors';
import type { LinkMigration, ProviderLink } from './link';
import type { MigrateOutcome } from './types';

export interface MigrationContext {
  readonly vaultId: string;
  readonly provider: SecretsProvider;
  readonly link: ProviderLink;
  readonly signal?: AbortSignal;
  /** Saves the link (the whole vault record), durably, before the next step. */
  save(link: ProviderLink): Promise<void>;
}

function withoutMigration(link: ProviderLink): ProviderLink {
  const { migration: _, ...rest } = link;
  return rest;
}

const sameSecret = (a: RemoteSecret | undefined, b: RemoteSecret | undefined) =>
  a !== undefined && b !== undefined && sameValue(a.values, b.values);

const refused = (error: unknown) => error instanceof ProviderError && error.reason === 'refused';

/** Starts a migration of the link to `to`. */
export async function migrateLink(ctx: MigrationContext, to: string): Promise<MigrateOutcome> {
  const { link, vaultId } = ctx;
  if (link.migration) {
    throw new ProviderLinkError(
      'migration-pending',
      { vaultId, path: link.path },
      `vault ${vaultId}: a move of its remote path was interrupted; resume or undo it first`,
    );
  }
  if (to === link.path) {
    throw new ProviderLinkError(
      'bad-path',
      { vaultId, path: to },
      'the new path is the current one',
    );
  }
  const started: ProviderLink = { ...link, migration: { from: link.path, to, stage: 'started' } };
  await ctx.save(started);
  return run(ctx, started, false);
}

/** Continues the link's migration from its recorded stage. */
export function resumeLink(ctx: MigrationContext): Promise<MigrateOutcome> {
  pending(ctx);
  return run(ctx, ctx.link, true);
}

function pending(ctx: MigrationContext): LinkMigration {
  if (!ctx.link.migration) {
    throw new ProviderLinkError(
      'no-migration',
      { vaultId: ctx.vaultId, path: ctx.link.path },
      `vault ${ctx.vaultId} has no migration to resume or undo`,
    );
  }
  return ctx.link.migration;
}

async function run(
  ctx: MigrationContext,
  start: ProviderLink,
  resuming: boolean,
): Promise<MigrateOutcome> {
  const { provider, signal, vaultId } = ctx;
  let link = start;
  let m = start.migration as LinkMigration;
  const step = async (next: LinkMigration, changes: Partial<ProviderLink> = {}) => {
    m = next;
    link = { ...link, ...changes, migration: m };
    await ctx.save(link);
  };
  const mismatch = (why: string): never => {
    throw new ProviderLinkError(
      'migration-mismatch',
      { vaultId, path: m.to },
      `moving to ${m.to}: ${why}`,
    );
  };

  if (m.stage === 'started') {
    const old = await provider.read(m.from, signal);
    if (!old) {
      throw new ProviderLinkError(
        'remote-gone',
        { vaultId, path: m.from },
        `the secret ${m.from} is gone from the remote; undo the move`,
      );
    }
    await step({ ...m, fromVersion: old.version });
    // A resumed migration may have written the copy before it could record it.
    const copied = resuming && sameSecret(await provider.read(m.to, signal), old);
    if (!copied) {
      try {
        await provider.write(m.to, old.values, 'absent', signal);
      } catch (error) {
        if (error instanceof RemoteConflictError) {
          // Something is at the new path: not ours to overwrite. The link stays as it was.
          await ctx.save(withoutMigration(link));
        }
        throw error;
      }
    }
    await step({ ...m, stage: 'copied' });
  }

  if (m.stage === 'copied') {
    const old = await provider.read(m.from, signal);
    const copy = await provider.read(m.to, signal);
    if (!old) mismatch(`the secret ${m.from} is gone`);
    if (m.fromVersion !== undefined && old?.version !== m.fromVersion) {
      mismatch(`${m.from} changed after it was copied; undo and move again`);
    }
    if (!sameSecret(old, copy)) mismatch('the copy does not hold the same values');
    await step({ ...m, stage: 'verified' });
  }

  if (m.stage === 'verified') {
    const copy = await provider.read(m.to, signal);
    if (!copy) mismatch('the copy is gone');
    await step({ ...m, stage: 'switched' }, { path: m.to, remoteVersion: copy!.version });
  }

  let left: MigrateOutcome['left'] = 'deleted';
  let deleted: DeletedSecret | undefined;
  // A resumed migration may have deleted it already, before it could record that.
  if (!resuming || (await provider.read(m.from, signal))) {
    try {
      deleted = await provider.delete(m.from, signal);
    } catch (error) {
      if (!refused(error)) throw error;
      left = 'kept';
    }
  }
  await ctx.save(withoutMigration(link));
  return { state: 'migrated', from: m.from, to: m.to, left, ...(deleted ? { deleted } : {}) };
}

/** Reverses the link's migration (see the module's comment). */
export async function undoLink(ctx: MigrationContext): Promise<MigrateOutcome> {
  const { provider, signal } = ctx;
  let m = pending(ctx);
  let link = ctx.link;
  if (m.stage === 'started') {
    const [old, copy] = [await provider.read(m.from, signal), await provider.read(m.to, signal)];
    if (!sameSecret(old, copy)) {
      await ctx.save(withoutMigration(link));
      return { state: 'undone', from: m.from, to: m.to, left: 'untouched' };
    }
  }
  if (m.stage === 'switched') {
    if (!(await provider.read(m.from, signal))) await provider.restore(m.from, signal);
    const old = await provider.read(m.from, signal);
    if (!old) {
      throw new ProviderLinkError(
        'remote-gone',
        { vaultId: ctx.vaultId, path: m.from },
        `the secret ${m.from} could not be restored; the link stays at ${m.to}`,
      );
    }
    m = { ...m, stage: 'verified' };
    link = { ...link, path: m.from, remoteVersion: old.version, migration: m };
    await ctx.save(link);
  }
  let left: MigrateOutcome['left'];
  let deleted: DeletedSecret | undefined;
  try {
    deleted = await provider.delete(m.to, signal);
    left = 'deleted';
  } catch (error) {
    if (!refused(error)) throw error;
    await provider.destroy(m.to, signal);
    left = 'destroyed';
  }
  await ctx.save(withoutMigration(link));
  return { state: 'undone', from: m.from, to: m.to, left, ...(deleted ? { deleted } : {}) };
}
