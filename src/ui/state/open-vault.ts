import { type Accessor, createSignal } from 'solid-js';
import { auditMemberRef, type RecordableAuditEvent, type RetentionPolicy } from '../../core/audit';
import { AuditTrail } from '../../core/audit-trail';
import type { Session, VaultId, VaultSummary } from '../../core/profile';
import type { CorruptDataError } from '../../core/storage';
import type { SyncAuditEvent } from '../../core/sync';
import type { ImportTarget } from '../../core/transfer';
import type {
  ConnectionValue,
  EntryChanges,
  EntryId,
  EntryKind,
  EntrySummary,
  JsonValue,
  NameStyle,
  Vault,
  VaultCloseReason,
  VisibleEntry,
} from '../../core/vault';
import { createVaultProvider, type VaultProvider } from './vault-provider';
import { startVaultSync, type VaultSyncDeps, type VaultSyncView } from './vault-sync';

/** What an entry form saves. */
export interface EntryDraft {
  readonly name: string;
  readonly kind: EntryKind;
  readonly value: JsonValue | ConnectionValue;
  readonly writeOnly?: boolean;
}

/**
 * A vault open in this tab, as components see it: a reactive list of entries and the
 * operations on them. Wraps a core `Vault` so components never touch core directly.
 */
export interface OpenVault {
  readonly id: VaultId;
  /** The name the vault had when it was opened (the list has the current one). */
  readonly name: string;
  /** Stored records that could not be read when the vault was opened; empty when none. */
  readonly damaged: readonly CorruptDataError[];
  /** True while entry changes are held back because of `damaged` (until `acceptDamage`). */
  readonly writesHeld: Accessor<boolean>;
  /** The user chose to edit what could be read; the damaged records are still kept. */
  acceptDamage(): void;
  /**
   * Copies every entry that could be read into a new vault named `name` (values stay in core:
   * write-only secrets are copied without passing through the UI). This vault is not changed.
   */
  copyReadableInto(name: string): Promise<VaultSummary>;
  readonly entries: Accessor<readonly EntrySummary[]>;
  readonly nameStyle: Accessor<NameStyle>;
  /** Set when the handle closed under us ('taken-over' when another tab took it). */
  readonly closedReason: Accessor<VaultCloseReason | null>;
  /** The vault's sync with other devices, while it is open here (absent if it could not start). */
  readonly sync: VaultSyncView | undefined;
  /** The vault's audit log, written by this device (absent without a device identity). */
  readonly audit: AuditTrail | undefined;
  /**
   * The vault's link to an outside secrets manager (absent without the session): while the
   * vault is open here, Save pushes when the link is on with auto sync, and opening pulls.
   */
  readonly provider: VaultProvider | undefined;
  /** The vault as an import writes it: its names, naming rule and one all-or-nothing setMany. */
  readonly importTarget: ImportTarget;
  /** The entry as the app may see it: a write-only secret comes without its value. */
  get(name: string): Promise<VisibleEntry | undefined>;
  /** Creates an entry; NameTakenError if the name is in use. */
  create(draft: EntryDraft): Promise<void>;
  /** Changes an entry in one change (see EntryChanges: a left-out value is kept, unread). */
  update(id: EntryId, changes: EntryChanges): Promise<void>;
  remove(name: string): Promise<void>;
  setNameStyle(style: NameStyle): Promise<void>;
  close(): Promise<void>;
}

