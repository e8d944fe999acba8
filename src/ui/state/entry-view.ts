/**
 * What the entry view shows, from an entry as the UI reads it (`VisibleEntry`): labels for
 * its kind and, for connections, its type and fields in the type's order. A write-only secret
 * arrives without its value and leaves without one: the view has nothing of it to show.
 */
import type { EntryKind, VisibleEntry } from '../../core/vault';
import { connectionFieldLabel, connectionTypeLabel, connectionTypeSpec } from './connection-types';

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
    }
);

export interface ConnectionFieldView {
  readonly name: string;
  readonly label: string;
  readonly value: string | null;
  readonly secret: boolean;
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
    case 'connection':
      return {
        ...base,
        kind: 'connection',
        type: entry.value.type,
        typeLabel: connectionTypeLabel(entry.value.type),
        fields: Object.entries(entry.value.fields)
          .map(([name, field]) => ({
            name,
            label: connectionFieldLabel(entry.value.type, name),
            value: field.value,
            secret: field.secret,
          }))
          .sort(
            (a, b) => fieldOrder(entry.value.type, a.name) - fieldOrder(entry.value.type, b.name),
          ),
      };
  }
}
