/**
 * New vaults made already filled (Pull All, src/core/providers): `stageVault` builds a vault in
 * memory (a fresh id and key, the catalog row createVault would write, and a handle over a
 * staging store of its own, given to `fill`), and `commitVaults` stores staged vaults, many
 * in one durable transaction (storage/new-vault-batch.ts), each with its catalog row, its first
 * snapshot and the rows the caller adds (the provider link). Creating a vault with createVault,
 * then opening it, writing, compacting on close and saving the link cost five transactions and
 * a lock; this is one transaction shared by many vaults.
 *
 * What is stored is what createVault and a first open would have made, so nothing downstream
 * can tell: the catalog row is sealed as `saveCatalogRow` seals it (name, createdAt, the
 * memory-only flag), with no introduction (this device made the vault: its team genesis is
 * signed by sync when the vault first syncs, as for any vault createVault made); the handle is
 * built with this device's id when the session knows it, as `openVault` builds one; the
 * snapshot is the handle's whole document (`encodeState`), sealed under the vault's storage
 * key covering seq 1, as a memory-only vault stored again is (memory-only.ts), so the next
 * change is row 2. A memory-only vault stores no snapshot: its document goes to the session's
 * memory once its rows are committed.
 *
 * Until committed a staged vault exists nowhere but here: no catalog row names it, so no tab
 * can open it, and its lock is one of a lock space of its own (nothing else could ask for it).
 * Its handle never compacts and is closed before `stageVault` resolves. A failure while staging
 * or committing stores nothing of that vault; a commit that fails stores none of its batch,
 * and what was stored before is untouched. Names are checked as createVault checks them (the
 * catalog's names, read before the write, and the others of the batch): a refused name fails
 * that vault alone.
 */
import { deriveSubkey, generateKey, type ProfileKey, type VaultKey, wipe } from '../crypto';
import type { DeviceId, VaultId } from '../ids';
import { createMemoryLockManager, createVaultMutex, type VaultMutex } from '../lock';
import {
  addNewVaults,
  type CofferDatabase,
  MemoryVaultStore,
  type NewVaultRows,
  type ProviderRow,
  sealCatalogRow,
  sealSnapshot,
} from '../storage';
import {
  type CompactionPolicy,
  ConfusableNameError,
  confusableKeys,
  loadConfusables,
  type Vault,
  VaultHandle,
  validateVaultName,
  vaultView,
} from '../vault';
import { VaultNameTakenError } from './errors';
import { newVaultId } from './ids';
import type { CreateVaultOptions, VaultSummary } from './session-types';
import { sameNameKey } from './vault-naming';

/** What staging and committing need of the session. */
export interface FilledVaultDeps {
  readonly db: CofferDatabase;
  /** The profile key, or ProfileLockedError naming what was being done. */
  readonly profileKey: (doing: string) => ProfileKey;
  readonly clock: () => number;
  readonly newId: () => string;
  /** This device's id if the session has loaded it (openVault names it in the same case). */
  readonly deviceId: () => Promise<DeviceId | undefined>;
  /** The session's memory-only documents: where a memory-only vault's document goes. */
  readonly memory: MemoryVaultStore;
  /** The names of the catalog's readable vaults, read now (the session's catalog names (catalog-names.ts)). */
  readonly catalogNames: (doing: string) => Promise<string[]>;
}

/** What `commitVaults` stores with a staged vault. */
export interface FilledVaultCommit {
  readonly staged: StagedVault;
  /** Provider rows of the vault (sealed under the profile key, under the vault's id). */
  readonly providers?: readonly ProviderRow[];
}

/** What became of one vault of a commit. */
export type FilledVaultResult =
  | { readonly ok: true; readonly vault: VaultSummary }
  | { readonly ok: false; readonly error: unknown };

/** A staged vault's stored form, kept out of reach of the object handed around. */
interface Contents {
  readonly rows: NewVaultRows;
  /** A memory-only vault's document, for the session's memory once committed. */
  readonly state: Uint8Array | undefined;
  spent: boolean;
}

const contents = new WeakMap<StagedVault, Contents>();

