/**
 * The words the Provider dialog and the sync bar show for a vault's link: time, the button,
 * whose settings apply, the link's status, what an action did (names only, never values), the
 * difference a first link asks about, and a migration's stage. Pure, so tested without a DOM.
 */
import type {
  LinkDiff,
  MigrateOutcome,
  MigrationStage,
  ProviderSettings,
} from '../../core/providers';
import { describeDeleted } from './vault-provider-problems';
import type {
  OutcomeSummary,
  ProviderAction,
  ProviderLinkView,
  SyncOutcomeView,
  VaultProviderSettingsView,
} from './vault-provider-types';

// ---------------------------------------------------------------------------------------------
// Words

/** "just now", "2 min ago", "3 h ago", "yesterday", "4 days ago". */
export function timeAgo(at: number, now: number): string {
  const seconds = Math.max(0, Math.round((now - at) / 1000));
  if (seconds < 45) return 'just now';
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 24) return `${hours} h ago`;
  const days = Math.round(hours / 24);
  return days === 1 ? 'yesterday' : `${days} days ago`;
}

/** `1 key`, `3 keys`. */
export function countOf(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** The sync bar's Provider button: "Provider: synced 2 min ago", "conflicts (2)", "not linked". */
export function providerButtonLabel(link: ProviderLinkView | undefined, now: number): string {
  if (!link) return 'Provider: not linked';
  if (link.conflicts.length > 0) return `Provider: conflicts (${link.conflicts.length})`;
  if (link.migration) return 'Provider: move unfinished';
  if (!link.enabled) return 'Provider: paused';
  if (link.lastSyncAt === undefined) return 'Provider: not synced yet';
  return `Provider: synced ${timeAgo(link.lastSyncAt, now)}`;
}

/** "HashiCorp Vault at https://vault.example.com (namespace admin)", "AWS Secrets Manager in eu-west-1". */
export function describeProvider(settings: ProviderSettings): string {
  if (settings.kind === 'hashicorp') {
    const namespace = settings.namespace ? `, namespace ${settings.namespace}` : '';
    return `HashiCorp Vault at ${settings.address} (${settings.enginePath}${namespace})`;
  }
  const at = settings.endpoint ? ` at ${settings.endpoint}` : '';
  return `AWS Secrets Manager in ${settings.region}${at}`;
}

/** The banner at the top of the dialog: whose settings this vault uses. */
export function settingsBanner(view: VaultProviderSettingsView): {
  readonly kind: 'default' | 'own' | 'none';
  readonly text: string;
} {
  if (view.override) return { kind: 'own', text: 'This vault has its own provider settings.' };
  if (view.settings && view.usesDefaults) {
    return {
      kind: 'default',
      text: `This vault uses the profile's default provider (${describeProvider(view.settings)}).`,
    };
  }
  return {
    kind: 'none',
    text: 'No provider is set up. Add one in Settings → Providers, or give this vault its own settings.',
  };
}

/** The status line of a linked vault. */
export function linkStatusLines(link: ProviderLinkView, now: number): string[] {
  const lines: string[] = [];
  lines.push(
    link.lastSyncAt === undefined
      ? `Linked to ${link.path}; not synced yet.`
      : `Linked to ${link.path}; last synced ${timeAgo(link.lastSyncAt, now)}.`,
  );
  if (link.remoteVersion === 'absent') lines.push('The provider has no secret at this path.');
  else if (link.remoteVersion !== undefined) lines.push(`Remote version ${link.remoteVersion}.`);
  if (!link.enabled) {
    lines.push('Paused: nothing is pulled or pushed until you switch it on again.');
  } else if (link.autoSync) {
    lines.push('Saving pushes to the provider; unlocking pulls from it.');
  } else {
    lines.push('Saving does not push: use Pull and Push, or turn on “Sync automatically”.');
  }
  if (link.memoryOnly) {
    lines.push('Values are kept in memory only: fetched when you unlock, gone when you lock.');
  }
  return lines;
}

const actionWords: Readonly<Record<ProviderAction, string>> = {
  load: 'Reading the provider settings',
  link: 'Linking this vault',
  choose: 'Linking this vault',
  enable: 'Switching sync on',
  pause: 'Pausing sync',
  'auto-sync': 'Changing “Pull when unlocked”',
  'memory-only': 'Changing “Keep values in memory only”',
  pull: 'Pull',
  push: 'Push',
  save: 'Pushing your change',
  resolve: 'Applying your choices',
  migrate: 'Moving to the new path',
  'resume-migration': 'Finishing the move',
  'undo-migration': 'Undoing the move',
  unlink: 'Stopping sync',
  'delete-remote': 'Deleting the remote secret',
  'destroy-remote': 'Destroying the remote secret',
  'restore-remote': 'Restoring the remote secret',
  'use-defaults': 'Going back to the default settings',
  recreate: 'Writing the keys to the provider again',
};

/** "Pull failed", "Linking this vault failed": the first words above an explained error. */
export function failedHeadline(action: ProviderAction): string {
  return `${actionWords[action]} failed.`;
}

/** "Pulling…" style words for the busy line. */
export function busyText(action: ProviderAction): string {
  return `${actionWords[action]}…`;
}

function namesList(names: readonly string[], limit = 8): string {
  const shown = names.slice(0, limit).join(', ');
  return names.length > limit ? `${shown} and ${names.length - limit} more` : shown;
}

export function describeOutcome(action: ProviderAction, outcome: SyncOutcomeView): OutcomeSummary {
  const details: string[] = [];
  if (outcome.added.length > 0) details.push(`Added: ${namesList(outcome.added)}.`);
  if (outcome.changed.length > 0) details.push(`Changed: ${namesList(outcome.changed)}.`);
  if (outcome.removed.length > 0) details.push(`Removed: ${namesList(outcome.removed)}.`);
  for (const skipped of outcome.skipped) details.push(`Skipped ${skipped.key}: ${skipped.reason}.`);
  if (outcome.conflicts.length > 0) {
    details.push(
      `${countOf(outcome.conflicts.length, 'key')} changed on both sides and wait for your choice: ${namesList(outcome.conflicts)}.`,
    );
  }
  if (outcome.pushed) {
    const remote = outcome.remote;
    const written = remote
      ? [
          remote.added.length > 0 ? `${remote.added.length} added` : undefined,
          remote.changed.length > 0 ? `${remote.changed.length} changed` : undefined,
          remote.removed.length > 0 ? `${remote.removed.length} removed` : undefined,
        ].filter((part): part is string => part !== undefined)
      : [];
    const at = written.length > 0 ? `: ${written.join(', ')}` : '';
    details.push(
      outcome.remoteVersion === 'absent'
        ? `Pushed to the provider${at}.`
        : `Pushed to the provider${at} (version ${outcome.remoteVersion}).`,
    );
  }
  const who = actionWords[action];
  if (outcome.remoteGone) {
    return {
      headline: `${who}: the remote secret is gone (deleted at the provider); nothing was changed here.`,
      attention: true,
      details: [
        'Restore it at the provider, write this vault’s keys there again, or stop syncing.',
        ...details,
      ],
    };
  }
  const moved = outcome.added.length + outcome.changed.length + outcome.removed.length;
  if (moved === 0 && !outcome.pushed && outcome.conflicts.length === 0) {
    const skippedNote = outcome.skipped.length > 0 ? ' (some keys were skipped)' : '';
    return {
      headline: `${who}: nothing to do; this vault and the provider already match${skippedNote}.`,
      details,
    };
  }
  const parts = [
    outcome.added.length > 0 ? `${outcome.added.length} added` : undefined,
    outcome.changed.length > 0 ? `${outcome.changed.length} changed` : undefined,
    outcome.removed.length > 0 ? `${outcome.removed.length} removed` : undefined,
    outcome.conflicts.length > 0 ? `${countOf(outcome.conflicts.length, 'conflict')}` : undefined,
  ].filter((part): part is string => part !== undefined);
  const headline =
    parts.length > 0
      ? `${who}: ${parts.join(', ')}.`
      : `${who}: done${outcome.pushed ? ', pushed' : ''}.`;
  return outcome.conflicts.length > 0
    ? { headline, details, attention: true }
    : { headline, details };
}

/** The difference a first link shows, and the sentence under its two buttons. */
export function describeDiff(diff: LinkDiff): {
  readonly rows: readonly { readonly label: string; readonly names: readonly string[] }[];
  readonly sentence: string;
} {
  const rows = [
    { label: `Only in this vault (${diff.onlyLocal.length})`, names: diff.onlyLocal },
    { label: `Only in the provider (${diff.onlyRemote.length})`, names: diff.onlyRemote },
    { label: `Different on each side (${diff.different.length})`, names: diff.different },
    { label: `The same (${diff.same.length})`, names: diff.same },
  ];
  const n = diff.different.length;
  const sentence =
    n === 0
      ? 'Keys on either side are kept; no key differs, so either choice gives the same result.'
      : `Keys on either side are kept; only the ${n === 1 ? 'different key takes' : `${n} different keys take`} the side you choose. The other side's value stays in the provider's history.`;
  return { rows, sentence };
}

/** An unfinished move, what stopped where, and what Resume and Undo each do. */
export function describeMigration(migration: NonNullable<ProviderLinkView['migration']>): {
  readonly headline: string;
  readonly resume: string;
  readonly undo: string;
} {
  const { from, to } = migration;
  const where: Record<MigrationStage, string> = {
    started: 'before the values were copied',
    copied: 'after copying the values, before checking the copy',
    verified: 'after copying and checking the values, before this vault switched to the new path',
    switched: `after this vault switched to ${to}, before the old secret at ${from} was deleted`,
  };
  const resume: Record<MigrationStage, string> = {
    started: `Resume copies the values to ${to}, checks them, switches this vault to it and deletes ${from} (it can be restored).`,
    copied: `Resume checks the copy at ${to}, switches this vault to it and deletes ${from} (it can be restored).`,
    verified: `Resume switches this vault to ${to} and deletes ${from} (it can be restored).`,
    switched: `Resume deletes the old secret at ${from} (it can be restored); this vault already uses ${to}.`,
  };
  const undo =
    migration.stage === 'started'
      ? `Undo keeps this vault at ${from} and removes anything written at ${to}.`
      : migration.stage === 'switched'
        ? `Undo switches this vault back to ${from} and removes the copy at ${to}.`
        : `Undo keeps this vault at ${from} and removes the copy at ${to}.`;
  return {
    headline: `Moving from ${from} to ${to} stopped ${where[migration.stage]}.`,
    resume: resume[migration.stage],
    undo,
  };
}

/** What a finished (or undone) move did, and what became of the secret it left. */
export function describeMigrateOutcome(outcome: MigrateOutcome, now: number): OutcomeSummary {
  const details: string[] = [];
  const deleted = outcome.deleted;
  if (outcome.state === 'migrated') {
    if (outcome.left === 'deleted') {
      details.push(
        deleted
          ? describeDeleted({ ...deleted, path: outcome.from }, now)
          : `The old secret at ${outcome.from} was deleted; it can be restored.`,
      );
    } else if (outcome.left === 'kept') {
      details.push(
        `The old secret at ${outcome.from} was kept: this provider has no soft delete (KV version 1). Delete it yourself when you are sure.`,
      );
    }
    return { headline: `Moved from ${outcome.from} to ${outcome.to}.`, details };
  }
  const copy: Record<MigrateOutcome['left'], string> = {
    deleted: `The copy at ${outcome.to} was deleted; it can be restored.`,
    destroyed: `The copy at ${outcome.to} was removed.`,
    untouched: `Nothing had been written at ${outcome.to}.`,
    kept: `The copy at ${outcome.to} was kept.`,
  };
  details.push(copy[outcome.left]);
  return { headline: `The move was undone: this vault uses ${outcome.from} again.`, details };
}

/** What a move between memory and storage did. */
export function describeStorageMove(on: boolean, keepLocalCopy: boolean | undefined): string {
  if (on) return 'Values are now kept in memory only: this device stores their names, not them.';
  return keepLocalCopy === false
    ? 'Values are stored on this device again, starting empty: the next pull fills them.'
    : 'Values are stored on this device again, as they were in memory.';
}
