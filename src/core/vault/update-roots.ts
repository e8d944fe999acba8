/**
 * Which root types of a vault document an incoming Yjs update would change.
 *
 * Why: sync judges an envelope by the parts of the document it would change, before it touches
 * the document. A device's role decides which root maps it may change (a viewer may only add to
 * 'team' and 'audit', …), and once an update is applied it cannot be taken back, so the check
 * has to read the update against the current document without applying it.
 *
 * How: the update is first reduced to what `doc` lacks (`Y.diffUpdate` with doc's state vector),
 * then each new item is placed the way Yjs would place it on integration (`Item.getMissing`):
 * by its parent (a root name, or the id of a type item), else by its origin / right origin,
 * found in the update itself or in doc's store (binary search, no walk of the store). Each
 * delete-set range counts the roots of the live items it covers in doc; ranges past doc's state
 * must be covered by the update.
 *
 * Deliberate choices:
 * - Conservative where Yjs would quietly drop the effect: an item added under a type that is
 *   deleted (but not garbage collected) in doc still counts for its root.
 * - Items Yjs would turn into garbage (their origin, right origin or parent is garbage
 *   collected in doc, or the parent is not a type) touch nothing, as in Yjs.
 * - Structs Yjs would hold as pending (they build on ids in neither doc nor the update, or they
 *   follow a gap in their client's clocks) make the result `resolved: false`; the roots that
 *   could be placed are still listed. So are deletions of ids in neither. `doc`'s own pending structs are not consulted: a caller that holds
 *   unresolved updates never lets Yjs keep any.
 * - Malformed bytes throw (whatever Yjs' decoder throws, or an Error for a client written in
 *   two separate blocks, which Yjs would silently half-drop).
 */
import * as Y from 'yjs';
import { decodeNews } from './update-news';

/** Which top-level (root) shared types of `doc` a Yjs v1 update would change if applied now. */
export type UpdateRoots =
  | { readonly resolved: true; readonly roots: ReadonlySet<string> }
  /** Some change's place cannot be told yet (it builds on items neither in `doc` nor in the update): hold and retry later. */
  | { readonly resolved: false; readonly roots: ReadonlySet<string> };

type Struct = Y.Item | Y.GC | Y.Skip;
// biome-ignore lint/suspicious/noExplicitAny: Yjs types are generic over their event type.
type AnyType = Y.AbstractType<any>;

/** The item integrates as garbage (or is not a type, when asked as a parent): touches nothing. */
const NONE = 0;
/** The item builds on something that is neither in doc nor (placeable) in the update. */
const UNKNOWN = 1;
/** A root name, or one of the two markers above. */
type Place = string | typeof NONE | typeof UNKNOWN;

export function rootsTouchedBy(doc: Y.Doc, update: Uint8Array): UpdateRoots {
  // Only what doc lacks counts (decoded once, shared with the log's check: update-news.ts).
  const { structs, ds } = decodeNews(doc, update);
  const byClient = indexByClient(structs);
  const reader = new Placer(doc, byClient);
  const roots = new Set<string>();
  // Yjs integrates a client's structs in clock order only: after a gap (from doc's state, or a
  // Skip) it holds the rest as pending. Their places are still told, for the caller's judgement.
  let resolved = !hasGap(doc, byClient);
  const note = (place: Place): void => {
    if (place === UNKNOWN) resolved = false;
    else if (place !== NONE) roots.add(place);
  };

  for (const struct of structs) {
    if (struct instanceof Y.Item) note(reader.placeOf(struct));
  }

  const store = doc.store;
  for (const [client, deletes] of ds.clients) {
    const docStructs = store.clients.get(client);
    const state = docStructs ? stateOf(docStructs) : 0;
    for (const { clock, len } of deletes) {
      const end = clock + len;
      if (docStructs && clock < state) {
        for (let i = Y.findIndexSS(docStructs, clock); i < docStructs.length; i++) {
          const struct = docStructs[i]!;
          if (struct.id.clock >= end) break;
          if (!struct.deleted && struct instanceof Y.Item) {
            note(reader.rootOfType(struct.parent as AnyType));
          }
        }
      }
      // The rest must be items the update brings (their roots are counted above); else Yjs would
      // keep the deletion pending.
      if (end > state && !reader.updateCovers(client, Math.max(clock, state), end)) {
        resolved = false;
      }
    }
  }

  return resolved ? { resolved: true, roots } : { resolved: false, roots };
}

function hasGap(doc: Y.Doc, byClient: ReadonlyMap<number, readonly Struct[]>): boolean {
  for (const [client, structs] of byClient) {
    if (structs[0]!.id.clock > Y.getState(doc.store, client)) return true;
    for (let i = 0; i < structs.length - 1; i++) {
      if (structs[i] instanceof Y.Skip) return true;
    }
  }
  return false;
}

function stateOf(structs: readonly (Y.Item | Y.GC)[]): number {
  const last = structs[structs.length - 1];
  return last ? last.id.clock + last.length : 0;
}

/** The update's structs by client, in clock order (one contiguous run per client). */
function indexByClient(structs: readonly Struct[]): Map<number, Struct[]> {
  const byClient = new Map<number, Struct[]>();
  let current: Struct[] | undefined;
  let currentClient = -1;
  for (const struct of structs) {
    const client = struct.id.client;
    if (current === undefined || client !== currentClient) {
      if (byClient.has(client)) {
        throw new Error(`malformed update: client ${client} is written in two separate blocks`);
      }
      current = [];
      currentClient = client;
      byClient.set(client, current);
    } else {
      const last = current[current.length - 1]!;
      if (last.id.clock + last.length !== struct.id.clock) {
        throw new Error(`malformed update: client ${client} has non-contiguous structs`);
      }
    }
    current.push(struct);
  }
  return byClient;
}

