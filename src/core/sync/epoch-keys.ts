/**
 * Key epochs in a running sync (docs/sync.md, "Key epochs"; the record is docs/crypto.md's):
 * which key this device seals under, which keys it opens with, and when the key changes.
 *
 * - Epoch 0 is the vault key itself, which every device that ever held the vault has. A
 *   removal, or a device added, starts a new epoch: a fresh key sealed to each active device
 *   (`rotateEpoch`), with the previous key sealed under it so history still opens.
 * - Records travel two ways: in the vault's document (map 'epochs', so they are kept and come
 *   to every device with everything else) and in the clear in the room's shared document (map
 *   'epochs'), because a device cannot open envelopes sealed under a key whose record it has
 *   not seen. A record is signed and its keys are sealed per device, so the room learns only
 *   how many devices each is for and their public keys (which envelopes show anyway).
 * - Every record this device can open adds its key (and, through the history, the keys before
 *   it) to the keys envelopes open with: opening proves nothing of an envelope, its author's
 *   signature and the author check do. Sealing uses only a record the team vouches for: signed
 *   by an active device, and sealed to active devices only (a removed device in it makes it
 *   unusable); the highest epoch wins, then the lower record id.
 * - Rotation is needed when the team has removed devices and the current key predates it (or
 *   includes them), or when an active device is not among its recipients. The device that
 *   made the last membership change rotates at once; any other active device after a pause,
 *   if it is still needed (so an offline remover's change still ends in a rotation).
 */

import { sha256 } from '@noble/hashes/sha2.js';
import type * as Y from 'yjs';
import { fromBase64url, keyIdOf, toBase64url, type VaultKey } from '../crypto';
import type { DeviceIdentity } from '../device';
import {
  asMembershipOperationId,
  type EpochRecordInfo,
  openEpochRecord,
  openPreviousKey,
  rotateEpoch,
  verifyEpochRecord,
} from '../epochs';
import type { DeviceId } from '../ids';
import { activeDevices, activeMemberOf, manages, type OperationId, type TeamState } from '../team';
import type { Cancel, Scheduler } from '../time';
import { type VaultHandle, vaultKeyOf } from '../vault';

/** The room's map of epoch records: record id -> bytes. */
export const ROOM_EPOCHS_MAP = 'epochs';

/** How long a device that did not make a membership change waits before rotating for it. */
export const rotationPauseMs = 4000;

export interface EpochKeysHost {
  readonly vault: VaultHandle;
  readonly device: DeviceIdentity;
  /** The room's shared document (the envelope exchange's). */
  readonly roomDoc: Y.Doc;
  readonly scheduler: Scheduler;
  /** Gives the peer its keys: `current` seals, all open. */
  useKeys(current: VaultKey, all: readonly VaultKey[]): Promise<unknown>;
  /** Called after this device's sealing key changed (to publish a checkpoint under it). */
  onSealingKeyChanged(epoch: number): void;
  /** Called when this device made a rotation (for the audit log). */
  onRotated?(epoch: number): void;
}

interface KnownRecord {
  readonly id: string;
  readonly bytes: Uint8Array;
  readonly info: EpochRecordInfo;
}

/** A record's id: the SHA-256 of its bytes (records are a few kilobytes at most). */
const recordIdOf = (bytes: Uint8Array) => toBase64url(sha256(bytes));

export class EpochKeys {
  readonly #host: EpochKeysHost;
  readonly #records = new Map<string, KnownRecord>();
  /** Ids of room records that failed to verify: not looked at again. */
  readonly #bad = new Set<string>();
  /** Keys this device holds, by key id (base64url). */
  readonly #keys = new Map<string, VaultKey>();
  /** Key id -> epoch, for the keys this device holds. */
  readonly #epochOf = new Map<string, number>();
  #current: { epoch: number; keyId: string; recordId: string | null };
  #busy: Promise<void> = Promise.resolve();
  #pending: Cancel | undefined;
  #stopped = false;
  /** What the peer was last given (current key id and how many keys), to give it only news. */
  #given = '';
  readonly #observer = () => this.refresh();

  constructor(host: EpochKeysHost) {
    this.#host = host;
    const base = vaultKeyOf(host.vault);
    const baseId = toBase64url(keyIdOf(base));
    this.#keys.set(baseId, base);
    this.#epochOf.set(baseId, 0);
    this.#current = { epoch: 0, keyId: baseId, recordId: null };
  }

  /** The epoch this device seals under now (0: the vault key). */
  get epoch(): number {
    return this.#current.epoch;
  }

