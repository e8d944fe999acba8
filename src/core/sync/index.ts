/**
 * Sync: devices and small teams keep a vault in step, peer to peer, with nothing readable on
 * the way (docs/sync.md is the protocol; docs/crypto.md the formats).
 *
 * Contract:
 * - Each profile has a device identity (Ed25519, `Session.device()`); each vault a device list
 *   and a membership log in its own document. Only listed devices' changes are applied; with a
 *   team, only those of active members' devices, and a viewer's only where they add to the
 *   self-judging maps (`judgeByRole`; docs/sync.md, "Members and roles"). `VaultSync.team`
 *   (TeamActions) makes membership changes as signed operations, each checked first
 *   (TeamPermissionError); a removal starts a new key epoch (`EpochKeys`; "Key epochs"), and
 *   envelopes are sealed under the current epoch's sync key and opened by key id.
 * - A change travels only as a sealed, signed envelope (`sealEnvelope` / `openEnvelope`): vault
 *   id, author, sequence number, the id of the author's previous envelope (a per-author hash
 *   chain), the change sealed under the vault's sync key (a change of megabytes, a checkpoint,
 *   as a bulk: deflated, then AES-256-GCM under a one-time key that the sync key seals, `sealBulkPayload`,
 *   sealed before the envelope takes its place in the chain), the author's signature. A removal
 *   names the removed device's last accepted envelope; only it and its ancestors stand.
 *   `SyncPeer.receive` applies an envelope only if it checks out; anything else (garbage,
 *   truncation, forgery, another vault, an outsider, a removed device) changes nothing and is
 *   counted. Envelopes may arrive in any order and more than once.
 * - The map is bounded by acknowledgement (acknowledgement.ts; docs/sync.md, "Bounded by
 *   acknowledgement"): a device removes its own keys of earlier sessions and junk, and a
 *   carrier (not a viewer) removes another device's envelope once its own checkpoint and every
 *   other active device's checkpoint cover it by Yjs content, never a device's current keys.
 * - `EnvelopeExchange` publishes envelopes in a Yjs map that a transport replicates as is;
 *   `webrtcTransport` is that transport in the browser (y-webrtc, unmodified, with framed data
 *   channels), combined (`combineTransports`) with `relayTransport`: a Hocuspocus mailbox relay
 *   where the same sealed envelopes wait for devices that are closed now (src/core/relay).
 *   Room names and passwords are derived from the vault key (`roomNameOf`,
 *   `transportPasswordOf`): a signaling relay sees only those.
 * - `VaultSync.start` runs all of it for an open vault (in the tab that holds its lock), answers
 *   its invitations, and reports a status. `joinWithInvite` is the other side of an invitation;
 *   the envelopes that follow an acceptance (in the invitation's room, right after it) are
 *   checked and applied like the room's when the vault's sync starts, once they are here
 *   (first-sync.ts), so a new device need not wait for the vault's room.
 *   `start` then resolves before they are applied (the vault shows at once, its entries as
 *   they are applied); `sync.firstBatch` settles once they are saved and the room is joined.
 * - Errors: EnvelopeRejectedError (why an envelope was refused), InviteError (why an invitation
 *   cannot be used), FramingError (a peer broke the data-channel framing), and the team's
 *   TeamPermissionError (what this device's member may not do).
 */

export {
  asDeviceId,
  asInviteId,
  type DeviceId,
  deviceIdOf,
  type InviteId,
  isDeviceId,
  isInviteId,
} from '../ids';
export {
  defaultRoomQuotaBytes,
  parseRelayRefusal,
  type RelayRefusal,
  type RelayRefusalReason,
  type RelayRoom,
  relayPath,
  relayRoomOf,
} from '../relay';
export {
  CompressedPayloadError,
  type CompressedPayloadProblem,
  type SyncBulk,
  sealBulkPayload,
} from './bulk-payload';
export { createChunkingWrtc, type NativeWebRtc } from './chunking-wrtc';
export { combinedStatus, combineTransports } from './combined-transport';
export {
  type AuthorCheck,
  chainStart,
  type EnvelopeHeader,
  type EnvelopeKind,
  type EnvelopeToCheck,
  envelopeBodyDigest,
  type OpenedEnvelope,
  openEnvelope,
  readEnvelopeHeader,
  sealEnvelope,
  sealEnvelopeWithId,
} from './envelope';
export { ROOM_EPOCHS_MAP, rotationPauseMs } from './epoch-keys';
export {
  EnvelopeRejectedError,
  type EnvelopeRejection,
  InviteError,
  type InviteProblem,
} from './errors';
export { ENVELOPES_MAP, EnvelopeExchange, type ExchangeCompaction } from './exchange';
export { FramingError } from './framing';
export { inviteMaterial } from './invite';
export type { CreatedInvite, InviteOptions } from './invite-desks';
export { encodeInviteToken, type InviteToken, inviteLink, parseInvite } from './invite-token';
export { type JoinOptions, joinWithInvite, type ReceivedVault } from './join';
export { roomNameOf, syncKeyOf, transportPasswordOf } from './keys';
export { type AcceptedPoint, type ReceiveReport, type SyncableVault, SyncPeer } from './peer';
export { ownRelayUrl, type RelayTransportOptions, relayTransport } from './relay-transport';
export type { TeamActions, TeamChange } from './team-actions';
export type { SyncAuditEvent } from './team-events';
export { type EnvelopeVerdict, judgeByRole, selfJudgingRoots } from './team-rules';
export type {
  RelayProblem,
  RoomOptions,
  Transport,
  TransportFactory,
  TransportState,
  TransportStatus,
} from './transport';
export {
  type Membership,
  type SyncStatus,
  VaultSync,
  type VaultSyncOptions,
} from './vault-sync';
export {
  dataChannelConfig,
  type WebrtcTransportOptions,
  webrtcTransport,
} from './webrtc-transport';
