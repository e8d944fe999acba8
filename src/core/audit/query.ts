/**
 * The audit view's query: filters, newest first, pages. Records are the verified ones
 * (`AuditVerification.records`); "newest" is by the author's clock, which is what a person
 * reading the log expects, and only orders the display.
 */
import type { DeviceId } from '../ids';
import { AuditInputError } from './errors';
import type { AuditAction, AuditMemberRef, AuditRecord } from './types';

export interface AuditFilter {
  /** The author's member. */
  readonly member?: AuditMemberRef;
  /** The author device. */
  readonly device?: DeviceId;
  /** Any of these actions. */
  readonly actions?: readonly AuditAction[];
  /** Records that name this entry (as its subject, old or new name, or as read by a run). */
  readonly entry?: string;
  /** From this time, inclusive (milliseconds since the epoch, by the record's time). */
  readonly from?: number;
  /** Up to this time, exclusive. */
  readonly to?: number;
}

/** Where a page ended: pass it back to get the next. Opaque. */
export type AuditCursor = string & { readonly __brand: 'AuditCursor' };

export type AuditPageRequest =
  | { readonly limit: number; readonly cursor?: AuditCursor }
  | { readonly limit: number; readonly offset: number };

export interface AuditPage {
  readonly records: readonly AuditRecord[];
  /** How many records match the filter, on all pages. */
  readonly total: number;
  /** The cursor of the next page; null on the last. */
  readonly next: AuditCursor | null;
}

/** The entry names a record mentions. */
export function entriesNamedBy(record: AuditRecord): readonly string[] {
  const event = record.event;
  switch (event.action) {
    case 'secret-shown':
    case 'secret-copied':
    case 'entry-created':
    case 'entry-changed':
    case 'entry-deleted':
      return [event.entry];
    case 'entry-renamed':
      return [event.from, event.to];
    case 'integration-run':
      return event.entries;
    default:
      return [];
  }
}

export function matchesAuditFilter(record: AuditRecord, filter: AuditFilter): boolean {
  return (
    (filter.member === undefined || record.member === filter.member) &&
    (filter.device === undefined || record.device === filter.device) &&
    (filter.actions === undefined || filter.actions.includes(record.event.action)) &&
    (filter.entry === undefined || entriesNamedBy(record).includes(filter.entry)) &&
    (filter.from === undefined || record.time >= filter.from) &&
    (filter.to === undefined || record.time < filter.to)
  );
}

/** Newest first; records of one time by device, then later seq first, then id. */
function newestFirst(a: AuditRecord, b: AuditRecord): number {
  if (a.time !== b.time) return b.time - a.time;
  if (a.device !== b.device) return a.device < b.device ? -1 : 1;
  if (a.seq !== b.seq) return b.seq - a.seq;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

// A cursor is the sort key of the page's last record; the ids in it are base64url, so "." never
// occurs inside a part.
const cursorOf = (record: AuditRecord) =>
  `${record.time}.${record.device}.${record.seq}.${record.id}` as AuditCursor;

function afterCursor(cursor: AuditCursor): (record: AuditRecord) => boolean {
  const parts = typeof cursor === 'string' ? cursor.split('.') : [];
  const time = Number(parts[0]);
  const seq = Number(parts[2]);
  if (parts.length !== 4 || !Number.isSafeInteger(time) || !Number.isSafeInteger(seq)) {
    throw new AuditInputError('cursor', 'not a cursor this query returned');
  }
  const key = { time, device: parts[1] as DeviceId, seq, id: parts[3] } as AuditRecord;
  return (record) => newestFirst(record, key) > 0;
}

/**
 * Filters, sorts newest first and returns one page.
 * @example
 * const first = queryAuditLog(result.records, { actions: ['secret-shown'] }, { limit: 50 });
 * const second = queryAuditLog(result.records, {}, { limit: 50, cursor: first.next! });
 */
export function queryAuditLog(
  records: Iterable<AuditRecord>,
  filter: AuditFilter,
  page: AuditPageRequest,
): AuditPage {
  if (!Number.isSafeInteger(page.limit) || page.limit < 1) {
    throw new AuditInputError('limit', 'a whole number, at least 1');
  }
  const matching = [...records].filter((record) => matchesAuditFilter(record, filter));
  matching.sort(newestFirst);
  let start = 0;
  if ('offset' in page) {
    if (!Number.isSafeInteger(page.offset) || page.offset < 0) {
      throw new AuditInputError('offset', 'a whole number, at least 0');
    }
    start = page.offset;
  } else if (page.cursor !== undefined) {
    const after = afterCursor(page.cursor);
    start = matching.findIndex(after);
    if (start < 0) start = matching.length;
  }
  const slice = matching.slice(start, start + page.limit);
  const last = slice.at(-1);
  const more = start + slice.length < matching.length;
  return { records: slice, total: matching.length, next: more && last ? cursorOf(last) : null };
}