  /**
   * Whether a newer key was made without this device, for a membership change its log does not
   * have (docs/sync.md, "Key epochs"): a record signed by a device whose member may remove this
   * one (as this device's log has them: its own member, or one that manages its member's role,
   * as authorize.ts has it for 'remove-device'), of an epoch above every key held here, that leaves
   * this device out and names as its cause an operation unknown here. That is how a removed
   * device learns of its removal when it missed the envelope that carried it: that envelope is
   * in the room, under a key it holds, only until the remover's next checkpoint (sealed under
   * the new key) replaces it. A device added concurrently with a rotation may read so for a
   * moment, until the change it lacks (or a record for it) arrives; a member that may not
   * remove this device cannot make it read so.
   */
  get leftOut(): boolean {
    const { vault, device } = this.#host;
    if (vault.closed) return false;
    const team = vault.team.state();
    const me = team ? activeMemberOf(team, device.id) : undefined;
    if (!team || !me) return false;
    const held = Math.max(0, ...this.#epochOf.values());
    for (const { info } of this.#records.values()) {
      if (info.epoch <= held || info.recipients.includes(device.id)) continue;
      const signer = activeMemberOf(team, info.signer);
      // Another device of this device's own member may remove it, whatever the member's role:
      // an owner removing its own old phone is the common case, and `manages` is false for an
      // owner's devices (nobody manages an owner).
      if (!signer || (signer.id !== me.id && !manages(signer.role, me.role))) continue;
      if (!team.operations.has(toBase64url(info.cause) as OperationId)) return true;
    }
    return false;
  }

  start(): Promise<void> {
    this.#host.roomDoc.getMap(ROOM_EPOCHS_MAP).observe(this.#observer);
    return this.refresh();
  }

  stop(): void {
    this.#stopped = true;
    this.#pending?.();
    this.#host.roomDoc.getMap(ROOM_EPOCHS_MAP).unobserve(this.#observer);
  }

  /** Looks again at the records and the team (after either changed). One look at a time. */
  refresh(): Promise<void> {
    const run = () => this.#refresh();
    this.#busy = this.#busy.then(run, run);
    return this.#busy;
  }

  async #refresh(): Promise<void> {
    const { vault } = this.#host;
    if (this.#stopped || vault.closed) return;
    const added = await this.#collect();
    if (this.#stopped || vault.closed) return;
    if (added.length > 0) await vault.team.appendEpochRecords(added);
    this.#mirror();
    await this.#openWhatWeCan();
    const team = vault.team.state();
    const usable = team ? this.#bestUsable(team) : undefined;
    let sealingChanged = false;
    if (usable) {
      const keyId = toBase64url(usable.info.keyId);
      if (keyId !== this.#current.keyId) {
        this.#current = { epoch: usable.info.epoch, keyId, recordId: usable.id };
        sealingChanged = true;
      }
    } else if (this.#current.recordId !== null) {
      // The record sealed under went bad (a recipient was removed): the vault key until the
      // rotation that follows.
      const baseId = toBase64url(keyIdOf(vaultKeyOf(vault)));
      this.#current = { epoch: 0, keyId: baseId, recordId: null };
    }
    const given = `${this.#current.keyId}/${this.#keys.size}`;
    if (given !== this.#given) {
      this.#given = given;
      await this.#host.useKeys(this.#keys.get(this.#current.keyId)!, [...this.#keys.values()]);
    }
    // Only now: the checkpoint this asks for must be sealed under the new key, which the peer
    // has from `useKeys` on. (Asked for before, it was sealed under the old one, and so a
    // device just removed could read the state as of the rotation: the removal included.)
    if (sealingChanged) this.#host.onSealingKeyChanged(this.#current.epoch);
    if (team) this.#planRotation(team);
  }

  /** Records from the vault and the room not seen before, verified; those new to the vault. */
  async #collect(): Promise<{ id: string; bytes: Uint8Array }[]> {
    const { vault } = this.#host;
    const newToVault: { id: string; bytes: Uint8Array }[] = [];
    const candidates: { id: string; bytes: Uint8Array; fromRoom: boolean }[] = [
      ...vault.team.epochRecords().map((r) => ({ ...r, fromRoom: false })),
    ];
    for (const [id, bytes] of this.#host.roomDoc.getMap(ROOM_EPOCHS_MAP).entries())
      if (bytes instanceof Uint8Array) candidates.push({ id, bytes, fromRoom: true });
    for (const candidate of candidates) {
      if (this.#records.has(candidate.id) || this.#bad.has(candidate.id)) continue;
      try {
        if (recordIdOf(candidate.bytes) !== candidate.id) throw new Error('wrong id');
        const info = await verifyEpochRecord(candidate.bytes, { vaultId: vault.id });
        this.#records.set(candidate.id, { id: candidate.id, bytes: candidate.bytes, info });
        if (candidate.fromRoom && !vault.team.epochRecords().some((r) => r.id === candidate.id))
          newToVault.push({ id: candidate.id, bytes: candidate.bytes });
      } catch {
        // Anyone in the room can write there: what does not verify is ignored.
        this.#bad.add(candidate.id);
      }
    }
    return newToVault;
  }

  /** Puts every record this device knows in the room, where a device may need it first. */
  #mirror(): void {
    const room = this.#host.roomDoc.getMap(ROOM_EPOCHS_MAP);
    const missing = [...this.#records.values()].filter((r) => room.get(r.id) !== r.bytes);
    if (missing.length === 0) return;
    this.#host.roomDoc.transact(() => {
      for (const record of missing) room.set(record.id, record.bytes);
    });
  }

  /** Adds every key this device can reach: records sealed to it, and their histories. */
  async #openWhatWeCan(): Promise<void> {
    const { vault, device } = this.#host;
    for (const record of this.#records.values()) {
      const keyId = toBase64url(record.info.keyId);
      if (this.#keys.has(keyId) || !record.info.recipients.includes(device.id)) continue;
      try {
        const opened = await openEpochRecord(record.bytes, { vaultId: vault.id, device });
        this.#learn(keyId, opened.key, record.info.epoch);
      } catch {
        // A record signed by a device but damaged for us: its key stays unknown here.
      }
    }
    // Walk histories back: a known key opens the key before it in its record.
    for (let grew = true; grew; ) {
      grew = false;
      for (const record of this.#records.values()) {
        const key = this.#keys.get(toBase64url(record.info.keyId));
        const previousId = toBase64url(record.info.previousKeyId);
        if (!key || this.#keys.has(previousId) || record.info.epoch === 0) continue;
        try {
          const opened = await openPreviousKey(record.bytes, { vaultId: vault.id, key });
          if (opened.previousKey) {
            this.#learn(previousId, opened.previousKey, record.info.epoch - 1);
            grew = true;
          }
        } catch {
          // Damaged history: older envelopes under that key stay closed here.
        }
      }
    }
  }

  #learn(keyId: string, key: VaultKey, epoch: number): void {
    this.#keys.set(keyId, key);
    this.#epochOf.set(keyId, epoch);
  }

  /** The record to seal under: vouched for by the team, held here; highest epoch, lower id. */
  #bestUsable(team: TeamState): KnownRecord | undefined {
    let best: KnownRecord | undefined;
    for (const record of this.#records.values()) {
      if (!this.#keys.has(toBase64url(record.info.keyId))) continue;
      if (!vouched(team, record.info)) continue;
      if (
        !best ||
        record.info.epoch > best.info.epoch ||
        (record.info.epoch === best.info.epoch && record.id < best.id)
      )
        best = record;
    }
    return best;
  }

  #planRotation(team: TeamState): void {
    const { device } = this.#host;
    if (!activeMemberOf(team, device.id) || !this.#rotationNeeded(team)) return;
    const last = team.order.at(-1);
    const mine = last !== undefined && team.operations.get(last)?.operation.author === device.id;
    if (mine) {
      void this.#rotate(team);
      return;
    }
    if (this.#pending) return;
    this.#pending = this.#host.scheduler.after(rotationPauseMs, () => {
      this.#pending = undefined;
      const now = this.#host.vault.closed ? undefined : this.#host.vault.team.state();
      if (now && !this.#stopped && this.#rotationNeeded(now)) void this.#rotate(now);
    });
  }

  #rotationNeeded(team: TeamState): boolean {
    const active = activeDevices(team);
    const hasRemovals = [...team.devices.values()].some((d) => d.removed !== undefined);
    const record = this.#current.recordId ? this.#records.get(this.#current.recordId) : undefined;
    // Under the vault key, which every device that ever held the vault has: only a removal
    // makes that a problem (every device added since got the vault key with its invitation).
    if (!record) return hasRemovals;
    return active.some((id) => !record.info.recipients.includes(id));
  }

