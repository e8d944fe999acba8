/**
 * The shapes the sync engine hands back, and what it needs from the profile (structural, so
 * providers does not import profile: profile loads providers lazily).
 */
import type { RecordableAuditEvent } from '../../audit';
import type { ProfileKey } from '../../crypto';
import type { VaultId } from '../../ids';
import type { CofferDatabase } from '../../storage';
import type { Scheduler } from '../../time';
import type { OpenVaultOptions, Vault } from '../../vault';
import type { ProviderClientDeps } from '../factory';
import type { ProviderSettings, RemoteVersion, SecretsProvider } from '../types';
import type { ProviderLink } from './link';
import type { SkippedKey } from './mapping';

export type { SkippedKey } from './mapping';

/** What one pull or push did. Key lists are sorted. */
export interface SyncOutcome {
  /** Keys the step added to the vault. */
  readonly added: string[];
  /** Keys whose value the step changed in the vault. */
  readonly changed: string[];
  /** Keys the step deleted from the vault (the remote had deleted them). */
  readonly removed: string[];
  /** Whether the remote was written. */
  readonly pushed: boolean;
  /** For a push: what the write changed at the remote. */
  readonly remote?: {
    readonly added: string[];
    readonly changed: string[];
    readonly removed: string[];
  };
  /** Keys awaiting review (changed on both sides): neither side was overwritten. */
  readonly conflicts: string[];
  /** Remote keys not synced (carried through unchanged on push), and connections. */
  readonly skipped: SkippedKey[];
  readonly remoteVersion: RemoteVersion | 'absent';
  /** The linked secret is gone from the remote (deleted elsewhere): nothing was changed. */
  readonly remoteGone?: boolean;
}

/** Keys of the vault and the remote, compared, for the first-link choice. */
export interface LinkDiff {
  readonly onlyLocal: string[];
  readonly onlyRemote: string[];
  readonly same: string[];
  readonly different: string[];
}

export type LinkChoice = 'keep-local' | 'keep-remote';

export type LinkOutcome =
  | { readonly state: 'linked'; readonly link: ProviderLink; readonly outcome: SyncOutcome }
  | { readonly state: 'needs-choice'; readonly diff: LinkDiff };

export interface LinkOptions {
  /**
   * Records the link as memory-only (pulled at every unlock; a missing key before the first
   * pull is not a deletion). The vault's storage itself moves with `setMemoryOnly` (closed
   * vault) or was made so by `createVault(name, { memoryOnly: true })`, as Pull All does.
   */
  readonly memoryOnly?: boolean;
  /** Pull at unlock and push after local changes (`watch`). Default true. */
  readonly autoSync?: boolean;
}

export interface SyncOptions {
  readonly signal?: AbortSignal;
  /** Called with the provider-pull / provider-push audit event (the vault's AuditTrail.record). */
  readonly record?: (event: RecordableAuditEvent) => unknown;
}

export interface PushOptions extends SyncOptions {
  /** Write the vault's keys again when the linked secret was deleted at the remote. */
  readonly recreate?: boolean;
}

export interface MigrateOutcome {
  /** `migrated`: the link now points at `to`; `undone`: it points at `from` again. */
  readonly state: 'migrated' | 'undone';
  readonly from: string;
  readonly to: string;
  /**
   * What became of the secret the link left: `deleted` (soft), `kept` (the provider has no
   * soft delete, e.g. KV v1: delete it yourself when sure), or for an undo of the copy
   * `deleted`/`destroyed` (the new copy), `untouched` (nothing had been copied).
   */
  readonly left: 'deleted' | 'kept' | 'destroyed' | 'untouched';
  readonly deleted?: {
    readonly path: string;
    readonly purgeAt?: number;
    readonly restorable: boolean;
  };
}

export interface PullAllResult {
  readonly created: { readonly path: string; readonly vaultId: VaultId }[];
  readonly linkedAlready: string[];
  readonly skipped: { readonly path: string; readonly reason: string }[];
  /**
   * Vaults whose link record cannot be read: their paths are unknown, so a path linked by one
   * of them may have got a new vault here. The UI says so.
   */
  readonly damagedLinks: string[];
}

export interface PullAllOptions {
  readonly memoryOnly?: boolean;
  readonly onProgress?: (progress: { readonly done: number; readonly total: number }) => void;
  readonly signal?: AbortSignal;
  /** The audit hook for each new vault, given while it is open (the UI records in its trail). */
  readonly record?: (vault: Vault, event: RecordableAuditEvent) => unknown;
}

export interface AutoSyncReport {
  readonly pulled: { readonly vaultId: VaultId; readonly outcome: SyncOutcome }[];
  readonly failed: { readonly vaultId: string; readonly error: unknown }[];
}

/** A vault as the profile lists it (`Session.listVaults`). */
export interface VaultListing {
  readonly id: VaultId;
  readonly name: string;
  /** Its entries live in memory only (filled by a pull at each unlock). */
  readonly memoryOnly?: boolean;
}

/** What the engine needs of the profile: Session fits. */
export interface VaultAccess {
  listVaults(): Promise<readonly VaultListing[]>;
  createVault(name: string, options?: { readonly memoryOnly?: boolean }): Promise<VaultListing>;
  deleteVault(selector: { readonly id: VaultId }): Promise<void>;
  withVault<T>(
    selector: { readonly id: VaultId },
    fn: (vault: Vault) => Promise<T> | T,
    options?: OpenVaultOptions,
  ): Promise<T>;
  openedVault(id: VaultId): Vault | undefined;
}

export interface ProviderSyncDeps {
  readonly db: CofferDatabase;
  /** The profile key, or ProfileLockedError naming what was being done. */
  readonly profileKey: (doing: string) => ProfileKey;
  readonly vaults: VaultAccess;
  /** The platform's clock and timers (`watch` debounces with it). */
  readonly scheduler: Scheduler;
  /** What the clients use (the page's fetch and origin); fetch defaults to the global one. */
  readonly clients?: Partial<ProviderClientDeps>;
  /** Makes a client for settings; by default `providerFor` (the HashiCorp and AWS clients). */
  readonly connect?: (settings: ProviderSettings) => SecretsProvider | Promise<SecretsProvider>;
  /** Checks settings before they are saved; by default the clients' validate functions. */
  readonly checkSettings?: (settings: ProviderSettings) => ProviderSettings;
  /**
   * Moves a closed vault between IndexedDB and memory (Session.setVaultMemoryOnly). Without it,
   * memory-only links still keep their names list and are pulled at every unlock, but values
   * stay where the vault keeps them.
   */
  readonly storageMode?: (
    vaultId: VaultId,
    memoryOnly: boolean,
    options: { readonly keepLocalCopy: boolean },
  ) => Promise<unknown>;
}
