/**
 * Who may write a vault, the invitations that let a new device in, and entries waiting for a
 * review after a concurrent edit: three top-level maps of the vault's document, so they sync
 * and merge like everything else (docs/data-model.md, "Devices, invitations, reviews").
 *
 * ```
 * doc.getMap('devices')  device id -> { name, addedAt, addedBy, revokedAfterSeq?, revokedAfterEnvelope?, revokedAt?, revokedBy? }
 * doc.getMap('invites')  invite id -> { secret, createdAt, expiresAt, singleUse, createdBy, usedBy, revokedAt? }
 * doc.getMap('reviews')  entry id  -> { at, devices }
 * ```
 *
 * Ids are src/core/ids's (a device id is a base64url Ed25519 public key). Readers skip records
 * of the wrong shape, a malformed or non-canonical id included (a newer or faulty writer),
 * rather than fail, and never trust them to grant anything: a malformed device record admits
 * no one.
 */
import type * as Y from 'yjs';
import {
  type DeviceId,
  type EntryId,
  type InviteId,
  isDeviceId,
  isEntryId,
  isInviteId,
} from '../ids';

export const DEVICES_MAP = 'devices';
export const INVITES_MAP = 'invites';
export const REVIEWS_MAP = 'reviews';

/** A device that holds the vault's key and may write it (until revoked). */
export interface DeviceRecord {
  readonly id: DeviceId;
  readonly name: string;
  readonly addedAt: number;
  /** The device that admitted it; null for the device that created the vault. */
  readonly addedBy: DeviceId | null;
  /**
   * Set when the device was removed (its presence is what marks the removal): the sequence
   * number of the last envelope the remover accepted from it, 0 if none. For display only:
   * a sequence number is the author's choice, so it decides nothing.
   */
  readonly revokedAfterSeq?: number;
  /**
   * The id (base64url SHA-256 of the signed body) of the last envelope the remover accepted
   * from the removed device. Only it and its ancestors in the device's chain stay accepted;
   * absent (nothing accepted, or a record from before chains) means nothing more is.
   */
  readonly revokedAfterEnvelope?: string;
  readonly revokedAt?: number;
  readonly revokedBy?: DeviceId;
}

/** An invitation to add a device. The secret is what the invitation link carries. */
export interface InviteRecord {
  readonly id: InviteId;
  /** base64url of the 32-byte invitation secret. Sealed like every other part of the vault. */
  readonly secret: string;
  readonly createdAt: number;
  readonly expiresAt: number;
  readonly singleUse: boolean;
  readonly createdBy: DeviceId;
  /** Devices admitted with it. */
  readonly usedBy: readonly DeviceId[];
  readonly revokedAt?: number;
  /** In a vault with a team: the role a new member gets (absent: editor). */
  readonly role?: 'admin' | 'editor' | 'viewer';
  /** For an invitation to add a device of an existing member (its own): that member's id. */
  readonly member?: string;
  /** For a new member: the name the inviter gave them (the member's name in the team). */
  readonly name?: string;
  /** In a vault with a team: `createdBy`'s signature over what decides admission (base64url). */
  readonly signature?: string;
}

/** An entry changed on two devices while they were apart, for the user to look at. */
export interface ReviewMark {
  readonly entryId: EntryId;
  readonly at: number;
  /** The devices whose concurrent changes were merged. */
  readonly devices: readonly DeviceId[];
}

export type AuthorStatus = 'allowed' | 'unknown' | 'revoked';

/** base64url of 32 bytes, unpadded. */
const envelopeIdPattern = /^[A-Za-z0-9_-]{42}[AEIMQUYcgkosw048]$/;

const isFiniteNumber = (value: unknown): value is number =>
  typeof value === 'number' && Number.isFinite(value);
const isDeviceIdArray = (value: unknown): value is DeviceId[] =>
  Array.isArray(value) && value.every(isDeviceId);

function readDevice(id: string, raw: unknown): DeviceRecord | undefined {
  if (!isDeviceId(id) || typeof raw !== 'object' || raw === null) return undefined;
  const r = raw as Record<string, unknown>;
  if (typeof r.name !== 'string' || !isFiniteNumber(r.addedAt)) return undefined;
  if (r.addedBy !== null && !isDeviceId(r.addedBy)) return undefined;
  const revoked = r.revokedAfterSeq;
  if (revoked !== undefined && !(Number.isSafeInteger(revoked) && (revoked as number) >= 0))
    return undefined;
  const envelope = r.revokedAfterEnvelope;
  return {
    id,
    name: r.name,
    addedAt: r.addedAt,
    addedBy: r.addedBy,
    ...(revoked !== undefined ? { revokedAfterSeq: revoked as number } : {}),
    // A malformed id names no envelope: nothing more of the device is accepted.
    ...(revoked !== undefined && typeof envelope === 'string' && envelopeIdPattern.test(envelope)
      ? { revokedAfterEnvelope: envelope }
      : {}),
    ...(isFiniteNumber(r.revokedAt) ? { revokedAt: r.revokedAt } : {}),
    ...(isDeviceId(r.revokedBy) ? { revokedBy: r.revokedBy } : {}),
  };
}

