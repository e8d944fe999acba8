/**
 * The audit log view's state: filters (device, action, entry, date range), pages of 50 newest
 * first, the verification summary in words with the rows it concerns, and export files. Wraps
 * core's AuditTrail; recomputes when the stored records change.
 */
import { type Accessor, createSignal, onCleanup } from 'solid-js';
import {
  type AuditAction,
  type AuditFilter,
  type AuditFinding,
  type AuditPage,
  type AuditRecord,
  type AuditVerification,
  queryAuditLog,
  type RetentionPolicy,
} from '../../core/audit';
import type { AuditTrail } from '../../core/audit-trail';
import type { DeviceId } from '../../core/ids';

export const auditPageSize = 50;

/** "90 days", "1 year", "5 years". */
export function retentionDaysLabel(days: number): string {
  if (days % 365 !== 0) return `${days} days`;
  return days === 365 ? '1 year' : `${days / 365} years`;
}

/** The retention policy of the user's settings (default: one year or 20,000 records). */
export function auditRetentionOf(settings: {
  readonly auditRetentionDays: number;
  readonly auditRetentionRecords: number;
}): RetentionPolicy {
  return {
    maxAgeMs: settings.auditRetentionDays * 24 * 60 * 60 * 1000,
    maxRecords: settings.auditRetentionRecords,
  };
}

export const auditActionLabels: Readonly<Record<AuditAction, string>> = {
  'vault-opened': 'Opened the vault',
  'vault-closed': 'Closed the vault',
  'secret-shown': 'Showed a secret',
  'secret-copied': 'Copied a secret',
  'entry-created': 'Created an entry',
  'entry-changed': 'Changed an entry',
  'entry-renamed': 'Renamed an entry',
  'entry-deleted': 'Deleted an entry',
  export: 'Exported',
  'integration-run': 'Ran an integration',
  'role-changed': 'Changed a role',
  'invite-created': 'Created an invitation',
  'invite-used': 'Used an invitation',
  'key-rotated': 'Rotated the vault key',
  'provider-pull': 'Pulled from the provider',
  'provider-push': 'Pushed to the provider',
  trimmed: 'Trimmed old records',
};

/** The filters as the form holds them: empty strings mean "any". Dates are `YYYY-MM-DD`. */
export interface AuditViewFilter {
  readonly device: string;
  readonly action: AuditAction | '';
  readonly entry: string;
  readonly from: string;
  readonly to: string;
}

export const noAuditFilter: AuditViewFilter = {
  device: '',
  action: '',
  entry: '',
  from: '',
  to: '',
};

/** Local midnight of a `YYYY-MM-DD` date, or undefined when it is not one. */
function dayStart(date: string): number | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) return undefined;
  const time = new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3])).getTime();
  return Number.isNaN(time) ? undefined : time;
}

/** The core filter of the form's: the date range takes whole days, `to` included. */
export function toAuditFilter(filter: AuditViewFilter): AuditFilter {
  const from = dayStart(filter.from);
  const toDay = dayStart(filter.to);
  const to =
    toDay === undefined
      ? undefined
      : new Date(new Date(toDay).setDate(new Date(toDay).getDate() + 1)).getTime();
  const entry = filter.entry.trim();
  return {
    ...(filter.device ? { device: filter.device as DeviceId } : {}),
    ...(filter.action ? { actions: [filter.action] } : {}),
    ...(entry ? { entry } : {}),
    ...(from === undefined ? {} : { from }),
    ...(to === undefined ? {} : { to }),
  };
}

/** A device as the view names it: its name in the vault's list, else the start of its key. */
export function deviceLabel(
  names: ReadonlyMap<string, string | undefined>,
  id: string | undefined,
) {
  if (id === undefined) return 'an unknown device';
  return names.get(id) ?? `device ${id.slice(0, 8)}`;
}

/** Names for the people a record concerns (members by id, devices by id), where known. */
export interface SubjectNames {
  readonly members?: ReadonlyMap<string, string>;
  readonly devices?: ReadonlyMap<string, string | undefined>;
}

