import { sha256 } from '@noble/hashes/sha2.js';
import { describe, expect, it } from 'vitest';
import {
  AuditInputError,
  type AuditRecord,
  AuditRecordError,
  auditEntryName,
  auditLabel,
  auditMemberRef,
  headOf,
  type RecordableAuditEvent,
  readAuditRecord,
  writeAuditRecord,
} from '../../../src/core/audit';
import { concat } from '../../../src/core/crypto';
import { signAs } from '../../../src/core/device';
import { inviteIdOf } from '../../../src/core/ids';
import { alice, bob, flipped, vault } from './helpers';

const name = auditEntryName;
const everyEvent: RecordableAuditEvent[] = [
  { action: 'vault-opened' },
  { action: 'vault-closed' },
  { action: 'secret-shown', entry: name('API_KEY') },
  { action: 'secret-copied', entry: name('API_KEY') },
  { action: 'entry-created', entry: name('db.password') },
  { action: 'entry-changed', entry: name('db.password') },
  { action: 'entry-renamed', from: name('OLD'), to: name('NEW') },
  { action: 'entry-deleted', entry: name('NEW') },
  { action: 'export' },
  {
    action: 'integration-run',
    integration: auditLabel('Nightly backup → S3'),
    entries: [name('B'), name('A')],
  },
  { action: 'role-changed', member: auditMemberRef('bob-member'), role: 'editor' },
  { action: 'invite-created', invite: inviteIdOf(new Uint8Array(16).fill(3)), role: 'viewer' },
  { action: 'invite-used', invite: inviteIdOf(new Uint8Array(16).fill(3)), joined: bob.id },
  { action: 'key-rotated' },
  {
    action: 'provider-pull',
    path: auditLabel('team/app'),
    provider: 'hashicorp',
    added: 3,
    changed: 1,
    removed: 0,
    conflicts: 2,
  },
  {
    action: 'provider-push',
    path: auditLabel('prod/api'),
    provider: 'aws',
    added: 0,
    changed: 4_294_967_295,
    removed: 7,
    conflicts: 0,
  },
];

