/**
 * The audit record's bytes (docs/crypto.md, "Audit records"). Not JSON: what is signed has one
 * encoding, so the same record always has the same id.
 *
 *   offset  size  field
 *   0       4     magic "CFAU"
 *   4       1     version = 0x01
 *   5       1     action code (1 to 15, in the order of `auditActions`)
 *   6       16    vault id (its 16 bytes)
 *   22      32    author: the Ed25519 public key of the device that wrote it
 *   54      8     seq: u64be, 1 to 2^53 - 1; 1 for the first record of the author's chain
 *   62      32    prev: the id of the author's previous record; 32 zero bytes for seq 1
 *   94      8     time: u64be milliseconds since the epoch, the author's clock (display only)
 *   102     ...   field(member) (empty: none), then the action's fields, in a fixed order
 *   n       64    signature = Ed25519(author, "coffer/v1/audit" || 0x00 || id)
 *
 *   id       = SHA-256(bytes[0..n])
 *   field(x) = u32be(len(x)) || x            list(xs) = u32be(count) || field(x) for each x
 *
 * Action fields: entry actions field(entry); entry-renamed field(from) field(to);
 * integration-run field(label) list(entries, sorted, distinct); role-changed field(member)
 * field(role); invite-created field(invite id, 16 bytes) field(role); invite-used field(invite
 * id) field(joined device, 32 bytes); trimmed list(device 32 || last dropped id 32 ||
 * u64be(count)), sorted by device, distinct; provider-pull and provider-push field(path)
 * field(provider: "hashicorp" or "aws") field(u32be(added) u32be(changed) u32be(removed)
 * u32be(conflicts)); the others none. Names are UTF-8.
 *
 * A reader rejects anything this encoder would not have written: decoding re-encodes the body
 * and compares, so there is one byte string per record.
 */
import {
  bytesEqual,
  concat,
  fromBase64url,
  fromUtf8,
  readU32be,
  toBase64url,
  u32be,
  u64be,
  utf8,
} from '../crypto';
import type { DeviceId, VaultId } from '../ids';
import { deviceIdOf, inviteIdOf, publicKeyOfDevice, vaultIdOf } from '../ids';
import { AuditRecordError } from './errors';
import { isAuditEntryName, isAuditLabel, isAuditMemberRef, isAuditRole } from './names';
import {
  type AuditAction,
  type AuditEntryName,
  type AuditEvent,
  type AuditMemberRef,
  type AuditProviderKind,
  type AuditRecordId,
  auditActions,
  auditProviderKinds,
  providerSyncCounts,
  type TrimmedChain,
} from './types';

export const auditMagic = new Uint8Array([0x43, 0x46, 0x41, 0x55]);
export const auditVersion = 0x01;
export const auditHeaderLength = 102;
export const auditSignatureLength = 64;
export const auditIdLength = 32;
export const auditSignatureDomain = 'audit';
/** Most entries one integration-run record names; most chains one trim record names. */
export const maxListLength = 10_000;
const zeroId = new Uint8Array(auditIdLength);
const trimItemLength = 32 + 32 + 8;

/** Everything a record says, before it is signed. */
export interface AuditBody {
  readonly vault: VaultId;
  readonly device: DeviceId;
  readonly member: AuditMemberRef | undefined;
  readonly seq: number;
  readonly prev: AuditRecordId | null;
  readonly time: number;
  readonly event: AuditEvent;
}

const byDevice = (a: TrimmedChain, b: TrimmedChain) =>
  a.device < b.device ? -1 : a.device > b.device ? 1 : 0;
const field = (bytes: Uint8Array) => concat(u32be(bytes.length), bytes);
const countsLength = 4 * providerSyncCounts.length;
const list = (items: readonly Uint8Array[]) => concat(u32be(items.length), ...items.map(field));

function eventFields(event: AuditEvent): Uint8Array[] {
  switch (event.action) {
    case 'vault-opened':
    case 'vault-closed':
    case 'export':
    case 'key-rotated':
      return [];
    case 'secret-shown':
    case 'secret-copied':
    case 'entry-created':
    case 'entry-changed':
    case 'entry-deleted':
      return [field(utf8(event.entry))];
    case 'entry-renamed':
      return [field(utf8(event.from)), field(utf8(event.to))];
    case 'integration-run':
      // Sorted and distinct: the run read a set of entries, and a set has one encoding.
      return [
        field(utf8(event.integration)),
        list([...new Set(event.entries)].sort().map((entry) => utf8(entry))),
      ];
    case 'role-changed':
      return [field(utf8(event.member)), field(utf8(event.role))];
    case 'invite-created':
      return [field(fromBase64url(event.invite)), field(utf8(event.role))];
    case 'invite-used':
      return [field(fromBase64url(event.invite)), field(publicKeyOfDevice(event.joined))];
    case 'trimmed':
      return [
        list(
          [...event.chains]
            .sort(byDevice)
            .map((chain) =>
              concat(
                publicKeyOfDevice(chain.device),
                fromBase64url(chain.lastDropped),
                u64be(chain.count),
              ),
            ),
        ),
      ];
    case 'provider-pull':
    case 'provider-push':
      return [
        field(utf8(event.path)),
        field(utf8(event.provider)),
        field(concat(...providerSyncCounts.map((count) => u32be(event[count])))),
      ];
  }
}

