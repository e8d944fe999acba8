/**
 * One open vault's link to an outside secrets manager (HashiCorp Vault, AWS Secrets Manager),
 * as the Provider dialog and the sync bar see it: the settings in force and the link, the action
 * under way, the last action's outcome, the last failure (kept as the error itself: the dialog
 * explains it with explainProviderError, which needs the settings and the page's origin), the
 * difference a first link asks about, and the watch that makes Save push while the link is on.
 *
 * Components reach the engine (core/providers, `session.providers`) only through this module;
 * the engine's calls take the core vault handle, which stays in here. Actions never reject:
 * a failure lands in `failure()` and what was saved stays as it was (the engine's promise),
 * except `saveOverride`, whose form shows its own error. The pure functions below give every
 * line of text the dialog and the sync bar show, so they are tested without a DOM.
 *
 * Moving values between memory and storage needs the vault closed (Session.setVaultMemoryOnly
 * takes its lock): the state asks its opener to close, run the move and open again (`reopen`),
 * and the last outcome or failure is kept per vault id so the new opening still shows it.
 *
 * Nothing here holds a value: outcomes, diffs and conflicts carry entry names only.
 */
import { type Accessor, createSignal, onCleanup } from 'solid-js';
import {
  type DeletedSecret,
  type LinkChoice,
  type LinkDiff,
  type LinkOptions,
  type MigrateOutcome,
  type MigrationStage,
  ProviderError,
  type ProviderLink,
  ProviderLinkError,
  type ProviderLinkProblem,
  type ProviderSettings,
  type ProviderSync,
  type SyncOptions,
  type SyncOutcome,
} from '../../core/providers';
import type { Vault } from '../../core/vault';

export type { DeletedSecret, LinkChoice, LinkDiff, LinkOptions, MigrationStage };

/** The part of `session.providers` (core's ProviderSync) one vault's link uses. */
export type VaultProviderEngine = Pick<
  ProviderSync,
  | 'vaultSettings'
  | 'saveOverride'
  | 'defaultPath'
  | 'link'
  | 'linkWith'
  | 'pull'
  | 'push'
  | 'unlink'
  | 'setOptions'
  | 'setMemoryOnly'
  | 'resolve'
  | 'migrate'
  | 'resumeMigration'
  | 'undoMigration'
  | 'deleteRemote'
  | 'destroyRemote'
  | 'restoreRemote'
  | 'watch'
>;

/** The link as the dialog reads it (core's, which also holds the merge base: digests only). */
export type ProviderLinkView = ProviderLink;
export type SyncOutcomeView = SyncOutcome;
export type DeletedSecretView = DeletedSecret;
export type ConflictChoice = 'mine' | 'theirs';
export type VaultProviderSettingsView = Awaited<ReturnType<ProviderSync['vaultSettings']>>;
/** Records pull and push in the vault's audit log (AuditTrail.record). */
export type AuditRecord = NonNullable<SyncOptions['record']>;

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

export type ProviderAction =
  | 'load'
  | 'link'
  | 'choose'
  | 'enable'
  | 'pause'
  | 'auto-sync'
  | 'memory-only'
  | 'pull'
  | 'push'
  | 'save'
  | 'resolve'
  | 'migrate'
  | 'resume-migration'
  | 'undo-migration'
  | 'unlink'
  | 'delete-remote'
  | 'destroy-remote'
  | 'restore-remote'
  | 'recreate'
  | 'use-defaults';

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

