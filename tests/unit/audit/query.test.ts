import { describe, expect, it } from 'vitest';
import {
  AuditInputError,
  type AuditRecord,
  auditEntryName,
  auditLabel,
  auditMemberRef,
  auditToCsv,
  auditToJson,
  csvCell,
  headOf,
  queryAuditLog,
  type RecordableAuditEvent,
  writeAuditRecord,
} from '../../../src/core/audit';
import type { DeviceIdentity } from '../../../src/core/device';
import { alice, bob, vault } from './helpers';

const name = auditEntryName;
const t0 = Date.UTC(2026, 2, 1);

/** Alice (member "alice") and Bob (no member), interleaved in time, one record a minute. */
function sample(): AuditRecord[] {
  const heads = new Map<DeviceIdentity, ReturnType<typeof headOf> | null>();
  const out: AuditRecord[] = [];
  const add = (who: DeviceIdentity, minute: number, event: RecordableAuditEvent) => {
    const record = writeAuditRecord(who, heads.get(who) ?? null, {
      vault,
      ...(who === alice ? { member: auditMemberRef('alice') } : {}),
      time: t0 + minute * 60_000,
      event,
    });
    heads.set(who, headOf(record));
    out.push(record);
  };
  add(alice, 0, { action: 'vault-opened' });
  add(alice, 1, { action: 'secret-shown', entry: name('API_KEY') });
  add(bob, 2, { action: 'entry-created', entry: name('DB_URL') });
  add(alice, 3, { action: 'entry-renamed', from: name('API_KEY'), to: name('API_TOKEN') });
  add(bob, 4, {
    action: 'integration-run',
    integration: auditLabel('sync'),
    entries: [name('API_TOKEN'), name('DB_URL')],
  });
  add(bob, 5, { action: 'secret-copied', entry: name('DB_URL') });
  add(alice, 6, { action: 'vault-closed' });
  return out;
}

const minutes = (records: readonly AuditRecord[]) => records.map((r) => (r.time - t0) / 60_000);

describe('queryAuditLog', () => {
  const records = sample();
  // Shuffled: the query orders them itself.
  const shuffled = [
    records[3]!,
    records[0]!,
    records[6]!,
    records[2]!,
    records[5]!,
    records[1]!,
    records[4]!,
  ];

  it('newest first, everything with no filter', () => {
    const page = queryAuditLog(shuffled, {}, { limit: 100 });
    expect(minutes(page.records)).toEqual([6, 5, 4, 3, 2, 1, 0]);
    expect(page).toMatchObject({ total: 7, next: null });
  });

  it('filters by member, device, action, entry and time range, and combines them', () => {
    const q = (filter: Parameters<typeof queryAuditLog>[1]) =>
      minutes(queryAuditLog(shuffled, filter, { limit: 100 }).records);
    expect(q({ member: auditMemberRef('alice') })).toEqual([6, 3, 1, 0]);
    expect(q({ device: bob.id })).toEqual([5, 4, 2]);
    expect(q({ actions: ['secret-shown', 'secret-copied'] })).toEqual([5, 1]);
    // An entry matches as subject, as old or new name, and as read by a run.
    expect(q({ entry: 'API_TOKEN' })).toEqual([4, 3]);
    expect(q({ entry: 'API_KEY' })).toEqual([3, 1]);
    expect(q({ entry: 'DB_URL' })).toEqual([5, 4, 2]);
    expect(q({ from: t0 + 2 * 60_000, to: t0 + 5 * 60_000 })).toEqual([4, 3, 2]);
    expect(q({ device: bob.id, entry: 'DB_URL', from: t0 + 3 * 60_000 })).toEqual([5, 4]);
    expect(q({ member: auditMemberRef('nobody') })).toEqual([]);
  });

  it('pages by cursor: every record once, in order, the last page without a cursor', () => {
    const seen: number[] = [];
    let cursor: ReturnType<typeof queryAuditLog>['next'] = null;
    let pages = 0;
    do {
      const page = queryAuditLog(shuffled, {}, cursor ? { limit: 3, cursor } : { limit: 3 });
      seen.push(...minutes(page.records));
      cursor = page.next;
      pages++;
    } while (cursor);
    expect(seen).toEqual([6, 5, 4, 3, 2, 1, 0]);
    expect(pages).toBe(3);
  });

  it('pages by offset and limit', () => {
    const page = queryAuditLog(shuffled, {}, { limit: 2, offset: 2 });
    expect(minutes(page.records)).toEqual([4, 3]);
    expect(page.total).toBe(7);
    expect(queryAuditLog(shuffled, {}, { limit: 2, offset: 10 }).records).toEqual([]);
  });

  it('records of one time come in a fixed order, and a cursor still moves past each once', () => {
    const same = [alice, bob].map((who) =>
      writeAuditRecord(who, null, { vault, time: t0, event: { action: 'export' } }),
    );
    const first = queryAuditLog(same, {}, { limit: 1 });
    const second = queryAuditLog([...same].reverse(), {}, { limit: 1, cursor: first.next! });
    expect([first.records[0]!.id, second.records[0]!.id].sort()).toEqual(
      same.map((r) => r.id).sort(),
    );
    expect(second.next).toBeNull();
  });

  it('refuses a bad limit, offset or cursor, naming it', () => {
    expect(() => queryAuditLog(records, {}, { limit: 0 })).toThrow(AuditInputError);
    expect(() => queryAuditLog(records, {}, { limit: 1, offset: -1 })).toThrow(/offset/);
    expect(() => queryAuditLog(records, {}, { limit: 1, cursor: 'nope' as never })).toThrow(
      /cursor/,
    );
  });
});

