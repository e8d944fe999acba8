/**
 * The only ways to make the names an audit event holds. Each checks its input and brands it;
 * errors say which rule failed, never what was passed (it may be a secret pasted in error).
 */
import { AuditInputError } from './errors';
import type { AuditEntryName, AuditLabel, AuditMemberRef, AuditRole } from './types';
import { auditRoles } from './types';

/** The entry-name rules of core/vault (names.ts), both styles: environment names fit 'default'. */
const entryNamePattern = /^[A-Za-z][A-Za-z0-9_.-]*$/;
export const maxAuditEntryNameLength = 255;
export const maxAuditLabelLength = 200;
export const maxAuditMemberLength = 128;
const memberPattern = /^[\x21-\x7e]+$/;
// Control characters (C0, DEL, C1) and the line and paragraph separators.
// Unicode property classes, not a literal range: Cc is C0, DEL and C1; Zl and Zp the separators.
const controlPattern = /[\p{Cc}\p{Zl}\p{Zp}]/u;

const typeName = (value: unknown) => (value === null ? 'null' : typeof value);

/**
 * Checks an entry name and brands it for the audit log.
 * @example
 * auditEntryName('API_KEY'); // ok
 * auditEntryName('s3cr3t value'); // AuditInputError: a space is not in an entry name
 */
export function auditEntryName(name: unknown, field = 'entry'): AuditEntryName {
  if (typeof name !== 'string') {
    throw new AuditInputError(field, `an entry name is a string, got ${typeName(name)}`);
  }
  if (name.length === 0 || name.length > maxAuditEntryNameLength) {
    throw new AuditInputError(
      field,
      `an entry name has 1 to ${maxAuditEntryNameLength} characters, this one ${name.length}`,
    );
  }
  if (!entryNamePattern.test(name)) {
    throw new AuditInputError(
      field,
      'an entry name is a letter, then letters, digits, "_", "-" or "."',
    );
  }
  return name as AuditEntryName;
}

export const isAuditEntryName = (name: unknown): name is AuditEntryName =>
  typeof name === 'string' && name.length <= maxAuditEntryNameLength && entryNamePattern.test(name);

/** Checks a label (an integration's name) and brands it. */
export function auditLabel(label: unknown, field = 'integration'): AuditLabel {
  if (typeof label !== 'string') {
    throw new AuditInputError(field, `a label is a string, got ${typeName(label)}`);
  }
  if (label.length === 0 || [...label].length > maxAuditLabelLength) {
    throw new AuditInputError(field, `a label has 1 to ${maxAuditLabelLength} characters`);
  }
  if (controlPattern.test(label)) {
    throw new AuditInputError(field, 'a label has no control characters or line breaks');
  }
  if (label !== label.normalize('NFC')) {
    // One spelling per label, so the same name never signs as two different byte strings.
    throw new AuditInputError(field, 'a label is in Unicode normal form C');
  }
  return label as AuditLabel;
}

export const isAuditLabel = (label: unknown): label is AuditLabel =>
  typeof label === 'string' &&
  label.length > 0 &&
  [...label].length <= maxAuditLabelLength &&
  !controlPattern.test(label) &&
  label === label.normalize('NFC');

/** Checks a member reference (opaque: a member id once teams exist) and brands it. */
export function auditMemberRef(member: unknown, field = 'member'): AuditMemberRef {
  if (typeof member !== 'string') {
    throw new AuditInputError(field, `a member is a string, got ${typeName(member)}`);
  }
  if (!isAuditMemberRef(member)) {
    throw new AuditInputError(
      field,
      `a member is 1 to ${maxAuditMemberLength} printable ASCII characters, no spaces`,
    );
  }
  return member;
}

export const isAuditMemberRef = (member: unknown): member is AuditMemberRef =>
  typeof member === 'string' &&
  member.length > 0 &&
  member.length <= maxAuditMemberLength &&
  memberPattern.test(member);

export const isAuditRole = (role: unknown): role is AuditRole =>
  typeof role === 'string' && (auditRoles as readonly string[]).includes(role);