/** A vault built in memory, not stored yet (see the module's comment). */
export class StagedVault {
  /** @internal Made by `stageVault`. */
  constructor(
    readonly id: VaultId,
    readonly name: string,
    readonly createdAt: number,
    readonly memoryOnly: boolean,
    inside: Contents,
  ) {
    contents.set(this, inside);
  }

  /** Drops it unstored (its memory-only document zeroed). Safe to call more than once. */
  discard(): void {
    const inside = contents.get(this);
    if (!inside || inside.spent) return;
    inside.spent = true;
    inside.state?.fill(0);
  }
}

/** Staged handles never compact: their whole document is encoded once, when staging ends. */
const neverCompact: CompactionPolicy = {
  everyRows: Number.POSITIVE_INFINITY,
  minBytes: Number.POSITIVE_INFINITY,
  onCloseRows: Number.POSITIVE_INFINITY,
  onCloseSmallBytes: 0,
  offThreadFromBytes: Number.POSITIVE_INFINITY,
};

/** The lock space of staged vaults: their ids are fresh, so nobody else ever asks. */
let stagingLocks: VaultMutex | undefined;
const stagingMutex = () => {
  stagingLocks ??= createVaultMutex({ locks: createMemoryLockManager() });
  return stagingLocks;
};

/** A fresh log covers seq 1 with the snapshot (as memory-only.ts stores one); row 2 comes next. */
const SNAPSHOT_SEQ = 1;

/**
 * Builds a new vault named `name` in memory and runs `fill` with it open; resolves with the
 * staged vault (for `commitVaults`) and what `fill` returned. Rejects with InvalidNameError,
 * ProfileLockedError or whatever `fill` rejects with; nothing is stored in any case.
 */
export async function stageVault<T>(
  deps: FilledVaultDeps,
  name: string,
  options: CreateVaultOptions,
  fill: (vault: Vault) => Promise<T>,
): Promise<{ readonly staged: StagedVault; readonly result: T }> {
  const doing = 'creating a vault';
  deps.profileKey(doing);
  const trimmed = validateVaultName(name);
  const id = newVaultId();
  const key = generateKey('vault');
  const createdAt = deps.clock();
  const memoryOnly = options.memoryOnly === true;
  const staging = new MemoryVaultStore();
  try {
    const deviceId = await deps.deviceId();
    const lease = await stagingMutex().acquire(`coffer/staged/${id}`, { ifAvailable: true });
    let handle: VaultHandle;
    try {
      handle = await VaultHandle.open({
        db: deps.db,
        vaultId: id,
        vaultName: trimmed,
        key,
        lease,
        clock: deps.clock,
        newId: deps.newId,
        compaction: neverCompact,
        memory: staging,
        staged: true,
        ...(deviceId ? { deviceId } : {}),
      });
    } catch (error) {
      await lease.release();
      throw error;
    }
    let result: T;
    let state: Uint8Array;
    try {
      const vault = vaultView(handle);
      if (options.nameStyle && options.nameStyle !== 'default') {
        await vault.setNameStyle(options.nameStyle);
      }
      result = await fill(vault);
      state = handle.encodeState();
    } finally {
      await handle.close();
    }
    const staged = sealStaged(deps, { id, key, name: trimmed, createdAt, memoryOnly }, state);
    return { staged, result };
  } finally {
    staging.clear();
    wipe(key);
  }
}

function sealStaged(
  deps: FilledVaultDeps,
  vault: {
    readonly id: VaultId;
    readonly key: VaultKey;
    readonly name: string;
    readonly createdAt: number;
    readonly memoryOnly: boolean;
  },
  state: Uint8Array,
): StagedVault {
  const { id, key, name, createdAt, memoryOnly } = vault;
  try {
    const profileKey = deps.profileKey('creating a vault');
    const catalog = sealCatalogRow(profileKey, id, key, { name, createdAt }, memoryOnly);
    const rows: NewVaultRows = memoryOnly
      ? { catalog }
      : {
          catalog,
          snapshot: {
            vault: id,
            seq: SNAPSHOT_SEQ,
            bytes: sealSnapshot(deriveSubkey(key, 'storage'), id, SNAPSHOT_SEQ, state),
          },
        };
    return new StagedVault(id, name, createdAt, memoryOnly, {
      rows,
      state: memoryOnly ? state : undefined,
      spent: false,
    });
  } finally {
    if (!memoryOnly) state.fill(0);
  }
}

