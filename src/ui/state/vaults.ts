/**
 * The profile's vaults for the sidebar and the vault pane: the list (readable vaults, records
 * that cannot be read, and which vaults have damaged records), create / rename / delete with
 * messages a person can act on, and what the sidebar and the pane share about the vault open
 * here. Vaults are addressed by id everywhere: a name is only what a person reads and types.
 *
 * The sidebar and the pane are siblings under the workspace, so their shared state hangs off
 * the Workspace object (one per unlocked session) rather than a new context provider.
 */
import { type Accessor, batch, createSignal, untrack } from 'solid-js';
import { VaultBusyError } from '../../core/lock';
import {
  type Session,
  type UnreadableVault,
  type VaultId,
  VaultNameTakenError,
  type VaultSummary,
} from '../../core/profile';
import type { CorruptDataError } from '../../core/storage';
import {
  ConfusableNameError,
  type EntrySummary,
  findConfusable,
  InvalidNameError,
  isValidEntryName,
  loadConfusables,
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
 * (so the message is the core's), then uniqueness ignoring case among `existing`, leaving out
 * `currentId` (the vault being renamed), then look-alikes (once `loadConfusables()` has run;
 * the core checks again on submit). `undefined` when it is fine.
 */
export function vaultNameProblem(
  name: string,
  existing: readonly { readonly id: string; readonly name: string }[],
  currentId?: string,
): string | undefined {
  let trimmed: string;
  try {
    trimmed = validateVaultName(name);
  } catch (error) {
    return describeVaultError(error);
  }
  const others = existing.filter((vault) => vault.id !== currentId);
  const clash = others.find((other) => sameName(other.name, trimmed));
  if (clash !== undefined) return describeVaultError(new VaultNameTakenError(clash.name));
  const lookalike = findConfusable(
    trimmed,
    others.map((other) => other.name),
  );
  return lookalike === undefined
    ? undefined
    : describeVaultError(
        new ConfusableNameError({
          rejectedName: trimmed,
          existingName: lookalike,
          subject: 'vault',
        }),
      );
}

/** Resolves once look-alike vault names can be told (Unicode's table loads on first need). */
export function lookalikesReady(): Promise<void> {
  return loadConfusables();
}

/** A message for any error a vault operation rejects with. Never includes a value. */
export function describeVaultError(error: unknown): string {
  if (
    error instanceof InvalidNameError ||
    error instanceof VaultNameTakenError ||
    error instanceof ConfusableNameError
  ) {
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

/**
 * The short id shown beside a name that more than one vault carries (a vault whose record
 * came back beside a new one of the same name), so the two can be told apart.
 */
export function vaultLabels(vaults: readonly VaultSummary[]): Map<VaultId, string | undefined> {
  const labels = new Map<VaultId, string | undefined>();
  for (const vault of vaults) {
    const twins = vaults.filter((other) => sameName(other.name, vault.name));
    labels.set(vault.id, twins.length > 1 ? vault.id.slice(0, 6) : undefined);
  }
  return labels;
}

/** A vault action that asks first (a dialog over the whole workspace). */
export interface VaultAction {
  readonly kind: 'rename' | 'delete';
  readonly id: VaultId;
}

export interface VaultsState {
  readonly vaults: Accessor<readonly VaultSummary[]>;
  /** Catalog records this profile cannot read (shown as "Unreadable vault"). */
  readonly unreadable: Accessor<readonly UnreadableVault[]>;
  /** Damaged records found in each vault's storage, by vault id (absent: none found). */
  readonly damage: Accessor<ReadonlyMap<VaultId, readonly CorruptDataError[]>>;
  /** False until the first listing arrives (so the empty state does not flash). */
  readonly loaded: Accessor<boolean>;
  readonly loadError: Accessor<string | undefined>;
  refresh(): Promise<void>;
  /** The vault's current name, or undefined if it is not (or no longer) in the list. */
  nameOf(id: VaultId): string | undefined;
  create(name: string, style: NameStyle): Promise<VaultSummary>;
  rename(id: VaultId, newName: string): Promise<VaultSummary>;
  /** Deletes; the caller must have left the vault first (see `released`). */
  remove(id: VaultId): Promise<void>;
  /** Removes an unreadable catalog record and the contents stored with it, for good. */
  removeUnreadable(id: VaultId): Promise<void>;
  /** Who has the vault open, or undefined (errors read as "nobody we know of"). */
  holder(id: VaultId): Promise<{ heldHere: boolean } | undefined>;
  /** What opening a vault found damaged (the list's mark follows it). */
  reportDamage(id: VaultId, damaged: readonly CorruptDataError[]): void;

  /**
   * The rename or delete dialog asked for, if any. It lives above the panes: deleting leaves
   * the vault's pane first (so this tab's own lock is not in the way), and the dialog must stay
   * to say how that went.
   */
  readonly action: Accessor<VaultAction | undefined>;
  askFor(action: VaultAction | undefined): void;

  /** The vault open in this tab's main pane. */
  readonly current: Accessor<OpenVault | undefined>;
  setCurrent(vault: OpenVault | undefined): void;
  /** The pane reports the promise of its vault being closed, so a delete can wait for it. */
  trackRelease(release: Promise<void>): void;
  released(): Promise<void>;
}

/** How long after listing the vaults their storage is checked (see checkStorage). */
const checkDelayMs = 1500;

export function createVaultsState(session: () => Session): VaultsState {
  const [vaults, setVaults] = createSignal<readonly VaultSummary[]>([]);
  const [unreadable, setUnreadable] = createSignal<readonly UnreadableVault[]>([]);
  const [damage, setDamage] = createSignal<ReadonlyMap<VaultId, readonly CorruptDataError[]>>(
    new Map(),
  );
  const [loaded, setLoaded] = createSignal(false);
  const [loadError, setLoadError] = createSignal<string | undefined>();
  const [current, setCurrent] = createSignal<OpenVault | undefined>();
  const [action, setAction] = createSignal<VaultAction | undefined>();
  let release: Promise<void> = Promise.resolve();
  // Each vault's storage is checked once per unlock; opening a vault reports what it found.
  const checked = new Set<VaultId>();

  const reportDamage = (id: VaultId, damaged: readonly CorruptDataError[]) => {
    // Opening a vault read every record of it: the background check has nothing to add.
    checked.add(id);
    // Called from effects: reading the map here must not make them depend on it.
    const next = new Map(untrack(damage));
    if (damaged.length > 0) next.set(id, damaged);
    else next.delete(id);
    setDamage(next);
  };

  /** Checks, one after another, the vaults not checked yet: the list marks damaged ones. */
  async function checkStorage(list: readonly VaultSummary[]): Promise<void> {
    for (const vault of list) {
      if (checked.has(vault.id)) continue;
      checked.add(vault.id);
      try {
        const result = await session().checkVault({ id: vault.id });
        if (result.damaged.length > 0) reportDamage(vault.id, result.damaged);
      } catch {
        // Locked or deleted meanwhile: opening the vault says what is wrong, if anything.
        checked.delete(vault.id);
      }
    }
  }

  async function refresh(): Promise<void> {
    try {
      const catalog = await session().catalog();
      batch(() => {
        setVaults(catalog.vaults);
        setUnreadable(catalog.unreadable);
        setLoadError(undefined);
      });
      // After the vault being opened (if any) has had the machine to itself: the check
      // decrypts every vault's storage, and the vault opened here reports its own damage.
      setTimeout(() => void checkStorage(catalog.vaults), checkDelayMs);
    } catch (error) {
      setLoadError(describeVaultError(error));
    } finally {
      setLoaded(true);
    }
  }

  return {
    vaults,
    unreadable,
    damage,
    loaded,
    loadError,
    refresh,
    nameOf: (id) => vaults().find((vault) => vault.id === id)?.name,
    async create(name, style) {
      const created = await session().createVault(name, { nameStyle: style });
      checked.add(created.id);
      await refresh();
      return created;
    },
    async rename(id, newName) {
      const renamed = await session().renameVault({ id }, newName);
      await refresh();
      return renamed;
    },
    async remove(id) {
      await session().deleteVault({ id });
      reportDamage(id, []);
      await refresh();
    },
    async removeUnreadable(id) {
      await session().removeUnreadableVault(id);
      await refresh();
    },
    async holder(id) {
      try {
        return await session().whoHolds({ id });
      } catch {
        // Only informs a warning in the delete dialog; the delete itself says if it is busy.
        return undefined;
      }
    },
    reportDamage,
    action,
    askFor: setAction,
    current,
    setCurrent,
    trackRelease(next) {
      release = Promise.allSettled([release, next]).then(() => undefined);
    },
    released: () => release,
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