function readInvite(id: string, raw: unknown): InviteRecord | undefined {
  if (!isInviteId(id) || typeof raw !== 'object' || raw === null) return undefined;
  const r = raw as Record<string, unknown>;
  if (
    typeof r.secret !== 'string' ||
    !isFiniteNumber(r.createdAt) ||
    !isFiniteNumber(r.expiresAt) ||
    typeof r.singleUse !== 'boolean' ||
    !isDeviceId(r.createdBy) ||
    !isDeviceIdArray(r.usedBy)
  )
    return undefined;
  return {
    id,
    secret: r.secret,
    createdAt: r.createdAt,
    expiresAt: r.expiresAt,
    singleUse: r.singleUse,
    createdBy: r.createdBy,
    usedBy: r.usedBy,
    ...(isFiniteNumber(r.revokedAt) ? { revokedAt: r.revokedAt } : {}),
    ...(r.role === 'admin' || r.role === 'editor' || r.role === 'viewer' ? { role: r.role } : {}),
    ...(typeof r.member === 'string' ? { member: r.member } : {}),
    ...(typeof r.signature === 'string' ? { signature: r.signature } : {}),
    ...(typeof r.name === 'string' ? { name: r.name } : {}),
  };
}

function readReview(entryId: string, raw: unknown): ReviewMark | undefined {
  if (!isEntryId(entryId) || typeof raw !== 'object' || raw === null) return undefined;
  const r = raw as Record<string, unknown>;
  if (!isFiniteNumber(r.at) || !isDeviceIdArray(r.devices)) return undefined;
  return { entryId, at: r.at, devices: r.devices };
}

function readAll<T>(map: Y.Map<unknown>, read: (key: string, raw: unknown) => T | undefined): T[] {
  const out: T[] = [];
  for (const [key, raw] of map.entries()) {
    const record = read(key, raw);
    if (record) out.push(record);
  }
  return out;
}

/** Plain JSON for a Yjs "any" value: drops undefined members, which lib0 cannot encode. */
function plain<T extends object>(record: T): Record<string, unknown> {
  return JSON.parse(JSON.stringify(record)) as Record<string, unknown>;
}

export function readDevices(doc: Y.Doc): DeviceRecord[] {
  return readAll(doc.getMap(DEVICES_MAP), readDevice).sort((a, b) => a.addedAt - b.addedAt);
}

export function readDeviceRecord(doc: Y.Doc, id: string): DeviceRecord | undefined {
  return readDevice(id, doc.getMap(DEVICES_MAP).get(id));
}

/**
 * Where `author` stands in the device list: 'revoked' once removed, whatever its envelopes
 * say (which of them still stand is the sync layer's check against `removalPoint`).
 */
export function authorStatus(doc: Y.Doc, author: string): AuthorStatus {
  const device = readDeviceRecord(doc, author);
  if (!device) return 'unknown';
  return device.revokedAfterSeq !== undefined ? 'revoked' : 'allowed';
}

/**
 * For a removed device, the id of the last envelope of it accepted before its removal (null if
 * none: nothing of it stands); undefined if the device is not removed or not listed.
 */
export function removalPoint(doc: Y.Doc, author: string): string | null | undefined {
  const device = readDeviceRecord(doc, author);
  if (!device || device.revokedAfterSeq === undefined) return undefined;
  return device.revokedAfterEnvelope ?? null;
}

export function writeDevice(doc: Y.Doc, record: DeviceRecord): void {
  const { id, ...rest } = record;
  doc.getMap(DEVICES_MAP).set(id, plain(rest));
}

export function readInvites(doc: Y.Doc): InviteRecord[] {
  return readAll(doc.getMap(INVITES_MAP), readInvite).sort((a, b) => a.createdAt - b.createdAt);
}

export function readInviteRecord(doc: Y.Doc, id: string): InviteRecord | undefined {
  return readInvite(id, doc.getMap(INVITES_MAP).get(id));
}

export function writeInvite(doc: Y.Doc, record: InviteRecord): void {
  const { id, ...rest } = record;
  doc.getMap(INVITES_MAP).set(id, plain(rest));
}

export function deleteInvite(doc: Y.Doc, id: string): boolean {
  const invites = doc.getMap(INVITES_MAP);
  if (!invites.has(id)) return false;
  invites.delete(id);
  return true;
}

export function readReviews(doc: Y.Doc): ReviewMark[] {
  return readAll(doc.getMap(REVIEWS_MAP), readReview);
}

export function writeReview(doc: Y.Doc, mark: ReviewMark): void {
  const { entryId, ...rest } = mark;
  doc.getMap(REVIEWS_MAP).set(entryId, plain(rest));
}

export function deleteReview(doc: Y.Doc, entryId: string): boolean {
  const reviews = doc.getMap(REVIEWS_MAP);
  if (!reviews.has(entryId)) return false;
  reviews.delete(entryId);
  return true;
}

/**
 * Whether an update's changes include the device list or the membership log ('team'), so
 * held-back envelopes may now pass.
 */
export function touchesDevices(transaction: Y.Transaction, doc: Y.Doc): boolean {
  const devices: unknown = doc.getMap(DEVICES_MAP);
  const team: unknown = doc.getMap('team');
  for (const type of transaction.changed.keys()) if (type === devices || type === team) return true;
  return false;
}
