/**
 * Retention: keeping a vault's audit log bounded while what is kept still verifies.
 *
 * Trimming drops the oldest records of chains, never a record in the middle of one, and adds
 * ONE signed `trimmed` record, from the trimming device, that states for each chain whose start
 * is gone where it was cut (the id of the last record dropped and how many were, up to it). A
 * verifier accepts a chain that starts after a missing record only when such a record, signed by
 * a member device, names that missing record; anything else is a gap. The new trim record
 * restates every cut still in force, so older trim records may themselves be dropped later.
 *
 * What may be trimmed of a chain is its first clean run: from its start (the first record, or
 * the first after a trim) along single successors. Records after a gap stay: they are evidence.
 * So the count limit is best effort when a chain has a gap.
 *
 * Age is read from each record's `time`, the author's clock: it only chooses which prefix of a
 * chain goes (a record with a future time keeps itself and what follows it; one in the past
 * loses only its author's records), and the count limit bounds the rest.
 */

import type { DeviceIdentity } from '../device';
import type { DeviceId, VaultId } from '../ids';
import { AuditInputError } from './errors';
import { writeTrimRecord } from './record';
import type {
  AuditChainHead,
  AuditMemberRef,
  AuditRecord,
  AuditRecordId,
  TrimmedChain,
} from './types';
import { type AuditVerification, append, type TrimClaim, trimsOf } from './verify';

export interface RetentionPolicy {
  /** Records older than this (by their time) are dropped. */
  readonly maxAgeMs: number;
  /** At most this many records in the vault's log, the trim record included. */
  readonly maxRecords: number;
}

/** One year or 20,000 records per vault, whichever comes first (issue 15). */
export const defaultRetention: RetentionPolicy = {
  maxAgeMs: 365 * 24 * 60 * 60 * 1000,
  maxRecords: 20_000,
};

export interface TrimOptions {
  /** The trimming device (a member: a trim by anyone else explains nothing). */
  readonly identity: DeviceIdentity;
  /** The trimming device's own chain head, as its writer keeps it (null: none yet). */
  readonly head: AuditChainHead | null;
  readonly vault: VaultId;
  readonly member?: AuditMemberRef;
  /** Now, from the injected clock: ages are measured from it, and the trim record's time. */
  readonly now: number;
  readonly policy?: RetentionPolicy;
}

export interface TrimResult {
  /** The records to keep: the verified ones not dropped, and the trim record. */
  readonly keep: readonly AuditRecord[];
  /** Ids of the records to delete. */
  readonly drop: readonly AuditRecordId[];
  /** The trim record to add (null: nothing was due, nothing changes). */
  readonly trim: AuditRecord | null;
}

function checkPolicy(policy: RetentionPolicy): void {
  if (!Number.isSafeInteger(policy.maxAgeMs) || policy.maxAgeMs < 1) {
    throw new AuditInputError('policy.maxAgeMs', 'a whole number of milliseconds, at least 1');
  }
  if (!Number.isSafeInteger(policy.maxRecords) || policy.maxRecords < 2) {
    throw new AuditInputError('policy.maxRecords', 'a whole number, at least 2');
  }
}

/** A chain's first clean run, oldest first: what a trim may take a prefix of. */
function runOf(records: readonly AuditRecord[], claims: readonly TrimClaim[]): AuditRecord[] {
  const byId = new Set(records.map((record) => record.id));
  const successors = new Map<string, AuditRecord[]>();
  for (const record of records) {
    const key = record.prev ?? '';
    append(successors, key, record);
  }
  const start = records.find(
    (record) =>
      record.prev === null ||
      (!byId.has(record.prev) && claims.some((claim) => claim.lastDropped === record.prev)),
  );
  const run: AuditRecord[] = [];
  for (let at = start; at !== undefined; ) {
    run.push(at);
    const next = successors.get(at.id) ?? [];
    at = next.length === 1 ? next[0] : undefined;
  }
  return run;
}

/**
 * Plans and signs a trim of a verified log under a retention policy.
 * @example
 * const result = trimAuditLog(verifyAuditLog(stored, { vault, members }), {
 *   identity: device, head, vault, now: clock(),
 * });
 * if (result.trim) { await store.replace(result.drop, result.trim); head = headOf(result.trim); }
 */
export function trimAuditLog(verification: AuditVerification, options: TrimOptions): TrimResult {
  const policy = options.policy ?? defaultRetention;
  checkPolicy(policy);
  if (!Number.isSafeInteger(options.now) || options.now < 0) {
    throw new AuditInputError('now', 'milliseconds since the epoch, an integer from 0');
  }
  const records = verification.records;
  const claims = trimsOf(records);
  const byDevice = new Map<DeviceId, AuditRecord[]>();
  for (const record of records) {
    append(byDevice, record.device, record);
  }
  const runs = new Map<DeviceId, AuditRecord[]>();
  for (const [device, chain] of byDevice) runs.set(device, runOf(chain, claims.get(device) ?? []));

  // How many of each run's oldest records go.
  const cut = new Map<DeviceId, number>();
  const cutoff = options.now - policy.maxAgeMs;
  for (const [device, run] of runs) {
    let n = 0;
    while (n < run.length && run[n]!.time < cutoff) n++;
    cut.set(device, n);
  }
  let total = records.length - [...cut.values()].reduce((sum, n) => sum + n, 0);
  // The count limit: the oldest next record among the runs goes, until the log and its trim
  // record fit. Ties go by device and seq, so every device would choose the same.
  while (total + 1 > policy.maxRecords) {
    let oldest: AuditRecord | undefined;
    for (const [device, run] of runs) {
      const next = run[cut.get(device)!];
      if (
        next &&
        (!oldest ||
          next.time < oldest.time ||
          (next.time === oldest.time && next.device < oldest.device))
      ) {
        oldest = next;
      }
    }
    if (!oldest) break;
    cut.set(oldest.device, cut.get(oldest.device)! + 1);
    total--;
  }
  const drop: AuditRecordId[] = [];
  for (const [device, run] of runs) drop.push(...run.slice(0, cut.get(device)!).map((r) => r.id));
  if (drop.length === 0) return { keep: records, drop: [], trim: null };

  const chains: TrimmedChain[] = [];
  for (const device of new Set([...runs.keys(), ...claims.keys()])) {
    const run = runs.get(device) ?? [];
    const n = cut.get(device) ?? 0;
    if (n > 0) {
      const last = run[n - 1]!;
      chains.push({ device, lastDropped: last.id, count: last.seq });
    } else if (run[0]?.prev) {
      // Cut before, by a trim that may itself be dropped now or later: the cut is restated.
      chains.push({ device, lastDropped: run[0].prev, count: run[0].seq - 1 });
    } else if (run.length === 0 && !byDevice.has(device)) {
      // Every record of this chain went in an earlier trim: its next record must still verify.
      const furthest = [...(claims.get(device) ?? [])].sort(
        (a, b) => b.count - a.count || (a.lastDropped < b.lastDropped ? -1 : 1),
      )[0]!;
      chains.push({ device, lastDropped: furthest.lastDropped, count: furthest.count });
    }
  }
  const trim = writeTrimRecord(options.identity, options.head, {
    vault: options.vault,
    ...(options.member === undefined ? {} : { member: options.member }),
    time: options.now,
    event: { action: 'trimmed', chains },
  });
  const dropped = new Set(drop);
  return { keep: [...records.filter((r) => !dropped.has(r.id)), trim], drop, trim };
}
