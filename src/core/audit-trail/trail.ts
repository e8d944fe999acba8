/**
 * `AuditTrail`: the audit log of one open vault, written by this device and read for the view.
 * Writes go through one queue, in order; none throws into the caller. Reads verify the stored
 * records and cache the result until the vault's audit map changes.
 */
import {
  type AuditChainHead,
  type AuditFilter,
  type AuditMemberRef,
  type AuditPage,
  type AuditPageRequest,
  type AuditRecord,
  type AuditVerification,
  auditToCsv,
  auditToJson,
  defaultRetention,
  headOf,
  queryAuditLog,
  type RecordableAuditEvent,
  type RetentionPolicy,
  readAuditRecord,
  trimAuditLog,
  verifyAuditLog,
  writeAuditRecord,
} from '../audit';
import type { DeviceIdentity } from '../device';
import type { DeviceId } from '../ids';
import { handleOf, type Vault, type VaultHandle } from '../vault';
import { findOwnHead, memberDevices } from './chain';
import { entryEvent, integrationRunEvent, type UpdateShape, updateEvents } from './events';
import { type AuditDevice, deviceNamesOf, memberNamesOf } from './names';

export interface AuditTrailOptions {
  /** The open vault, as the UI holds it (or its handle, in core). */
  readonly vault: Vault | VaultHandle;
  /** This device: it signs what it records. */
  readonly device: DeviceIdentity;
  /** Milliseconds since the epoch: the records' time, and what retention measures ages from. */
  readonly clock: () => number;
  /** This device's member, once teams name one. */
  readonly member?: AuditMemberRef;
  /** The retention policy `trim` applies (default: one year or 20,000 records). */
  readonly policy?: RetentionPolicy;
  /** Where a failed write is told (default console.warn); gets a fixed text, never a name. */
  readonly warn?: (message: string) => void;
}

interface Pending {
  readonly event: RecordableAuditEvent;
  readonly time: number;
  readonly done: () => void;
}

const defaultWarn = (message: string) => console.warn(message);

/** One trail per open handle and device: two would each keep a head and fork the chain. */
const trails = new WeakMap<VaultHandle, Map<DeviceId, AuditTrail>>();

export class AuditTrail {
  readonly #handle: VaultHandle;
  readonly #device: DeviceIdentity;
  readonly #clock: () => number;
  readonly #member: AuditMemberRef | undefined;
  readonly #warn: (message: string) => void;
  readonly #policy: RetentionPolicy;
  #ageChecked = false;
  #head: AuditChainHead | null | undefined;
  #pending: Pending[] = [];
  #tail: Promise<void> = Promise.resolve();
  #verification: AuditVerification | undefined;
  #knownHeads = new Map<DeviceId, AuditChainHead>();
  #observed: { map: ReturnType<VaultHandle['audit']['map']>; stop: () => void } | undefined;
  readonly #listeners = new Set<() => void>();
  readonly #stopChanges: () => void;

  /** `lastActiveAt` by device, with the hint it was read from. */
  readonly #lastActive = new Map<string, { hint: string; time: number | undefined }>();

  constructor(options: AuditTrailOptions) {
    this.#handle = handleOf(options.vault);
    this.#device = options.device;
    this.#clock = options.clock;
    this.#member = options.member;
    this.#warn = options.warn ?? defaultWarn;
    this.#policy = options.policy ?? defaultRetention;
    this.#observe();
    // A reload replaces the document, and with it the map: observe the new one.
    this.#stopChanges = this.#handle.onChange(() => this.#observe());
  }

  /**
   * The trail of this vault and device: the one made before for the same open handle (so every
   * writer of a handle, the UI and an integration run sharing it, goes through one queue and
   * one head), or a new one.
   */
  static of(options: AuditTrailOptions): AuditTrail {
    const handle = handleOf(options.vault);
    const byDevice = trails.get(handle) ?? new Map<DeviceId, AuditTrail>();
    trails.set(handle, byDevice);
    const existing = byDevice.get(options.device.id);
    if (existing) return existing;
    const trail = new AuditTrail(options);
    byDevice.set(options.device.id, trail);
    return trail;
  }

  /** This device's id: the author of what this trail records. */
  get device(): DeviceId {
    return this.#device.id;
  }

