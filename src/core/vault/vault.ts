/**
 * `Vault`: what the UI, and integration hooks, get of an open vault. Entries and their events,
 * the review marks, who holds the vault (read only), damage, and closing; no key, no way to
 * inject remote changes or rewrite the device list. `Session.openVault` returns one.
 *
 * The full VaultHandle stays in core: `handleOf(vault)` gives it to sync and the profile layer
 * (the architecture test keeps src/ui and src/app from importing `handleOf` or `vaultKeyOf`).
 * A view is a separate object, so a cast cannot reach the handle's methods.
 */
import type { VaultId } from '../ids';
import type { CorruptDataError } from '../storage';
import type { EntryOperations } from './entry-operations';
import type { VaultCloseReason } from './handle-errors';
import type { ChangeOrigin } from './handle-types';
import type { TeamReader } from './team-log';
import type { VaultHandle } from './vault-handle';
import type { MembersReader } from './vault-members';

type EntryApi = Pick<
  EntryOperations,
  | 'get'
  | 'getEntry'
  | 'visibleEntry'
  | 'has'
  | 'list'
  | 'set'
  | 'setMany'
  | 'create'
  | 'update'
  | 'rename'
  | 'delete'
  | 'nameStyle'
  | 'setNameStyle'
  | 'reviews'
  | 'clearReview'
  | 'history'
  | 'compareVersions'
  | 'restoreVersion'
  | 'deletedEntries'
  | 'restoreDeleted'
  | 'historySettings'
  | 'setHistorySettings'
>;

export interface Vault extends EntryApi, AsyncDisposable {
  readonly id: VaultId;
  readonly name: string;
  /** True for a vault this profile received by invitation. */
  readonly joined: boolean;
  readonly closed: boolean;
  readonly closeReason: VaultCloseReason | undefined;
  /** Stored records that could not be read when the vault was opened. */
  readonly damaged: readonly CorruptDataError[];
  readonly heldBackChanges: boolean;
  readonly writesHeld: boolean;
  acceptDamage(): void;
  onClose(listener: (reason: VaultCloseReason) => void): () => void;
  onChange(listener: (origin: ChangeOrigin) => void): () => void;
  /** The devices that hold the vault and its invitations, read only. */
  readonly members: MembersReader;
  /** The team derived from the vault's membership log (undefined state: no team yet). */
  readonly team: TeamReader;
  /** Bytes this vault occupies in storage. */
  readonly storedBytes: number;
  compact(): Promise<void>;
  close(): Promise<void>;
}

const handles = new WeakMap<object, VaultHandle>();
const views = new WeakMap<VaultHandle, Vault>();

/** The one view of `handle` (the same object each time). */
export function vaultView(handle: VaultHandle): Vault {
  let view = views.get(handle);
  if (view) return view;
  const members: MembersReader = {
    devices: () => handle.members.devices(),
    invites: () => handle.members.invites(),
  };
  view = Object.freeze({
    get id() {
      return handle.id;
    },
    get name() {
      return handle.name;
    },
    get joined() {
      return handle.joined;
    },
    get closed() {
      return handle.closed;
    },
    get closeReason() {
      return handle.closeReason;
    },
    get damaged() {
      return handle.damaged;
    },
    get heldBackChanges() {
      return handle.heldBackChanges;
    },
    get writesHeld() {
      return handle.writesHeld;
    },
    get storedBytes() {
      return handle.storedBytes;
    },
    members: Object.freeze(members),
    team: Object.freeze({ state: () => handle.team.state() }),
    acceptDamage: () => handle.acceptDamage(),
    onClose: (listener) => handle.onClose(listener),
    onChange: (listener) => handle.onChange(listener),
    get: (name) => handle.get(name),
    getEntry: (name) => handle.getEntry(name),
    visibleEntry: (name) => handle.visibleEntry(name),
    has: (name) => handle.has(name),
    list: () => handle.list(),
    set: (name, value, options) => handle.set(name, value, options),
    setMany: (entries) => handle.setMany(entries),
    create: (name, value, options) => handle.create(name, value, options),
    update: (entry, changes) => handle.update(entry, changes),
    rename: (name, newName) => handle.rename(name, newName),
    delete: (name) => handle.delete(name),
    nameStyle: () => handle.nameStyle(),
    setNameStyle: (style) => handle.setNameStyle(style),
    reviews: () => handle.reviews(),
    clearReview: (name) => handle.clearReview(name),
    history: (entryId) => handle.history(entryId),
    compareVersions: (entryId, a, b) => handle.compareVersions(entryId, a, b),
    restoreVersion: (entryId, index) => handle.restoreVersion(entryId, index),
    deletedEntries: () => handle.deletedEntries(),
    restoreDeleted: (entryId, name) => handle.restoreDeleted(entryId, name),
    historySettings: () => handle.historySettings(),
    setHistorySettings: (change) => handle.setHistorySettings(change),
    compact: () => handle.compact(),
    close: () => handle.close(),
    [Symbol.asyncDispose]: () => handle.close(),
  } satisfies Vault);
  views.set(handle, view);
  handles.set(view, handle);
  return view;
}

/** Core only: the handle behind a view (or the handle itself). Throws for anything else. */
export function handleOf(vault: Vault | VaultHandle): VaultHandle {
  const handle =
    handles.get(vault) ?? (views.has(vault as VaultHandle) ? (vault as VaultHandle) : undefined);
  if (!handle) throw new TypeError('not an open vault from Session.openVault');
  return handle;
}
