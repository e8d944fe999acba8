import { describe, expect, it } from 'vitest';
import { asIntegrationId } from '../../../src/core/ids';
import {
  type IntegrationDraft,
  IntegrationNameTakenError,
  IntegrationNotFoundError,
  InvalidIntegrationError,
} from '../../../src/core/integrations';
import { CorruptDataError } from '../../../src/core/storage';
import { testCoffer } from '../../support/coffer';
import { dumpDatabase } from './support';

const passphrase = 'correct horse battery staple';

async function session() {
  const t = testCoffer();
  const s = await t.coffer.createProfile(passphrase);
  return { ...t, session: s, api: s.integrations };
}

const draftOf = (name: string, extra: Partial<IntegrationDraft> = {}): IntegrationDraft => ({
  name,
  defaultVault: undefined,
  request: {
    method: 'POST',
    url: 'https://api.example.com/items?x=@{vault.CANARY_URL_7f3a}',
    query: [{ name: 'q', value: 'canary-query-91c2', enabled: true }],
    headers: [{ name: 'Authorization', value: 'Bearer @{vault.API_KEY}', enabled: true }],
    body: { type: 'json', text: '{"canary":"canary-body-e5d0"}' },
  },
  beforeHook: 'debug("canary-hook-44ab")',
  afterHook: '',
  ...extra,
});