/**
 * The names a commit checks new ones against (the catalog's, then the batch's accepted so far),
 * with the verdicts of assertNameFree (vault-naming.ts) over the same names in the same order:
 * VaultNameTakenError for a name equal ignoring case, else ConfusableNameError naming the first
 * look-alike. Each name is normalised and its skeletons computed once, not once for every new
 * name of the batch (Pull All commits hundreds of vaults into a growing catalog).
 */
class TakenNames {
  readonly #same = new Set<string>();
  /** The first name (in order) under each confusable key; raw and folded keys prefixed apart. */
  readonly #lookalikes = new Map<string, { readonly name: string; readonly order: number }[]>();
  #count = 0;

  constructor(names: readonly string[]) {
    for (const name of names) this.add(name);
  }

  add(name: string): void {
    this.#same.add(sameNameKey(name));
    const order = this.#count++;
    const [raw, folded] = confusableKeys(name);
    for (const key of [`r${raw}`, `f${folded}`]) {
      const holders = this.#lookalikes.get(key);
      if (holders) holders.push({ name, order });
      else this.#lookalikes.set(key, [{ name, order }]);
    }
  }

  /** Throws as assertNameFree(name, these names) throws; the confusables table must be loaded. */
  assertFree(name: string): void {
    if (this.#same.has(sameNameKey(name))) throw new VaultNameTakenError(name);
    const [raw, folded] = confusableKeys(name);
    let first: { readonly name: string; readonly order: number } | undefined;
    for (const key of [`r${raw}`, `f${folded}`]) {
      // findConfusable skips a name equal to `name` (never here: it would be taken above).
      const found = this.#lookalikes.get(key)?.find((holder) => holder.name !== name);
      if (found && (!first || found.order < first.order)) first = found;
    }
    if (first) {
      throw new ConfusableNameError({
        rejectedName: name,
        existingName: first.name,
        subject: 'vault',
      });
    }
  }
}

/**
 * Stores staged vaults: those whose names are free (as createVault judges, the earlier ones of
 * the batch counting as taken) in one durable transaction with their `providers` rows. One
 * result per entry of `batch`, in order: a refused name fails its vault alone; a failed write
 * (StorageFullError, StorageUnavailableError) fails every vault it held, and stores none of
 * them. Rejects (storing nothing) only with ProfileLockedError, or TypeError for a vault that
 * was not staged here or is spent (committed or discarded). Each staged vault is spent after.
 */
export async function commitVaults(
  deps: FilledVaultDeps,
  batch: readonly FilledVaultCommit[],
): Promise<FilledVaultResult[]> {
  const doing = 'creating a vault';
  const inside = batch.map(({ staged }) => contents.get(staged));
  const results: FilledVaultResult[] = new Array(batch.length);
  try {
    if (inside.some((found) => !found || found.spent)) {
      throw new TypeError('commitVaults takes vaults staged and not spent');
    }
    deps.profileKey(doing);
    const taken = new TakenNames(await deps.catalogNames(doing));
    await loadConfusables();
    const accepted: number[] = [];
    for (const [index, { staged }] of batch.entries()) {
      try {
        taken.assertFree(staged.name);
        taken.add(staged.name);
        accepted.push(index);
      } catch (error) {
        results[index] = { ok: false, error };
      }
    }
    // The profile may have been locked meanwhile: nothing is written for a locked profile.
    deps.profileKey(doing);
    try {
      await addNewVaults(
        deps.db,
        accepted.map((i) => ({ ...inside[i]!.rows, providers: batch[i]!.providers ?? [] })),
      );
    } catch (error) {
      for (const i of accepted) results[i] = { ok: false, error };
      return results;
    }
    for (const i of accepted) {
      const { staged } = batch[i]!;
      const state = inside[i]!.state;
      if (staged.memoryOnly && state) deps.memory.replace(staged.id, state);
      results[i] = {
        ok: true,
        vault: {
          id: staged.id,
          name: staged.name,
          createdAt: staged.createdAt,
          memoryOnly: staged.memoryOnly,
        },
      };
    }
    return results;
  } finally {
    for (const { staged } of batch) staged.discard();
  }
}
