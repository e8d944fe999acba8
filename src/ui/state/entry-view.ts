/**
 * What the entry view shows, from an entry as the UI reads it (`VisibleEntry`): labels for
 * its kind and, for connections, its type, its fields in the type's order (upkeep fields left
 * out) and its status line. A write-only secret, or a connection's write-only field, arrives
 * without its value and leaves without one: the view has nothing of it to show.
 */
import {
  type ConnectionStatus,
  connectionStatus,
  connectionTypeSpec,
  isUpkeepField,
  missingFields,
} from '../../core/connections';
import type { ConnectionField, ConnectionValue, EntryKind, VisibleEntry } from '../../core/vault';
import { connectionFieldLabel, connectionTypeLabel } from './connection-types';

/** The name of each kind, as the dialog and the view show it. */
export const KIND_LABELS: Readonly<Record<EntryKind, string>> = {
  item: 'Item',
  secret: 'Secret',
  connection: 'Connection',
};

/** What the entry view shows. A write-only secret has no value here at all. */
export type EntryView = {
  readonly name: string;
  readonly kindLabel: string;
  readonly createdAt: number;
  readonly updatedAt: number;
} & (
  | { readonly kind: 'item'; readonly text: string }
  | { readonly kind: 'secret'; readonly writeOnly: true }
  | { readonly kind: 'secret'; readonly writeOnly: false; readonly text: string }
  | {
      readonly kind: 'connection';
      readonly type: string;
      readonly typeLabel: string;
      readonly fields: readonly ConnectionFieldView[];
      /** The value as the UI sees it (write-only values absent), for `connectionStatusLine`. */
      readonly value: ConnectionValue;
      /** Required fields are empty (or, for an unknown type, any field is). */
      readonly missing: boolean;
    }
);

/**
 * One field as the view shows it. `value` is null when the field is empty or write-only
 * (`hidden`: saved, never shown); `required` tells "missing" from "not set".
 */
export interface ConnectionFieldView {
  readonly name: string;
  readonly label: string;
  readonly value: string | null;
  readonly secret: boolean;
  readonly writeOnly: boolean;
  readonly hidden: boolean;
  readonly required: boolean;
}

/** A type's own fields in the type's order (username before password), then the others. */
function fieldOrder(type: string, name: string): number {
  const index = connectionTypeSpec(type)?.fields.findIndex((spec) => spec.name === name) ?? -1;
  return index < 0 ? Number.MAX_SAFE_INTEGER : index;
}

export function entryView(entry: VisibleEntry): EntryView {
  const base = {
    name: entry.name,
    kindLabel: KIND_LABELS[entry.kind],
    createdAt: entry.createdAt,
    updatedAt: entry.updatedAt,
  };
  switch (entry.kind) {
    case 'item':
      return { ...base, kind: 'item', text: JSON.stringify(entry.value, null, 2) };
    case 'secret':
      if (entry.writeOnly) return { ...base, kind: 'secret', writeOnly: true };
      return {
        ...base,
        kind: 'secret',
        writeOnly: false,
        text: typeof entry.value === 'string' ? entry.value : JSON.stringify(entry.value, null, 2),
      };
    case 'connection': {
      const value = visibleConnection(entry.value);
      const known = connectionTypeSpec(value.type);
      const fields = Object.entries(value.fields)
        .filter(([name]) => !isUpkeepField(name))
        .map(([name, field]) => ({
          name,
          label: connectionFieldLabel(value.type, name),
          value: field.value,
          secret: field.secret,
          writeOnly: field.writeOnly === true,
          hidden: field.hidden === true,
          // An unknown type's fields may all be needed; a known type's extra fields are not.
          required: known
            ? (known.fields.find((spec) => spec.name === name)?.required ?? false)
            : true,
        }))
        .sort((a, b) => fieldOrder(value.type, a.name) - fieldOrder(value.type, b.name));
      const missing = known
        ? missingFields(statusInput(value)).length > 0
        : fields.some((field) => field.value === null && !field.hidden);
      return {
        ...base,
        kind: 'connection',
        type: value.type,
        typeLabel: connectionTypeLabel(value.type),
        fields,
        value,
        missing,
      };
    }
  }
}

