/**
 * Writing and reading one audit record: the writer checks every field (names only, no field it
 * does not know), encodes, hashes and signs; the reader decodes, hashes and verifies.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { toBase64url } from '../crypto';
import { type DeviceIdentity, signAs, verifySignature } from '../device';
import {
  type DeviceId,
  isDeviceId,
  isInviteId,
  isVaultId,
  publicKeyOfDevice,
  type VaultId,
} from '../ids';
import {
  type AuditBody,
  auditSignatureDomain,
  auditSignatureLength,
  decodeAuditBody,
  encodeAuditBody,
  maxListLength,
} from './encoding';
import { AuditInputError, AuditRecordError } from './errors';
import { auditEntryName, auditLabel, auditMemberRef, isAuditRole } from './names';
import {
  type AuditChainHead,
  type AuditEvent,
  type AuditMemberRef,
  type AuditProviderKind,
  type AuditRecord,
  type AuditRecordId,
  auditProviderKinds,
  maxProviderSyncCount,
  providerSyncCounts,
  type RecordableAuditEvent,
  type TrimmedChain,
} from './types';

/** What the caller says happened; the chain position comes from the head. */
export interface AuditDraft {
  readonly vault: VaultId;
  /** The author's member, once teams name one. */
  readonly member?: AuditMemberRef;
  /** The author's clock, milliseconds since the epoch (display only). */
  readonly time: number;
  readonly event: RecordableAuditEvent;
}

/** The fields each event has besides `action`: anything else (a `value`, say) is refused. */
const eventFields: Readonly<Record<AuditEvent['action'], readonly string[]>> = {
  'vault-opened': [],
  'vault-closed': [],
  export: [],
  'key-rotated': [],
  'secret-shown': ['entry'],
  'secret-copied': ['entry'],
  'entry-created': ['entry'],
  'entry-changed': ['entry'],
  'entry-deleted': ['entry'],
  'entry-renamed': ['from', 'to'],
  'integration-run': ['integration', 'entries'],
  'role-changed': ['member', 'role'],
  'invite-created': ['invite', 'role'],
  'invite-used': ['invite', 'joined'],
  trimmed: ['chains'],
  'provider-pull': ['path', 'provider', ...providerSyncCounts],
  'provider-push': ['path', 'provider', ...providerSyncCounts],
};

function onlyFields(value: object, allowed: readonly string[], where: string): void {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) {
      throw new AuditInputError(
        `${where}${key}`,
        'not a field of an audit record (records hold names, never values)',
      );
    }
  }
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Checks an event at run time, as the types do at compile time, and returns a clean copy. */
function checkEvent(event: unknown): AuditEvent {
  if (!isObject(event)) throw new AuditInputError('event', 'an event is an object');
  const action = event.action as AuditEvent['action'];
  const fields = typeof action === 'string' ? eventFields[action] : undefined;
  if (fields === undefined || !Object.hasOwn(eventFields, action)) {
    throw new AuditInputError('event.action', 'not an audit action');
  }
  onlyFields(event, ['action', ...fields], 'event.');
  const role = event.role;
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
      return { action, entry: auditEntryName(event.entry, 'event.entry') };
    case 'entry-renamed':
      return {
        action,
        from: auditEntryName(event.from, 'event.from'),
        to: auditEntryName(event.to, 'event.to'),
      };
    case 'integration-run': {
      const entries = event.entries;
      if (!Array.isArray(entries) || entries.length > maxListLength) {
        throw new AuditInputError('event.entries', `a list of at most ${maxListLength} names`);
      }
      return {
        action,
        integration: auditLabel(event.integration, 'event.integration'),
        entries: [...new Set(entries.map((name) => auditEntryName(name, 'event.entries')))].sort(),
      };
    }
    case 'role-changed':
      if (!isAuditRole(role)) throw new AuditInputError('event.role', 'not a role');
      return { action, member: auditMemberRef(event.member, 'event.member'), role };
    case 'invite-created':
      if (!isInviteId(event.invite)) throw new AuditInputError('event.invite', 'not an invite id');
      if (!isAuditRole(role)) throw new AuditInputError('event.role', 'not a role');
      return { action, invite: event.invite, role };
    case 'invite-used':
      if (!isInviteId(event.invite)) throw new AuditInputError('event.invite', 'not an invite id');
      if (!isDeviceId(event.joined)) throw new AuditInputError('event.joined', 'not a device id');
      return { action, invite: event.invite, joined: event.joined };
    case 'trimmed':
      return { action, chains: checkChains(event.chains) };
    case 'provider-pull':
    case 'provider-push':
      return { action, ...checkProviderSync(event) };
  }
}

/** The fields of a provider-pull or provider-push event: a path label, a provider, four counts. */
function checkProviderSync(event: Record<string, unknown>) {
  const provider = event.provider as AuditProviderKind;
  if (!auditProviderKinds.includes(provider)) {
    throw new AuditInputError('event.provider', 'not "hashicorp" or "aws"');
  }
  const [added, changed, removed, conflicts] = providerSyncCounts.map((name) => {
    const count = event[name];
    if (
      !Number.isInteger(count) ||
      (count as number) < 0 ||
      (count as number) > maxProviderSyncCount
    ) {
      throw new AuditInputError(
        `event.${name}`,
        `a count is a whole number, 0 to ${maxProviderSyncCount}`,
      );
    }
    return count as number;
  }) as [number, number, number, number];
  return {
    path: auditLabel(event.path, 'event.path'),
    provider,
    added,
    changed,
    removed,
    conflicts,
  };
}

