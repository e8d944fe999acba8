import { describe, expect, it, vi } from 'vitest';
import { readAuditRecord } from '../../../src/core/audit';
import { AuditTrail } from '../../../src/core/audit-trail';
import { createOpenVault } from '../../../src/ui/state/open-vault';
import { deliverAll, replicas } from '../sync/support';
import { canary, containsUtf8, oneVault } from './support';

const day = 24 * 60 * 60 * 1000;

describe('AuditTrail: writing and verifying', () => {
  it('stores what it records in the vault document, and verifies it', async () => {
    const { trail, handle, device } = await oneVault();
    await trail.opened();
    await trail.entryCreated('API_KEY');
    await trail.secretAccessed('copied', 'API_KEY');
    const stored = handle.audit.records();
    expect(stored).toHaveLength(3);
    const records = stored.map((item) => readAuditRecord(item.bytes, item.id));
    expect(records.map((r) => r.seq).sort()).toEqual([1, 2, 3]);
    expect(records.every((r) => r.device === device.id && r.vault === handle.id)).toBe(true);
    const verification = trail.verify();
    expect(verification.intact).toBe(true);
    expect(verification.records.map((r) => r.event.action)).toEqual([
      'vault-opened',
      'entry-created',
      'secret-copied',
    ]);
  });

  it('writes records in the order asked, without awaiting each', async () => {
    const { trail } = await oneVault();
    const names = ['A1', 'B2', 'C3', 'D4', 'E5'];
    await Promise.all(names.map((name) => trail.entryCreated(name)));
    const verification = trail.verify();
    expect(verification.intact).toBe(true);
    expect(verification.records.map((r) => (r.event as { entry: string }).entry)).toEqual(names);
  });

  it('continues its chain after a reopen (the head is found among the stored records)', async () => {
    const one = await oneVault();
    await one.trail.opened();
    await one.trail.closed();
    const again = new AuditTrail({ vault: one.vault, device: one.device, clock: () => 5 });
    await again.opened();
    const verification = again.verify();
    expect(verification.intact).toBe(true);
    expect(verification.records.map((r) => r.seq)).toEqual([1, 2, 3]);
  });

  it('says when a device was last active from its latest record, and nothing for a hint that names no genuine record of it', async () => {
    const one = await oneVault(Date.UTC(2026, 5, 1));
    expect(one.trail.lastActiveAt(one.device.id)).toBeUndefined();
    await one.trail.opened();
    one.at(Date.UTC(2026, 5, 3));
    await one.trail.entryCreated('A');
    expect(one.trail.lastActiveAt(one.device.id)).toBe(Date.UTC(2026, 5, 3));
    // Someone points this device's hint at a record of the chain that is not its latest: that
    // record's time is what shows (display only), never a made-up one.
    const first = one.trail.verify().records.find((r) => r.seq === 1)!;
    await one.handle.audit.replace([], [], { device: one.device.id, id: first.id });
    expect(one.trail.lastActiveAt(one.device.id)).toBe(Date.UTC(2026, 5, 1));
    // A hint naming no record at all gives nothing.
    await one.handle.audit.replace([], [], { device: one.device.id, id: 'x'.repeat(43) });
    expect(one.trail.lastActiveAt(one.device.id)).toBeUndefined();
  });

  it('follows the saved head hint; a hint moved back by someone else shows as a fork', async () => {
    const one = await oneVault();
    await one.trail.opened();
    await one.trail.entryCreated('A');
    const first = one.trail.verify().records[0]!;
    await one.handle.audit.replace([], [], { device: one.device.id, id: first.id });
    const again = new AuditTrail({ vault: one.vault, device: one.device, clock: () => 5 });
    await again.entryCreated('B');
    expect(again.verify().findings.map((f) => f.kind)).toEqual(['fork']);
  });

  it('reports a stored record changed after it was written', async () => {
    const { trail, handle } = await oneVault();
    await trail.opened();
    await trail.entryCreated('API_KEY');
    expect(trail.verify().intact).toBe(true);
    const target = handle.audit.records()[1]!;
    const altered = target.bytes.slice();
    altered[altered.length - 70]! ^= 0x01;
    await handle.audit.replace([target.id], [{ id: target.id, bytes: altered }]);
    const verification = trail.verify();
    expect(verification.intact).toBe(false);
    expect(verification.findings.map((f) => f.kind)).toContain('altered');
  });

  it('reports a dropped record as a gap', async () => {
    const { trail, handle } = await oneVault();
    for (const name of ['A', 'B', 'C']) await trail.entryCreated(name);
    const middle = trail.verify().records[1]!;
    await handle.audit.remove([middle.id]);
    const verification = trail.verify();
    expect(verification.findings).toEqual([
      expect.objectContaining({ kind: 'gap', seq: 3, missing: middle.id }),
    ]);
  });

  it('reports a dropped newest record as truncated (a head seen before is gone)', async () => {
    const { trail, handle } = await oneVault();
    for (const name of ['A', 'B']) await trail.entryCreated(name);
    const newest = trail.verify().records[1]!;
    await handle.audit.remove([newest.id]);
    expect(trail.verify().findings.map((f) => f.kind)).toEqual(['truncated']);
  });

  it('skips map values that are not records, and never throws for them', async () => {
    const { trail, handle } = await oneVault();
    await trail.opened();
    handle.audit.map().set('junk', 'not bytes');
    handle.audit.map().set('has spaces', new Uint8Array(3));
    expect(handle.audit.records()).toHaveLength(1);
    expect(trail.verify().intact).toBe(true);
  });

  it("merges two devices' records when their documents sync", async () => {
    const [a, b] = await replicas(2, 'audited');
    const trailA = new AuditTrail({ vault: a!.vault, device: a!.device, clock: () => 1_000 });
    const trailB = new AuditTrail({ vault: b!.vault, device: b!.device, clock: () => 2_000 });
    await trailA.opened();
    await trailA.entryCreated('SHARED');
    await trailB.opened();
    await deliverAll(a!, b!);
    await deliverAll(b!, a!);
    for (const trail of [trailA, trailB]) {
      const verification = trail.verify();
      expect(verification.intact).toBe(true);
      expect(verification.records).toHaveLength(3);
      expect(new Set(verification.records.map((r) => r.device))).toEqual(
        new Set([a!.device.id, b!.device.id]),
      );
    }
  });
});

