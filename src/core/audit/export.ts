/**
 * Exporting audit records to CSV (RFC 4180) and JSON. Both carry names and ids only: a record
 * holds nothing else.
 */
import type { AuditRecord } from './types';

/** One flat row per record: the columns of the CSV, the keys of the JSON's `subject`. */
const columns = [
  'time',
  'action',
  'entry',
  'new_name',
  'integration',
  'entries',
  'subject_member',
  'role',
  'invite',
  'joined_device',
  'trimmed',
  'provider_path',
  'provider',
  'provider_counts',
  'member',
  'device',
  'seq',
  'vault',
  'id',
  'prev',
] as const;
type Column = (typeof columns)[number];

/** ISO 8601 when the time is one a Date can hold; the number otherwise. */
function timeText(time: number): string {
  const date = new Date(time);
  return Number.isNaN(date.getTime()) ? String(time) : date.toISOString();
}

function rowOf(record: AuditRecord): Record<Column, string> {
  const row: Record<Column, string> = Object.fromEntries(columns.map((c) => [c, ''])) as Record<
    Column,
    string
  >;
  row.time = timeText(record.time);
  row.action = record.event.action;
  row.member = record.member ?? '';
  row.device = record.device;
  row.seq = String(record.seq);
  row.vault = record.vault;
  row.id = record.id;
  row.prev = record.prev ?? '';
  const event = record.event;
  switch (event.action) {
    case 'secret-shown':
    case 'secret-copied':
    case 'entry-created':
    case 'entry-changed':
    case 'entry-deleted':
      row.entry = event.entry;
      break;
    case 'entry-renamed':
      row.entry = event.from;
      row.new_name = event.to;
      break;
    case 'integration-run':
      row.integration = event.integration;
      // Entry names have no spaces, so a space separates them unambiguously.
      row.entries = event.entries.join(' ');
      break;
    case 'role-changed':
      row.subject_member = event.member;
      row.role = event.role;
      break;
    case 'invite-created':
      row.invite = event.invite;
      row.role = event.role;
      break;
    case 'invite-used':
      row.invite = event.invite;
      row.joined_device = event.joined;
      break;
    case 'trimmed':
      row.trimmed = event.chains.map((c) => `${c.device}:${c.count}`).join(' ');
      break;
    case 'provider-pull':
    case 'provider-push':
      row.provider_path = event.path;
      row.provider = event.provider;
      // Counts only: the event holds no key's value, nor its name.
      row.provider_counts = `added=${event.added} changed=${event.changed} removed=${event.removed} conflicts=${event.conflicts}`;
      break;
    default:
      break;
  }
  return row;
}

/**
 * One CSV cell. Spreadsheet formula injection (OWASP "CSV Injection"): a cell that starts with
 * "=", "+", "-" or "@" is run as a formula by Excel, LibreOffice and Google Sheets when the file
 * is opened, so such a cell gets a leading apostrophe, which makes them show it as text. Tab and
 * carriage return are included too, as OWASP advises (some spreadsheets skip them first). Entry
 * names cannot start with any of these, but integration names and member references can. Then
 * RFC 4180: a cell with a comma, a double quote, CR or LF is quoted, its quotes doubled.
 */
export function csvCell(text: string): string {
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/**
 * The records as CSV: a header line, then one line per record in the order given, lines ended
 * by CRLF (RFC 4180).
 * @example
 * download('audit.csv', auditToCsv(queryAuditLog(records, filter, { limit: 20_000 }).records));
 */
export function auditToCsv(records: Iterable<AuditRecord>): string {
  const lines = [columns.join(',')];
  for (const record of records) {
    const row = rowOf(record);
    lines.push(columns.map((column) => csvCell(row[column])).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}

/** A record as plain JSON data: its fields and its event as written, no bytes. */
export function auditRecordToJson(record: AuditRecord): Record<string, unknown> {
  return {
    id: record.id,
    vault: record.vault,
    device: record.device,
    ...(record.member === undefined ? {} : { member: record.member }),
    seq: record.seq,
    prev: record.prev,
    time: timeText(record.time),
    timeMs: record.time,
    event: record.event,
  };
}

/** The records as a JSON array, in the order given. */
export function auditToJson(records: Iterable<AuditRecord>): string {
  return JSON.stringify([...records].map(auditRecordToJson), null, 2);
}
