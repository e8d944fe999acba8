import { type Accessor, createSignal } from 'solid-js';
import type {
  ConnectionValue,
  Entry,
  EntryKind,
  EntrySummary,
  JsonValue,
  NameStyle,
  VaultCloseReason,
  VaultHandle,
} from '../../core/vault';
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
 * operations on them. Wraps a core VaultHandle so components never touch core directly.
 */
export interface OpenVault {
  readonly name: string;
  readonly entries: Accessor<readonly EntrySummary[]>;
  readonly nameStyle: Accessor<NameStyle>;
  /** Set when the handle closed under us ('taken-over' when another tab took it). */
  readonly closedReason: Accessor<VaultCloseReason | null>;
  /** The vault's sync with other devices, while it is open here (absent if it could not start). */
  readonly sync: VaultSyncView | undefined;
  get(name: string): Promise<Entry | undefined>;
  /** Creates or replaces an entry; renames it first when `previousName` differs. */
  save(draft: EntryDraft, previousName?: string): Promise<void>;
  remove(name: string): Promise<void>;
  setNameStyle(style: NameStyle): Promise<void>;
  close(): Promise<void>;
}

export async function createOpenVault(
  handle: VaultHandle,
  syncDeps?: VaultSyncDeps,
): Promise<OpenVault> {
  const [entries, setEntries] = createSignal<readonly EntrySummary[]>(await handle.list());
  const [nameStyle, setNameStyle] = createSignal<NameStyle>(await handle.nameStyle());
  const [closedReason, setClosedReason] = createSignal<VaultCloseReason | null>(null);
  handle.onClose((reason) => {
    if (reason !== 'closed') setClosedReason(reason);
  });
  const refresh = async () => {
    if (!handle.closed) setEntries(await handle.list());
  };
  // Changes from other devices arrive in bursts: re-list once per burst, not once per change.
  let pending: ReturnType<typeof setTimeout> | undefined;
  handle.onChange((origin) => {
    if (origin === 'local' || pending !== undefined) return;
    pending = setTimeout(() => {
      pending = undefined;
      void refresh();
      void handle.nameStyle().then(setNameStyle, () => undefined);
    }, 30);
  });
  let sync: VaultSyncView | undefined;
  if (syncDeps) {
    try {
      sync = await startVaultSync(handle, syncDeps);
    } catch (error) {
      // The vault works without sync; the pane says sync is unavailable.
      console.warn('sync could not start', error);
    }
  }
  return {
    name: handle.name,
    entries,
    nameStyle,
    closedReason,
    sync,
    get: (name) => handle.getEntry(name),
    async save(draft, previousName) {
      if (previousName !== undefined && previousName !== draft.name) {
        await handle.rename(previousName, draft.name);
      }
      await handle.set(draft.name, draft.value, {
        kind: draft.kind,
        ...(draft.writeOnly !== undefined ? { writeOnly: draft.writeOnly } : {}),
      });
      await refresh();
    },
    async remove(name) {
      await handle.delete(name);
      await refresh();
    },
    async setNameStyle(style) {
      await handle.setNameStyle(style);
      setNameStyle(style);
    },
    async close() {
      await sync?.stop();
      await handle.close();
    },
  };
}
