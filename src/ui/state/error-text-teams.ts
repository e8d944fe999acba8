/**
 * Words for the errors of teams: key epochs, the membership log and the audit log (issue 15),
 * for errorText. Kept apart so each file has one subject.
 */
import type { AuditInputError, AuditRecordError, AuditRecordProblem } from '../../core/audit';
import type {
  EpochBadSignatureError,
  EpochChainBrokenError,
  EpochKeyMismatchError,
  EpochNotForThisDeviceError,
  EpochRecordDamagedError,
  EpochRecordMalformedError,
  EpochRecordUnsupportedError,
  EpochUnexpectedSignerError,
  EpochWrongVaultError,
} from '../../core/epochs';
import type {
  InvalidMemberIdError,
  TeamOperationError,
  TeamOperationProblem,
  TeamPermissionError,
} from '../../core/team';

export type TeamCoreError =
  | AuditInputError
  | AuditRecordError
  | EpochBadSignatureError
  | EpochChainBrokenError
  | EpochKeyMismatchError
  | EpochNotForThisDeviceError
  | EpochRecordDamagedError
  | EpochRecordMalformedError
  | EpochRecordUnsupportedError
  | EpochUnexpectedSignerError
  | EpochWrongVaultError
  | InvalidMemberIdError
  | TeamOperationError
  | TeamPermissionError;

/** Core messages start lowercase; the UI shows sentences. */
function sentence(message: string): string {
  const text = message.charAt(0).toUpperCase() + message.slice(1);
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

/**
 * Why a change to the vault's members (a team operation) cannot be used, in the Members dialog
 * or sync status; `invalid-field` is completed by the error's own words (a rule, never a value).
 */
const teamOperationText: Readonly<Record<Exclude<TeamOperationProblem, 'invalid-field'>, string>> =
  {
    malformed: "A change to the vault's members is damaged or incomplete, so it was not applied.",
    unsupported:
      "A change to the vault's members was made by a newer version of Coffer: reload to update.",
    'bad-signature':
      "A change to the vault's members does not carry a valid signature (forged or altered), so it was not applied.",
  };

/** Why an audit record cannot be shown, in the audit view. */
const auditRecordText: Readonly<Record<AuditRecordProblem, string>> = {
  format: 'An audit record is damaged and cannot be read.',
  'not-canonical': 'An audit record is damaged and cannot be read.',
  version: 'An audit record was written by a newer version of Coffer: reload to update.',
  signature:
    'An audit record does not carry a valid signature: it was forged or changed after it was written.',
  id: 'An audit record is stored under another id than its own: it was moved or changed.',
};

/** What a team error means, in a sentence a person can act on; never a value. */
export function teamErrorText(error: TeamCoreError): string {
  switch (error.code) {
    case 'epoch-record-malformed':
    case 'epoch-record-damaged':
      return "An update of this vault's keys is damaged and cannot be read.";
    case 'epoch-record-unsupported':
      return "An update of this vault's keys was made by a newer version of Coffer: reload to update.";
    case 'epoch-wrong-vault':
      return "An update of a vault's keys was for another vault, so it was not used here.";
    case 'epoch-unexpected-signer':
      return "An update of this vault's keys was made by another device than expected, so it was not used.";
    case 'epoch-bad-signature':
      return "An update of this vault's keys does not carry a valid signature (forged or altered), so it was not used.";
    case 'epoch-not-for-device':
      return "This device was not given the vault's new key: it may have been removed from the vault.";
    case 'epoch-key-mismatch':
      return "A key does not match this vault's key history, so some older changes cannot be opened.";
    case 'epoch-chain-broken':
      return "This vault's key history is incomplete, so some older changes cannot be opened.";
    case 'team-operation-invalid':
      return error.problem === 'invalid-field'
        ? sentence(
            `a change to the vault's members cannot be used: ${error.message.replace(/^not a usable team operation: /, '')}`,
          )
        : teamOperationText[error.problem];
    case 'invalid-member-id':
      return 'Something refers to a member of the vault in a form Coffer does not know.';
    case 'team-not-permitted':
      return permissionText(error);
    case 'invalid-audit-input':
      return sentence(`the audit log cannot use "${error.field}": ${error.problem}`);
    case 'invalid-audit-record':
      return auditRecordText[error.problem];
  }
}

/** What the rules refuse, by their reason (src/core/team/authorize.ts), for the member who tried. */
const permissionReasons: Readonly<Record<string, string>> = {
  'role-too-low': 'your role in this vault does not allow it',
  'not-a-manager': 'only the owner and admins manage members',
  'cannot-manage-target': 'admins manage editors and viewers only; the owner manages everyone',
  'cannot-grant-role': 'you can give only roles below your own (admin only by the owner)',
  'owner-only-by-transfer': 'the owner role is only handed over, with "Make owner"',
  'last-device': "it is the member's only device: remove the member instead",
  'owner-must-transfer': 'the owner hands over ownership before leaving',
  'not-owner': 'only the owner may do this',
  'transfer-to-self': 'you are the owner already',
  'author-removed': 'this device was removed from the vault',
  'unknown-author': 'this device is not a member of the vault (yet)',
  'member-removed': 'that member was removed',
  'device-removed': 'that device was removed',
  'unknown-member': 'that member is not in this vault',
  'unknown-device': 'that device is not in this vault',
  'no-team': "this vault's members have not arrived on this device yet",
};

function permissionText(error: TeamPermissionError): string {
  const why = permissionReasons[error.reason] ?? 'the rules of this vault do not allow it';
  const who = error.role
    ? ` You are ${/^[aeiou]/.test(error.role) ? 'an' : 'a'} ${error.role} here.`
    : '';
  return sentence(`not allowed: ${why}`) + who;
}
