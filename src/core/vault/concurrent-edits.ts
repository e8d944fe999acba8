/**
 * Finding entries that were edited on two sides while apart, from a remote change as it is
 * applied (docs/sync.md, "Edits made apart").
 *
 * Every key of an entry, and its chain of versions in `history` (entry-doc.ts), is a chain of
 * Yjs items, newest last. A remote change carries its
 * author's knowledge: the Yjs state vector it had when it made the change. If, before the
 * change arrived, one of the entry's keys here ended in an item the author did not know (made
 * here, or by a third device), and the change adds items to that entry, then the entry was
 * edited on both sides without either seeing the other's edit. Both edits are merged by the
 * usual rules; this only says which entries deserve a look.
 *
 * This reads Yjs's item structure (`_map`, `left`, `id`, `length`), which is stable across
 * Yjs 13 but not part of its documented API; tests/unit/vault/concurrent-edits.test.ts pins it.
 */
import * as Y from 'yjs';
import { type EntryId, isEntryId } from '../ids';
import { ENTRIES_MAP, EntryKey, HISTORY_MAP } from './entry-doc';

type StateVector = Map<number, number>;

const isNew = (item: Y.Item, transaction: Y.Transaction): boolean =>
  item.id.clock >= (transaction.beforeState.get(item.id.client) ?? 0);

/**
 * The entry id an item belongs to (a key of the entry, of its connection fields in the older
 * layout, or a version in its chain), if any.
 */
function entryIdOf(
  item: Y.Item,
  entries: Y.Map<unknown>,
  history: Y.Map<unknown>,
): string | undefined {
  let parent = item.parent;
  const chain = parent instanceof Y.Array ? parent._item : null;
  if (chain && chain.parent === history && typeof chain.parentSub === 'string') {
    return chain.parentSub;
  }
  for (let depth = 0; depth < 2; depth++) {
    if (!(parent instanceof Y.AbstractType)) return undefined;
    const owner = parent._item;
    if (!owner) return undefined;
    // `item` sits in an entry's map (depth 0) or in that entry's `fields` map (depth 1).
    if (owner.parent === entries && typeof owner.parentSub === 'string') return owner.parentSub;
    if (owner.parentSub !== EntryKey.fields) return undefined;
    parent = owner.parent;
  }
  return undefined;
}

/** Whether the author knew `head` (the last item of a key or chain), or what came before it. */
function knewLast(
  head: Y.Item | null,
  transaction: Y.Transaction,
  knowledge: StateVector,
): boolean {
  let item = head;
  while (item && isNew(item, transaction)) item = item.left;
  if (!item) return true;
  return (knowledge.get(item.id.client) ?? 0) > item.id.clock + item.length - 1;
}

/** The last item of an entry's chain (deleted ones included: pruning keeps the newest). */
function lastOfChain(chain: unknown): Y.Item | null {
  if (!(chain instanceof Y.Array)) return null;
  let item: Y.Item | null = chain._start;
  while (item?.right) item = item.right;
  return item;
}

/** Whether the author of the change knew every key's last item that was here before it. */
function authorKnewEverything(
  map: Y.Map<unknown>,
  transaction: Y.Transaction,
  knowledge: StateVector,
): boolean {
  for (const head of map._map.values()) {
    let item: Y.Item | null = head;
    while (item && isNew(item, transaction)) item = item.left;
    if (!item) continue;
    const lastClock = item.id.clock + item.length - 1;
    if ((knowledge.get(item.id.client) ?? 0) <= lastClock) return false;
    const content = item.content;
    if (!item.deleted && content instanceof Y.ContentType && content.type instanceof Y.Map) {
      if (!authorKnewEverything(content.type, transaction, knowledge)) return false;
    }
  }
  return true;
}

/**
 * The ids of entries the transaction (a remote change being applied) edited concurrently with
 * something here. `knowledge` gives the author's state vector, decoded; it is asked for only
 * if an entry the change touched was here before (a first sync, all new, never needs it, and
 * working it out of a large checkpoint means decoding all of it).
 */
export function concurrentlyEditedEntries(
  doc: Y.Doc,
  transaction: Y.Transaction,
  knowledge: () => StateVector,
): Set<EntryId> {
  const entries = doc.getMap(ENTRIES_MAP);
  const history = doc.getMap(HISTORY_MAP);
  const touched = new Set<string>();
  for (const [client, after] of transaction.afterState) {
    const before = transaction.beforeState.get(client) ?? 0;
    if (after <= before) continue;
    const structs = doc.store.clients.get(client);
    if (!structs) continue;
    for (let i = Y.findIndexSS(structs, before); i < structs.length; i++) {
      const struct = structs[i]!;
      if (struct.id.clock >= after) break;
      if (!(struct instanceof Y.Item)) continue;
      const id = entryIdOf(struct, entries, history);
      if (id !== undefined) touched.add(id);
    }
  }
  const concurrent = new Set<EntryId>();
  for (const id of touched) {
    const entry = entries.get(id);
    // A key that is not an entry id holds no entry (the entry model reports it as malformed).
    if (!isEntryId(id) || !(entry instanceof Y.Map)) continue;
    // An entry created by this very change has no history here to conflict with.
    if (entry._item && isNew(entry._item, transaction)) continue;
    const known = knowledge();
    const chainKnown = knewLast(lastOfChain(history.get(id)), transaction, known);
    if (!chainKnown || !authorKnewEverything(entry, transaction, known)) concurrent.add(id);
  }
  return concurrent;
}

/** The author's knowledge of a checkpoint: the state vector of the state it carries. */
export function knowledgeOf(update: Uint8Array, stateVector?: Uint8Array): StateVector {
  return Y.decodeStateVector(
    stateVector && stateVector.length > 0 ? stateVector : Y.encodeStateVectorFromUpdate(update),
  );
}
