/**
 * `handle.members`: the devices that hold a vault and its open invitations, as stored in the
 * vault's document (members.ts has the records and the rules). Reads are synchronous; each
 * change is one saved change through the handle's queue, like an entry write, and is never
 * held back by damage: sync must still be able to fill a damaged vault's gaps.
 */
import type * as Y from 'yjs';
import type { DeviceId } from '../ids';
import {
  type AuthorStatus,
  authorStatus,
  type DeviceRecord,
  deleteInvite,
  type InviteRecord,
  readDeviceRecord,
  readDevices,
  readInviteRecord,
  readInvites,
  removalPoint,
  writeDevice,
  writeInvite,
} from './members';

/** What the members view needs from its handle. */
export interface MembersHost {
  /** The handle's current document (a reload replaces it). */
  doc(): Y.Doc;
  assertOpen(): void;
  /** Runs `change` in the handle's queue and saves what it changed. */
  mutate<T>(change: (doc: Y.Doc) => T): Promise<T>;
  now(): number;
  /** Records which device this profile is, once it is known (review marks name it). */
  setSelf(id: DeviceId): void;
  readonly introducedBy: string | undefined;
  readonly introducedMembers: readonly string[] | undefined;
}

/** The part of the members view that the UI and hooks may read. */
export interface MembersReader {
  /** The devices that hold this vault, oldest first, removed ones included (marked). */
  devices(): DeviceRecord[];
  /** Open and past invitations of this vault. */
  invites(): InviteRecord[];
}

export class VaultMembers implements MembersReader {
  readonly #host: MembersHost;

  constructor(host: MembersHost) {
    this.#host = host;
  }

  devices(): DeviceRecord[] {
    this.#host.assertOpen();
    return readDevices(this.#host.doc());
  }

  /** Where `author` stands in the device list (a removed one: see `removalPoint`). */
  authorStatus(author: string): AuthorStatus {
    const status = authorStatus(this.#host.doc(), author);
    // Until the device list arrives, the device that let us in is the one we trust, and the
    // devices it named in its answer; once the list names a device, the list decides.
    if (
      status === 'unknown' &&
      (author === this.#host.introducedBy || this.#host.introducedMembers?.includes(author))
    )
      return 'allowed';
    return status;
  }

  /**
   * Makes sure this device is in the vault's device list. A vault created here with an empty
   * list (new, or from before sync) gets this device as its first member; a vault joined by
   * invitation waits for the inviting device's record. Keeps the device's name current.
   */
  claimDevice(device: { id: DeviceId; name: string }, mayFound: boolean): Promise<AuthorStatus> {
    this.#host.setSelf(device.id);
    return this.#host.mutate((doc) => {
      const record = readDeviceRecord(doc, device.id);
      if (!record) {
        if (!mayFound || readDevices(doc).length > 0) return 'unknown';
        writeDevice(doc, {
          id: device.id,
          name: device.name,
          addedAt: this.#host.now(),
          addedBy: null,
        });
        return 'allowed';
      }
      if (record.revokedAfterSeq !== undefined) return 'revoked';
      if (record.name !== device.name) writeDevice(doc, { ...record, name: device.name });
      return 'allowed';
    });
  }

  /** Admits a device (an invitation was accepted). */
  addDevice(record: DeviceRecord): Promise<void> {
    return this.#host.mutate((doc) => {
      const existing = readDeviceRecord(doc, record.id);
      if (existing && existing.revokedAfterSeq === undefined) return;
      writeDevice(doc, record);
    });
  }

  /**
   * For a removed device, the id (base64url) of its last envelope accepted before its removal,
   * or null if none; undefined if it is not removed.
   */
  removalPoint(author: string): string | null | undefined {
    this.#host.assertOpen();
    return removalPoint(this.#host.doc(), author);
  }

  /**
   * Removes a device: of its envelopes, only `after.envelope` (the id of the last one accepted
   * from it here, null if none) and its ancestors in its chain are accepted by every device
   * from now on; `after.seq` is that envelope's seq, for display. It keeps what it already
   * had (docs/sync.md, "Removing a device").
   */
  revokeDevice(
    id: string,
    after: { readonly seq: number; readonly envelope: string | null },
    by: DeviceId,
  ): Promise<boolean> {
    return this.#host.mutate((doc) => {
      const existing = readDeviceRecord(doc, id);
      if (!existing || existing.revokedAfterSeq !== undefined) return false;
      writeDevice(doc, {
        ...existing,
        revokedAfterSeq: after.seq,
        ...(after.envelope !== null ? { revokedAfterEnvelope: after.envelope } : {}),
        revokedAt: this.#host.now(),
        revokedBy: by,
      });
      return true;
    });
  }

  invites(): InviteRecord[] {
    this.#host.assertOpen();
    return readInvites(this.#host.doc());
  }

  invite(id: string): InviteRecord | undefined {
    this.#host.assertOpen();
    return readInviteRecord(this.#host.doc(), id);
  }

  saveInvite(record: InviteRecord): Promise<void> {
    return this.#host.mutate((doc) => writeInvite(doc, record));
  }

  removeInvite(id: string): Promise<boolean> {
    return this.#host.mutate((doc) => deleteInvite(doc, id));
  }
}
