/**
 * The audit log (issue 15; docs/audit.md is its description, docs/crypto.md "Audit records"
 * its byte layout). Pure core: nothing here stores, syncs or reads a clock; the app wires it.
 *
 * Contract:
 * - A record says who (author device, and member when teams name one), what (an action and the
 *   names it concerns) and when (the author's clock: display only, never used to decide whether
 *   a record is genuine). It holds no value: `writeAuditRecord` takes branded names only
 *   (`auditEntryName`, `auditLabel`, `auditMemberRef` make them, and check them), and refuses,
 *   at run time too, any field it does not know.
 * - Each device's records for a vault form a hash chain: seq 1, 2, ..., each naming the one
 *   before by id (SHA-256 of its canonical body), signed by the device's Ed25519 key over the
 *   id ("coffer/v1/audit"). The writer keeps its head (`headOf`) and passes it back.
 * - `verifyAuditLog` takes the records as synced (any order, duplicates, gaps, damage) and the
 *   vault's devices (every device that is or was a member), and reports per device the records
 *   verified and the findings: altered, gap (dropped), fork, not-member, wrong-vault,
 *   out-of-sequence, and truncated (a head seen before, passed as `knownHeads`, now gone). Its
 *   result depends only on the set of records, not on their order.
 * - `trimAuditLog` applies a retention policy (`defaultRetention`: one year or 20,000 records
 *   per vault, whichever first): it drops the oldest records of chains and signs ONE `trimmed`
 *   record naming, per chain, the last record dropped and the count; the rest still verifies. A
 *   chain that starts after a missing record verifies only if a member's trim record says so.
 * - `queryAuditLog` filters (member, device, actions, entry, time range) and pages (cursor or
 *   offset) newest first; `auditToCsv` (RFC 4180, formula injection neutralised) and
 *   `auditToJson` export.
 * - provider-pull / provider-push (issue 16) name the remote path, the provider and counts of
 *   keys added, changed, removed and in conflict: never a key's value or name.
 * - Errors: AuditInputError (a field the writer, retention or query cannot use; names the
 *   field, never quotes the value), AuditRecordError (`readAuditRecord`: bytes that are not an
 *   authentic record, and why). Verification never throws for bad records: they are findings.
 *   Not CofferErrors yet: their codes are to be appended to core/errors' list (errors.ts).
 * - Depends on crypto (bytes), ids, and device's `signAs`/`verifySignature` (device keys), not
 *   on sync, so sync may import audit (to sync audit records).
 */
export { AuditInputError, AuditRecordError, type AuditRecordProblem } from './errors';
export { auditRecordToJson, auditToCsv, auditToJson, csvCell } from './export';
export {
  auditEntryName,
  auditLabel,
  auditMemberRef,
  isAuditEntryName,
  isAuditLabel,
  isAuditMemberRef,
  isAuditRole,
} from './names';
export {
  type AuditCursor,
  type AuditFilter,
  type AuditPage,
  type AuditPageRequest,
  entriesNamedBy,
  matchesAuditFilter,
  queryAuditLog,
} from './query';
export {
  type AuditDraft,
  headOf,
  isRecordId,
  readAuditRecord,
  writeAuditRecord,
} from './record';
export {
  defaultRetention,
  type RetentionPolicy,
  type TrimOptions,
  type TrimResult,
  trimAuditLog,
} from './retention';
export {
  type AuditAction,
  type AuditChainHead,
  type AuditEntryName,
  type AuditEvent,
  type AuditLabel,
  type AuditMemberRef,
  type AuditProviderKind,
  type AuditRecord,
  type AuditRecordId,
  type AuditRole,
  auditActions,
  auditProviderKinds,
  auditRoles,
  type ProviderSyncAuditEvent,
  type RecordableAuditEvent,
  type StoredAuditRecord,
  type TrimmedChain,
} from './types';
export {
  type AuditFinding,
  type AuditVerification,
  type DeviceAuditReport,
  type TrimExplanation,
  type VerifyAuditOptions,
  verifyAuditLog,
} from './verify';
