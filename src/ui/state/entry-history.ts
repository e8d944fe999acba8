/**
 * History for components: an open vault's versions, comparisons, restores, recently deleted
 * entries and retention, over the core `Vault` this tab holds (`Session.openedVault`), plus
 * the words a history list shows. Components never reach core directly.
 */
import type { Session } from '../../core/profile';
import type {
  DeletedEntry,
  EntryId,
  EntrySummary,
  EntryVersion,
  HistorySettings,
  JsonPath,
  Vault,
  VersionChange,
  VersionDiffLine,
} from '../../core/vault';
import type { OpenVault } from './open-vault';

export type {
  DeletedEntry,
  EntryVersion,
  HistorySettings,
  VersionDiffLine,
} from '../../core/vault';

/** What the history screens do with one open vault. */
export interface VaultHistory {
  versions(entryId: EntryId): Promise<EntryVersion[]>;
  compare(entryId: EntryId, a: number, b: number): Promise<VersionDiffLine[]>;
  restoreVersion(entryId: EntryId, index: number): Promise<void>;
  deleted(): Promise<DeletedEntry[]>;
  restoreDeleted(entryId: string, name?: string): Promise<EntrySummary>;
  settings(): Promise<HistorySettings>;
  setSettings(change: Partial<HistorySettings>): Promise<void>;
  /** The device's name from the vault's device list, or a short form of its id. */
  deviceName(by: string): string;
  /** Calls `listener` after any change to the vault; returns an unsubscribe. */
  onChange(listener: () => void): () => void;
}

/**
 * The history of `vault`, if this tab holds it open (it does while its pane shows it).
 * @example
 * const history = vaultHistory(app.session(), props.vault);
 */
export function vaultHistory(session: Session, vault: OpenVault): VaultHistory | undefined {
  const core: Vault | undefined = session.openedVault(vault.id);
  if (!core) return undefined;
  return {
    versions: (entryId) => core.history(entryId),
    compare: (entryId, a, b) => core.compareVersions(entryId, a, b),
    async restoreVersion(entryId, index) {
      const before = vault.entries().find((entry) => entry.id === entryId)?.name;
      await core.restoreVersion(entryId, index);
      void vault.audit?.entryUpdated(before, { value: null });
    },
    deleted: () => core.deletedEntries(),
    async restoreDeleted(entryId, name) {
      const summary = await core.restoreDeleted(entryId as EntryId, name);
      void vault.audit?.entryCreated(summary.name);
      return summary;
    },
    settings: () => core.historySettings(),
    setSettings: (change) => core.setHistorySettings(change),
    deviceName(by) {
      if (by === '') return 'a device without a name yet';
      const device = core.members.devices().find((record) => record.id === by);
      return device?.name ?? `device ${by.slice(0, 8)}`;
    },
    onChange: (listener) => core.onChange(() => listener()),
  };
}

const changeWords: Readonly<Record<VersionChange, string>> = {
  created: 'created',
  name: 'renamed',
  kind: 'kind changed',
  writeOnly: 'write-only changed',
  value: 'value changed',
  type: 'type changed',
  fields: 'fields changed',
};

/**
 * What a version changed, in words ("value changed, renamed"); "no change" for a version that
 * wrote the same content (a restore of the current one, or a merge).
 * @example
 * changesText(['value']); // 'value changed'
 */
export function changesText(changes: readonly VersionChange[]): string {
  return changes.length === 0
    ? 'no change'
    : changes.map((change) => changeWords[change]).join(', ');
}

/**
 * A JSON path as people read it: `value.servers[0].host`; a key that is not a plain word is
 * quoted (`value["a b"]`).
 * @example
 * pathText(['value', 'servers', 0]); // 'value.servers[0]'
 */
export function pathText(path: JsonPath): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(part)) out += out === '' ? part : `.${part}`;
    else out += `[${JSON.stringify(part)}]`;
  }
  return out === '' ? '(whole value)' : out;
}

/**
 * A JSON value as one line of text for a diff cell.
 * @example
 * valueText({ a: 1 }); // '{"a":1}'
 */
export function valueText(value: unknown): string {
  return value === undefined ? '' : JSON.stringify(value);
}

/**
 * Whole days until `expiresAt` (rounded up), at least 0.
 * @example
 * daysLeft(Date.now() + 1.5 * 86_400_000, Date.now()); // 2
 */
export function daysLeft(expiresAt: number, now: number): number {
  return Math.max(0, Math.ceil((expiresAt - now) / 86_400_000));
}

/**
 * A version's value as text for a side-by-side view: pretty JSON, or a connection's fields
 * as `name: value` lines. Hidden values are never passed here.
 * @example
 * versionText({ kind: 'item', value: { a: 1 } } as EntryVersion); // '{\n  "a": 1\n}'
 */
export function versionText(version: EntryVersion): string {
  if (version.hidden || version.value === undefined) return '';
  if (version.kind !== 'connection') return JSON.stringify(version.value, null, 2);
  const { type, fields } = version.value as {
    type: string;
    fields: Record<string, { value: string | null; secret: boolean; hidden?: boolean }>;
  };
  const lines = [`type: ${type}`];
  for (const [name, field] of Object.entries(fields)) {
    lines.push(
      `${name}: ${field.hidden ? '(write-only)' : field.value === null ? '(not set)' : field.secret ? '(secret)' : field.value}`,
    );
  }
  return lines.join('\n');
}
