/**
 * The types of one open vault's provider state (vault-provider.ts) and its words
 * (vault-provider-text.ts, -problems.ts, -choices.ts): the engine's part a vault uses, the
 * views the dialog reads, the actions, and the state's interface.
 */
import type { Accessor } from 'solid-js';
import type {
  DeletedSecret,
  LinkChoice,
  LinkDiff,
  LinkOptions,
  MigrationStage,
  ProviderLink,
  ProviderSettings,
  ProviderSync,
  SyncOptions,
  SyncOutcome,
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

/** What one pull, push, resolve or link did, in words (names only, never values). */
export interface OutcomeSummary {
  readonly headline: string;
  readonly details: readonly string[];
  /** Something waits for the user: keys in conflict, or a remote that is gone. */
  readonly attention?: boolean;
}

export type ConflictChoices = Readonly<Record<string, ConflictChoice>>;

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
