/**
 * Verifying an audit log as synced: a set of records in any order, some perhaps missing,
 * damaged or forged. Each record is checked on its own (format, id, signature, vault, author a
 * member), then each member device's chain is followed by `prev`. Every problem is a finding
 * naming the device and seq it concerns; nothing is dropped silently.
 *
 * The result depends only on the set of records (never on their order or on duplicates):
 * records, reports and findings come out sorted.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { toBase64url } from '../crypto';
import type { DeviceId, VaultId } from '../ids';
import { peekAuditHeader } from './encoding';
import { AuditRecordError, type AuditRecordProblem } from './errors';
import { readAuditRecord } from './record';
import type { AuditChainHead, AuditRecord, AuditRecordId, StoredAuditRecord } from './types';

/**
 * What verification found. `altered`: bytes that are not an authentic record (changed after
 * signing, or never signed); `gap`: a record follows one that is not there, and no trim by a
 * member explains it (dropped); `fork`: two records claim the same predecessor; `not-member`:
 * an authentic record by a device that is not one of the vault's (refused); `wrong-vault`: an
 * authentic record of another vault (refused); `out-of-sequence`: a seq that does not follow
 * its predecessor's (or its trim's count); `truncated`: a head the caller saw before (`knownHeads`)
 * is gone and no trim took it (the newest records were dropped).
 */
export type AuditFinding =
  | {
      readonly kind: 'altered';
      /** Whose it claims to be, when its header still reads. */
      readonly device: DeviceId | undefined;
      readonly seq: number | undefined;
      readonly problem: AuditRecordProblem;
      /** SHA-256 of the bytes as found, base64url: names this copy. */
      readonly fingerprint: string;
    }
  | {
      readonly kind: 'not-member' | 'wrong-vault';
      readonly device: DeviceId;
      readonly seq: number;
      readonly id: AuditRecordId;
    }
  | {
      readonly kind: 'gap';
      readonly device: DeviceId;
      /** The record after the gap. */
      readonly seq: number;
      readonly id: AuditRecordId;
      /** The id its prev names, not present. */
      readonly missing: AuditRecordId;
    }
  | {
      readonly kind: 'fork';
      readonly device: DeviceId;
      readonly seq: number;
      /** The predecessor both claim (null: both claim to be the chain's first). */
      readonly prev: AuditRecordId | null;
      readonly ids: readonly AuditRecordId[];
    }
  | {
      readonly kind: 'truncated';
      readonly device: DeviceId;
      /** The head seen here before, now neither present nor trimmed. */
      readonly seq: number;
      readonly id: AuditRecordId;
    }
  | {
      readonly kind: 'out-of-sequence';
      readonly device: DeviceId;
      readonly seq: number;
      readonly id: AuditRecordId;
      readonly expected: number;
    };

/** A trim that explains where a device's chain starts. */
export interface TrimExplanation {
  /** Records of the chain dropped, all those up to seq `count`. */
  readonly count: number;
  /** The member device that trimmed, and its trim record. */
  readonly by: DeviceId;
  readonly record: AuditRecordId;
}

export interface DeviceAuditReport {
  readonly device: DeviceId;
  /** Authentic records of this device (members only; a non-member's count is 0). */
  readonly verified: number;
  /** Its newest record by seq, if any verified. */
  readonly head: AuditChainHead | undefined;
  /** How its chain's start was trimmed, if it was. */
  readonly trimmed: TrimExplanation | undefined;
  readonly findings: readonly AuditFinding[];
}

export interface AuditVerification {
  /** The authentic records of member devices, by device, then seq, then id. */
  readonly records: readonly AuditRecord[];
  /** One report per device seen, by device id. */
  readonly devices: readonly DeviceAuditReport[];
  /** Every finding, by device, then seq, then kind. */
  readonly findings: readonly AuditFinding[];
  /** True when there is no finding at all. */
  readonly intact: boolean;
}

