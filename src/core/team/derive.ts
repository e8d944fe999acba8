/**
 * The membership state from a set of operations: the same set gives the same state on every
 * device, whatever order the operations arrived in, and no clock is consulted.
 *
 * 1. Verify each record: layout, signature, and that its key is its body's hash. Records that
 *    fail are refused and are not part of the graph (an operation naming one as parent waits).
 * 2. An operation whose parents are not all known (or wait themselves) is held, not judged.
 * 3. The rest is a DAG. It is put in one order by repeatedly taking, among the operations whose
 *    parents are all taken, the one whose author has (1) the higher role in the state so far,
 *    then (2) a removal (remove-member, remove-device, leave) before anything else, then
 *    (3) the lower id, as bytes.
 * 4. Each operation in that order is applied if its author may do it both at the state of its
 *    own ancestors (what it was written against, derived by the same rule from them alone) and
 *    at the state so far; otherwise it is refused with the reason, and still counts as taken,
 *    so its children are judged on their own.
 *
 * The state of an operation's ancestors is memoized per operation: for one parent it is that
 * parent's state after it (the parent is necessarily last in its own ancestry); only merges
 * (several parents) order their ancestry again. Cost: linear in the log for a chain, about
 * quadratic with many merges; a membership log is small (hundreds of operations).
 */
import { fromBase64url } from '../crypto';
import type { DeviceId, VaultId } from '../ids';
import { type AuthorizationRefusal, mayDo } from './authorize';
import { decodeOperation } from './decode';
import { TeamOperationError, type TeamOperationProblem } from './errors';
import type { OperationId } from './ids';
import {
  isVerifiedOperation,
  type Operation,
  type OperationKind,
  type SignedOperation,
} from './operation';
import { rankOf } from './roles';
import { activeMemberOf, applyOperation, emptyRoster, type Removal, type Roster } from './roster';

/** An operation as kept: its id (the key it is stored under) and its wire bytes. */
/**
 * Records that are SignedOperations returned by createOperation or decodeOperation are not
 * verified again (they were when made, and are frozen); anything else is decoded and verified.
 */
export interface StoredOperation {
  readonly id: string;
  readonly bytes: Uint8Array;
}

/** What a vault's log is anchored to: its id, and the one genesis it accepts. */
export interface TeamAnchor {
  readonly vault: VaultId;
  /** Any other genesis, however well signed, is refused: anyone can sign one. */
  readonly genesis: OperationId;
}

export type DeriveRefusal =
  | AuthorizationRefusal
  | TeamOperationProblem
  | 'wrong-id' // stored under a key that is not its body's hash
  | 'wrong-vault' // signed for another vault
  | 'not-the-genesis'; // a genesis other than the anchor's

export interface RefusedOperation {
  readonly id: string;
  readonly reason: DeriveRefusal;
  /**
   * 'verify': the record itself is wrong; 'written': its author could not do it at the state
   * it was written against; 'applied': it was allowed there, but not any more when applied.
   */
  readonly stage: 'verify' | 'written' | 'applied';
}

export interface HeldOperation {
  readonly id: OperationId;
  /** Its parents not yet known, or held themselves. */
  readonly waitingFor: readonly OperationId[];
}

export interface TeamState extends Roster {
  readonly anchor: TeamAnchor;
  /** Every verified operation, by id (applied, refused or held). */
  readonly operations: ReadonlyMap<OperationId, SignedOperation>;
  /** The order operations were judged in (applied and refused), from the genesis. */
  readonly order: readonly OperationId[];
  readonly applied: ReadonlySet<OperationId>;
  /** Sorted by id, then reason. */
  readonly refused: readonly RefusedOperation[];
  /** Sorted by id. */
  readonly held: readonly HeldOperation[];
  /** Judged operations that no judged operation names as a parent: a new one's parents. */
  readonly heads: readonly OperationId[];
  /** In the order above: what must start a new key epoch. */
  readonly removals: readonly Removal[];
}

const removalKinds: ReadonlySet<OperationKind> = new Set([
  'remove-member',
  'remove-device',
  'leave',
]);

