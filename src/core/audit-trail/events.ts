/**
 * Building audit events from what the app has at hand: entry names as strings, an entry's
 * changes. Every name goes through core/audit's branded helpers (`auditEntryName`,
 * `auditLabel`), which check it; a value never has a field to go into. A name that fails the
 * check gives no event (undefined) rather than an exception: auditing must not break the
 * action it records.
 */
import {
  type AuditProviderKind,
  auditEntryName,
  auditLabel,
  type RecordableAuditEvent,
} from '../audit';

export type EntryAuditAction =
  | 'secret-shown'
  | 'secret-copied'
  | 'entry-created'
  | 'entry-changed'
  | 'entry-deleted';

/** An event about one entry, by its name. */
export function entryEvent(
  action: EntryAuditAction,
  name: string,
): RecordableAuditEvent | undefined {
  try {
    return { action, entry: auditEntryName(name) };
  } catch {
    return undefined;
  }
}

/** A rename, by the old and the new name. */
export function renameEvent(from: string, to: string): RecordableAuditEvent | undefined {
  try {
    return {
      action: 'entry-renamed',
      from: auditEntryName(from, 'from'),
      to: auditEntryName(to, 'to'),
    };
  } catch {
    return undefined;
  }
}

/** An integration run, by the integration's name and the names of the entries it read. */
export function integrationRunEvent(
  integration: string,
  entries: readonly string[],
): RecordableAuditEvent | undefined {
  try {
    return {
      action: 'integration-run',
      integration: auditLabel(integration),
      entries: entries.map((name) => auditEntryName(name, 'entries')),
    };
  } catch {
    return undefined;
  }
}

/** What an entry update changed, by key presence only (the values are never looked at). */
export interface UpdateShape {
  readonly name?: string | undefined;
  readonly kind?: unknown;
  readonly writeOnly?: unknown;
  readonly value?: unknown;
  readonly fields?: unknown;
}

/**
 * The events an update of the entry named `before` makes: a rename when its name changed, and
 * a change when anything else was given.
 */
export function updateEvents(before: string, changes: UpdateShape): RecordableAuditEvent[] {
  const events: (RecordableAuditEvent | undefined)[] = [];
  const after = changes.name ?? before;
  if (after !== before) events.push(renameEvent(before, after));
  const content = (['kind', 'writeOnly', 'value', 'fields'] as const).some(
    (key) => changes[key] !== undefined,
  );
  if (content) events.push(entryEvent('entry-changed', after));
  return events.filter((event): event is RecordableAuditEvent => event !== undefined);
}

/** What a provider sync did, in counts (src/core/providers/sync). */
export interface ProviderSyncCounts {
  readonly path: string;
  readonly provider: AuditProviderKind;
  readonly added: number;
  readonly changed: number;
  readonly removed: number;
  readonly conflicts: number;
}

/**
 * A pull from, or a push to, an outside secrets manager: the remote path, the provider, and
 * counts only (no key's value, nor its name). Undefined when the path is not a label (over 200
 * characters, control characters): auditing must not break the sync it records.
 */
export function providerSyncEvent(
  action: 'provider-pull' | 'provider-push',
  counts: ProviderSyncCounts,
): RecordableAuditEvent | undefined {
  try {
    return {
      action,
      path: auditLabel(counts.path, 'path'),
      provider: counts.provider,
      added: counts.added,
      changed: counts.changed,
      removed: counts.removed,
      conflicts: counts.conflicts,
    };
  } catch {
    return undefined;
  }
}
