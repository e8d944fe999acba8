/**
 * The profile's vaults for the sidebar: the list, create / rename / delete with messages a
 * person can act on, and what the sidebar and the main pane share about the vault open here.
 *
 * The sidebar and the pane are siblings under the workspace, so their shared state hangs off
 * the Workspace object (one per unlocked session) rather than a new context provider.
 */
import { type Accessor, createSignal } from 'solid-js';
import { VaultBusyError } from '../../core/lock';
import { type Session, VaultNameTakenError, type VaultSummary } from '../../core/profile';
import {
  type EntrySummary,
  InvalidNameError,
  isValidEntryName,
  type NameStyle,
  validateVaultName,
} from '../../core/vault';
import type { OpenVault } from './open-vault';
import type { Workspace } from './workspace';

/** Core messages start lowercase (they compose into longer ones); the UI shows sentences. */
export function sentence(message: string): string {
  const text = message.charAt(0).toUpperCase() + message.slice(1);
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

const sameName = (a: string, b: string) =>
  a.normalize('NFC').toLocaleLowerCase('en') === b.normalize('NFC').toLocaleLowerCase('en');

/**
 * What is wrong with `name` as a vault name, checked as the user types: the core's own rules
 * (so the message is the core's), then uniqueness ignoring case among `existing` (leaving out
 * `current`, the vault being renamed). `undefined` when it is fine.
 */
export function vaultNameProblem(
  name: string,
  existing: readonly string[],
  current?: string,
): string | undefined {
  let trimmed: string;
  try {
    trimmed = validateVaultName(name);
  } catch (error) {
    return describeVaultError(error);
  }
  const clash = existing.find(
    (other) => sameName(other, trimmed) && (current === undefined || !sameName(other, current)),
  );
  return clash === undefined ? undefined : describeVaultError(new VaultNameTakenError(clash));
}

/** A message for any error a vault operation rejects with. Never includes a value. */
export function describeVaultError(error: unknown): string {
  if (error instanceof InvalidNameError || error instanceof VaultNameTakenError) {
    return sentence(error.message);
  }
  if (error instanceof VaultBusyError) {
    return 'This vault is open in another tab. Close it there (or leave the vault), then try again.';
  }
  return error instanceof Error ? sentence(error.message) : 'Something went wrong.';
}

/** Entry names that break `style`'s rule, sorted: what to warn about before switching it on. */
export function namesNotFitting(entries: readonly EntrySummary[], style: NameStyle): string[] {
  return entries
    .filter((entry) => !isValidEntryName(entry.name, style))
    .map((entry) => entry.name)
    .sort();
}

export interface VaultsState {
  readonly vaults: Accessor<readonly VaultSummary[]>;
  /** False until the first listing arrives (so the empty state does not flash). */
  readonly loaded: Accessor<boolean>;
  readonly loadError: Accessor<string | undefined>;
  refresh(): Promise<void>;
  create(name: string, style: NameStyle): Promise<VaultSummary>;
  rename(name: string, newName: string): Promise<VaultSummary>;
  /** Deletes; the caller must have left the vault first (see `released`). */
  remove(name: string): Promise<void>;
  /** Who has the vault open, or undefined (errors read as "nobody we know of"). */
  holder(name: string): Promise<{ heldHere: boolean } | undefined>;

  /** The vault open in this tab's main pane, for the sidebar's name-style switch. */
  readonly current: Accessor<OpenVault | undefined>;
  setCurrent(vault: OpenVault | undefined): void;
  /** The pane reports the promise of its vault being closed, so a delete can wait for it. */
  trackRelease(release: Promise<void>): void;
  released(): Promise<void>;
  /** The last rename done here, so the pane keeps its open vault under the new name. */
  readonly lastRename: Accessor<{ readonly from: string; readonly to: string } | undefined>;
}

export function createVaultsState(session: () => Session): VaultsState {
  const [vaults, setVaults] = createSignal<readonly VaultSummary[]>([]);
  const [loaded, setLoaded] = createSignal(false);
  const [loadError, setLoadError] = createSignal<string | undefined>();
  const [current, setCurrent] = createSignal<OpenVault | undefined>();
  const [lastRename, setLastRename] = createSignal<{ from: string; to: string } | undefined>();
  let release: Promise<void> = Promise.resolve();

  async function refresh(): Promise<void> {
    try {
      setVaults(await session().listVaults());
      setLoadError(undefined);
    } catch (error) {
      setLoadError(describeVaultError(error));
    } finally {
      setLoaded(true);
    }
  }

  return {
    vaults,
    loaded,
    loadError,
    refresh,
    async create(name, style) {
      const created = await session().createVault(name, { nameStyle: style });
      await refresh();
      return created;
    },
    async rename(name, newName) {
      const renamed = await session().renameVault(name, newName);
      setLastRename({ from: name, to: renamed.name });
      await refresh();
      return renamed;
    },
    async remove(name) {
      await session().deleteVault(name);
      await refresh();
    },
    async holder(name) {
      try {
        return await session().whoHolds(name);
      } catch {
        // Only informs a warning in the delete dialog; the delete itself says if it is busy.
        return undefined;
      }
    },
    current,
    setCurrent,
    trackRelease(next) {
      release = Promise.allSettled([release, next]).then(() => undefined);
    },
    released: () => release,
    lastRename,
  };
}

const byWorkspace = new WeakMap<Workspace, VaultsState>();

/** The vaults state of this workspace (one unlocked session), made on first use. */
export function vaultsFor(workspace: Workspace, session: () => Session): VaultsState {
  let state = byWorkspace.get(workspace);
  if (!state) {
    state = createVaultsState(session);
    byWorkspace.set(workspace, state);
    void state.refresh();
  }
  return state;
}