interface Node {
  readonly id: OperationId;
  readonly hex: string;
  readonly operation: Operation;
  /** Refused whatever the state: another vault, or not the anchor's genesis. */
  readonly verdict?: 'wrong-vault' | 'not-the-genesis';
}

const hexOf = (id: string) =>
  Array.from(fromBase64url(id), (b) => b.toString(16).padStart(2, '0')).join('');

interface Run {
  roster: Roster;
  readonly order: OperationId[];
  readonly refused: RefusedOperation[];
  readonly removals: Removal[];
}

/**
 * Derives the membership state from `records` (any order, duplicates allowed). Never throws
 * for bad records: they are refused, with a reason.
 * @example
 * const state = deriveTeam(storedOps, { vault, genesis });
 * mayOnEntries(state, envelope.author, 'update');
 */
export function deriveTeam(records: Iterable<StoredOperation>, anchor: TeamAnchor): TeamState {
  const nodes = new Map<OperationId, Node>();
  const operations = new Map<OperationId, SignedOperation>();
  const failures = new Map<string, RefusedOperation>();
  for (const record of records) {
    let signed: SignedOperation;
    try {
      // Decoded or made here already: verified then, frozen since (operation.ts).
      signed = isVerifiedOperation(record) ? record : decodeOperation(record.bytes);
    } catch (error) {
      if (!(error instanceof TeamOperationError)) throw error;
      const key = `${record.id}\u0000${error.problem}`;
      failures.set(key, { id: record.id, reason: error.problem, stage: 'verify' });
      continue;
    }
    if (signed.id !== record.id) {
      failures.set(`${record.id}\u0000wrong-id`, {
        id: record.id,
        reason: 'wrong-id',
        stage: 'verify',
      });
      continue;
    }
    if (nodes.has(signed.id)) continue;
    const { operation } = signed;
    const verdict =
      operation.vault !== anchor.vault
        ? 'wrong-vault'
        : operation.kind === 'genesis' && signed.id !== anchor.genesis
          ? 'not-the-genesis'
          : undefined;
    operations.set(signed.id, signed);
    nodes.set(signed.id, {
      id: signed.id,
      hex: hexOf(signed.id),
      operation,
      ...(verdict && { verdict }),
    });
  }
  // A genuine copy of an operation wins over a damaged one under the same key.
  for (const [key, failure] of failures) {
    if (nodes.has(failure.id as OperationId)) failures.delete(key);
  }

  // Kahn's order over known parents: what it never reaches is held.
  const children = new Map<OperationId, OperationId[]>();
  const pending = new Map<OperationId, number>();
  const topo: OperationId[] = [];
  for (const node of nodes.values()) {
    const known = node.operation.parents.filter((p) => nodes.has(p));
    pending.set(node.id, node.operation.parents.length);
    for (const parent of known) children.set(parent, [...(children.get(parent) ?? []), node.id]);
    if (node.operation.parents.length === 0) topo.push(node.id);
  }
  for (let i = 0; i < topo.length; i++) {
    for (const child of children.get(topo[i]!) ?? []) {
      const left = pending.get(child)! - 1;
      pending.set(child, left);
      if (left === 0) topo.push(child);
    }
  }
  const judged = new Set(topo);
  const held: HeldOperation[] = [...nodes.values()]
    .filter((node) => !judged.has(node.id))
    .sort((a, b) => (a.hex < b.hex ? -1 : 1))
    .map((node) => ({
      id: node.id,
      waitingFor: node.operation.parents.filter((p) => !judged.has(p)),
    }));

  // The state each operation was written against (`before`), and the state just after it.
  const before = new Map<OperationId, Roster>();
  const after = new Map<OperationId, Roster>();
  const merges = new Map<string, Roster>();

  const judge = (run: Run, node: Node, record: boolean): void => {
    const { operation } = node;
    let refusal: RefusedOperation | undefined;
    if (node.verdict) {
      refusal = { id: node.id, reason: node.verdict, stage: 'verify' };
    } else {
      const written = mayDo(before.get(node.id)!, operation.author, operation);
      const now = written.allowed ? mayDo(run.roster, operation.author, operation) : written;
      if (!written.allowed) refusal = { id: node.id, reason: written.reason, stage: 'written' };
      else if (!now.allowed) refusal = { id: node.id, reason: now.reason, stage: 'applied' };
    }
    if (record) run.order.push(node.id);
    if (refusal) {
      if (record) run.refused.push(refusal);
      return;
    }
    const next = applyOperation(run.roster, node.id, operation);
    run.roster = next.roster;
    if (record && next.removal) run.removals.push(next.removal);
  };

  /** Orders a down-closed set of operations by the rule above and judges each in turn. */
  const linearize = (set: ReadonlySet<OperationId>, record: boolean): Run => {
    const run: Run = { roster: emptyRoster, order: [], refused: [], removals: [] };
    const waiting = new Map<OperationId, number>();
    const ready: Node[] = [];
    for (const id of set) {
      const count = nodes.get(id)!.operation.parents.length;
      waiting.set(id, count);
      if (count === 0) ready.push(nodes.get(id)!);
    }
    const rank = (node: Node) => {
      const member = activeMemberOf(run.roster, node.operation.author);
      return member ? rankOf(member.role) : 0;
    };
    const first = (a: Node, b: Node): boolean => {
      const ra = rank(a);
      const rb = rank(b);
      if (ra !== rb) return ra > rb;
      const xa = removalKinds.has(a.operation.kind);
      const xb = removalKinds.has(b.operation.kind);
      if (xa !== xb) return xa;
      return a.hex < b.hex;
    };
    while (ready.length > 0) {
      let best = 0;
      for (let i = 1; i < ready.length; i++) if (first(ready[i]!, ready[best]!)) best = i;
      const node = ready.splice(best, 1)[0]!;
      judge(run, node, record);
      for (const child of children.get(node.id) ?? []) {
        if (!set.has(child)) continue;
        const left = waiting.get(child)! - 1;
        waiting.set(child, left);
        if (left === 0) ready.push(nodes.get(child)!);
      }
    }
    return run;
  };

  const ancestryOf = (parents: readonly OperationId[]): Set<OperationId> => {
    const seen = new Set<OperationId>();
    const stack = [...parents];
    while (stack.length > 0) {
      const id = stack.pop()!;
      if (seen.has(id)) continue;
      seen.add(id);
      stack.push(...nodes.get(id)!.operation.parents);
    }
    return seen;
  };

  const stateOf = (parents: readonly OperationId[]): Roster => {
    if (parents.length === 0) return emptyRoster;
    if (parents.length === 1) return after.get(parents[0]!)!;
    const key = parents.join(',');
    let roster = merges.get(key);
    if (!roster) {
      roster = linearize(ancestryOf(parents), false).roster;
      merges.set(key, roster);
    }
    return roster;
  };

  for (const id of topo) {
    const node = nodes.get(id)!;
    const roster = stateOf(node.operation.parents);
    before.set(id, roster);
    const run: Run = { roster, order: [], refused: [], removals: [] };
    judge(run, node, false);
    after.set(id, run.roster);
  }

  const top = linearize(judged, true);
  const refusedIds = new Set<string>(top.refused.map((r) => r.id));
  const named = new Set<OperationId>();
  for (const id of judged) for (const p of nodes.get(id)!.operation.parents) named.add(p);
  const heads = [...judged]
    .filter((id) => !named.has(id))
    .sort((a, b) => (nodes.get(a)!.hex < nodes.get(b)!.hex ? -1 : 1));
  const refused = [...failures.values(), ...top.refused].sort((a, b) =>
    a.id < b.id ? -1 : a.id > b.id ? 1 : a.reason < b.reason ? -1 : a.reason > b.reason ? 1 : 0,
  );
  return {
    anchor,
    members: top.roster.members,
    devices: top.roster.devices,
    operations,
    order: top.order,
    applied: new Set(top.order.filter((id) => !refusedIds.has(id))),
    refused,
    held,
    heads,
    removals: top.removals,
  };
}

/** The device ids of a state that may still write, for quick checks. */
export const activeDevices = (state: Roster): DeviceId[] =>
  [...state.devices.values()].filter((d) => activeMemberOf(state, d.id)).map((d) => d.id);
