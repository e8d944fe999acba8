import { createHash, createPublicKey, verify } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { asInviteId, type DeviceId } from '../../../src/core/ids';
import {
  createOperation,
  decodeOperation,
  deriveTeam,
  encodeOperation,
  type MemberId,
  type OperationBody,
  type OperationId,
  type SignedOperation,
  TeamOperationError,
} from '../../../src/core/team';
import { device, member, vault } from './support';

/**
 * One operation of each kind, a chain from a genesis, from fixed keys (device "x" has secret
 * key SHA-256("coffer team test device x")): the vectors of docs/crypto.md, "Team operations".
 * `WRITE_TEAM_VECTORS=1 npx vitest run tests/unit/team/operation.test.ts` rewrites the file;
 * otherwise the test only reads it.
 */
function vectorChain(): SignedOperation[] {
  const bodies: [string, OperationBody][] = [
    [
      'owner-1',
      { kind: 'genesis', member: member('owner'), memberName: 'Olive', deviceName: 'Laptop' },
    ],
    [
      'owner-1',
      {
        kind: 'add-member',
        member: member('admin'),
        role: 'admin',
        device: device('admin-1').id,
        memberName: 'Ada',
        deviceName: 'Ada’s phone',
        invite: asInviteId('AAECAwQFBgcICQoLDA0ODw'),
      },
    ],
    [
      'admin-1',
      {
        kind: 'add-member',
        member: member('editor'),
        role: 'editor',
        device: device('editor-1').id,
        memberName: 'Ed',
        deviceName: 'Desk',
      },
    ],
    [
      'editor-1',
      {
        kind: 'add-device',
        member: member('editor'),
        device: device('editor-2').id,
        deviceName: 'Tablet',
      },
    ],
    ['admin-1', { kind: 'set-role', member: member('editor'), role: 'viewer' }],
    ['admin-1', { kind: 'remove-device', device: device('editor-2').id }],
    ['owner-1', { kind: 'transfer-ownership', member: member('admin') }],
    ['admin-1', { kind: 'remove-member', member: member('editor') }],
    ['owner-1', { kind: 'leave' }],
  ];
  const ops: SignedOperation[] = [];
  for (const [i, [author, body]] of bodies.entries()) {
    const parents: OperationId[] = ops.length > 0 ? [ops[ops.length - 1]!.id] : [];
    ops.push(
      createOperation(device(author), { ...body, vault, at: 1_700_000_000_000 + i, parents }),
    );
  }
  return ops;
}

const vectorsUrl = new URL('./vectors.json', import.meta.url);
if (process.env.WRITE_TEAM_VECTORS) {
  const ops = vectorChain();
  const devices = ['owner-1', 'admin-1', 'editor-1', 'editor-2'];
  const file = {
    note: 'docs/crypto.md, "Team operations". Hex bytes = body || signature; id = base64url(SHA-256(body)).',
    vault,
    devices: Object.fromEntries(
      devices.map((d) => [d, { secretKey: bytesToHex(device(d).secretKey), id: device(d).id }]),
    ),
    members: Object.fromEntries(['owner', 'admin', 'editor'].map((m) => [m, member(m)])),
    operations: ops.map((op) => ({
      kind: op.operation.kind,
      author: op.operation.author,
      id: op.id,
      bytes: bytesToHex(op.bytes),
    })),
  };
  writeFileSync(vectorsUrl, `${JSON.stringify(file, null, 2)}\n`);
}
const vectors = JSON.parse(readFileSync(vectorsUrl, 'utf8')) as {
  operations: { kind: string; author: string; id: string; bytes: string }[];
};

/** An Ed25519 public key as Node's KeyObject, from the raw 32 bytes (via its SPKI DER). */
const nodeKey = (raw: Uint8Array) =>
  createPublicKey({
    key: Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), raw]),
    format: 'der',
    type: 'spki',
  });

describe('team operation known answers (tests/unit/team/vectors.json)', () => {
  it('this implementation writes the vectors byte for byte', () => {
    const ops = vectorChain();
    expect(
      ops.map((op) => ({
        kind: op.operation.kind,
        author: op.operation.author,
        id: op.id,
        bytes: bytesToHex(op.bytes),
      })),
    ).toEqual(vectors.operations);
  });

  it('a second reader: Node’s SHA-256 and Ed25519 over the documented layout', () => {
    for (const vector of vectors.operations) {
      const bytes = hexToBytes(vector.bytes);
      const body = bytes.subarray(0, bytes.length - 64);
      const hash = createHash('sha256').update(body).digest();
      expect(hash.toString('base64url')).toBe(vector.id);
      expect(Buffer.from(body.subarray(0, 5)).toString('latin1')).toBe('CFTM\u0001');
      const author = body.subarray(22, 54);
      expect(Buffer.from(author).toString('base64url')).toBe(vector.author);
      const message = Buffer.concat([Buffer.from('coffer/v1/team-op\u0000', 'latin1'), hash]);
      expect(verify(null, message, nodeKey(author), bytes.subarray(bytes.length - 64))).toBe(true);
      expect(decodeOperation(bytes).id).toBe(vector.id);
    }
  });
});

