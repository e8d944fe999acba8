/**
 * Invitation records are kept in the vault's document, where any member can write: in a vault
 * with a team, the device that answers an invitation admits the newcomer with the role the
 * record names, so the record must be the one its maker made. The maker signs what decides the
 * admission (docs/crypto.md, "Invitations": invitation record signature); an answering device
 * admits nobody with a record whose signature does not verify with `createdBy`'s key.
 */
import { associatedData, fromBase64url, toBase64url } from '../crypto';
import { type DeviceIdentity, signAs, verifySignature } from '../device';
import { publicKeyOfDevice } from '../ids';
import type { InviteRecord } from '../vault';

const domain = 'invite-record';

/** What the signature covers: the vault, the invitation and every field that decides admission. */
const signedPart = (vaultId: string, record: InviteRecord) =>
  associatedData(
    'invite-record',
    vaultId,
    record.id,
    record.createdBy,
    record.role ?? '',
    record.member ?? '',
    record.expiresAt,
    record.singleUse ? 1 : 0,
    record.name ?? '',
  );

/** The maker's signature over an invitation record (base64url), made when it is created. */
export function signInviteRecord(
  maker: DeviceIdentity,
  vaultId: string,
  record: InviteRecord,
): string {
  return toBase64url(signAs(maker, domain, signedPart(vaultId, record)));
}

/** Whether the record carries its maker's valid signature. */
export function inviteRecordSigned(vaultId: string, record: InviteRecord): boolean {
  if (record.signature === undefined) return false;
  try {
    return verifySignature(
      publicKeyOfDevice(record.createdBy),
      domain,
      signedPart(vaultId, record),
      fromBase64url(record.signature),
    );
  } catch {
    return false;
  }
}