export interface VerifyAuditOptions {
  readonly vault: VaultId;
  /**
   * Every device that is or was in the vault's device list (removed ones too: their records
   * from before removal are genuine). A record by any other device is refused.
   */
  readonly members: Iterable<DeviceId>;
  /**
   * Each device's head as this device saw it last time (the reports' `head`, kept by the app).
   * Dropping a chain's newest records leaves nothing in the set to point at the loss: these do.
   */
  readonly knownHeads?: ReadonlyMap<DeviceId, AuditChainHead>;
}

/** Adds `value` to the list under `key` (in place: a log may hold 20,000 records of one device). */
export function append<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

const compare = (a: string | number, b: string | number) => (a < b ? -1 : a > b ? 1 : 0);
const findingKey = (f: AuditFinding): [string, number, string, string] => [
  f.device ?? '',
  f.seq ?? 0,
  f.kind,
  f.kind === 'altered' ? f.fingerprint : f.kind === 'fork' ? f.ids.join() : f.id,
];
function byFinding(a: AuditFinding, b: AuditFinding): number {
  const x = findingKey(a);
  const y = findingKey(b);
  for (let i = 0; i < x.length; i++) {
    const order = compare(x[i]!, y[i]!);
    if (order !== 0) return order;
  }
  return 0;
}
const byPosition = (a: AuditRecord, b: AuditRecord) =>
  compare(a.device, b.device) || compare(a.seq, b.seq) || compare(a.id, b.id);

function readOne(item: Uint8Array | StoredAuditRecord): AuditRecord | AuditFinding {
  const bytes = item instanceof Uint8Array ? item : item.bytes;
  const storedId = item instanceof Uint8Array ? undefined : item.id;
  try {
    return readAuditRecord(bytes, storedId);
  } catch (error) {
    if (!(error instanceof AuditRecordError)) throw error;
    const header = bytes instanceof Uint8Array ? peekAuditHeader(bytes) : undefined;
    const seen = bytes instanceof Uint8Array ? sha256(bytes) : new Uint8Array(32);
    return {
      kind: 'altered',
      device: header?.device,
      seq: header?.seq,
      problem: error.problem,
      fingerprint: `${toBase64url(seen)}${storedId === undefined ? '' : `@${storedId}`}`,
    };
  }
}

/** A trim's word about one chain: where it was cut. */
export interface TrimClaim extends TrimExplanation {
  readonly lastDropped: AuditRecordId;
}

/** Trims by member devices, by the device whose chain they cut. */
export function trimsOf(records: readonly AuditRecord[]): Map<DeviceId, TrimClaim[]> {
  const trims = new Map<DeviceId, TrimClaim[]>();
  for (const record of records) {
    if (record.event.action !== 'trimmed') continue;
    for (const chain of record.event.chains) {
      const list = trims.get(chain.device) ?? [];
      const { count, lastDropped } = chain;
      list.push({ count, lastDropped, by: record.device, record: record.id });
      trims.set(chain.device, list);
    }
  }
  return trims;
}

/** The trim that explains a chain starting after `missing`, if any (the same one whatever the order). */
function explanation(
  trims: Map<DeviceId, TrimClaim[]>,
  device: DeviceId,
  missing: AuditRecordId,
): TrimExplanation | undefined {
  const candidates = (trims.get(device) ?? []).filter((trim) => trim.lastDropped === missing);
  candidates.sort((a, b) => compare(a.record, b.record));
  const chosen = candidates[0];
  return chosen && { count: chosen.count, by: chosen.by, record: chosen.record };
}

