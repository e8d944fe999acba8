import { createRoot } from 'solid-js';
import { describe, expect, it } from 'vitest';
import { defaultRetention } from '../../../src/core/audit';
import {
  type AuditView,
  auditFileName,
  auditPageSize,
  auditRetentionOf,
  createAuditView,
  noAuditFilter,
  toAuditFilter,
} from '../../../src/ui/state/audit-view';
import { defaultSettings, parseSettings } from '../../../src/ui/state/settings';
import { type OneVault, oneVault } from './support';

const minute = 60_000;
const start = new Date(2026, 2, 10, 9, 0).getTime();

/** A vault with `count` records, a minute apart: opened, then entries E0, E1, ... created. */
async function filled(count: number): Promise<OneVault> {
  const one = await oneVault(start);
  await one.trail.opened();
  for (let i = 1; i < count; i++) {
    one.at(start + i * minute);
    await one.trail.entryCreated(`E${i % 7}`);
  }
  return one;
}

function withView<T>(one: OneVault, use: (view: AuditView) => T): T {
  return createRoot((dispose) => {
    try {
      return use(createAuditView(one.trail, { vaultName: 'my vault', now: () => new Date(start) }));
    } finally {
      dispose();
    }
  });
}

describe('audit view: filters and pages', () => {
  it('pages 50 at a time, newest first, with Next and Previous', async () => {
    const one = await filled(120);
    withView(one, (view) => {
      expect(view.page().total).toBe(120);
      expect(view.pageCount()).toBe(3);
      expect(view.page().records).toHaveLength(auditPageSize);
      expect(view.page().records[0]!.time).toBe(start + 119 * minute);
      view.next();
      expect(view.pageIndex()).toBe(1);
      expect(view.page().records[0]!.time).toBe(start + 69 * minute);
      view.next();
      expect(view.page().records).toHaveLength(20);
      expect(view.page().records.at(-1)!.event.action).toBe('vault-opened');
      view.next();
      expect(view.pageIndex()).toBe(2);
      view.previous();
      view.previous();
      view.previous();
      expect(view.pageIndex()).toBe(0);
    });
  });

  it('filters by action, entry, device and date range, back to the first page', async () => {
    const one = await filled(120);
    withView(one, (view) => {
      view.next();
      view.setFilter({ action: 'vault-opened' });
      expect(view.pageIndex()).toBe(0);
      expect(view.page().total).toBe(1);
      view.setFilter({ action: '', entry: ' E3 ' });
      expect(view.page().total).toBe(17);
      expect(view.page().records.every((r) => (r.event as { entry: string }).entry === 'E3')).toBe(
        true,
      );
      view.setFilter({ entry: '', device: one.device.id });
      expect(view.page().total).toBe(120);
      view.setFilter({ device: 'somebody-else' });
      expect(view.page().total).toBe(0);
      view.setFilter({ device: '', from: '2026-03-11' });
      expect(view.page().total).toBe(0);
      view.setFilter({ from: '2026-03-10', to: '2026-03-10' });
      expect(view.page().total).toBe(120);
      view.setFilter({ from: '', to: '2026-03-09' });
      expect(view.page().total).toBe(0);
    });
  });

  it('turns form dates into whole local days, the last included', () => {
    expect(toAuditFilter({ ...noAuditFilter, from: '2026-03-10', to: '2026-03-10' })).toEqual({
      from: new Date(2026, 2, 10).getTime(),
      to: new Date(2026, 2, 11).getTime(),
    });
    expect(toAuditFilter({ ...noAuditFilter, from: 'yesterday' })).toEqual({});
  });

  it('reads the retention settings: default one year or 20,000 records', () => {
    expect(auditRetentionOf(defaultSettings)).toEqual(defaultRetention);
    const saved = parseSettings({ auditRetentionDays: 90, auditRetentionRecords: 7 });
    expect(auditRetentionOf(saved)).toEqual({ maxAgeMs: 90 * 86_400_000, maxRecords: 20_000 });
  });

  it('names export files after the vault and the day', () => {
    expect(auditFileName('my vault', 'csv', new Date(2026, 0, 5))).toBe(
      'my-vault-audit-2026-01-05.csv',
    );
    expect(auditFileName('../', 'json', new Date(2026, 11, 25))).toBe(
      'vault-audit-2026-12-25.json',
    );
  });

  it('exports the matching records and records the export', async () => {
    const one = await filled(3);
    const file = withView(one, (view) => view.exportFile('csv'));
    expect(file.name).toBe('my-vault-audit-2026-03-10.csv');
    expect(file.type).toBe('text/csv');
    expect(file.text.split('\r\n')[0]).toMatch(/^time,action,entry/);
    expect(file.text).toContain('vault-opened');
    await one.trail.flush();
    expect(one.trail.verify().records.at(-1)!.event.action).toBe('export');
  });
});

describe('audit view: verification summary', () => {
  it('says all records verified when nothing is wrong', async () => {
    const one = await filled(4);
    withView(one, (view) => {
      expect(view.summary()).toMatchObject({ intact: true, headline: 'All 4 records verified' });
    });
  });

  it('names an altered record, and refreshes when the records change', async () => {
    const one = await filled(4);
    withView(one, (view) => {
      expect(view.summary().intact).toBe(true);
      const target = one.handle.audit.records()[2]!;
      const bytes = target.bytes.slice();
      bytes[bytes.length - 70]! ^= 0xff;
      one.handle.audit.map().set(target.id, bytes);
      expect(view.summary().intact).toBe(false);
      expect(view.summary().warnings.join('\n')).toMatch(
        /A record from device .{8} was changed after it was written/,
      );
    });
  });

  it('counts missing records and marks the row after the gap', async () => {
    const one = await filled(6);
    const records = one.trail.verify().records;
    one.handle.audit.map().delete(records[2]!.id);
    one.handle.audit.map().delete(records[3]!.id);
    withView(one, (view) => {
      expect(view.summary().warnings).toEqual([
        expect.stringMatching(/^2 records from device .{8} are missing \(before its record #5\)/),
      ]);
      expect(view.summary().marked.has(records[4]!.id)).toBe(true);
      expect(view.summary().headline).toBe('4 records verified; 1 problem found');
    });
  });
});