/** What one pull, push, resolve or link did, in words (names only, never values). */
export interface OutcomeSummary {
  readonly headline: string;
  readonly details: readonly string[];
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
  return { headline, details };
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

/**
 * Plain words for a refused link operation (core's ProviderLinkError), which names vault ids
 * in its message: the dialog shows these instead. Undefined for any other error.
 */
export function linkProblemText(
  error: unknown,
): { readonly title: string; readonly body: readonly string[] } | undefined {
  if (error instanceof VaultMustCloseError) {
    return {
      title: 'This vault has to be closed for that',
      body: [
        'Moving values between memory and this device’s storage needs the vault closed, and this page cannot reopen it by itself. Nothing was changed.',
      ],
    };
  }
  if (!(error instanceof ProviderLinkError)) return undefined;
  const words: Record<ProviderLinkProblem, { title: string; body: string[] }> = {
    'invalid-record': {
      title: 'This vault’s sync details could not be read',
      body: [
        `The stored record is damaged (${error.field ?? 'record'}). Stop syncing and link the vault again; its entries are not affected.`,
      ],
    },
    'not-linked': {
      title: 'This vault is not linked any more',
      body: ['It may have been unlinked in another tab. Close and reopen this dialog.'],
    },
    'already-linked': {
      title: 'This vault is already linked',
      body: ['It may have been linked in another tab. Close and reopen this dialog.'],
    },
    'no-settings': {
      title: 'No provider is set up',
      body: ['Add one in Settings → Providers, or give this vault its own settings above.'],
    },
    disabled: {
      title: 'Sync is paused for this vault',
      body: ['Switch “Sync this vault” on first.'],
    },
    'confirm-mismatch': {
      title: 'The typed path is not this vault’s remote path',
      body: ['Nothing was deleted. Type the remote path exactly as shown.'],
    },
    'remote-gone': {
      title: 'The remote secret is gone',
      body: [
        'It was deleted at the provider. Restore it there, write this vault’s keys there again, or stop syncing.',
      ],
    },
    'migration-pending': {
      title: 'A move to another path is unfinished',
      body: ['Resume or undo it first (below).'],
    },
    'no-migration': {
      title: 'There is no move to resume or undo',
      body: ['It may have finished in another tab.'],
    },
    'migration-mismatch': {
      title: 'The copy at the new path does not match',
      body: [
        'Someone changed one of the two secrets during the move. Nothing was switched: undo the move, then try again.',
      ],
    },
    'bad-path': {
      title: 'That path will not do',
      body: [
        'Give a path that is not empty, has no control characters, and is not the current one.',
      ],
    },
  };
  return words[error.problem];
}

/** Whether a push was refused because the linked secret is gone from the remote. */
export function remoteIsGone(error: unknown): boolean {
  return error instanceof ProviderLinkError && error.problem === 'remote-gone';
}

/**
 * The deleted state after "Delete the remote secret", or when the remote holds the name for
 * deletion: when it goes for good, and what the user can do.
 */
export function describeDeleted(
  deleted: DeletedSecretView,
  now: number,
  provider?: ProviderSettings['kind'],
): string {
  const who = provider === 'aws' ? 'AWS' : provider === 'hashicorp' ? 'Vault' : 'The provider';
  const dayMs = 24 * 60 * 60 * 1000;
  if (deleted.purgeAt !== undefined) {
    const days = Math.max(0, Math.ceil((deleted.purgeAt - now) / dayMs));
    const held = days === 0 ? 'less than a day' : days === 1 ? '1 more day' : `${days} more days`;
    return `The remote secret ${deleted.path} is scheduled for deletion. ${who} holds this name for ${held}; restore it or choose another path.`;
  }
  return deleted.restorable
    ? `The remote secret ${deleted.path} is deleted. It can be restored.`
    : `The remote secret ${deleted.path} is deleted and cannot be restored.`;
}

/**
 * Whether an action failed because the remote holds the name for deletion (AWS's recovery
 * window): the dialog then offers Restore next to the explanation.
 */
export function heldForDeletion(error: unknown): boolean {
  return error instanceof ProviderError && error.reason === 'scheduled-for-deletion';
}

/** Why a remote path will not do, or undefined. Paths are names: the provider checks the rest. */
export function remotePathProblem(path: string): string | undefined {
  const trimmed = path.trim();
  if (trimmed === '') return 'Give a remote path.';
  if (trimmed !== path) return 'Remove the spaces at the start or end.';
  if (path.startsWith('/') || path.endsWith('/')) return 'No slash at the start or end.';
  if (path.includes('//')) return 'No empty folder between two slashes.';
  if (path.split('/').some((part) => part === '.' || part === '..')) {
    return 'No “.” or “..” folders.';
  }
  if (/\s/.test(path)) return 'No spaces or line breaks.';
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Conflict choices

export type ConflictChoices = Readonly<Record<string, ConflictChoice>>;

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

// ---------------------------------------------------------------------------------------------
// The state

export interface ActionResult {
  readonly action: ProviderAction;
  readonly summary: OutcomeSummary;
  /** The linked secret was gone from the remote: the dialog offers to write the keys again. */
  readonly remoteGone?: boolean;
}

export interface ActionFailure {
  readonly action: ProviderAction;
  readonly error: unknown;
}

export interface PendingLink {
  readonly path: string;
  readonly options: LinkOptions;
  readonly diff: LinkDiff;
}

export interface VaultProvider {
  /** The settings in force and the link; undefined until first read. */
  readonly info: Accessor<VaultProviderSettingsView | undefined>;
  readonly busy: Accessor<ProviderAction | undefined>;
  readonly result: Accessor<ActionResult | undefined>;
  readonly failure: Accessor<ActionFailure | undefined>;
  /** A first link that needs the user's choice (both sides have keys). */
  readonly pending: Accessor<PendingLink | undefined>;
  /** The remote secret after a soft delete, until restored or unlinked. */
  readonly deleted: Accessor<DeletedSecretView | undefined>;
  /** Whether the watch runs (Save pushes when the link is on with auto sync). */
  readonly watching: Accessor<boolean>;
  /** The sync bar's button text. */
  buttonLabel(now: number): string;
  defaultPath(): string;
  /**
   * Reads the settings and link; starts the watch if the link is on; pulls when the link is on
   * with auto sync, or memory only (its values live in memory: each opening may need them).
   */
  start(): Promise<void>;
  /** Stops the watch (the vault is closing). */
  stop(): void;
  /** Re-reads the settings and link (keeps the last outcome and failure on screen). */
  load(): Promise<void>;
  link(path: string, options: LinkOptions): Promise<void>;
  choose(choice: LinkChoice): Promise<void>;
  cancelChoice(): void;
  setEnabled(on: boolean): Promise<void>;
  setAutoSync(on: boolean): Promise<void>;
  setMemoryOnly(on: boolean, keepLocalCopy?: boolean): Promise<void>;
  pull(): Promise<void>;
  push(): Promise<void>;
  /** Writes the vault's keys again where the linked secret was deleted at the remote. */
  recreate(): Promise<void>;
  resolve(choices: ConflictChoices): Promise<void>;
  migrate(path: string): Promise<void>;
  resumeMigration(): Promise<void>;
  undoMigration(): Promise<void>;
  unlink(keepLocalCopy: boolean): Promise<void>;
  deleteRemote(): Promise<void>;
  destroyRemote(confirmPath: string): Promise<void>;
  restoreRemote(): Promise<void>;
  /** Rejects on failure: the settings form shows its own error. */
  saveOverride(settings: ProviderSettings | undefined): Promise<void>;
  /** Drops this vault's own settings: the profile's default applies again. */
  useDefaults(): Promise<boolean>;
  clearMessages(): void;
}

export interface VaultProviderDeps {
  readonly engine: VaultProviderEngine;
  readonly vault: Vault;
  /** The vault's audit log: pulls and pushes are recorded there (names and counts only). */
  readonly record?: AuditRecord;
  /** The clock for "time left" wording of outcomes; Date.now by default. */
  readonly now?: () => number;
  /**
   * Closes the vault in this tab, runs `work`, and opens it again (a new OpenVault, with its
   * own provider state). Moving values between memory and storage needs the vault closed
   * (Session.setVaultMemoryOnly takes its lock). Without it, such a move fails with
   * VaultMustCloseError and nothing changes.
   */
  readonly reopen?: (work: () => Promise<void>) => Promise<void>;
}

/** Memory-only storage cannot be changed while this tab holds the vault and cannot reopen it. */
export class VaultMustCloseError extends Error {
  override readonly name = 'VaultMustCloseError';
  constructor() {
    super('the vault must be closed to move its values between memory and storage');
  }
}

/**
 * The last outcome and failure of a vault's provider actions, per vault id: a memory-only move
 * closes the vault and opens it again, with a new state, and the move's own outcome (or why it
 * failed) must still show there. Dropped when the vault closes for good.
 */
const messages = new Map<
  string,
  {
    readonly result: Accessor<ActionResult | undefined>;
    readonly setResult: (value: ActionResult | undefined) => void;
    readonly failure: Accessor<ActionFailure | undefined>;
    readonly setFailure: (value: ActionFailure | undefined) => void;
  }
>();

function messagesOf(vaultId: string) {
  let found = messages.get(vaultId);
  if (!found) {
    const [result, setResult] = createSignal<ActionResult | undefined>();
    const [failure, setFailure] = createSignal<ActionFailure | undefined>();
    found = {
      result,
      setResult: (value) => setResult(() => value),
      failure,
      setFailure: (value) => setFailure(() => value),
    };
    messages.set(vaultId, found);
  }
  return found;
}

function forgetMessages(vaultId: string): void {
  messages.delete(vaultId);
}

export function createVaultProvider(deps: VaultProviderDeps): VaultProvider {
  const { engine, vault } = deps;
  const now = deps.now ?? Date.now;
  const sync: SyncOptions = deps.record ? { record: deps.record } : {};
  const [info, setInfo] = createSignal<VaultProviderSettingsView | undefined>();
  const [busy, setBusy] = createSignal<ProviderAction | undefined>();
  const { result, setResult, failure, setFailure } = messagesOf(vault.id);
  const [pending, setPending] = createSignal<PendingLink | undefined>();
  const [deleted, setDeleted] = createSignal<DeletedSecretView | undefined>();
  const [watching, setWatching] = createSignal(false);
  let unwatch: (() => void) | undefined;
  let stopped = false;

  const read = async () => {
    setInfo(await engine.vaultSettings(vault.id));
  };
  const reread = async () => {
    try {
      await read();
    } catch (error) {
      setFailure({ action: 'load', error });
    }
    followLink();
  };

  /** The watch runs exactly while the link is on and the vault is open here. */
  const followLink = () => {
    const on = !stopped && info()?.link?.enabled === true;
    if (on && !unwatch) {
      unwatch = engine.watch(
        vault,
        (report) => {
          if ('error' in report) setFailure({ action: 'save', error: report.error });
          else setResult({ action: 'save', summary: describeOutcome('save', report.outcome) });
          void reread();
        },
        sync,
      );
    } else if (!on && unwatch) {
      unwatch();
      unwatch = undefined;
    }
    setWatching(unwatch !== undefined);
  };

  /**
   * Runs one action: one at a time, the previous message cleared, a failure kept with the
   * action that failed, then the link re-read (it may have moved even when the action failed).
   */
  const run = async (
    action: ProviderAction,
    work: () => Promise<OutcomeSummary | ActionResult | undefined>,
    /** The pull at opening: what the last action said (before a reopen) stays if it failed. */
    background = false,
  ): Promise<boolean> => {
    if (busy() !== undefined) return false;
    setBusy(action);
    if (!background) {
      setFailure(undefined);
      setResult(undefined);
    }
    let ok = false;
    try {
      const done = await work();
      if (done && !(background && failure())) {
        setResult('summary' in done ? done : { action, summary: done });
      }
      ok = true;
    } catch (error) {
      setFailure({ action, error });
    }
    try {
      await read();
    } catch (error) {
      if (ok) setFailure({ action: 'load', error });
    }
    followLink();
    setBusy(undefined);
    return ok;
  };
  /** Moves the values between memory and storage: the vault closes and opens again. */
  const moveStorage = (on: boolean, keepLocalCopy: boolean | undefined) =>
    run('memory-only', async () => {
      await whileClosed(() =>
        engine.setMemoryOnly(vault.id, on, keepLocalCopy === undefined ? {} : { keepLocalCopy }),
      );
      return { headline: describeStorageMove(on, keepLocalCopy), details: [] };
    });
  /** Runs `work` with the vault closed in this tab, then open again (a new state takes over). */
  let reopening = false;
  const whileClosed = async (work: () => Promise<void>) => {
    if (!deps.reopen) throw new VaultMustCloseError();
    reopening = true;
    try {
      await deps.reopen(work);
    } finally {
      reopening = false;
    }
  };
  const step = (action: ProviderAction, work: () => Promise<SyncOutcome>, background = false) =>
    run(
      action,
      async () => {
        const outcome = await work();
        return {
          action,
          summary: describeOutcome(action, outcome),
          ...(outcome.remoteGone ? { remoteGone: true } : {}),
        };
      },
      background,
    );
  const quiet = (action: ProviderAction, work: () => Promise<unknown>) =>
    run(action, async () => {
      await work();
      return undefined;
    });

  return {
    info,
    busy,
    result,
    failure,
    pending,
    deleted,
    watching,
    buttonLabel: (at) => providerButtonLabel(info()?.link, at),
    defaultPath: () => engine.defaultPath(vault.name),
    async start() {
      stopped = false;
      try {
        await read();
      } catch (error) {
        setFailure({ action: 'load', error });
        return;
      }
      followLink();
      const link = info()?.link;
      if (link?.enabled && !link.migration && (link.autoSync || link.memoryOnly)) {
        await step('pull', () => engine.pull(vault, sync), true);
      }
    },
    stop() {
      stopped = true;
      followLink();
      // Closing for good drops the messages; a reopen (memory-only move) hands them over.
      if (!reopening) forgetMessages(vault.id);
    },
    load: reread,
    async link(target, options) {
      setPending(undefined);
      let linked = false;
      await run('link', async () => {
        const outcome = await engine.link(vault, target, withoutMemoryOnly(options), sync);
        if (outcome.state === 'needs-choice') {
          setPending({ path: target, options, diff: outcome.diff });
          return undefined;
        }
        linked = true;
        return describeOutcome('link', outcome.outcome);
      });
      if (linked && options.memoryOnly) await moveStorage(true, undefined);
    },
    async choose(choice) {
      const waiting = pending();
      if (!waiting) return;
      const done = await step('choose', () =>
        engine.linkWith(vault, waiting.path, choice, withoutMemoryOnly(waiting.options), sync),
      );
      if (!done) return;
      setPending(undefined);
      if (waiting.options.memoryOnly) await moveStorage(true, undefined);
    },
    cancelChoice() {
      setPending(undefined);
    },
    async setEnabled(on) {
      await run(on ? 'enable' : 'pause', async () => {
        await engine.setOptions(vault.id, { enabled: on });
        // Switching back on catches up with what changed while paused.
        return on ? describeOutcome('pull', await engine.pull(vault, sync)) : undefined;
      });
    },
    async setAutoSync(on) {
      await quiet('auto-sync', () => engine.setOptions(vault.id, { autoSync: on }));
    },
    async setMemoryOnly(on, keepLocalCopy) {
      await moveStorage(on, keepLocalCopy);
    },
    async pull() {
      await step('pull', () => engine.pull(vault, sync));
    },
    async push() {
      await step('push', () => engine.push(vault, sync));
    },
    async recreate() {
      await step('recreate', () => engine.push(vault, { ...sync, recreate: true }));
    },
    async resolve(choices) {
      const conflicts = info()?.link?.conflicts ?? [];
      await step('resolve', () => engine.resolve(vault, choicesFor(conflicts, choices), sync));
    },
    async migrate(target) {
      await run('migrate', async () =>
        describeMigrateOutcome(await engine.migrate(vault, target), now()),
      );
    },
    async resumeMigration() {
      await run('resume-migration', async () =>
        describeMigrateOutcome(await engine.resumeMigration(vault), now()),
      );
    },
    async undoMigration() {
      await run('undo-migration', async () =>
        describeMigrateOutcome(await engine.undoMigration(vault), now()),
      );
    },
    async unlink(keepLocalCopy) {
      const link = info()?.link;
      const done = await quiet('unlink', async () => {
        if (!(link?.memoryOnly && keepLocalCopy)) return engine.unlink(vault, { keepLocalCopy });
        // A memory-only vault kept here is stored first (closed), then unlinked: stopping
        // never drops values the user chose to keep.
        await whileClosed(async () => {
          await engine.setMemoryOnly(vault.id, false, { keepLocalCopy: true });
          // With keepLocalCopy the engine only forgets the link: the closed handle's id is all
          // it reads.
          await engine.unlink(vault, { keepLocalCopy: true });
        });
      });
      if (done) setDeleted(undefined);
    },
    async deleteRemote() {
      await quiet('delete-remote', async () => setDeleted(await engine.deleteRemote(vault)));
    },
    async destroyRemote(confirmPath) {
      // The engine checks the name too; this keeps a mistyped name from reaching it at all.
      if (confirmPath !== info()?.link?.path) return;
      const done = await quiet('destroy-remote', () => engine.destroyRemote(vault, confirmPath));
      if (done) setDeleted(undefined);
    },
    async restoreRemote() {
      const done = await quiet('restore-remote', () => engine.restoreRemote(vault));
      if (done) setDeleted(undefined);
    },
    async saveOverride(settings) {
      await engine.saveOverride(vault.id, settings);
      await reread();
    },
    useDefaults() {
      return quiet('use-defaults', () => engine.saveOverride(vault.id, undefined));
    },
    clearMessages() {
      setFailure(undefined);
      setResult(undefined);
    },
  };
}

/** What a move between memory and storage did. */
export function describeStorageMove(on: boolean, keepLocalCopy: boolean | undefined): string {
  if (on) return 'Values are now kept in memory only: this device stores their names, not them.';
  return keepLocalCopy === false
    ? 'Values are stored on this device again, starting empty: the next pull fills them.'
    : 'Values are stored on this device again, as they were in memory.';
}

/** Link options for the engine: memory only is applied by moving the storage afterwards. */
function withoutMemoryOnly(options: LinkOptions): LinkOptions {
  return options.autoSync === undefined ? {} : { autoSync: options.autoSync };
}

/** The time now, refreshed every `everyMs` while the caller's owner lives (for "2 min ago"). */
export function createNow(everyMs = 30_000): Accessor<number> {
  const [now, setNow] = createSignal(Date.now());
  const timer = setInterval(() => setNow(Date.now()), everyMs);
  onCleanup(() => clearInterval(timer));
  return now;
}