/** Follows one device's chain; returns its findings and how its start was trimmed. */
function checkChain(
  device: DeviceId,
  records: readonly AuditRecord[],
  trims: Map<DeviceId, TrimClaim[]>,
  damaged: ReadonlySet<string>,
): { findings: AuditFinding[]; trimmed: TrimExplanation | undefined } {
  const findings: AuditFinding[] = [];
  const byId = new Map(records.map((record) => [record.id, record]));
  const successors = new Map<string, AuditRecord[]>();
  let trimmed: TrimExplanation | undefined;
  for (const record of records) {
    const key = record.prev ?? '';
    append(successors, key, record);
    const { id, seq, prev } = record;
    if (prev === null) continue; // seq is 1: the decoder checks that prev is zero exactly then
    const before = byId.get(prev);
    if (before) {
      if (seq !== before.seq + 1) {
        findings.push({ kind: 'out-of-sequence', device, seq, id, expected: before.seq + 1 });
      }
      continue;
    }
    const trim = explanation(trims, device, prev);
    if (trim) {
      trimmed = trimmed && trimmed.count > trim.count ? trimmed : trim;
      if (seq !== trim.count + 1) {
        findings.push({ kind: 'out-of-sequence', device, seq, id, expected: trim.count + 1 });
      }
    } else if (!damaged.has(`${device}:${seq - 1}`)) {
      // The record before it is here but damaged: that is reported as altered, not as a gap.
      findings.push({ kind: 'gap', device, seq, id, missing: prev });
    }
  }
  for (const [prev, next] of successors) {
    if (next.length < 2) continue;
    next.sort(byPosition);
    findings.push({
      kind: 'fork',
      device,
      seq: next[0]!.seq,
      prev: prev === '' ? null : (prev as AuditRecordId),
      ids: next.map((record) => record.id).sort(),
    });
  }
  return { findings, trimmed };
}

/**
 * Verifies a set of audit records (bytes, or stored with their id) for one vault.
 * @example
 * const result = verifyAuditLog(stored, { vault, members: deviceIds });
 * if (!result.intact) showFindings(result.findings);
 */
export function verifyAuditLog(
  input: Iterable<Uint8Array | StoredAuditRecord>,
  options: VerifyAuditOptions,
): AuditVerification {
  const members = new Set(options.members);
  const accepted = new Map<AuditRecordId, AuditRecord>();
  const altered = new Map<string, AuditFinding>();
  const refused = new Map<AuditRecordId, AuditFinding>();
  for (const item of input) {
    const read = readOne(item);
    if ('kind' in read) {
      if (read.kind === 'altered') altered.set(read.fingerprint, read);
      continue;
    }
    if (read.vault !== options.vault || !members.has(read.device)) {
      const kind = read.vault !== options.vault ? 'wrong-vault' : 'not-member';
      refused.set(read.id, { kind, device: read.device, seq: read.seq, id: read.id });
    } else {
      accepted.set(read.id, read);
    }
  }
  const records = [...accepted.values()].sort(byPosition);
  const damaged = new Set<string>();
  for (const finding of altered.values()) {
    if (finding.device !== undefined) damaged.add(`${finding.device}:${finding.seq}`);
  }
  const trims = trimsOf(records);
  const perDevice = new Map<DeviceId, AuditRecord[]>();
  for (const record of records) {
    append(perDevice, record.device, record);
  }
  const devices = new Set<DeviceId>([...perDevice.keys(), ...(options.knownHeads?.keys() ?? [])]);
  for (const finding of [...altered.values(), ...refused.values()]) {
    if (finding.device !== undefined) devices.add(finding.device);
  }
  const findings: AuditFinding[] = [...altered.values(), ...refused.values()];
  const reports: DeviceAuditReport[] = [...devices].sort(compare).map((device) => {
    const chain = perDevice.get(device) ?? [];
    const checked = checkChain(device, chain, trims, damaged);
    const known = options.knownHeads?.get(device);
    if (
      known &&
      members.has(device) &&
      !accepted.has(known.id) &&
      !damaged.has(`${device}:${known.seq}`) &&
      !(trims.get(device) ?? []).some((trim) => trim.count >= known.seq)
    ) {
      checked.findings.push({ kind: 'truncated', device, seq: known.seq, id: known.id });
    }
    findings.push(...checked.findings);
    const own = [
      ...checked.findings,
      ...[...altered.values(), ...refused.values()].filter((f) => f.device === device),
    ].sort(byFinding);
    const newest = chain.at(-1);
    return {
      device,
      verified: chain.length,
      head: newest && { seq: newest.seq, id: newest.id },
      trimmed: checked.trimmed,
      findings: own,
    };
  });
  findings.sort(byFinding);
  return { records, devices: reports, findings, intact: findings.length === 0 };
}
