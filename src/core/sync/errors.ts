import { CofferError } from '../errors';

/**
 * Why a peer's envelope was not applied. None of these is fatal: the envelope is dropped (or,
 * for 'unknown-device', held until the device list admits its author; for 'revoked-unchecked',
 * held until the removed author's chain shows whether it came before the removal) and
 * everything else goes on. Messages never contain envelope bytes or plaintext.
 */
export type EnvelopeRejection =
  | 'malformed' // too short, or not an envelope at all
  | 'unsupported' // a format, version or kind this build does not read
  | 'wrong-vault' // sealed for another vault
  | 'unknown-device' // its author is not (yet) in the vault's device list
  | 'revoked-device' // its author was removed, and this is not one of its envelopes from before
  | 'revoked-unchecked' // its author was removed; whether it is from before cannot be told yet
  | 'bad-signature' // the author's signature does not verify
  | 'key-mismatch' // sealed under another key (a peer without this vault's key)
  | 'authentication' // the ciphertext does not authenticate with its header and place
  | 'not-an-update' // authentic, but its contents are not a change Coffer can apply
  | 'not-permitted' // its author's role does not allow what it changes (a viewer's edit)
  | 'unknown-key'; // sealed under a key epoch this device does not hold (yet, or ever: removed)

const explanations: Record<EnvelopeRejection, string> = {
  malformed: 'it is not a sync envelope',
  unsupported: 'it uses a format this version of Coffer does not read',
  'wrong-vault': 'it belongs to another vault',
  'unknown-device': 'its author is not one of the devices of this vault',
  'revoked-device': 'its author was removed from this vault before writing it',
  'revoked-unchecked':
    'its author was removed from this vault, and it cannot be told yet whether it was written before',
  'bad-signature': "its signature does not verify with its author's key",
  'key-mismatch': "it was not sealed with this vault's key",
  authentication: 'it was changed after it was sealed',
  'not-an-update': 'its contents are not a change to a vault',
  'not-permitted': "its author's role in this vault does not allow what it changes",
  'unknown-key': "it was sealed under a key of this vault's that this device does not hold",
};

export class EnvelopeRejectedError extends CofferError {
  override readonly name = 'EnvelopeRejectedError';
  override readonly code = 'envelope-rejected' as const;
  constructor(
    readonly reason: EnvelopeRejection,
    readonly detail?: { readonly author?: string; readonly seq?: number },
    options?: { cause?: unknown },
  ) {
    super(`a change from a peer was refused: ${explanations[reason]}`, options);
  }
}

/** An invitation link or QR code that cannot be used, and why. */
export type InviteProblem =
  | 'malformed' // not a Coffer invitation, or damaged in copying
  | 'unsupported' // made by a newer Coffer
  | 'expired'
  | 'used' // single-use, and already used by another device
  | 'revoked'
  | 'unknown' // no device that holds the vault knows this invitation
  | 'timeout' // no device that holds the vault answered in time
  | 'refused'; // the inviting device refused the request

const inviteExplanations: Record<InviteProblem, string> = {
  malformed: 'this is not a Coffer invitation, or part of it was lost when it was copied',
  unsupported: 'this invitation was made by a newer version of Coffer',
  expired: 'this invitation has expired; ask for a new one',
  used: 'this invitation was for one device and has been used already; ask for a new one',
  revoked: 'this invitation was withdrawn; ask for a new one',
  unknown: 'no device that holds the vault knows this invitation',
  timeout:
    'no device that holds the vault answered: the vault must be open on a device that has it, online',
  refused: 'the device that holds the vault refused the request',
};

export class InviteError extends CofferError {
  override readonly name = 'InviteError';
  override readonly code = 'invite-failed' as const;
  constructor(
    readonly problem: InviteProblem,
    options?: { cause?: unknown },
  ) {
    super(inviteExplanations[problem], options);
  }
}