/** The signed body of a record. Its fields are taken as checked (the writer checks them). */
export function encodeAuditBody(body: AuditBody): Uint8Array {
  return concat(
    auditMagic,
    new Uint8Array([auditVersion, auditActions.indexOf(body.event.action) + 1]),
    fromBase64url(body.vault),
    publicKeyOfDevice(body.device),
    u64be(body.seq),
    body.prev === null ? zeroId : fromBase64url(body.prev),
    u64be(body.time),
    field(body.member === undefined ? new Uint8Array(0) : utf8(body.member)),
    ...eventFields(body.event),
  );
}

const fail = (problem: 'format' | 'version', detail: string): never => {
  throw new AuditRecordError(problem, detail);
};

/** UTF-8 text, or a format error naming what it was meant to be. */
function textOf(bytes: Uint8Array, what: string): string {
  try {
    return fromUtf8(bytes);
  } catch {
    // The decoder's error says only that the bytes are not UTF-8: this says which field.
    return fail('format', `${what} is not UTF-8`);
  }
}

/** Reads fields off a record, each read checked against what is left. */
class Reader {
  offset = auditHeaderLength;
  constructor(
    readonly bytes: Uint8Array,
    /** Where the signature starts: nothing is read past it. */
    readonly end: number,
  ) {}

  field(what: string): Uint8Array {
    if (this.offset + 4 > this.end) fail('format', `the length of ${what} overruns the record`);
    const length = readU32be(this.bytes, this.offset);
    const start = this.offset + 4;
    if (length > this.end - start) fail('format', `${what} overruns the record`);
    this.offset = start + length;
    return this.bytes.subarray(start, start + length);
  }

  list(what: string): Uint8Array[] {
    if (this.offset + 4 > this.end) fail('format', `the count of ${what} overruns the record`);
    const count = readU32be(this.bytes, this.offset);
    if (count > maxListLength) fail('format', `${what} has more than ${maxListLength} items`);
    this.offset += 4;
    const items: Uint8Array[] = [];
    for (let i = 0; i < count; i++) items.push(this.field(what));
    return items;
  }

  text(what: string): string {
    return textOf(this.field(what), what);
  }

  entryName(what: string): AuditEntryName {
    const name = this.text(what);
    return isAuditEntryName(name) && name.length > 0
      ? name
      : fail('format', `${what} is not an entry name`);
  }

  fixed(what: string, length: number): Uint8Array {
    const bytes = this.field(what);
    return bytes.length === length ? bytes : fail('format', `${what} is not ${length} bytes`);
  }
}

const readU64 = (bytes: Uint8Array, offset: number): number => {
  const value = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getBigUint64(
    offset,
    false,
  );
  return value > BigInt(Number.MAX_SAFE_INTEGER) ? -1 : Number(value);
};