describe('AuditTrail: who wrote what', () => {
  it("names each device that wrote records as the vault's device list does", async () => {
    const [a, b] = await replicas(2, 'named');
    const trailA = new AuditTrail({ vault: a!.vault, device: a!.device, clock: () => 1_000 });
    const trailB = new AuditTrail({ vault: b!.vault, device: b!.device, clock: () => 2_000 });
    await trailA.opened();
    await trailB.opened();
    await deliverAll(a!, b!);
    await deliverAll(b!, a!);
    expect(new Map(trailA.devices().map((device) => [device.id, device.name]))).toEqual(
      new Map([
        [a!.device.id, 'A'],
        [b!.device.id, 'B'],
      ]),
    );
    // No team: no member names; a closed vault names nobody.
    expect(trailA.memberNames().size).toBe(0);
    await a!.vault.close();
    expect(trailA.devices()).toEqual([]);
    expect(trailA.memberNames().size).toBe(0);
  });
});

describe('AuditTrail: retention', () => {
  it('does nothing under the limits', async () => {
    const { trail, handle } = await oneVault();
    await trail.opened();
    expect(await trail.trim()).toBe(false);
    expect(handle.audit.records()).toHaveLength(1);
  });

  it('trims over the count limit and what is kept still verifies', async () => {
    const one = await oneVault();
    for (let i = 0; i < 30; i++) {
      one.at(Date.UTC(2026, 0, 1) + i * 60_000);
      await one.trail.entryCreated(`E${i}`);
    }
    expect(await one.trail.trim({ maxAgeMs: 10 * 365 * day, maxRecords: 10 })).toBe(true);
    expect(one.handle.audit.records().length).toBeLessThanOrEqual(10);
    expect(one.trail.verify().intact).toBe(true);
    await one.trail.entryCreated('AFTER');
    const verification = one.trail.verify();
    expect(verification.intact).toBe(true);
    expect(verification.records.at(-1)?.event).toEqual({ action: 'entry-created', entry: 'AFTER' });
  });

  it('trims records older than the age limit', async () => {
    const one = await oneVault();
    one.at(Date.UTC(2024, 0, 1));
    await one.trail.opened();
    one.at(Date.UTC(2026, 0, 1));
    await one.trail.opened();
    // Opening checks the count only (cheap); the age is checked once a verification is made.
    expect(await one.trail.trim()).toBe(false);
    expect(one.trail.verify().records).toHaveLength(2);
    await one.trail.flush();
    const verification = one.trail.verify();
    expect(verification.intact).toBe(true);
    expect(verification.records.map((r) => r.event.action)).toEqual(['vault-opened', 'trimmed']);
  });
});

