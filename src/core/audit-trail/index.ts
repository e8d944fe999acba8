/**
 * The audit trail of an open vault (issue 15; docs/audit.md, "In the app"): core/audit's
 * records written by this device into the vault's document, and read back verified.
 *
 * Contract:
 * - Storage is the vault document's root map 'audit' (record id -> record bytes), through
 *   `handle.audit` (core/vault's VaultAudit), so records sync with everything else. Each write
 *   is one saved change.
 * - `AuditTrail` is built per open vault with the vault (the UI's `Vault`, or the handle), this
 *   device's identity (`session.device()`) and a clock. `record(event)` queues the event: events
 *   are signed in order, each after this device's chain head (found once among the stored
 *   records, then kept), and saved. It never rejects: a failed save is told through `warn`
 *   (default console.warn, a fixed text without names or values) and retried before the next
 *   record. An event the writer refuses is dropped with a warning.
 * - The helpers (`opened`, `secretAccessed`, `entryCreated`, `entryUpdated`, ...) take names as
 *   strings and brand them with core/audit's helpers; there is no parameter for a value.
 *   `entryUpdated` looks only at which keys an update gives, never at their values.
 * - `verify()` runs `verifyAuditLog` over the stored records with every device that is or was
 *   in the vault's device list (and this one), passing the heads it saw before (`knownHeads`,
 *   in memory for this opening) so a dropped newest record shows as `truncated`. The result is
 *   cached until the audit map changes (a Y.Map observer; `onChange` tells listeners).
 * - `page`, `matching`, `exportCsv`, `exportJson` read the verified records only.
 * - `trim(policy = defaultRetention)` (in the same queue as writes) trims only when the log is
 *   over the policy: `trimAuditLog`, then one change that deletes the dropped records and adds
 *   the trim record.
 * - `devices()` and `memberNames()` name devices and members as the vault's device list and
 *   team give them (names.ts): display only, a record's author is its signed device id.
 * - Depends on audit, vault, device (types) and ids; integrations use it to record runs.
 */

export {
  type EntryAuditAction,
  entryEvent,
  integrationRunEvent,
  type ProviderSyncCounts,
  providerSyncEvent,
  renameEvent,
  type UpdateShape,
  updateEvents,
} from './events';
export type { AuditDevice } from './names';
export { AuditTrail, type AuditTrailOptions } from './trail';
