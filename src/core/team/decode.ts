/**
 * Reading team operations back from their wire bytes (layout in operation.ts and
 * docs/crypto.md, "Team operations"): every length checked, nothing trusted before the
 * signature verifies.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { fromUtf8 } from '../crypto';
import { verifySignature } from '../device';
import { deviceIdOf, inviteIdOf, vaultIdOf } from '../ids';
import { memberIdOf, type OperationId, operationIdOf } from './ids';
import {
  fail,
  headerLength,
  hex,
  kindCodes,
  magic,
  maxNameBytes,
  maxParents,
  type Operation,
  type OperationBody,
  type OperationKind,
  type SignedOperation,
  sealed,
  signatureLength,
  teamOpDomain,
  teamOpVersion,
} from './operation';
import { type Role, roleOfCode } from './roles';

/** Reads fields and fixed parts from a body, failing as 'malformed' when it runs short. */
class Reader {
  private offset = 0;
  constructor(private readonly bytes: Uint8Array) {}
  take(length: number): Uint8Array {
    if (this.offset + length > this.bytes.length) fail('malformed', 'cut short');
    const out = this.bytes.subarray(this.offset, this.offset + length);
    this.offset += length;
    return out;
  }
  u16(): number {
    const [hi, lo] = this.take(2);
    return (hi! << 8) | lo!;
  }
  field(name: string, min: number, max = min): Uint8Array {
    const bytes = this.take(this.u16());
    if (bytes.length < min || bytes.length > max) {
      fail('invalid-field', `expected ${min === max ? min : `${min} to ${max}`} bytes`, name);
    }
    return bytes;
  }
  end(): void {
    if (this.offset !== this.bytes.length) fail('malformed', 'bytes after the last field');
  }
}

function readName(reader: Reader, which: string): string {
  const bytes = reader.field(which, 1, maxNameBytes);
  try {
    return fromUtf8(bytes);
  } catch {
    return fail('invalid-field', 'not UTF-8', which);
  }
}

function readRole(reader: Reader): Role {
  const [code] = reader.field('role', 1);
  return roleOfCode(code!) ?? fail('invalid-field', 'unknown role', 'role');
}

const readMember = (reader: Reader) => memberIdOf(reader.field('member', 16));
const readDevice = (reader: Reader, name = 'device') => deviceIdOf(reader.field(name, 32));

function readBody(kind: OperationKind, reader: Reader): OperationBody {
  switch (kind) {
    case 'genesis':
      return {
        kind,
        member: readMember(reader),
        memberName: readName(reader, 'memberName'),
        deviceName: readName(reader, 'deviceName'),
      };
    case 'add-member': {
      const member = readMember(reader);
      const role = readRole(reader);
      const device = readDevice(reader);
      const memberName = readName(reader, 'memberName');
      const deviceName = readName(reader, 'deviceName');
      const invite = reader.field('invite', 0, 16);
      if (invite.length !== 0 && invite.length !== 16) {
        fail('invalid-field', 'an invite id is 16 bytes or absent', 'invite');
      }
      const base = { kind, member, role, device, memberName, deviceName };
      return invite.length === 16 ? { ...base, invite: inviteIdOf(invite) } : base;
    }
    case 'add-device':
      return {
        kind,
        member: readMember(reader),
        device: readDevice(reader),
        deviceName: readName(reader, 'deviceName'),
      };
    case 'set-role':
      return { kind, member: readMember(reader), role: readRole(reader) };
    case 'remove-member':
    case 'transfer-ownership':
      return { kind, member: readMember(reader) };
    case 'remove-device':
      return { kind, device: readDevice(reader) };
    case 'leave':
      return { kind };
  }
}

/**
 * Decodes wire bytes (body || signature) and verifies them: layout, then the author's
 * signature over the id. Throws TeamOperationError ('malformed', 'unsupported',
 * 'invalid-field', 'bad-signature'). Does not judge whether the author may do it: that needs
 * the membership state (`mayDo`, `deriveTeam`). The input is not modified or kept.
 */
export function decodeOperation(bytes: Uint8Array): SignedOperation {
  if (!(bytes instanceof Uint8Array) || bytes.length < 6) fail('malformed', 'too short');
  for (let i = 0; i < magic.length; i++) {
    if (bytes[i] !== magic[i]) fail('malformed', 'not a team operation');
  }
  if (bytes[4] !== teamOpVersion) fail('unsupported', `version ${bytes[4]} is not read`);
  const kind = (Object.keys(kindCodes) as OperationKind[]).find((k) => kindCodes[k] === bytes[5]);
  if (!kind) fail('unsupported', `kind ${bytes[5]} is not read`, 'kind');
  if (bytes.length < headerLength + signatureLength) fail('malformed', 'too short');
  const body = bytes.slice(0, bytes.length - signatureLength);
  const signature = bytes.slice(bytes.length - signatureLength);
  const reader = new Reader(body);
  reader.take(6);
  const vault = vaultIdOf(reader.take(16));
  const authorKey = reader.take(32);
  const at = new DataView(body.buffer, body.byteOffset + 54, 8).getBigUint64(0, false);
  reader.take(8);
  if (at > BigInt(Number.MAX_SAFE_INTEGER)) fail('invalid-field', 'at is above 2^53 - 1', 'at');
  const count = reader.u16();
  if (kind === 'genesis' ? count !== 0 : count < 1 || count > maxParents) {
    fail('invalid-field', 'the genesis has no parents, others 1 to 256', 'parents');
  }
  const parents: OperationId[] = [];
  let last = '';
  for (let i = 0; i < count; i++) {
    const parent = reader.take(32);
    const h = hex(parent);
    if (h <= last) fail('invalid-field', 'parents are ascending and distinct', 'parents');
    last = h;
    parents.push(operationIdOf(parent.slice()));
  }
  const operation = {
    ...readBody(kind, reader),
    vault,
    author: deviceIdOf(authorKey.slice()),
    at: Number(at),
    parents,
  } as Operation;
  reader.end();
  const hash = sha256(body);
  if (!verifySignature(authorKey, teamOpDomain, hash, signature)) {
    fail('bad-signature', "the signature does not verify with the author's key");
  }
  return sealed(operationIdOf(hash), operation, bytes.slice());
}