describe('AuditTrail: never a value, never an exception', () => {
  it('records no value of a secret shown, copied, changed or renamed', async () => {
    const { trail, vault, handle } = await oneVault();
    await vault.create('API_KEY', canary, { kind: 'secret' });
    await trail.entryCreated('API_KEY');
    await trail.secretAccessed('shown', 'API_KEY');
    await trail.secretAccessed('copied', 'API_KEY');
    await trail.entryUpdated('API_KEY', { value: `${canary}-2` });
    await trail.entryUpdated('API_KEY', { name: 'NEW_KEY', value: canary });
    await trail.entryDeleted('NEW_KEY');
    await trail.integrationRun('deploy hook', ['NEW_KEY']);
    // A value passed where a name belongs fails the name check: nothing is recorded.
    await trail.secretAccessed('shown', canary.replace(/-/g, ' '));
    const stored = handle.audit.records();
    expect(stored.length).toBe(8);
    for (const { bytes } of stored) expect(containsUtf8(bytes, canary)).toBe(false);
    expect(trail.verify().intact).toBe(true);
  });

  it('records through OpenVault: opened, created, changed, renamed, deleted, closed', async () => {
    const { vault, device, handle } = await oneVault();
    const quiet = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const open = await createOpenVault(vault, {
      device,
      connect: () => {
        throw new Error('no transport in this test');
      },
      appUrl: 'https://coffer.test/',
    });
    quiet.mockRestore();
    expect(open.audit).toBeDefined();
    await open.create({ name: 'TOKEN', kind: 'secret', value: canary });
    const id = open.entries().find((e) => e.name === 'TOKEN')!.id;
    await open.update(id, { value: `${canary}-next` });
    await open.update(id, { name: 'TOKEN_2' });
    await open.remove('TOKEN_2');
    await open.audit!.flush();
    const actions = open.audit!.verify().records.map((r) => r.event.action);
    expect(actions).toEqual([
      'vault-opened',
      'entry-created',
      'entry-changed',
      'entry-renamed',
      'entry-deleted',
    ]);
    const bytes = handle.audit.records().map((r) => r.bytes);
    await open.close();
    for (const item of bytes) expect(containsUtf8(item, canary)).toBe(false);
  });

  it('never rejects when the vault is closed; it warns without names', async () => {
    const { trail, vault, warnings } = await oneVault();
    await vault.close();
    await expect(trail.entryCreated('SECRET_NAME')).resolves.toBeUndefined();
    expect(warnings.length).toBeGreaterThan(0);
    for (const warning of warnings) expect(warning).not.toContain('SECRET_NAME');
  });
});
