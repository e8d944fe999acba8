/**
 * Team: a vault's members, their roles and devices, as a log of signed membership operations
 * that every peer checks and orders the same way (docs/sync.md, "Members and roles"; the bytes
 * are in docs/crypto.md, "Team operations"). Pure: bytes and plain objects in and out, no Yjs,
 * no storage, no clock, no randomness of its own.
 *
 * Contract:
 * - Roles: owner > admin > editor > viewer (Kinesis ROOT = owner, ADMIN = admin). `roleMay`
 *   is the entry table; `manages` says whose membership a role may change.
 * - A member is a person (`MemberId`, 16 random bytes the caller draws), with one or more
 *   devices (`DeviceId`, the Ed25519 public key). Ids are never reused after a removal.
 * - An operation (`createOperation`) is signed by one device with its device key, domain
 *   "coffer/v1/team-op", over `id = SHA-256(body)`; `parents` name the heads its author knew,
 *   so the log is a DAG and concurrent changes are all kept. `decodeOperation` checks layout
 *   and signature and throws TeamOperationError; it does not judge permission.
 * - `mayDo(roster, device, body)` and `mayOnEntries(roster, device, action)` answer from a
 *   roster alone and never throw.
 * - `deriveTeam(records, anchor)` gives the same TeamState for the same set of records, in any
 *   order, duplicated or not: each operation is judged at the state of its own ancestors and
 *   at the state it is applied to, in the order of the rule (higher author role, then removal,
 *   then lower id). Bad records are refused with a reason; operations with unknown parents are
 *   held. `removals` lists what must trigger a key rotation.
 * - Sync applies it (src/core/sync/team-rules.ts, team-actions.ts, epoch-keys.ts): envelopes
 *   are judged against the TeamState, removals start a new key epoch. The anchor (vault id and
 *   its genesis id) comes from the vault's creator (src/core/vault/team-log.ts).
 * - Depends on crypto (bytes), ids, and device (signAs, verifySignature) only, not on sync, so
 *   sync may import this module when it checks envelopes against a TeamState.
 */
export {
  type AuthorizationRefusal,
  type Decision,
  mayDo,
  mayOnEntries,
} from './authorize';
export { decodeOperation } from './decode';
export {
  activeDevices,
  type DeriveRefusal,
  deriveTeam,
  type HeldOperation,
  type RefusedOperation,
  type StoredOperation,
  type TeamAnchor,
  type TeamState,
} from './derive';
export {
  InvalidMemberIdError,
  TeamOperationError,
  type TeamOperationProblem,
  TeamPermissionError,
} from './errors';
export {
  asMemberId,
  isMemberId,
  isOperationId,
  type MemberId,
  memberIdLength,
  memberIdOf,
  type OperationId,
} from './ids';
export {
  compareOperationIds,
  createOperation,
  encodeOperation,
  maxNameBytes,
  maxParents,
  type Operation,
  type OperationBody,
  type OperationContext,
  type OperationDraft,
  type OperationKind,
  type SignedOperation,
  teamOpDomain,
} from './operation';
export {
  type EntryAction,
  entryActions,
  manages,
  type Role,
  rankOf,
  roleMay,
  roles,
} from './roles';
export {
  activeDevicesOf,
  activeMemberOf,
  type DeviceRecord,
  type MemberRecord,
  type Removal,
  type Roster,
} from './roster';
