import { describe, expect, it } from 'vitest';
import {
  type AuditRecord,
  defaultRetention,
  headOf,
  trimAuditLog,
  verifyAuditLog,
  writeAuditRecord,
} from '../../../src/core/audit';
import type { DeviceIdentity } from '../../../src/core/device';
import { alice, bob, bytesOf, chain, mallory, members, vault } from './helpers';

const day = 24 * 60 * 60 * 1000;
const verify = (records: readonly AuditRecord[]) =>
  verifyAuditLog(bytesOf(records), { vault, members });
const headIn = (records: readonly AuditRecord[], who: DeviceIdentity) => {
  const own = records.filter((r) => r.device === who.id).sort((x, y) => x.seq - y.seq);
  return own.length ? headOf(own.at(-1)!) : null;
};

describe('trimAuditLog', () => {
  it('the default is one year or 20,000 records', () => {
    expect(defaultRetention).toEqual({ maxAgeMs: 365 * day, maxRecords: 20_000 });
  });

  it('by count: drops the oldest, adds one trim record, and the rest still verifies', () => {
    const t0 = Date.UTC(2026, 0, 1);
    const a = chain(alice, 30, { start: t0, step: 1000 });
    const b = chain(bob, 20, { start: t0 + 500, step: 2000 });
    const all = [...a, ...b];
    const result = trimAuditLog(verify(all), {
      identity: bob,
      head: headIn(all, bob),
      vault,
      now: t0 + 60_000,
      policy: { maxAgeMs: 1000 * day, maxRecords: 21 },
    });
    expect(result.keep).toHaveLength(21);
    expect(result.drop).toHaveLength(30);
    // What went is what was oldest: every dropped record is older than every kept one.
    const dropped = all.filter((r) => result.drop.includes(r.id));
    const kept = all.filter((r) => !result.drop.includes(r.id));
    expect(Math.max(...dropped.map((r) => r.time))).toBeLessThan(
      Math.min(...kept.map((r) => r.time)),
    );
    const after = verify(result.keep);
    expect(after.findings).toEqual([]);
    const trim = result.trim!;
    expect(trim).toMatchObject({ device: bob.id, seq: 21, prev: b[19]!.id, time: t0 + 60_000 });
    for (const report of after.devices) {
      const lost = dropped.filter((r) => r.device === report.device).length;
      expect(report.trimmed).toEqual({ count: lost, by: bob.id, record: trim.id });
    }
  });

  it('by age: records older than the limit by the injected now go, the younger stay', () => {
    const now = Date.UTC(2027, 6, 1);
    const a = chain(alice, 24, { start: now - 720 * day, step: 30 * day });
    const result = trimAuditLog(verify(a), { identity: alice, head: headOf(a[23]!), vault, now });
    const cutoff = now - defaultRetention.maxAgeMs;
    expect(result.drop).toEqual(a.filter((r) => r.time < cutoff).map((r) => r.id));
    expect(result.keep.filter((r) => r !== result.trim).every((r) => r.time >= cutoff)).toBe(true);
    expect(verify(result.keep).intact).toBe(true);
    // A head seen before the trim is not "truncated": the trim took it.
    const knownHeads = new Map([[alice.id, headOf(a[5]!)]]);
    expect(verifyAuditLog(bytesOf(result.keep), { vault, members, knownHeads }).intact).toBe(true);
  });

  it('nothing due: no trim record, nothing dropped', () => {
    const a = chain(alice, 5, { start: 1000 });
    const result = trimAuditLog(verify(a), {
      identity: alice,
      head: headOf(a[4]!),
      vault,
      now: 2000,
    });
    expect(result).toEqual({ keep: verify(a).records, drop: [], trim: null });
  });

  it('a fake trim is reported: unsigned, or signed by a non-member', () => {
    const a = chain(alice, 6);
    const b = chain(bob, 2);
    const plan = (identity: DeviceIdentity) =>
      trimAuditLog(verify([...a, ...b]), {
        identity,
        head: headIn(b, identity),
        vault,
        now: a[5]!.time + 1,
        policy: { maxAgeMs: 1000 * day, maxRecords: 6 },
      });
    // Unsigned: a genuine trim record whose signature is gone.
    const genuine = plan(bob);
    const unsigned = genuine.trim!.bytes.slice();
    unsigned.fill(0, unsigned.length - 64);
    const kept = genuine.keep.filter((r) => r !== genuine.trim);
    const first = verifyAuditLog([...bytesOf(kept), unsigned], { vault, members });
    expect(first.findings.map((f) => f.kind).sort()).toContain('altered');
    expect(first.findings).toContainEqual(
      expect.objectContaining({ kind: 'gap', device: alice.id }),
    );
    // Signed, but by a device that is not a member.
    const forged = plan(mallory);
    const second = verify(forged.keep);
    expect(second.findings).toContainEqual(
      expect.objectContaining({ kind: 'not-member', device: mallory.id }),
    );
    expect(second.findings).toContainEqual(
      expect.objectContaining({ kind: 'gap', device: alice.id }),
    );
    // And the genuine one verifies.
    expect(verify(genuine.keep).intact).toBe(true);
  });

  it('a later trim restates earlier cuts, so older trim records can go too', () => {
    const t0 = Date.UTC(2026, 0, 1);
    const a = chain(alice, 10, { start: t0, step: 1000 });
    const b = chain(bob, 3, { start: t0 + 100, step: 1000 });
    const policy = { maxAgeMs: 1000 * day, maxRecords: 8 };
    const first = trimAuditLog(verify([...a, ...b]), {
      identity: bob,
      head: headOf(b[2]!),
      vault,
      now: t0 + 20_000,
      policy,
    });
    expect(verify(first.keep).intact).toBe(true);
    // Alice goes on writing; then she trims to 4, which drops all of bob's chain, his trim too.
    const more = chain(alice, 4, { start: t0 + 30_000, step: 1000, head: headOf(a[9]!) });
    const second = trimAuditLog(verify([...first.keep, ...more]), {
      identity: alice,
      head: headOf(more[3]!),
      vault,
      now: t0 + 40_000,
      policy: { ...policy, maxRecords: 4 },
    });
    expect(second.drop).toContain(first.trim!.id);
    expect(second.keep.some((r) => r.device === bob.id)).toBe(false);
    expect(verify(second.keep).findings).toEqual([]);
    // Bob, whose records all went, writes again: his chain still verifies from the restated cut.
    const next = writeAuditRecord(bob, headOf(first.trim!), {
      vault,
      time: t0 + 50_000,
      event: { action: 'vault-opened' },
    });
    const third = verify([...second.keep, next]);
    expect(third.findings).toEqual([]);
    expect(third.devices.find((d) => d.device === bob.id)!.trimmed).toMatchObject({
      count: 4,
      by: alice.id,
    });
  });

  it('never trims past a gap: the records after it stay as evidence', () => {
    const a = chain(alice, 8, { start: 0, step: 1000 });
    const withGap = a.filter((_, i) => i !== 2);
    const result = trimAuditLog(verify(withGap), {
      identity: alice,
      head: headOf(a[7]!),
      vault,
      now: 10 * 1000 * day,
      policy: { maxAgeMs: day, maxRecords: 100 },
    });
    expect(result.drop).toEqual([a[0]!.id, a[1]!.id]);
    expect(verify(result.keep).findings).toEqual([
      expect.objectContaining({ kind: 'gap', seq: 4 }),
    ]);
  });

  it("a lying clock decides nothing: its record verifies, and age drops only a chain's prefix", () => {
    const now = Date.UTC(2027, 0, 1);
    const old = chain(alice, 3, { start: now - 800 * day, step: day });
    // Alice's fourth record claims to come from the future; her fifth is old again.
    const future = writeAuditRecord(alice, headOf(old[2]!), {
      vault,
      time: now + 3650 * day,
      event: { action: 'vault-opened' },
    });
    const last = writeAuditRecord(alice, headOf(future), {
      vault,
      time: now - 700 * day,
      event: { action: 'vault-closed' },
    });
    const all = [...old, future, last];
    expect(verify(all).intact).toBe(true);
    const result = trimAuditLog(verify(all), { identity: alice, head: headOf(last), vault, now });
    // Only the prefix before the future record goes; the old record after it stays in place.
    expect(result.drop).toEqual(old.map((r) => r.id));
    expect(verify(result.keep).intact).toBe(true);
  });

  it('the same log gives the same plan whatever order it arrived in', () => {
    const a = chain(alice, 6, { start: 0, step: 1000 });
    const b = chain(bob, 6, { start: 500, step: 1000 });
    const options = {
      identity: alice,
      head: headOf(a[5]!),
      vault,
      now: 10_000,
      policy: { maxAgeMs: day, maxRecords: 7 },
    };
    const one = trimAuditLog(verify([...a, ...b]), options);
    const two = trimAuditLog(verify([...b].reverse().concat([...a].reverse())), options);
    expect(two.drop).toEqual(one.drop);
    expect(two.trim!.bytes).toEqual(one.trim!.bytes);
  });

  it('refuses a policy it cannot apply', () => {
    const a = chain(alice, 1);
    expect(() =>
      trimAuditLog(verify(a), {
        identity: alice,
        head: null,
        vault,
        now: 0,
        policy: { maxAgeMs: day, maxRecords: 1 },
      }),
    ).toThrow(/policy.maxRecords/);
  });
});
