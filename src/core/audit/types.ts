/**
 * The audit log's vocabulary: what an event may name (names, never values), and what a record
 * is once written. The byte layout is in encoding.ts (and docs/crypto.md, "Audit records").
 */
import type { DeviceId, InviteId, VaultId } from '../ids';

/**
 * The id of an audit record: SHA-256 of its signed body, as canonical base64url (43
 * characters). Its successor in the author's chain names it as `prev`.
 */
export type AuditRecordId = string & { readonly __brand: 'AuditRecordId' };

/**
 * An entry's name as the audit log records it: checked against the entry-name rules (ASCII, a
 * letter first, then letters, digits, "_", "-", "."; at most 255). Only `auditEntryName` makes
 * one, so a value (a `string` fresh from an entry) cannot be passed where a name belongs.
 */
export type AuditEntryName = string & { readonly __brand: 'AuditEntryName' };

/** A short label (an integration's name): 1 to 200 characters, no control characters. */
export type AuditLabel = string & { readonly __brand: 'AuditLabel' };

/**
 * A member, opaque until teams exist: 1 to 128 printable ASCII characters, no spaces (a member
 * id in base64url fits).
 */
export type AuditMemberRef = string & { readonly __brand: 'AuditMemberRef' };

/** A role as the audit log names it; 'none' records a removal. */
export type AuditRole = 'owner' | 'admin' | 'editor' | 'viewer' | 'none';
export const auditRoles: readonly AuditRole[] = ['owner', 'admin', 'editor', 'viewer', 'none'];

/** The providers a provider-pull or provider-push record names. */
export type AuditProviderKind = 'hashicorp' | 'aws';
export const auditProviderKinds: readonly AuditProviderKind[] = ['hashicorp', 'aws'];

/** Every action, in the order of their codes in the byte layout (1 to 17). */
export const auditActions = [
  'vault-opened',
  'vault-closed',
  'secret-shown',
  'secret-copied',
  'entry-created',
  'entry-changed',
  'entry-renamed',
  'entry-deleted',
  'export',
  'integration-run',
  'role-changed',
  'invite-created',
  'invite-used',
  'key-rotated',
  'trimmed',
  'provider-pull',
  'provider-push',
] as const;
export type AuditAction = (typeof auditActions)[number];

/**
 * One device's chain as a trim left it: every record of `device` up to and including
 * `lastDropped` is gone, `count` of them (the chain's seqs start at 1, so `count` is also the
 * seq of `lastDropped`). The kept part starts at the record whose `prev` is `lastDropped`.
 */
export interface TrimmedChain {
  readonly device: DeviceId;
  readonly lastDropped: AuditRecordId;
  readonly count: number;
}

type EntryAction =
  | 'secret-shown'
  | 'secret-copied'
  | 'entry-created'
  | 'entry-changed'
  | 'entry-deleted';

/**
 * What happened, with the names it concerns. There is no field for a value, and every name
 * field takes a branded name, so the type system refuses a value where a name belongs; the
 * writer also refuses, at run time, any field it does not know.
 */
export type AuditEvent =
  | { readonly action: 'vault-opened' | 'vault-closed' | 'export' | 'key-rotated' }
  | { readonly action: EntryAction; readonly entry: AuditEntryName }
  | { readonly action: 'entry-renamed'; readonly from: AuditEntryName; readonly to: AuditEntryName }
  | {
      readonly action: 'integration-run';
      readonly integration: AuditLabel;
      /** The entries the run read. Stored sorted, without duplicates. */
      readonly entries: readonly AuditEntryName[];
    }
  | { readonly action: 'role-changed'; readonly member: AuditMemberRef; readonly role: AuditRole }
  | { readonly action: 'invite-created'; readonly invite: InviteId; readonly role: AuditRole }
  | { readonly action: 'invite-used'; readonly invite: InviteId; readonly joined: DeviceId }
  | { readonly action: 'trimmed'; readonly chains: readonly TrimmedChain[] }
  | ProviderSyncAuditEvent;

/**
 * A sync with an outside secrets manager: the remote path (a label), which provider, and how
 * many keys it added, changed and removed (on the vault's side for a pull, the remote's for a
 * push) and how many wait in conflict. Counts only: no key's value, not even its name.
 */
export interface ProviderSyncAuditEvent {
  readonly action: 'provider-pull' | 'provider-push';
  readonly path: AuditLabel;
  readonly provider: AuditProviderKind;
  readonly added: number;
  readonly changed: number;
  readonly removed: number;
  readonly conflicts: number;
}

/** The count fields of a provider sync record, in their order in the byte layout. */
export const providerSyncCounts = ['added', 'changed', 'removed', 'conflicts'] as const;
/** Counts are u32: at most this many. */
export const maxProviderSyncCount = 0xffff_ffff;

/** The events a caller records; `trimmed` is written only by retention (`trimAuditLog`). */
export type RecordableAuditEvent = Exclude<AuditEvent, { readonly action: 'trimmed' }>;

/** A record, read and checked (its id computed, its signature verified). */
export interface AuditRecord {
  readonly id: AuditRecordId;
  readonly vault: VaultId;
  /** The author: the device that signed it. */
  readonly device: DeviceId;
  /** The author's member, when teams name one. */
  readonly member: AuditMemberRef | undefined;
  /** 1 for the chain's first record, then one more per record. */
  readonly seq: number;
  /** The id of the same device's previous record; null for seq 1. */
  readonly prev: AuditRecordId | null;
  /** Milliseconds since the epoch by the author's clock: for display, never for a decision. */
  readonly time: number;
  readonly event: AuditEvent;
  /** The record as stored and synced: body and signature. */
  readonly bytes: Uint8Array;
}

/** Where a device's chain stands: what its next record names as prev. */
export interface AuditChainHead {
  readonly seq: number;
  readonly id: AuditRecordId;
}

/** A record as a store may keep it: under the id it was saved with. */
export interface StoredAuditRecord {
  readonly id: string;
  readonly bytes: Uint8Array;
}
