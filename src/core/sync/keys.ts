import { deriveSubkey, hkdfLabel, type SymmetricKey, toBase64url, type VaultKey } from '../crypto';

/**
 * What sync derives from a vault's key, each with its own HKDF label (docs/crypto.md):
 *
 *   sync key           = HKDF(vault key, "coffer/v1/sync", 32)        seals envelopes between peers
 *   room name          = "coffer-" || base64url(HKDF(vault key, "coffer/v1/room", 32))
 *   transport password = base64url(HKDF(vault key, "coffer/v1/transport", 32))
 *
 * The room name is all the signaling server sees; the password is y-webrtc's, which encrypts
 * signaling only. Both have 256 bits of entropy, so y-webrtc's PBKDF2 step adds nothing and
 * costs nothing that matters.
 */
export function syncKeyOf(vaultKey: VaultKey): SymmetricKey<'sync'> {
  return deriveSubkey(vaultKey, 'sync');
}

export function roomNameOf(vaultKey: VaultKey): string {
  return `coffer-${toBase64url(hkdfLabel(vaultKey, 'room', 32))}`;
}

export function transportPasswordOf(vaultKey: VaultKey): string {
  return toBase64url(deriveSubkey(vaultKey, 'transport'));
}