  #rotate(team: TeamState): Promise<void> {
    const run = async () => {
      const { vault, device } = this.#host;
      if (this.#stopped || vault.closed || !this.#rotationNeeded(team)) return;
      const cause = team.order.at(-1);
      if (cause === undefined) return;
      const previousKey = this.#keys.get(this.#current.keyId)!;
      const highest = Math.max(0, ...[...this.#records.values()].map((r) => r.info.epoch));
      const rotated = await rotateEpoch({
        vaultId: vault.id,
        previous: { epoch: Math.max(highest, this.#current.epoch), key: previousKey },
        cause: asMembershipOperationId(fromBase64url(cause)),
        devices: activeDevices(team),
        signer: device,
        yieldToEventLoop: () => new Promise((resolve) => setTimeout(resolve, 0)),
        recipientsPerSlice: 8,
      });
      if (this.#stopped || vault.closed) return;
      const id = recordIdOf(rotated.record);
      await vault.team.appendEpochRecords([{ id, bytes: rotated.record }]);
      this.#host.roomDoc.getMap(ROOM_EPOCHS_MAP).set(id, rotated.record);
      this.#host.onRotated?.(rotated.epoch);
    };
    this.#busy = this.#busy.then(run, run).then(() => this.#refresh());
    return this.#busy;
  }
}

/** Whether the team vouches for a record: signed by an active device, for active devices only. */
function vouched(team: TeamState, info: EpochRecordInfo): boolean {
  if (!activeMemberOf(team, info.signer)) return false;
  return info.recipients.every((id: DeviceId) => activeMemberOf(team, id) !== undefined);
}
