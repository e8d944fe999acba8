/**
 * What an incoming Yjs update brings that a document lacks, decoded once.
 *
 * Why: sync judges every envelope by what it would add before applying it (team-log.ts
 * `rewrites`, update-roots.ts `rootsTouchedBy`), and each read
 * `Y.decodeUpdate(Y.diffUpdate(update, stateVector))`. `diffUpdate` decodes and re-encodes every
 * struct: for a 10,000-entry envelope opened through the relay, the two reads cost about as much
 * as applying it three times over (measured in Chromium: 3.5 s of B's 10 s profile).
 *
 * How: the update is decoded once; the structs the document already has whole are dropped,
 * which is all `diffUpdate` does when no struct straddles the document's state and no Skip is
 * in the way (else the exact `diffUpdate` path is taken). The result is remembered per update
 * and state vector, so the second judge of the same envelope reads it again for free; callers
 * must treat the structs as read-only. Each update decoded whole also leaves its clock range per
 * client (`updateExtentOf`), which the apply path uses to save an update as it came instead of
 * having Yjs encode what it added again (remote-apply.ts).
 */
import * as Y from 'yjs';

export type UpdateStruct = Y.Item | Y.GC | Y.Skip;

/** `Y.decodeUpdate(Y.diffUpdate(update, Y.encodeStateVector(doc)))`: read-only. */
export interface DecodedNews {
  readonly structs: readonly UpdateStruct[];
  readonly ds: ReturnType<typeof Y.decodeUpdate>['ds'];
}

/** Per client of an update: the first clock it carries and the one after its last. */
export type UpdateExtent = ReadonlyMap<number, { readonly from: number; readonly to: number }>;

const decodedNews = new WeakMap<Uint8Array, { sv: Uint8Array; news: DecodedNews }>();
const extents = new WeakMap<Uint8Array, UpdateExtent>();

/** What `update` would add to `doc` now, decoded (see the module comment). Malformed bytes throw. */
export function decodeNews(doc: Y.Doc, update: Uint8Array): DecodedNews {
  const sv = Y.encodeStateVector(doc);
  const cached = decodedNews.get(update);
  if (cached && sameBytes(cached.sv, sv)) return cached.news;
  const news = decodeAgainst(doc, update, sv);
  decodedNews.set(update, { sv, news });
  return news;
}

/**
 * The clock range per client of an update that `decodeNews` decoded whole (undefined if it did
 * not: the caller then knows nothing of it). Assumes the bytes were not changed since.
 */
export function updateExtentOf(update: Uint8Array): UpdateExtent | undefined {
  return extents.get(update);
}

function decodeAgainst(doc: Y.Doc, update: Uint8Array, sv: Uint8Array): DecodedNews {
  const decoded = Y.decodeUpdate(update);
  const extent = new Map<number, { from: number; to: number }>();
  let exact = true;
  const structs: UpdateStruct[] = [];
  for (const struct of decoded.structs) {
    const { client, clock } = struct.id;
    const range = extent.get(client);
    if (range) range.to = clock + struct.length;
    else extent.set(client, { from: clock, to: clock + struct.length });
    if (!exact) continue;
    if (struct instanceof Y.Skip) {
      exact = false;
      continue;
    }
    const state = Y.getState(doc.store, client);
    // Known whole: diffUpdate leaves it out.
    if (clock + struct.length <= state) continue;
    // Known in part: diffUpdate would cut it at the state.
    if (clock < state) exact = false;
    else structs.push(struct);
  }
  extents.set(update, extent);
  // An empty document lacks everything (Skips included: they only mark gaps).
  if (doc.store.clients.size === 0) return decoded;
  return exact ? { structs, ds: decoded.ds } : Y.decodeUpdate(Y.diffUpdate(update, sv));
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