describe('audit records', () => {
  it('round trip: every action writes, reads back the same, and chains by prev', () => {
    let head = null;
    const written: AuditRecord[] = [];
    for (const [i, event] of everyEvent.entries()) {
      const record = writeAuditRecord(alice, head, {
        vault,
        member: auditMemberRef('alice'),
        time: 1_700_000_000_000 + i,
        event,
      });
      head = headOf(record);
      written.push(record);
      const read = readAuditRecord(record.bytes, record.id);
      expect(read).toEqual(record);
      expect(read.seq).toBe(i + 1);
      expect(read.prev).toBe(i === 0 ? null : written[i - 1]!.id);
      expect(read.device).toBe(alice.id);
    }
    // A run's entries are a set: stored sorted.
    const run = written.find((r) => r.event.action === 'integration-run')!;
    expect(run.event).toMatchObject({ entries: ['A', 'B'] });
  });

  it('provider events: counts and a known provider only, and no other field', () => {
    const event = {
      action: 'provider-push',
      path: auditLabel('team/app'),
      provider: 'aws',
      added: 1,
      changed: 0,
      removed: 0,
      conflicts: 0,
    } as const;
    const write = (changes: Record<string, unknown>) => () =>
      writeAuditRecord(alice, null, {
        vault,
        time: 1,
        event: { ...event, ...changes } as unknown as RecordableAuditEvent,
      });
    expect(write({})).not.toThrow();
    expect(write({ provider: 'gcp' })).toThrow(/event.provider/);
    expect(write({ added: -1 })).toThrow(/event.added/);
    expect(write({ changed: 1.5 })).toThrow(/event.changed/);
    expect(write({ removed: 2 ** 32 })).toThrow(/event.removed/);
    expect(write({ conflicts: '2' })).toThrow(/event.conflicts/);
    expect(write({ path: 'line\nbreak' })).toThrow(/event.path/);
    expect(write({ value: 'hunter2' })).toThrow(/"event.value": not a field/);
  });

  it('without a member, the member is undefined', () => {
    const record = writeAuditRecord(alice, null, { vault, time: 0, event: { action: 'export' } });
    expect(readAuditRecord(record.bytes).member).toBeUndefined();
  });

  it('a flipped byte fails as a signature, format or canonical problem, never reads', () => {
    const record = writeAuditRecord(alice, null, {
      vault,
      time: 5,
      event: { action: 'entry-renamed', from: name('A_B'), to: name('C_D') },
    });
    for (let at = 0; at < record.bytes.length; at++) {
      expect(() => readAuditRecord(flipped(record.bytes, at))).toThrow(AuditRecordError);
    }
  });

  it('a provider record with a flipped byte never reads', () => {
    const record = writeAuditRecord(alice, null, {
      vault,
      time: 5,
      event: {
        action: 'provider-push',
        path: auditLabel('team/app'),
        provider: 'hashicorp',
        added: 1,
        changed: 2,
        removed: 3,
        conflicts: 4,
      },
    });
    expect(readAuditRecord(record.bytes).event).toEqual(record.event);
    for (let at = 0; at < record.bytes.length; at++) {
      expect(() => readAuditRecord(flipped(record.bytes, at))).toThrow(AuditRecordError);
    }
  });

  it('a record stored under another id is refused as such', () => {
    const one = writeAuditRecord(alice, null, { vault, time: 1, event: { action: 'export' } });
    const two = writeAuditRecord(alice, headOf(one), {
      vault,
      time: 2,
      event: { action: 'export' },
    });
    const error = (() => {
      try {
        readAuditRecord(two.bytes, one.id);
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(AuditRecordError);
    expect((error as AuditRecordError).problem).toBe('id');
  });

  it('takes names only: a value is refused by the types and at run time', () => {
    const secretValue = 'hunter2 and more';
    expect(() =>
      writeAuditRecord(alice, null, {
        vault,
        time: 1,
        // @ts-expect-error: a plain string (an entry's value, say) is not an AuditEntryName
        event: { action: 'secret-shown', entry: secretValue },
      }),
    ).toThrow(AuditInputError);
    expect(() =>
      writeAuditRecord(alice, null, {
        vault,
        time: 1,
        // @ts-expect-error: an event has no field for a value
        event: { action: 'entry-changed', entry: name('API_KEY'), value: secretValue },
      }),
    ).toThrow(/"event.value": not a field/);
    // What the types cannot see (an object built elsewhere, with more in it than its type says)
    // the writer refuses at run time.
    const entryWithValue = { action: 'entry-changed', entry: name('API_KEY'), value: secretValue };
    const event: RecordableAuditEvent = entryWithValue as typeof entryWithValue & {
      action: 'entry-changed';
    };
    expect(() => writeAuditRecord(alice, null, { vault, time: 1, event })).toThrow(
      /"event.value": not a field/,
    );
    const draftWithValue = { vault, time: 1, event: { action: 'export' as const }, value: 'x' };
    expect(() => writeAuditRecord(alice, null, draftWithValue)).toThrow(/"value": not a field/);
    // The error names the field, never the value.
    try {
      auditEntryName(secretValue);
    } catch (error) {
      expect(error).toBeInstanceOf(AuditInputError);
      expect((error as Error).message).not.toContain('hunter2');
    }
  });

  it('refuses a trimmed event from the ordinary writer, and bad fields by name', () => {
    const trim = { action: 'trimmed', chains: [] } as const;
    // @ts-expect-error: trim records are written by retention only
    expect(() => writeAuditRecord(alice, null, { vault, time: 1, event: trim })).toThrow(
      /trimAuditLog/,
    );
    const bad = (draft: unknown, field: string) => {
      try {
        writeAuditRecord(alice, null, draft as never);
        expect.unreachable();
      } catch (error) {
        expect(error).toBeInstanceOf(AuditInputError);
        expect((error as AuditInputError).field).toBe(field);
      }
    };
    bad({ vault: 'nope', time: 1, event: { action: 'export' } }, 'vault');
    bad({ vault, time: -1, event: { action: 'export' } }, 'time');
    bad({ vault, time: 1, event: { action: 'dance' } }, 'event.action');
    bad(
      { vault, time: 1, event: { action: 'role-changed', member: 'x', role: 'god' } },
      'event.role',
    );
    expect(() => auditLabel('two\nlines')).toThrow(AuditInputError);
    expect(() => auditMemberRef('has space')).toThrow(AuditInputError);
    expect(() => auditEntryName('9starts-with-digit')).toThrow(AuditInputError);
  });

  it('refuses, even when genuinely signed, an encoding the writer would not make', () => {
    const run = writeAuditRecord(alice, null, {
      vault,
      time: 1,
      event: {
        action: 'integration-run',
        integration: auditLabel('x'),
        entries: [name('A'), name('B')],
      },
    });
    // Swap the two entry fields (each u32be(1) || one letter), then hash and sign it again.
    const body = run.bytes.slice(0, run.bytes.length - 64);
    const a = body.slice(-10, -5);
    const b = body.slice(-5);
    body.set(b, body.length - 10);
    body.set(a, body.length - 5);
    const resigned = concat(body, signAs(alice, 'audit', sha256(body)));
    try {
      readAuditRecord(resigned);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(AuditRecordError);
      expect((error as AuditRecordError).problem).toBe('not-canonical');
    }
  });

  it('does not modify its inputs', () => {
    const entries = [name('Z'), name('A')];
    const event = { action: 'integration-run', integration: auditLabel('x'), entries } as const;
    writeAuditRecord(alice, null, { vault, time: 1, event });
    expect(entries).toEqual(['Z', 'A']);
  });
});