describe('export', () => {
  it('CSV cells: RFC 4180 quoting of commas, quotes and line breaks', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('cr\rlf')).toBe('"cr\rlf"');
    expect(csvCell('')).toBe('');
  });

  it('CSV cells: formula injection is neutralised with a leading apostrophe', () => {
    expect(csvCell('=HYPERLINK("http://x")')).toBe('"\'=HYPERLINK(""http://x"")"');
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('-2+3')).toBe("'-2+3");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\tx')).toBe("'\tx");
    expect(csvCell('=1,2')).toBe(`"'=1,2"`);
    expect(csvCell('a=b')).toBe('a=b');
  });

  it('a CSV row of a provider sync: the path, the provider and the counts, in their columns', () => {
    const pull = writeAuditRecord(alice, null, {
      vault,
      time: t0,
      event: {
        action: 'provider-pull',
        path: auditLabel('=team/app'),
        provider: 'aws',
        added: 2,
        changed: 1,
        removed: 0,
        conflicts: 3,
      },
    });
    const [header, row] = auditToCsv([pull]).split('\r\n');
    const cells = Object.fromEntries(
      header!.split(',').map((column, i) => [column, row!.split(',')[i]]),
    );
    expect(cells).toMatchObject({
      action: 'provider-pull',
      provider_path: "'=team/app",
      provider: 'aws',
      provider_counts: 'added=2 changed=1 removed=0 conflicts=3',
      entry: '',
    });
  });

  it('a CSV file: header, one CRLF line per record, hostile names neutralised', () => {
    const run = writeAuditRecord(alice, null, {
      vault,
      member: auditMemberRef('=cmd|calc'),
      time: t0,
      event: {
        action: 'integration-run',
        integration: auditLabel('@evil, "quoted" name'),
        entries: [name('B'), name('A')],
      },
    });
    const csv = auditToCsv([run]);
    const lines = csv.split('\r\n');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe('');
    expect(lines[0]).toBe(
      'time,action,entry,new_name,integration,entries,subject_member,role,invite,joined_device,trimmed,provider_path,provider,provider_counts,member,device,seq,vault,id,prev',
    );
    expect(lines[1]).toBe(
      [
        '2026-03-01T00:00:00.000Z',
        'integration-run',
        '',
        '',
        `"'@evil, ""quoted"" name"`,
        'A B',
        '',
        '',
        '',
        '',
        '',
        '',
        '',
        '',
        "'=cmd|calc",
        alice.id.startsWith('-') ? `'${alice.id}` : alice.id,
        '1',
        vault.startsWith('-') ? `'${vault}` : vault,
        run.id.startsWith('-') ? `'${run.id}` : run.id,
        '',
      ].join(','),
    );
  });

  it('JSON: the fields and the event as written, no bytes', () => {
    const records = sample();
    const parsed = JSON.parse(auditToJson(records.slice(3, 4)));
    expect(parsed).toEqual([
      {
        id: records[3]!.id,
        vault,
        device: alice.id,
        member: 'alice',
        seq: 3,
        prev: records[1]!.id,
        time: '2026-03-01T00:03:00.000Z',
        timeMs: t0 + 3 * 60_000,
        event: { action: 'entry-renamed', from: 'API_KEY', to: 'API_TOKEN' },
      },
    ]);
    expect(JSON.parse(auditToJson([]))).toEqual([]);
  });
});
