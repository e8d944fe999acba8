/**
 * Errors of the audit module. They carry data (which field, which problem) and never quote what
 * arrived: a string passed where a name belongs may be a secret.
 */
import { CofferError, CofferTypeError } from '../errors';

/** Why a record's bytes are not an audit record this build accepts. */
export type AuditRecordProblem =
  | 'format' // too short, wrong magic, a length that overruns, trailing bytes, a bad name
  | 'version' // a version or action code this build does not read
  | 'not-canonical' // decodes, but is not the one encoding of what it says
  | 'signature' // the author's signature does not verify over its id
  | 'id'; // stored under an id that is not the hash of its body

/**
 * What was passed to the writer or to retention is not usable: which field, and what was
 * expected. Also a TypeError, as a caller's mistake.
 * @example
 * try { auditEntryName('has space'); } catch (e) { if (e instanceof AuditInputError) e.field; }
 */
export class AuditInputError extends CofferTypeError {
  override readonly name = 'AuditInputError';
  override readonly code = 'invalid-audit-input' as const;
  constructor(
    readonly field: string,
    readonly problem: string,
  ) {
    super(`audit record field "${field}": ${problem}`);
  }
}

/**
 * Bytes that are not an authentic audit record (`readAuditRecord`), and why.
 * @example
 * try { readAuditRecord(bytes); } catch (e) { if (e instanceof AuditRecordError) e.problem; }
 */
export class AuditRecordError extends CofferError {
  override readonly name = 'AuditRecordError';
  override readonly code = 'invalid-audit-record' as const;
  constructor(
    readonly problem: AuditRecordProblem,
    detail: string,
  ) {
    super(`not an authentic audit record (${problem}): ${detail}`);
  }
}