  /**
   * Records an event, after the ones recorded before it. Resolves once it is saved or its
   * write failed (told through `warn`, and tried again with the next record); never rejects.
   */
  record(event: RecordableAuditEvent): Promise<void> {
    let time: number;
    try {
      time = Math.max(0, Math.floor(this.#clock()));
    } catch {
      time = 0;
    }
    return new Promise<void>((done) => {
      this.#pending.push({ event, time, done });
      this.#enqueue(() => this.#writePending());
    });
  }

  /** The vault was opened here. */
  opened(): Promise<void> {
    return this.record({ action: 'vault-opened' });
  }

  /** The vault is being closed here: record before closing, and await it. */
  closed(): Promise<void> {
    return this.record({ action: 'vault-closed' });
  }

  /** The vault's contents, or its audit log, left the vault (a copy, an export file). */
  exported(): Promise<void> {
    return this.record({ action: 'export' });
  }

  /** A secret of the entry named `entry` was shown or copied. */
  secretAccessed(how: 'shown' | 'copied', entry: string): Promise<void> {
    return this.#maybe(entryEvent(how === 'shown' ? 'secret-shown' : 'secret-copied', entry));
  }

  entryCreated(name: string): Promise<void> {
    return this.#maybe(entryEvent('entry-created', name));
  }

  entryDeleted(name: string): Promise<void> {
    return this.#maybe(entryEvent('entry-deleted', name));
  }

  /** The entry named `before` was updated with `changes` (only which keys are given counts). */
  async entryUpdated(before: string | undefined, changes: UpdateShape): Promise<void> {
    const events = before === undefined ? [] : updateEvents(before, changes);
    await Promise.all(events.map((event) => this.record(event)));
  }

  /** An integration named `integration` ran and read the entries named `entries`. */
  integrationRun(integration: string, entries: readonly string[]): Promise<void> {
    return this.#maybe(integrationRunEvent(integration, entries));
  }

  #maybe(event: RecordableAuditEvent | undefined): Promise<void> {
    if (event) return this.record(event);
    this.#warn('coffer: an audit event was not recorded: a name did not pass the checks');
    return Promise.resolve();
  }

  /** Resolves when every record asked for so far was written (or failed). */
  flush(): Promise<void> {
    return this.#tail;
  }

  /**
   * Applies the retention policy (the trail's, unless given) when the log is over it: drops
   * the oldest records of chains and writes one `trimmed` record, so what is kept still
   * verifies. Cheap when there is nothing to do: without a verification at hand it counts the
   * stored records (verifying every signature takes milliseconds a record), and the age limit
   * is checked whenever a verification is made (`verify`). Over the count limit it trims to 90 %
   * of it, so a vault at its limit is not re-verified at every opening. Resolves true if it
   * trimmed; never rejects (a failure is told through `warn`).
   */
  trim(policy: RetentionPolicy = this.#policy): Promise<boolean> {
    let trimmed = false;
    this.#enqueue(async () => {
      if (this.#handle.closed) return;
      const overCount = this.#handle.audit.size() > policy.maxRecords;
      if (!overCount && !this.#verification) return;
      const verification = this.verify();
      const now = this.#clock();
      const oldest = verification.records.reduce((min, r) => Math.min(min, r.time), now);
      if (!overCount && now - oldest <= policy.maxAgeMs) return;
      const target = overCount
        ? { ...policy, maxRecords: Math.max(2, Math.floor(policy.maxRecords * 0.9)) }
        : policy;
      const result = trimAuditLog(verification, {
        identity: this.#device,
        head: this.#ownHead(),
        vault: this.#handle.id,
        now,
        policy: target,
        ...(this.#member === undefined ? {} : { member: this.#member }),
      });
      if (!result.trim) return;
      await this.#handle.audit.replace(result.drop, [result.trim], {
        device: this.#device.id,
        id: result.trim.id,
      });
      this.#head = headOf(result.trim);
      trimmed = true;
    });
    return this.#tail.then(() => trimmed);
  }

