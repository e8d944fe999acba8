/**
 * The JSON export: one object, entry name -> its exact JSON value (items and secrets as they
 * are; a connection as an object of its fields' values). Coffer's JSON importer reads it back
 * to the same values, one entry per top-level key.
 */
import type { JsonValue } from '../../vault';
import { connectionObject, type Exportable } from './select';

/**
 * The JSON text for these entries, two-space indented, with a final newline.
 * @example
 * formatJson([{ name: 'port', input: { kind: 'item', value: 8080 } }]); // '{\n  "port": 8080\n}\n'
 */
export function formatJson(entries: readonly Exportable[]): string {
  // No prototype: an entry's name is data, never a property of Object.prototype.
  const out: Record<string, JsonValue> = Object.create(null);
  for (const { name, input } of entries) {
    out[name] = input.kind === 'connection' ? connectionObject(input.value) : input.value;
  }
  return `${JSON.stringify(out, null, 2)}\n`;
}
