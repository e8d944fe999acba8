/**
 * The views of an open vault's document that live beside its entries: `members` (devices,
 * invitations, review marks), `audit` (its audit records) and `team` (the membership log), each
 * built over the handle that owns them (VaultHandle's constructor). They read the handle's
 * current document and write through its change queue, never around it.
 */
import type * as Y from 'yjs';
import type { DeviceId } from '../ids';
import { isOperationId } from '../team';
import { VaultAudit } from './audit-store';
import { VaultTeam } from './team-log';
import type { VaultParts } from './vault-loader';
import { VaultMembers } from './vault-members';

/** What the views need of their handle. */
export interface DocumentPartsHost {
  /** The handle's current document (a reload replaces it). */
  doc(): Y.Doc;
  assertOpen(): void;
  /** Runs `change` in the handle's queue and saves what it changed. */
  mutate<T>(change: (doc: Y.Doc) => T): Promise<T>;
  /** This profile's device, once known. */
  self(): DeviceId | undefined;
  /** Records which device this profile is (review marks and new changes name it). */
  setSelf(id: DeviceId): void;
}

export interface DocumentParts {
  readonly members: VaultMembers;
  readonly audit: VaultAudit;
  readonly team: VaultTeam;
}

export function documentParts(parts: VaultParts, host: DocumentPartsHost): DocumentParts {
  const common = {
    doc: () => host.doc(),
    assertOpen: () => host.assertOpen(),
    mutate: <T>(change: (doc: Y.Doc) => T) => host.mutate(change),
  };
  const now = () => parts.clock();
  return {
    members: new VaultMembers({
      ...common,
      now,
      setSelf: (id) => host.setSelf(id),
      introducedBy: parts.introducedBy,
      introducedMembers: parts.introducedMembers,
    }),
    audit: new VaultAudit({ ...common, now }),
    team: new VaultTeam({
      ...common,
      vaultId: parts.vaultId,
      genesis:
        parts.teamGenesis !== undefined && isOperationId(parts.teamGenesis)
          ? parts.teamGenesis
          : undefined,
      self: () => host.self(),
    }),
  };
}
