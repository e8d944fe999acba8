/**
 * Errors of the team module. They carry data (which field, what was wrong) and never quote the
 * bytes or names they were given: an operation may come from anyone.
 */
import { CofferError, CofferTypeError } from '../errors';

/**
 * Why bytes are not a team operation this build accepts: not one at all or cut short
 * ('malformed'), a version or kind it does not read ('unsupported'), a field out of its rules
 * ('invalid-field'), or a signature that does not verify with the author's key ('bad-signature').
 */
export type TeamOperationProblem = 'malformed' | 'unsupported' | 'invalid-field' | 'bad-signature';

/**
 * Bytes that do not decode to a genuine team operation, or a draft that cannot be encoded.
 * `field` names the field at fault when there is one ('parents', 'memberName', ...).
 * @example
 * try {
 *   decodeOperation(bytes);
 * } catch (error) {
 *   if (error instanceof TeamOperationError) console.warn(error.problem, error.field);
 * }
 */
export class TeamOperationError extends CofferError {
  override readonly name = 'TeamOperationError';
  override readonly code = 'team-operation-invalid' as const;
  constructor(
    readonly problem: TeamOperationProblem,
    message: string,
    readonly field?: string,
  ) {
    super(`not a usable team operation: ${message}`);
  }
}

/**
 * A member id that is not 16 bytes of canonical unpadded base64url. Says what arrived (a type
 * or a length), never the value. Also a TypeError, as a caller's mistake.
 * @example
 * try {
 *   asMemberId(input);
 * } catch (error) {
 *   if (error instanceof InvalidMemberIdError) console.warn(error.reason); // 'length'
 * }
 */
export class InvalidMemberIdError extends CofferTypeError {
  override readonly name = 'InvalidMemberIdError';
  override readonly code = 'invalid-member-id' as const;
  constructor(
    readonly reason: 'not-a-string' | 'length' | 'not-canonical',
    problem: string,
  ) {
    super(`not a usable member id: ${problem}`);
  }
}

/**
 * What this device's member may not do in the vault (a viewer editing an entry, an editor
 * inviting someone, an admin removing the owner): `action` names what was tried, `reason` why
 * the rules refuse it (authorize.ts). Says nothing of the entry or value concerned.
 * @example
 * try {
 *   await vault.set('API_KEY', 'x');
 * } catch (error) {
 *   if (error instanceof TeamPermissionError) showWhy(error.reason);
 * }
 */
export class TeamPermissionError extends CofferError {
  override readonly name = 'TeamPermissionError';
  override readonly code = 'team-not-permitted' as const;
  constructor(
    readonly action: string,
    readonly reason: string,
    readonly role: string | undefined,
  ) {
    super(
      `not permitted in this vault: ${action} (${reason}${role ? `; this member is ${withArticle(role)}` : ''})`,
    );
  }
}

const withArticle = (role: string) => (/^[aeiou]/.test(role) ? `an ${role}` : `a ${role}`);