export async function createOpenVault(
  handle: Vault,
  syncDeps?: VaultSyncDeps,
  session?: Session,
  auditPolicy?: RetentionPolicy,
  /** Closes this vault, runs `work`, opens it again (the opener's); for memory-only moves. */
  reopen?: (work: () => Promise<void>) => Promise<void>,
): Promise<OpenVault> {
  const [entries, setEntries] = createSignal<readonly EntrySummary[]>(await handle.list());
  const [nameStyle, setNameStyle] = createSignal<NameStyle>(await handle.nameStyle());
  const [closedReason, setClosedReason] = createSignal<VaultCloseReason | null>(null);
  const [writesHeld, setWritesHeld] = createSignal(handle.writesHeld);
  handle.onClose((reason) => {
    if (reason !== 'closed') setClosedReason(reason);
  });
  const refresh = async () => {
    if (handle.closed) return;
    const next = await handle.list();
    // A change elsewhere in the document (an audit record) keeps the list, and what shows it.
    if (!sameEntryList(entries(), next)) setEntries(next);
  };
  // Changes from other devices arrive in bursts: re-list once per burst, not once per change.
  // Local ones too: an integration run in this tab writes through this same handle.
  let pending: ReturnType<typeof setTimeout> | undefined;
  handle.onChange(() => {
    if (pending !== undefined) return;
    pending = setTimeout(() => {
      pending = undefined;
      void refresh();
      void handle.nameStyle().then(setNameStyle, () => undefined);
    }, 30);
  });
  const audit =
    syncDeps &&
    AuditTrail.of({
      vault: handle,
      device: syncDeps.device,
      clock: Date.now,
      ...(auditPolicy ? { policy: auditPolicy } : {}),
    });
  let sync: VaultSyncView | undefined;
  if (syncDeps) {
    try {
      sync = await startVaultSync(handle, {
        ...syncDeps,
        ...(audit ? { lastActiveAt: (id: string) => audit.lastActiveAt(id) } : {}),
      });
    } catch (error) {
      // The vault works without sync; the pane says sync is unavailable.
      console.warn('sync could not start', error);
    }
  }
  void audit?.opened().then(() => audit.trim());
  if (audit) sync?.onAuditEvent((event) => void audit.record(auditEventOf(event)));
  // The provider link lives as long as this opening: its watch pushes after local changes,
  // and auto sync pulls now (in the background: the vault shows at once, values follow).
  const provider =
    session &&
    createVaultProvider({
      engine: session.providers,
      vault: handle,
      ...(audit ? { record: (event: RecordableAuditEvent) => audit.record(event) } : {}),
      ...(reopen ? { reopen } : {}),
    });
  void provider?.start();
  return {
    id: handle.id,
    name: handle.name,
    damaged: handle.damaged,
    writesHeld,
    acceptDamage() {
      handle.acceptDamage();
      setWritesHeld(handle.writesHeld);
    },
    async copyReadableInto(name) {
      if (!session) throw new Error('copying needs the session this vault was opened from');
      void audit?.exported();
      return session.copyIntoNewVault(handle, name);
    },
    entries,
    nameStyle,
    closedReason,
    sync,
    audit,
    provider,
    importTarget: {
      list: () => handle.list(),
      nameStyle: () => handle.nameStyle(),
      setMany: (entries) => handle.setMany(entries),
    },
    get: (name) => handle.visibleEntry(name),
    async create(draft) {
      await handle.create(draft.name, draft.value, {
        kind: draft.kind,
        ...(draft.writeOnly !== undefined ? { writeOnly: draft.writeOnly } : {}),
      });
      void audit?.entryCreated(draft.name);
      await refresh();
    },
    async update(id, changes) {
      const before = entries().find((entry) => entry.id === id)?.name;
      await handle.update({ id }, changes);
      void audit?.entryUpdated(before, changes);
      await refresh();
    },
    async remove(name) {
      await handle.delete(name);
      void audit?.entryDeleted(name);
      await refresh();
    },
    async setNameStyle(style) {
      await handle.setNameStyle(style);
      setNameStyle(style);
    },
    async close() {
      provider?.stop();
      await audit?.closed();
      audit?.dispose();
      await sync?.stop();
      await handle.close();
    },
  };
}

/** Whether two entry lists say the same, item by item (so an unchanged list is not replaced). */
function sameEntryList(a: readonly EntrySummary[], b: readonly EntrySummary[]): boolean {
  const text = (entry: EntrySummary) => JSON.stringify(entry);
  return a.length === b.length && a.every((entry, i) => text(entry) === text(b[i]!));
}

/** A sync event as the audit log records it (names and ids only). */
function auditEventOf(event: SyncAuditEvent): RecordableAuditEvent {
  switch (event.kind) {
    case 'role-changed':
      return { action: 'role-changed', member: auditMemberRef(event.member), role: event.role };
    case 'invite-created':
      return { action: 'invite-created', invite: event.invite, role: event.role };
    case 'invite-used':
      return { action: 'invite-used', invite: event.invite, joined: event.device };
    case 'key-rotated':
      return { action: 'key-rotated' };
  }
}