  /**
   * The stored records verified against the vault's devices (every device that is or was in
   * its list). Cached until the audit map changes.
   */
  verify(): AuditVerification {
    this.#observe();
    if (this.#verification) return this.#verification;
    const verification = verifyAuditLog(this.#handle.audit.records(), {
      vault: this.#handle.id,
      members: memberDevices(this.#handle, this.#device.id),
      knownHeads: this.#knownHeads,
    });
    // A head seen now is one whose loss the next verification reports (unless trimmed).
    for (const report of verification.devices) {
      if (report.head) this.#knownHeads.set(report.device, report.head);
    }
    this.#verification = verification;
    if (!this.#ageChecked) {
      // Once per opening: a log past the age limit is trimmed after this read.
      this.#ageChecked = true;
      const cutoff = this.#clock() - this.#policy.maxAgeMs;
      if (verification.records.some((record) => record.time < cutoff)) void this.trim();
    }
    return verification;
  }

  /** One page of verified records, newest first. */
  page(filter: AuditFilter, request: AuditPageRequest): AuditPage {
    return queryAuditLog(this.verify().records, filter, request);
  }

  /** The verified records that match `filter`, newest first. */
  matching(filter: AuditFilter = {}): readonly AuditRecord[] {
    const records = this.verify().records;
    return queryAuditLog(records, filter, { limit: Math.max(1, records.length) }).records;
  }

  exportCsv(filter: AuditFilter = {}): string {
    return auditToCsv(this.matching(filter));
  }

  exportJson(filter: AuditFilter = {}): string {
    return auditToJson(this.matching(filter));
  }

  /** The vault's devices with their names (removed ones too), for showing who wrote what. */
  devices(): AuditDevice[] {
    if (this.#handle.closed) return [];
    const named = deviceNamesOf(this.#handle);
    const ids = new Set<DeviceId>([...named.keys(), this.#device.id]);
    for (const report of this.verify().devices) ids.add(report.device);
    return [...ids].map((id) => ({ id, name: named.get(id) }));
  }

  /**
   * When `device` last wrote a record here, by its own clock (display only): its latest record,
   * found through its chain's head hint, one signature check. Undefined if it wrote none, or its
   * hint does not name a genuine record of it.
   */
  lastActiveAt(device: string): number | undefined {
    if (this.#handle.closed) return undefined;
    const hint = this.#handle.audit.headHint(device);
    if (hint === undefined) return undefined;
    const cached = this.#lastActive.get(device);
    if (cached?.hint === hint) return cached.time;
    let time: number | undefined;
    try {
      const stored = this.#handle.audit.get(hint);
      const record = stored && readAuditRecord(stored.bytes, stored.id);
      if (record && record.device === device && record.vault === this.#handle.id)
        time = record.time;
    } catch {
      // Not a genuine record: no time to show.
    }
    this.#lastActive.set(device, { hint, time });
    return time;
  }

  /** The vault's members' names by member id (empty without a team): who a role change is about. */
  memberNames(): ReadonlyMap<string, string> {
    return memberNamesOf(this.#handle);
  }

  /** Calls `listener` when the stored records change (here or from another device). */
  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Stops observing the vault. Records already asked for are still written. */
  dispose(): void {
    this.#stopChanges();
    this.#observed?.stop();
    this.#observed = undefined;
    this.#listeners.clear();
  }

  #enqueue(task: () => Promise<void>): void {
    this.#tail = this.#tail.then(task).catch(() => {
      this.#warn('coffer: an audit task failed; it is tried again with the next record');
    });
  }

  #ownHead(): AuditChainHead | null {
    this.#head ??= findOwnHead(this.#handle.audit, this.#device.id);
    return this.#head;
  }

  /** Signs every pending event in order and saves them in one change; on failure keeps them. */
  async #writePending(): Promise<void> {
    const batch = this.#pending;
    if (batch.length === 0) return;
    if (this.#handle.closed) {
      this.#pending = [];
      this.#warn('coffer: the vault closed before its audit records were written');
      for (const item of batch) item.done();
      return;
    }
    this.#pending = [];
    const signed: AuditRecord[] = [];
    const kept: Pending[] = [];
    try {
      let head = this.#ownHead();
      for (const item of batch) {
        try {
          const record = writeAuditRecord(this.#device, head, {
            vault: this.#handle.id,
            time: item.time,
            event: item.event,
            ...(this.#member === undefined ? {} : { member: this.#member }),
          });
          signed.push(record);
          kept.push(item);
          head = headOf(record);
        } catch {
          // An event the writer refuses is dropped (retrying cannot help); its caller is done.
          this.#warn('coffer: an audit event was not recorded: it did not pass the checks');
          item.done();
        }
      }
      if (signed.length === 0) return;
      await this.#handle.audit.append(
        signed.map((record) => ({ id: record.id, bytes: record.bytes })),
        head === null ? undefined : { device: this.#device.id, id: head.id },
      );
      this.#head = head;
      for (const item of kept) item.done();
    } catch {
      // Not saved: tried again, in order, before the next record.
      this.#pending = [...kept, ...this.#pending];
      this.#warn('coffer: an audit record could not be saved; it is tried again with the next one');
      for (const item of kept) item.done();
    }
  }

  /** Observes the current audit map; a change drops the cached verification. */
  #observe(): void {
    if (this.#handle.closed) return;
    const map = this.#handle.audit.map();
    if (this.#observed?.map === map) return;
    this.#observed?.stop();
    const changed = () => {
      this.#verification = undefined;
      for (const listener of [...this.#listeners]) {
        try {
          listener();
        } catch {
          this.#warn('coffer: an audit change listener failed');
        }
      }
    };
    map.observe(changed);
    this.#observed = { map, stop: () => map.unobserve(changed) };
    this.#verification = undefined;
  }
}