describe('integrations: stored in the profile, sealed', () => {
  it('creates, lists by name, reads back, renames and saves', async () => {
    const { api } = await session();
    const b = await api.create('  beta ');
    const a = await api.create('alpha');
    expect(b.name).toBe('beta');
    expect(b.request.method).toBe('GET');
    expect((await api.list()).map((s) => s.name)).toEqual(['alpha', 'beta']);
    const saved = await api.save(a.id, draftOf('alpha'));
    expect((await api.get(a.id)).request).toEqual(saved.request);
    expect((await api.get(a.id)).beforeHook).toBe('debug("canary-hook-44ab")');
    await api.rename(a.id, 'gamma');
    expect((await api.list()).map((s) => s.name)).toEqual(['beta', 'gamma']);
  });

  it('refuses a name another integration has, ignoring case, and changes nothing', async () => {
    const { api } = await session();
    const one = await api.create('Weather');
    const two = await api.create('other');
    await expect(api.create('weather')).rejects.toBeInstanceOf(IntegrationNameTakenError);
    await expect(api.rename(two.id, 'WEATHER')).rejects.toBeInstanceOf(IntegrationNameTakenError);
    expect((await api.get(two.id)).name).toBe('other');
    expect((await api.get(one.id)).name).toBe('Weather');
    expect(await api.list()).toHaveLength(2);
  });

  it('says what is wrong with a bad draft, and keeps what was saved', async () => {
    const { api } = await session();
    const one = await api.save((await api.create('one')).id, draftOf('one'));
    const bad: [unknown, string][] = [
      [{ ...draftOf('one'), name: '   ' }, 'name-empty'],
      [{ ...draftOf('one'), name: 'x'.repeat(101) }, 'name-too-long'],
      [{ ...draftOf('one'), name: 'a\nb' }, 'name-control-character'],
      [{ ...draftOf('one'), request: { ...draftOf('one').request, method: 'BREW' } }, 'method'],
      [{ ...draftOf('one'), beforeHook: 'x'.repeat(300_000) }, 'too-large'],
      [{ ...draftOf('one'), request: { ...draftOf('one').request, headers: 'nope' } }, 'shape'],
    ];
    for (const [draft, problem] of bad) {
      const error = await api.save(one.id, draft as IntegrationDraft).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidIntegrationError);
      expect((error as InvalidIntegrationError).problem).toBe(problem);
    }
    expect(await api.get(one.id)).toEqual(one);
  });

  it('duplicates with its grants and a free name; delete takes grants and history along', async () => {
    const { api, session: s } = await session();
    const vault = await s.createVault('my-vault');
    const one = await api.save((await api.create('sync')).id, draftOf('sync'));
    await api.setGrant({ integration: one.id, vault: vault.id, access: 'read' });
    const copy = await api.duplicate(one.id);
    const copy2 = await api.duplicate(one.id);
    expect(copy.name).toBe('sync copy');
    expect(copy2.name).toBe('sync copy 2');
    expect(copy.request).toEqual(one.request);
    expect((await api.grants()).filter((g) => g.integration === copy.id)).toEqual([
      { integration: copy.id, vault: vault.id, access: 'read' },
    ]);
    await api.setGrant({ integration: one.id, vault: vault.id, access: 'read-write' });
    expect((await api.grants()).filter((g) => g.integration === one.id)).toEqual([
      { integration: one.id, vault: vault.id, access: 'read-write' },
    ]);
    await api.delete(one.id);
    await expect(api.get(one.id)).rejects.toBeInstanceOf(IntegrationNotFoundError);
    expect((await api.grants()).some((g) => g.integration === one.id)).toBe(false);
    expect((await api.grants()).some((g) => g.integration === copy.id)).toBe(true);
    await api.removeGrant(copy.id, vault.id);
    expect((await api.grants()).some((g) => g.integration === copy.id)).toBe(false);
  });

  it('a missing id is IntegrationNotFoundError', async () => {
    const { api } = await session();
    const ghost = asIntegrationId('AAAAAAAAAAAAAAAAAAAAAA');
    await expect(api.get(ghost)).rejects.toBeInstanceOf(IntegrationNotFoundError);
    await expect(api.delete(ghost)).rejects.toBeInstanceOf(IntegrationNotFoundError);
    await expect(
      api.setGrant({
        integration: ghost,
        vault: 'AAAAAAAAAAAAAAAAAAAAAA' as never,
        access: 'read',
      }),
    ).rejects.toBeInstanceOf(IntegrationNotFoundError);
  });

  it('nothing readable at rest: names, URLs, headers, bodies and hooks are sealed', async () => {
    const { api, db, session: s } = await session();
    const vault = await s.createVault('vault-canary-0b1e');
    const one = await api.save(
      (await api.create('integration-canary-3d9c')).id,
      draftOf('integration-canary-3d9c'),
    );
    await api.setGrant({ integration: one.id, vault: vault.id, access: 'read' });
    const dump = await dumpDatabase(db);
    for (const canary of [
      'integration-canary-3d9c',
      'CANARY_URL_7f3a',
      'canary-query-91c2',
      'canary-body-e5d0',
      'canary-hook-44ab',
      'api.example.com',
      'read-write',
    ]) {
      expect(dump).not.toContain(canary);
    }
    expect(dump).toContain(one.id);
  });

  it('a damaged integration record is named; the others still list', async () => {
    const { api, db } = await session();
    const good = await api.create('good');
    const bad = await api.create('bad');
    const row = await db.strict.integrations.get(bad.id);
    const sealed = row!.sealed.slice();
    sealed[sealed.length - 1]! ^= 1;
    await db.strict.integrations.put({ id: bad.id, sealed });
    await expect(api.get(bad.id)).rejects.toBeInstanceOf(CorruptDataError);
    expect((await api.list()).map((s) => s.id)).toEqual([good.id]);
    // A record moved to another id does not open either (its seal binds the id).
    const goodRow = await db.strict.integrations.get(good.id);
    await db.strict.integrations.put({ id: bad.id, sealed: goodRow!.sealed });
    await expect(api.get(bad.id)).rejects.toBeInstanceOf(CorruptDataError);
  });

  it('a locked profile refuses', async () => {
    const { api, session: s } = await session();
    await s.lock();
    await expect(api.list()).rejects.toMatchObject({ code: 'profile-locked' });
    await expect(api.create('x')).rejects.toMatchObject({ code: 'profile-locked' });
  });
});