/** The entry names a record concerns, in words ("OLD → NEW" for a rename). */
export function recordSubject(record: AuditRecord, names: SubjectNames = {}): string {
  const event = record.event;
  switch (event.action) {
    case 'secret-shown':
    case 'secret-copied':
    case 'entry-created':
    case 'entry-changed':
    case 'entry-deleted':
      return event.entry;
    case 'entry-renamed':
      return `${event.from} → ${event.to}`;
    case 'integration-run':
      return event.entries.length > 0
        ? `${event.integration}: ${event.entries.join(', ')}`
        : event.integration;
    case 'role-changed':
      return `${names.members?.get(event.member) ?? `member ${event.member.slice(0, 8)}`}: ${
        event.role === 'none' ? 'removed' : event.role
      }`;
    case 'invite-created':
      return `as ${event.role}`;
    case 'invite-used':
      return `${names.devices ? deviceLabel(names.devices, event.joined) : `device ${event.joined.slice(0, 8)}`} joined`;
    case 'provider-pull':
    case 'provider-push': {
      const counts = [
        event.added > 0 ? `${event.added} added` : '',
        event.changed > 0 ? `${event.changed} changed` : '',
        event.removed > 0 ? `${event.removed} removed` : '',
        event.conflicts > 0 ? `${event.conflicts} in conflict` : '',
      ].filter((part) => part !== '');
      const where = `${event.provider === 'aws' ? 'AWS' : 'Vault'} ${event.path}`;
      return counts.length > 0 ? `${where}: ${counts.join(', ')}` : `${where}: no change`;
    }
    case 'trimmed':
      return `${event.chains.reduce((sum, chain) => sum + chain.count, 0)} records before these`;
    default:
      return '';
  }
}

/** How many records are missing before the one a gap finding names. */
function missingCount(verification: AuditVerification, device: string, seq: number): number {
  let before = 0;
  for (const record of verification.records) {
    if (record.device === device && record.seq < seq && record.seq > before) before = record.seq;
  }
  const trim = verification.devices.find((report) => report.device === device)?.trimmed;
  if (trim && trim.count > before && trim.count < seq) before = trim.count;
  return Math.max(1, seq - before - 1);
}

/** One finding in words. */
export function describeFinding(
  finding: AuditFinding,
  verification: AuditVerification,
  names: ReadonlyMap<string, string | undefined>,
): string {
  const who = deviceLabel(names, finding.device);
  switch (finding.kind) {
    case 'altered':
      return finding.device === undefined
        ? 'A stored record is damaged or was changed: its author cannot be read.'
        : `A record from ${who} was changed after it was written (its record #${finding.seq ?? '?'}).`;
    case 'gap': {
      const count = missingCount(verification, finding.device, finding.seq);
      return count === 1
        ? `1 record from ${who} is missing (before its record #${finding.seq}).`
        : `${count} records from ${who} are missing (before its record #${finding.seq}).`;
    }
    case 'fork':
      return `${who} has ${finding.ids.length} different records at #${finding.seq}: its chain was forked.`;
    case 'not-member':
      return `A record from ${who}, which is not one of this vault's devices, was refused.`;
    case 'wrong-vault':
      return `A record from another vault (written by ${who}) was refused.`;
    case 'out-of-sequence':
      return `A record from ${who} is out of sequence (#${finding.seq}, expected #${finding.expected}).`;
    case 'truncated':
      return `The newest records from ${who} were removed (its record #${finding.seq} is gone).`;
  }
}

export interface AuditSummary {
  readonly intact: boolean;
  /** "All 12 records verified", or how many verified when there are findings. */
  readonly headline: string;
  readonly warnings: readonly string[];
  /** Ids of the shown records a finding concerns. */
  readonly marked: ReadonlySet<string>;
}

export function summarize(
  verification: AuditVerification,
  names: ReadonlyMap<string, string | undefined>,
): AuditSummary {
  const count = verification.records.length;
  const noun = count === 1 ? 'record' : 'records';
  const marked = new Set<string>();
  for (const finding of verification.findings) {
    if (finding.kind === 'fork') for (const id of finding.ids) marked.add(id);
    else if (finding.kind === 'gap' || finding.kind === 'out-of-sequence') marked.add(finding.id);
  }
  return {
    intact: verification.intact,
    headline: verification.intact
      ? `All ${count} ${noun} verified`
      : `${count} ${noun} verified; ${verification.findings.length} ${verification.findings.length === 1 ? 'problem' : 'problems'} found`,
    warnings: verification.findings.map((finding) => describeFinding(finding, verification, names)),
    marked,
  };
}