function readEvent(action: AuditAction, reader: Reader): AuditEvent {
  switch (action) {
    case 'vault-opened':
    case 'vault-closed':
    case 'export':
    case 'key-rotated':
      return { action };
    case 'secret-shown':
    case 'secret-copied':
    case 'entry-created':
    case 'entry-changed':
    case 'entry-deleted':
      return { action, entry: reader.entryName('the entry name') };
    case 'entry-renamed':
      return {
        action,
        from: reader.entryName('the old name'),
        to: reader.entryName('the new name'),
      };
    case 'integration-run': {
      const integration = reader.text('the integration');
      if (!isAuditLabel(integration)) return fail('format', 'the integration is not a label');
      const entries = reader.list('the entries').map((bytes) => {
        const name = textOf(bytes, 'an entry read');
        return isAuditEntryName(name) && name.length > 0
          ? name
          : fail('format', 'an entry read is not an entry name');
      });
      return { action, integration, entries };
    }
    case 'role-changed': {
      const member = reader.text('the member');
      const role = reader.text('the role');
      if (!isAuditMemberRef(member) || !isAuditRole(role)) {
        return fail('format', 'not a member and a role');
      }
      return { action, member, role };
    }
    case 'invite-created': {
      const invite = inviteIdOf(reader.fixed('the invitation', 16));
      const role = reader.text('the role');
      return isAuditRole(role)
        ? { action, invite, role }
        : fail('format', 'the role is not a role');
    }
    case 'invite-used':
      return {
        action,
        invite: inviteIdOf(reader.fixed('the invitation', 16)),
        joined: deviceIdOf(reader.fixed('the joined device', 32)),
      };
    case 'trimmed': {
      const chains: TrimmedChain[] = reader.list('the trimmed chains').map((item) => {
        if (item.length !== trimItemLength)
          fail('format', `a trimmed chain is not ${trimItemLength} bytes`);
        const count = readU64(item, 64);
        if (count < 1) fail('format', 'a trimmed count is 1 to 2^53 - 1');
        return {
          device: deviceIdOf(item.subarray(0, 32)),
          lastDropped: toBase64url(item.subarray(32, 64)) as AuditRecordId,
          count,
        };
      });
      if (new Set(chains.map((chain) => chain.device)).size !== chains.length) {
        fail('format', 'a trim names a device twice');
      }
      return { action, chains };
    }
    case 'provider-pull':
    case 'provider-push': {
      const path = reader.text('the path');
      if (!isAuditLabel(path)) return fail('format', 'the path is not a label');
      const provider = reader.text('the provider') as AuditProviderKind;
      if (!auditProviderKinds.includes(provider)) {
        return fail('format', 'the provider is not a provider');
      }
      const counts = reader.fixed('the counts', countsLength);
      const [added, changed, removed, conflicts] = providerSyncCounts.map((_, i) =>
        readU32be(counts, 4 * i),
      ) as [number, number, number, number];
      return { action, path, provider, added, changed, removed, conflicts };
    }
  }
}

/** The header fields, if the first bytes are an audit record's: to say whose a damaged one is. */
export function peekAuditHeader(bytes: Uint8Array): { device: DeviceId; seq: number } | undefined {
  if (bytes.length < auditHeaderLength) return undefined;
  // Magic and version with at most one byte wrong: a record damaged there is still attributed
  // to its author, while bytes that are no record at all are not.
  const expected = [...auditMagic, auditVersion];
  if (expected.filter((byte, i) => bytes[i] !== byte).length > 1) return undefined;
  const seq = readU64(bytes, 54);
  return seq < 1 ? undefined : { device: deviceIdOf(bytes.subarray(22, 54)), seq };
}

/**
 * Decodes a record's body (everything but the signature, which is the last 64 bytes). Throws
 * AuditRecordError ('format', 'version' or 'not-canonical'); checks no signature.
 */
export function decodeAuditBody(bytes: Uint8Array): { body: AuditBody; bodyBytes: Uint8Array } {
  if (!(bytes instanceof Uint8Array)) return fail('format', 'a record is a Uint8Array');
  if (bytes.length < auditHeaderLength + 4 + auditSignatureLength) {
    fail(
      'format',
      `a record has at least ${auditHeaderLength + 4 + auditSignatureLength} bytes, this one ${bytes.length}`,
    );
  }
  if (!bytesEqual(bytes.subarray(0, 4), auditMagic)) fail('format', 'the magic is not "CFAU"');
  if (bytes[4] !== auditVersion) fail('version', `version ${bytes[4]} is not read by this build`);
  const action = auditActions[bytes[5]! - 1];
  if (action === undefined)
    return fail('version', `action code ${bytes[5]} is not read by this build`);
  const seq = readU64(bytes, 54);
  const time = readU64(bytes, 94);
  if (seq < 1) fail('format', 'seq is 1 to 2^53 - 1');
  if (time < 0) fail('format', 'time is 0 to 2^53 - 1');
  const prevBytes = bytes.subarray(62, 94);
  const isStart = bytesEqual(prevBytes, zeroId);
  if (isStart !== (seq === 1)) fail('format', 'prev is zero exactly when seq is 1');
  const end = bytes.length - auditSignatureLength;
  const reader = new Reader(bytes, end);
  const memberText = reader.text('the member');
  if (memberText !== '' && !isAuditMemberRef(memberText))
    fail('format', 'the member is not a member');
  const event = readEvent(action, reader);
  if (reader.offset !== end) fail('format', 'bytes follow the last field');
  const body: AuditBody = {
    vault: vaultIdOf(bytes.subarray(6, 22)),
    device: deviceIdOf(bytes.subarray(22, 54)),
    member: memberText === '' ? undefined : (memberText as AuditMemberRef),
    seq,
    prev: isStart ? null : (toBase64url(prevBytes) as AuditRecordId),
    time,
    event,
  };
  const bodyBytes = bytes.subarray(0, end);
  if (!bytesEqual(encodeAuditBody(body), bodyBytes)) {
    throw new AuditRecordError(
      'not-canonical',
      'lists are sorted and distinct, names in one spelling',
    );
  }
  return { body, bodyBytes };
}