describe('the vector chain', () => {
  it('derives with every operation applied: the owner handed over, then left', () => {
    const ops = vectorChain();
    const state = deriveTeam(ops, { vault, genesis: ops[0]!.id });
    expect(state.refused).toEqual([]);
    expect(state.order).toEqual(ops.map((op) => op.id));
    expect(state.members.get(member('admin'))?.role).toBe('owner');
    expect(state.members.get(member('owner'))?.removed).toEqual({ op: ops[8]!.id, left: true });
    expect(state.removals.map((r) => r.kind)).toEqual(['device', 'member', 'member']);
  });
});

describe('encoding and decoding', () => {
  it('decodes what it encodes, for every kind; inputs are not modified', () => {
    for (const op of vectorChain()) {
      const copy = op.bytes.slice();
      const decoded = decodeOperation(op.bytes);
      expect(decoded.id).toBe(op.id);
      expect(decoded.operation).toEqual(op.operation);
      expect(encodeOperation(decoded.operation)).toEqual(
        op.bytes.subarray(0, op.bytes.length - 64),
      );
      expect(op.bytes).toEqual(copy);
    }
  });

  it('any single changed byte fails to decode', () => {
    const ops = vectorChain();
    fc.assert(
      fc.property(
        fc.nat(ops.length - 1),
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        (i, at, flip) => {
          const bytes = ops[i]!.bytes.slice();
          bytes[at % bytes.length]! ^= flip;
          expect(() => decodeOperation(bytes)).toThrow(TeamOperationError);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('says what is wrong: truncated, another version, unknown kind, extra bytes', () => {
    const op = vectorChain()[1]!;
    const problem = (bytes: Uint8Array) => {
      try {
        decodeOperation(bytes);
      } catch (error) {
        if (error instanceof TeamOperationError) return error.problem;
        throw error;
      }
      return 'accepted';
    };
    expect(problem(op.bytes.subarray(0, 100))).toBe('malformed');
    expect(problem(new Uint8Array(3))).toBe('malformed');
    const version = op.bytes.slice();
    version[4] = 2;
    expect(problem(version)).toBe('unsupported');
    const kind = op.bytes.slice();
    kind[5] = 9;
    expect(problem(kind)).toBe('unsupported');
    const body = op.bytes.subarray(0, op.bytes.length - 64);
    const extra = new Uint8Array([...body, 0, ...op.bytes.subarray(op.bytes.length - 64)]);
    expect(problem(extra)).toBe('malformed');
  });

  it('refuses drafts out of the rules: parents, names', () => {
    const owner = device('owner-1');
    const base = { vault, at: 0 };
    const id = vectorChain()[0]!.id;
    const bad = (draft: Parameters<typeof createOperation>[1], field: string) => {
      expect(() => createOperation(owner, draft)).toThrow(
        expect.objectContaining({ problem: 'invalid-field', field }),
      );
    };
    bad({ ...base, parents: [], kind: 'leave' }, 'parents');
    bad(
      {
        ...base,
        parents: [id],
        kind: 'genesis',
        member: member('x'),
        memberName: 'a',
        deviceName: 'b',
      },
      'parents',
    );
    bad(
      {
        ...base,
        parents: [id],
        kind: 'add-device',
        member: member('x'),
        device: owner.id,
        deviceName: '',
      },
      'deviceName',
    );
    bad(
      {
        ...base,
        parents: [id],
        kind: 'add-device',
        member: member('x'),
        device: owner.id,
        deviceName: 'x'.repeat(257),
      },
      'deviceName',
    );
    bad({ ...base, parents: ['not-an-id' as OperationId], kind: 'leave' }, 'parents');
    bad({ ...base, parents: [id], kind: 'remove-member', member: 'short' as MemberId }, 'member');
    bad(
      { ...base, parents: [id], kind: 'remove-device', device: owner.id.slice(1) as DeviceId },
      'device',
    );
    // Parents are sorted and de-duplicated by the writer.
    const other = vectorChain()[1]!.id;
    const op = createOperation(owner, { ...base, parents: [other, id, other], kind: 'leave' });
    expect(decodeOperation(op.bytes).operation.parents).toHaveLength(2);
  });
});