/** `<vault>-audit-<YYYY-MM-DD>.csv`, with the vault name made safe for a file name. */
export function auditFileName(vault: string, kind: 'csv' | 'json', now: Date): string {
  const safe = vault.replace(/[^\p{L}\p{N}._-]+/gu, '-').replace(/^[-.]+|[-.]+$/g, '') || 'vault';
  const pad = (n: number) => String(n).padStart(2, '0');
  const date = `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
  return `${safe}-audit-${date}.${kind}`;
}

export interface AuditExportFile {
  readonly name: string;
  readonly type: string;
  readonly text: string;
}

export interface AuditView {
  readonly filter: Accessor<AuditViewFilter>;
  setFilter(patch: Partial<AuditViewFilter>): void;
  readonly page: Accessor<AuditPage>;
  /** 0-based page shown. */
  readonly pageIndex: Accessor<number>;
  readonly pageCount: Accessor<number>;
  next(): void;
  previous(): void;
  readonly summary: Accessor<AuditSummary>;
  /** Devices that wrote records or hold the vault, for the filter and the rows. */
  readonly devices: Accessor<readonly { id: string; label: string }[]>;
  deviceName(id: string): string;
  /** What a record concerns, in words, with members and devices by name. */
  subject(record: AuditRecord): string;
  /** The records matching the filters as a file; records the export in the log. */
  exportFile(kind: 'csv' | 'json'): AuditExportFile;
  readonly error: Accessor<string | undefined>;
}

const emptyVerification: AuditVerification = {
  records: [],
  devices: [],
  findings: [],
  intact: true,
};

/**
 * `compute()` again only when what `key()` returns changes (by identity; arrays by item).
 * Reading it inside a reactive scope tracks the signals `key` and `compute` read.
 */
function cached<K, T>(key: () => K, compute: () => T): () => T {
  let last: { key: K; value: T } | undefined;
  const same = (a: K, b: K) =>
    Array.isArray(a) && Array.isArray(b)
      ? a.length === b.length && a.every((item, i) => Object.is(item, b[i]))
      : Object.is(a, b);
  return () => {
    const now = key();
    if (last && same(last.key, now)) return last.value;
    last = { key: now, value: compute() };
    return last.value;
  };
}

/** The view over `trail`; call inside a reactive owner (it stops listening on cleanup). */
export function createAuditView(
  trail: AuditTrail,
  options: { vaultName: string; now?: () => Date },
): AuditView {
  const [version, setVersion] = createSignal(0);
  const [filter, setFilterSignal] = createSignal<AuditViewFilter>(noAuditFilter);
  const [pageIndex, setPageIndex] = createSignal(0);
  onCleanup(trail.onChange(() => setVersion((n) => n + 1)));
  // Derived values are cached by hand on what they read (not memos): the same code then works
  // under Solid's server build too, where the unit tests run.
  const read = cached(
    () => version(),
    (): { verification: AuditVerification; error?: string } => {
      try {
        return { verification: trail.verify() };
      } catch {
        return { verification: emptyVerification, error: 'The audit log could not be read.' };
      }
    },
  );
  const verification = () => read().verification;
  const names = cached(verification, () => {
    try {
      return new Map<string, string | undefined>(trail.devices().map((d) => [d.id, d.name]));
    } catch {
      return new Map<string, string | undefined>();
    }
  });
  const coreFilter = cached(filter, () => toAuditFilter(filter()));
  const pageKey = cached(
    () => [verification(), coreFilter(), pageIndex()] as const,
    () => ({}),
  );
  const page = cached(pageKey, (): AuditPage => {
    return queryAuditLog(verification().records, coreFilter(), {
      limit: auditPageSize,
      offset: pageIndex() * auditPageSize,
    });
  });
  const summary = cached(names, () => summarize(verification(), names()));
  const devices = cached(names, () =>
    [...names().keys()].map((id) => ({ id, label: deviceLabel(names(), id) })),
  );
  const pageCount = () => Math.max(1, Math.ceil(page().total / auditPageSize));
  return {
    filter,
    setFilter(patch) {
      setFilterSignal((current) => ({ ...current, ...patch }));
      setPageIndex(0);
    },
    page,
    pageIndex,
    pageCount,
    next() {
      if (pageIndex() + 1 < pageCount()) setPageIndex(pageIndex() + 1);
    },
    previous() {
      if (pageIndex() > 0) setPageIndex(pageIndex() - 1);
    },
    summary,
    devices,
    deviceName: (id) => deviceLabel(names(), id),
    subject: (record) => {
      let members: ReadonlyMap<string, string> = new Map();
      try {
        members = trail.memberNames();
      } catch {
        // Closed meanwhile: ids it is.
      }
      return recordSubject(record, { members, devices: names() });
    },
    exportFile(kind) {
      const text = kind === 'csv' ? trail.exportCsv(coreFilter()) : trail.exportJson(coreFilter());
      void trail.exported();
      return {
        name: auditFileName(options.vaultName, kind, options.now?.() ?? new Date()),
        type: kind === 'csv' ? 'text/csv' : 'application/json',
        text,
      };
    },
    error: () => read().error,
  };
}