/** Index of the struct in `structs` (contiguous, clock order) that holds `clock`, or -1. */
function findIn(structs: readonly Struct[], clock: number): number {
  let lo = 0;
  let hi = structs.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const struct = structs[mid]!;
    if (clock < struct.id.clock) hi = mid - 1;
    else if (clock >= struct.id.clock + struct.length) lo = mid + 1;
    else return mid;
  }
  return -1;
}

class Placer {
  private readonly places = new Map<Y.Item, Place>();
  private readonly typeRoots = new Map<AnyType, string>();

  constructor(
    private readonly doc: Y.Doc,
    private readonly updateStructs: ReadonlyMap<number, Struct[]>,
  ) {}

  /** The root of a type integrated in doc. */
  rootOfType(type: AnyType): string {
    const known = this.typeRoots.get(type);
    if (known !== undefined) return known;
    let top = type;
    while (top._item !== null) top = top._item.parent as AnyType;
    const root = Y.findRootTypeKey(top);
    this.typeRoots.set(type, root);
    return root;
  }

  /** Whether the update holds real structs (no Skip) for every clock in [from, to) of client. */
  updateCovers(client: number, from: number, to: number): boolean {
    const structs = this.updateStructs.get(client);
    if (!structs) return false;
    let i = findIn(structs, from);
    if (i < 0) return false;
    for (; i < structs.length; i++) {
      const struct = structs[i]!;
      if (struct instanceof Y.Skip) return false;
      if (struct.id.clock + struct.length >= to) return true;
    }
    return false;
  }

  /** Where an item of the update would land, computed without recursion (chains can be long). */
  placeOf(item: Y.Item): Place {
    const done = this.places.get(item);
    if (done !== undefined) return done;
    const first = this.step(item);
    if (!(first instanceof Y.Item)) {
      // The common case: everything it builds on is in doc or already placed.
      this.places.set(item, first);
      return first;
    }
    const stack: Y.Item[] = [item];
    const started = new Set<Y.Item>(stack);
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      if (this.places.has(top)) {
        stack.pop();
        continue;
      }
      const step = this.step(top);
      if (step instanceof Y.Item) {
        if (started.has(step)) {
          // A reference cycle: Yjs could never integrate it; it would stay pending.
          this.places.set(top, UNKNOWN);
          stack.pop();
        } else {
          started.add(step);
          stack.push(step);
        }
      } else {
        this.places.set(top, step);
        stack.pop();
      }
    }
    return this.places.get(item)!;
  }

  /**
   * The struct at `id`: from doc's store if doc has that clock, else from the update; undefined
   * when neither has it (or the update has only a Skip there).
   */
  private find(id: Y.ID): { struct: Y.Item | Y.GC; inDoc: boolean } | undefined {
    const docStructs = this.doc.store.clients.get(id.client);
    if (docStructs && id.clock < stateOf(docStructs)) {
      return { struct: docStructs[Y.findIndexSS(docStructs, id.clock)]!, inDoc: true };
    }
    const structs = this.updateStructs.get(id.client);
    const i = structs ? findIn(structs, id.clock) : -1;
    const struct = i >= 0 ? structs![i]! : undefined;
    if (struct === undefined || struct instanceof Y.Skip) return undefined;
    return { struct, inDoc: false };
  }

  /**
   * Place of a neighbour (origin / right origin): its root if it is an item, NONE if it is
   * garbage, UNKNOWN if absent, or an update item whose place must be found first.
   */
  private neighbour(id: Y.ID): Place | Y.Item {
    const found = this.find(id);
    if (found === undefined) return UNKNOWN;
    const { struct, inDoc } = found;
    if (!(struct instanceof Y.Item)) return NONE;
    if (inDoc) return this.rootOfType(struct.parent as AnyType);
    return this.places.get(struct) ?? struct;
  }

  /** Place of the children of the type item at `id`. */
  private parentType(id: Y.ID): Place | Y.Item {
    const found = this.find(id);
    if (found === undefined) return UNKNOWN;
    const { struct, inDoc } = found;
    if (!(struct instanceof Y.Item)) return NONE;
    const isType = struct.content instanceof Y.ContentType;
    if (inDoc) return isType ? this.rootOfType((struct.content as Y.ContentType).type) : NONE;
    const place = this.places.get(struct);
    if (place === undefined) return struct;
    // A non-type parent makes the child garbage, once that parent is there at all.
    return isType || place === UNKNOWN ? place : NONE;
  }

  /** The place of `item`, or an unplaced update item it depends on. Mirrors Item.getMissing. */
  private step(item: Y.Item): Place | Y.Item {
    const left = item.origin ? this.neighbour(item.origin) : null;
    if (left instanceof Y.Item) return left;
    const right = item.rightOrigin ? this.neighbour(item.rightOrigin) : null;
    if (right instanceof Y.Item) return right;
    const parent = item.parent as unknown;
    let byParent: Place | Y.Item | null = null;
    if (typeof parent === 'string') byParent = parent;
    else if (parent instanceof Y.ID) byParent = this.parentType(parent);
    if (byParent instanceof Y.Item) return byParent;

    // Yjs first waits for everything the item refers to ...
    if (left === UNKNOWN || right === UNKNOWN || byParent === UNKNOWN) return UNKNOWN;
    // ... then drops it as garbage next to garbage ...
    if (left === NONE || right === NONE) return NONE;
    // ... else takes the parent from the item itself, or from its left, or its right neighbour.
    return byParent ?? left ?? right ?? NONE;
  }
}