function checkChains(chains: unknown): TrimmedChain[] {
  if (!Array.isArray(chains) || chains.length === 0 || chains.length > maxListLength) {
    throw new AuditInputError('event.chains', `a list of 1 to ${maxListLength} chains`);
  }
  const seen = new Set<DeviceId>();
  return chains.map((chain: unknown) => {
    if (!isObject(chain)) throw new AuditInputError('event.chains', 'a chain is an object');
    onlyFields(chain, ['device', 'lastDropped', 'count'], 'event.chains.');
    const { device, lastDropped, count } = chain;
    if (!isDeviceId(device) || seen.has(device)) {
      throw new AuditInputError('event.chains.device', 'a device id, each device once');
    }
    seen.add(device);
    if (!isRecordId(lastDropped)) {
      throw new AuditInputError('event.chains.lastDropped', 'an audit record id');
    }
    if (!Number.isSafeInteger(count) || (count as number) < 1) {
      throw new AuditInputError('event.chains.count', 'an integer from 1 to 2^53 - 1');
    }
    return { device, lastDropped, count: count as number };
  });
}

/** Whether a string is an audit record id (43 characters of canonical base64url). */
export function isRecordId(value: unknown): value is AuditRecordId {
  // A device id has the same shape (32 bytes, canonical base64url); its check is reused.
  return isDeviceId(value);
}

function checkHead(head: AuditChainHead | null): void {
  if (head === null) return;
  if (!isObject(head) || !Number.isSafeInteger(head.seq) || head.seq < 1) {
    throw new AuditInputError('head.seq', 'an integer from 1 to 2^53 - 2');
  }
  if (!isRecordId(head.id)) throw new AuditInputError('head.id', 'an audit record id');
}

function sign(identity: DeviceIdentity, body: AuditBody): AuditRecord {
  const bodyBytes = encodeAuditBody(body);
  const idBytes = sha256(bodyBytes);
  const signature = signAs(identity, auditSignatureDomain, idBytes);
  const bytes = new Uint8Array(bodyBytes.length + auditSignatureLength);
  bytes.set(bodyBytes);
  bytes.set(signature, bodyBytes.length);
  return { ...body, id: toBase64url(idBytes) as AuditRecordId, bytes };
}

function write(
  identity: DeviceIdentity,
  head: AuditChainHead | null,
  draft: unknown,
  allowTrim: boolean,
): AuditRecord {
  if (!isObject(draft)) throw new AuditInputError('draft', 'a draft is an object');
  onlyFields(draft, ['vault', 'member', 'time', 'event'], '');
  if (!isVaultId(draft.vault)) throw new AuditInputError('vault', 'a vault id');
  if (!Number.isSafeInteger(draft.time) || (draft.time as number) < 0) {
    throw new AuditInputError('time', 'milliseconds since the epoch, an integer from 0');
  }
  checkHead(head);
  if (!allowTrim && isObject(draft.event) && draft.event.action === 'trimmed') {
    throw new AuditInputError('event.action', 'trim records are written by trimAuditLog only');
  }
  const event = checkEvent(draft.event);
  return sign(identity, {
    vault: draft.vault,
    device: identity.id,
    member: draft.member === undefined ? undefined : auditMemberRef(draft.member),
    seq: head === null ? 1 : head.seq + 1,
    prev: head === null ? null : head.id,
    time: draft.time as number,
    event,
  });
}

/**
 * Writes the next record of this device's chain after `head` (null: the chain's first) and
 * signs it. The caller keeps the new head (`headOf`) for the next record.
 * Throws AuditInputError naming the field when the draft is not usable.
 * @example
 * const record = writeAuditRecord(device, head, {
 *   vault, time: clock(), event: { action: 'secret-shown', entry: auditEntryName('API_KEY') },
 * });
 * head = headOf(record);
 */
export function writeAuditRecord(
  identity: DeviceIdentity,
  head: AuditChainHead | null,
  draft: AuditDraft,
): AuditRecord {
  return write(identity, head, draft, false);
}

/** Retention's writer: the same, for a `trimmed` event. */
export function writeTrimRecord(
  identity: DeviceIdentity,
  head: AuditChainHead | null,
  draft: Omit<AuditDraft, 'event'> & { readonly event: Extract<AuditEvent, { action: 'trimmed' }> },
): AuditRecord {
  return write(identity, head, draft, true);
}

/** The head a chain has after `record`: what the device's next record follows. */
export const headOf = (record: AuditRecord): AuditChainHead => ({ seq: record.seq, id: record.id });

/**
 * Reads and checks a record: decodes it, computes its id, verifies the author's signature, and
 * if the store gave an id, checks it is that id. Throws AuditRecordError saying which failed.
 */
export function readAuditRecord(bytes: Uint8Array, storedId?: string): AuditRecord {
  const { body, bodyBytes } = decodeAuditBody(bytes);
  const idBytes = sha256(bodyBytes);
  const id = toBase64url(idBytes) as AuditRecordId;
  const signature = bytes.subarray(bytes.length - auditSignatureLength);
  if (!verifySignature(publicKeyOfDevice(body.device), auditSignatureDomain, idBytes, signature)) {
    throw new AuditRecordError('signature', "the signature does not verify with its author's key");
  }
  if (storedId !== undefined && storedId !== id) {
    throw new AuditRecordError('id', 'it is stored under an id that is not its own');
  }
  return { ...body, id, bytes: bytes.slice() };
}
