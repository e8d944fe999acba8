/**
 * A deep copy of a vault's content maps (CONTENT_MAPS: meta, entries, history, deleted) into a
 * fresh Yjs document: what a backup carries of a vault. Only Y.Map, Y.Array and plain values
 * are expected there; whatever they hold comes along, so a map another module fills (the
 * history) needs nothing here. Members, the team log, key epochs and the audit log are not
 * copied: they belong to the vault's devices, and a restored vault is a new vault.
 */
import * as Y from 'yjs';

/** The names of the top-level maps that hold a vault's content (src/core/vault/entry-doc.ts). */
export const BACKUP_CONTENT_MAPS: readonly string[] = ['meta', 'entries', 'history', 'deleted'];

type Plain = unknown;

function copyValue(value: unknown): Plain {
  if (value instanceof Y.Map) {
    const copy = new Y.Map<unknown>();
    for (const [key, inner] of value.entries()) copy.set(key, copyValue(inner));
    return copy;
  }
  if (value instanceof Y.Array) {
    const copy = new Y.Array<unknown>();
    copy.push(value.toArray().map(copyValue));
    return copy;
  }
  if (value instanceof Y.AbstractType) {
    // Y.Text, Y.Xml*: no content map holds one today. Refusing is better than losing it quietly.
    throw new TypeError(`a vault content map holds a ${value.constructor.name}, not copied`);
  }
  // Plain JSON (and Uint8Array, which Yjs stores as is): immutable once stored, shared safely.
  return value;
}

/**
 * A new document holding copies of `from`'s content maps, and nothing else.
 * @example
 * const update = Y.encodeStateAsUpdate(copyContent(vaultDoc));
 */
export function copyContent(from: Y.Doc, maps: readonly string[] = BACKUP_CONTENT_MAPS): Y.Doc {
  const to = new Y.Doc();
  to.transact(() => {
    for (const name of maps) {
      const source = from.getMap<unknown>(name);
      const target = to.getMap<unknown>(name);
      for (const [key, value] of source.entries()) target.set(key, copyValue(value));
    }
  });
  return to;
}

/** The top-level names in a document that are not content maps (none, in a backup's). */
export function foreignRoots(doc: Y.Doc, maps: readonly string[] = BACKUP_CONTENT_MAPS): string[] {
  return [...doc.share.keys()].filter((name) => !maps.includes(name));
}