/**
 * The value with every write-only field that has a value as `hidden`, value dropped. What
 * `visibleEntry` gives is already so; this keeps a value that slipped through out of the view.
 */
function visibleConnection(value: ConnectionValue): ConnectionValue {
  const fields: Record<string, ConnectionField> = {};
  for (const [name, field] of Object.entries(value.fields)) {
    fields[name] =
      field.writeOnly === true && field.value !== null
        ? { value: null, secret: true, writeOnly: true, hidden: true }
        : field;
  }
  return { type: value.type, fields };
}

/**
 * The value `connectionStatus` is asked about: a hidden field has a value (it is only not
 * shown), so it gets a stand-in text, never read, lest it count as missing.
 */
function statusInput(value: ConnectionValue): ConnectionValue {
  const fields: Record<string, ConnectionField> = {};
  for (const [name, field] of Object.entries(value.fields)) {
    fields[name] = field.hidden === true ? { ...field, value: 'saved' } : field;
  }
  return { type: value.type, fields };
}

/** How the status line looks: `danger` for a failed token request, `warning` to act on. */
export type StatusTone = 'ok' | 'warning' | 'danger';

/** The connection's status line, as its details show it. */
export interface ConnectionStatusLine {
  readonly kind: ConnectionStatus['kind'];
  readonly tone: StatusTone;
  readonly text: string;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Local time as HH:MM, with the date (YYYY-MM-DD) before it when it is not `now`'s day. */
export function shortTime(ms: number, now: number): string {
  const at = new Date(ms);
  const today = new Date(now);
  const time = `${pad(at.getHours())}:${pad(at.getMinutes())}`;
  const sameDay =
    at.getFullYear() === today.getFullYear() &&
    at.getMonth() === today.getMonth() &&
    at.getDate() === today.getDate();
  return sameDay
    ? time
    : `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())} ${time}`;
}

/**
 * What a connection's details say about it, from its visible value at `now` (ms):
 * "Missing: Client secret", "Ready", "No access token yet: …", "Access token valid until 14:05
 * (refreshed 13:05)", "Access token expired at …", "Last token request failed (reason, 13:05):
 * message". The stored error's message already says what to do, and holds no value.
 * @example
 * connectionStatusLine(value, Date.now()).text; // 'Access token valid until 14:05 (refreshed 13:05)'
 */
export function connectionStatusLine(value: ConnectionValue, now: number): ConnectionStatusLine {
  const status = connectionStatus(statusInput(visibleConnection(value)), now);
  const time = (ms: number) => shortTime(ms, now);
  switch (status.kind) {
    case 'incomplete':
      return {
        kind: status.kind,
        tone: 'warning',
        text: `Missing: ${status.missing.map((name) => connectionFieldLabel(value.type, name)).join(', ')}`,
      };
    case 'ready':
      return { kind: status.kind, tone: 'ok', text: 'Ready' };
    case 'no-token':
      return {
        kind: status.kind,
        tone: 'ok',
        text: 'No access token yet: one is fetched at the first run',
      };
    case 'valid': {
      const until =
        status.expiresAt === null
          ? 'Access token valid (the provider did not say until when)'
          : `Access token valid until ${time(status.expiresAt)}`;
      const obtained = status.obtainedAt === null ? '' : ` (refreshed ${time(status.obtainedAt)})`;
      const due = status.refreshDue ? ': a new one is fetched at the next run' : '';
      return { kind: status.kind, tone: 'ok', text: `${until}${obtained}${due}` };
    }
    case 'expired':
      return {
        kind: status.kind,
        tone: 'warning',
        text: `Access token expired at ${time(status.expiresAt)}: a new one is fetched at the next run`,
      };
    case 'failed': {
      const at = Date.parse(status.error.at);
      const when = Number.isNaN(at) ? '' : `, ${time(at)}`;
      return {
        kind: status.kind,
        tone: 'danger',
        text: `Last token request failed (${status.error.reason}${when}): ${status.error.message}`,
      };
    }
  }
}
