import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type AuditFinding,
  type AuditRecord,
  headOf,
  verifyAuditLog,
  writeAuditRecord,
} from '../../../src/core/audit';
import {
  alice,
  bob,
  bytesOf,
  chain,
  flipped,
  mallory,
  members,
  otherVault,
  vault,
} from './helpers';

const verify = (input: Iterable<Uint8Array | { id: string; bytes: Uint8Array }>) =>
  verifyAuditLog(input, { vault, members });
const reportOf = (result: ReturnType<typeof verify>, device: string) =>
  result.devices.find((d) => d.device === device)!;

describe('verifyAuditLog', () => {
  it('an intact log verifies: every record, per device, with its head', () => {
    const a = chain(alice, 5);
    const b = chain(bob, 3);
    const result = verify(bytesOf([...b, ...a]));
    expect(result.intact).toBe(true);
    expect(result.findings).toEqual([]);
    expect(reportOf(result, alice.id)).toMatchObject({ verified: 5, head: headOf(a[4]!) });
    expect(reportOf(result, bob.id)).toMatchObject({ verified: 3, head: headOf(b[2]!) });
    expect(result.records).toHaveLength(8);
  });

  it('one altered byte is reported as altered, for that record only', () => {
    const a = chain(alice, 5);
    const at = a[2]!.bytes.length - 64 - 3; // inside the last field: a name
    const input = bytesOf(a).map((bytes, i) => (i === 2 ? flipped(bytes, at) : bytes));
    const result = verify(input);
    expect(result.findings).toEqual([
      expect.objectContaining({ kind: 'altered', device: alice.id, seq: 3 }),
    ]);
    expect(reportOf(result, alice.id).verified).toBe(4);
  });

  it('a byte flipped anywhere in a record is found, and blamed on that record', () => {
    // Two records keep the sweep quick: the first is the one damaged, the second follows it.
    const a = chain(alice, 2);
    const target = a[0]!;
    for (let at = 0; at < target.bytes.length; at++) {
      const result = verify([flipped(target.bytes, at), a[1]!.bytes]);
      const altered = result.findings.filter((f) => f.kind === 'altered');
      expect(altered, `byte ${at}`).toHaveLength(1);
      expect(reportOf(result, alice.id).verified, `byte ${at}`).toBe(1);
      // Only a byte of the author or seq fields hides whose the damaged record was: then the
      // next record's predecessor is missing as well.
      const others = result.findings.filter((f) => f.kind !== 'altered');
      if (at >= 22 && at < 62) {
        expect(others, `byte ${at}`).toEqual([expect.objectContaining({ kind: 'gap', seq: 2 })]);
      } else {
        expect(others, `byte ${at}`).toEqual([]);
        expect(altered[0], `byte ${at}`).toMatchObject({ device: alice.id, seq: 1 });
      }
    }
  });

  it('a record stored under the wrong id is altered (problem: id)', () => {
    const a = chain(alice, 2);
    const result = verify([
      { id: a[0]!.id, bytes: a[0]!.bytes },
      { id: a[0]!.id, bytes: a[1]!.bytes },
    ]);
    expect(result.findings).toEqual([
      expect.objectContaining({ kind: 'altered', problem: 'id', device: alice.id, seq: 2 }),
    ]);
  });

  it('a dropped middle record is a gap, named by the record after it', () => {
    const a = chain(alice, 5);
    const result = verify(bytesOf(a.filter((_, i) => i !== 2)));
    expect(result.findings).toEqual([
      { kind: 'gap', device: alice.id, seq: 4, id: a[3]!.id, missing: a[2]!.id },
    ]);
    expect(reportOf(result, alice.id).findings).toEqual(result.findings);
  });

  it('dropping the oldest records without a trim record is a gap too', () => {
    const a = chain(alice, 5);
    const result = verify(bytesOf(a.slice(2)));
    expect(result.findings).toEqual([
      expect.objectContaining({ kind: 'gap', device: alice.id, seq: 3, missing: a[1]!.id }),
    ]);
  });

  it('two records claiming the same predecessor are a fork', () => {
    const a = chain(alice, 3);
    const other = writeAuditRecord(alice, headOf(a[1]!), {
      vault,
      time: 9,
      event: { action: 'export' },
    });
    const result = verify(bytesOf([...a, other]));
    expect(result.findings).toEqual([
      {
        kind: 'fork',
        device: alice.id,
        seq: 3,
        prev: a[1]!.id,
        ids: [a[2]!.id, other.id].sort(),
      },
    ]);
    // Two first records are a fork as well.
    const second = writeAuditRecord(alice, null, { vault, time: 1, event: { action: 'export' } });
    expect(verify(bytesOf([a[0]!, second])).findings).toEqual([
      expect.objectContaining({ kind: 'fork', prev: null, seq: 1 }),
    ]);
  });

  it("a non-member device's records are refused, even when genuinely signed", () => {
    const forged = chain(mallory, 2);
    const result = verify(bytesOf([...chain(alice, 2), ...forged]));
    expect(result.findings.map((f) => [f.kind, f.device, f.seq])).toEqual(
      [
        ['not-member', mallory.id, 1],
        ['not-member', mallory.id, 2],
      ].sort((x, y) => (x[1]! < y[1]! ? -1 : 1)),
    );
    expect(reportOf(result, mallory.id).verified).toBe(0);
    expect(result.records.every((r) => r.device !== mallory.id)).toBe(true);
  });

  it("a record put in a member's name by another key is altered (its signature fails)", () => {
    const forged = chain(mallory, 1)[0]!.bytes.slice();
    forged.set(
      bytesOf(chain(alice, 1))[0]!.subarray(22, 54),
      22, // the author field: now alice's key, still mallory's signature
    );
    const result = verify([forged]);
    expect(result.findings).toEqual([
      expect.objectContaining({ kind: 'altered', problem: 'signature', device: alice.id }),
    ]);
    expect(result.records).toEqual([]);
  });

  it('a record of another vault is refused', () => {
    const other = writeAuditRecord(alice, null, {
      vault: otherVault,
      time: 1,
      event: { action: 'export' },
    });
    expect(verify([other.bytes]).findings).toEqual([
      expect.objectContaining({ kind: 'wrong-vault', device: alice.id, seq: 1 }),
    ]);
  });

  it('garbage is altered with no device; duplicates count once', () => {
    const a = chain(alice, 2);
    const result = verify([...bytesOf(a), ...bytesOf(a), new Uint8Array(300).fill(9)]);
    expect(result.findings).toEqual([
      expect.objectContaining({ kind: 'altered', device: undefined, problem: 'format' }),
    ]);
    expect(reportOf(result, alice.id).verified).toBe(2);
  });

  it('property: any order of arrival, with repeats, gives the same result', () => {
    const a = chain(alice, 5);
    const b = chain(bob, 3);
    const fork = writeAuditRecord(bob, headOf(b[1]!), {
      vault,
      time: 3,
      event: { action: 'key-rotated' },
    });
    const items: Uint8Array[] = [
      ...bytesOf(a.filter((_, i) => i !== 3)), // a gap
      flipped(a[1]!.bytes, 100), // an altered record
      a[1]!.bytes,
      ...bytesOf(b),
      fork.bytes,
      ...bytesOf(chain(mallory, 2)),
    ];
    const expected = verify(items);
    expect(expected.findings.map((f: AuditFinding) => f.kind).sort()).toEqual([
      'altered',
      'fork',
      'gap',
      'not-member',
      'not-member',
    ]);
    fc.assert(
      fc.property(
        fc.shuffledSubarray(items, { minLength: items.length, maxLength: items.length }),
        fc.array(fc.nat(items.length - 1), { maxLength: 5 }),
        (order, repeats) => {
          const input = [...order, ...repeats.map((i) => order[i]!)];
          expect(verify(input)).toEqual(expected);
        },
      ),
      { numRuns: 25 },
    );
  });

  it("dropping a chain's newest records shows against the heads seen before", () => {
    const a = chain(alice, 5);
    const seen = verify(bytesOf(a));
    const knownHeads = new Map(seen.devices.map((d) => [d.device, d.head!]));
    const result = verifyAuditLog(bytesOf(a.slice(0, 3)), { vault, members, knownHeads });
    expect(result.findings).toEqual([
      { kind: 'truncated', device: alice.id, seq: 5, id: a[4]!.id },
    ]);
    // Without the heads the loss cannot be seen; with the whole chain nothing is found.
    expect(verify(bytesOf(a.slice(0, 3))).intact).toBe(true);
    expect(verifyAuditLog(bytesOf(a), { vault, members, knownHeads }).intact).toBe(true);
  });

  it('does not modify its inputs', () => {
    const a = chain(alice, 3);
    const copies = bytesOf(a).map((b) => b.slice());
    const result = verify(bytesOf(a));
    expect(bytesOf(a)).toEqual(copies);
    (result.records[0] as AuditRecord).bytes.fill(0);
    expect(a[0]!.bytes).toEqual(copies[0]);
  });
});
