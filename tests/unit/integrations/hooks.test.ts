import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IntegrationDraft, IntegrationPlatform } from '../../../src/core/integrations';
import type { Session } from '../../../src/core/profile';
import { testCoffer } from '../../support/coffer';
import { type HttpRecorder, startHttpRecorder } from '../../support/http-recorder';
import { nodeWorkerSpawner, type Spawner } from '../hooks/helpers';
import { dumpDatabase } from './support';

/**
 * Integrations with hooks, end to end in Node: the real QuickJS engine in a worker thread,
 * the real session, vault locks (the in-memory twin) and a real HTTP server on loopback.
 */
const SECRET = 'ghp_4xQ9zR7mW2kT8vL1nB6';
const passphrase = 'correct horse battery staple';
let server: HttpRecorder;
let spawner: Spawner;

beforeAll(async () => {
  server = await startHttpRecorder();
  spawner = nodeWorkerSpawner();
});
afterAll(async () => {
  await spawner.closeAll();
  await server.close();
});

const platform = (): IntegrationPlatform => ({
  hookWorker: () => spawner.spawn(),
});

async function setup() {
  const t = testCoffer({ integrations: platform() });
  const session = await t.coffer.createProfile(passphrase);
  const summary = await session.createVault('my-vault');
  await session.withVault({ id: summary.id }, async (v) => {
    await v.set('my-item', { hello: 'world', n: 1 });
    await v.set('API_KEY', SECRET, { kind: 'secret', writeOnly: true });
    await v.set('counter', 0);
  });
  const make = async (
    name: string,
    hooks: Partial<IntegrationDraft>,
    access: 'read' | 'read-write' = 'read',
  ) => {
    const api = session.integrations;
    const integration = await api.create(name);
    await api.save(integration.id, {
      name,
      defaultVault: summary.id,
      request: {
        method: 'POST',
        url: `${server.origin}/echo/${name}`,
        query: [],
        headers: [],
        body: { type: 'none', text: '' },
      },
      beforeHook: '',
      afterHook: '',
      ...hooks,
    });
    await api.setGrant({ integration: integration.id, vault: summary.id, access });
    return integration;
  };
  return { ...t, session, vaultId: summary.id, make };
}

describe('hooks in runs', () => {
  it("the seed's example: withVault, get, debug with a label, keep, and @{keep.…} in the request", async () => {
    const { session, make } = await setup();
    const integration = await make('seed', {
      beforeHook: [
        "const my_data = await withVault('my-vault', v => v.get('my-item'));",
        'debug(my_data, { label: "Here\'s what was in the vault" });',
        'keep({ my_data });',
      ].join('\n'),
      request: {
        method: 'POST',
        url: `${server.origin}/echo/seed`,
        query: [{ name: 'hello', value: '@{keep.my_data.hello}', enabled: true }],
        headers: [],
        body: { type: 'none', text: '' },
      },
    });
    const before = server.requests.length;
    const record = await session.integrations.run(integration.id);
    expect(record.failure).toBeUndefined();
    expect(record.debug).toEqual([
      {
        hook: 'before',
        label: "Here's what was in the vault",
        text: JSON.stringify({ hello: 'world', n: 1 }, null, 2),
      },
    ]);
    expect(server.requests[before]!.query).toEqual({ hello: 'world' });
    expect(record.keptNames).toEqual(['my_data']);
  });

  it('the `vault` object and the before hook: secrets reach the request and are masked everywhere else', async () => {
    const { session, make, db } = await setup();
    const integration = await make('writer', {
      beforeHook: [
        'debug(vault.API_KEY, { label: "key" });',
        "request.headers.push({ name: 'Authorization', value: 'token ' + vault.API_KEY, enabled: true });",
        "request.headers.push({ name: 'X-Ref', value: '@{vault.API_KEY}', enabled: true });",
        'return { length: vault.API_KEY.length };',
      ].join('\n'),
      afterHook: 'debug(response.body.headers.authorization, { label: "echoed" });',
    });
    const before = server.requests.length;
    const record = await session.integrations.run(integration.id);
    expect(record.failure).toBeUndefined();
    expect(server.requests[before]!.headers.authorization).toBe(`token ${SECRET}`);
    expect(server.requests[before]!.headers['x-ref']).toBe(SECRET);
    const shown = JSON.stringify(record);
    expect(shown).not.toContain(SECRET);
    expect(shown).not.toContain(Buffer.from(SECRET).toString('base64'));
    expect(record.debug.map((line) => line.text)).toEqual(['••••', 'token ••••']);
    expect(record.results.before).toContain('"length": 23');
    const dump = await dumpDatabase(db);
    expect(dump).not.toContain(SECRET);
    expect(dump).not.toContain('ghp_');
  });

  it('the after hook writes its result into a vault it may write', async () => {
    const { session, make, vaultId } = await setup();
    const integration = await make(
      'store',
      {
        request: {
          method: 'GET',
          url: `${server.origin}/json?value=fresh`,
          query: [],
          headers: [],
          body: { type: 'none', text: '' },
        },
        afterHook:
          "await withVault('my-vault', async (v) => { await v.set('last', response.body.value); });",
      },
      'read-write',
    );
    const record = await session.integrations.run(integration.id);
    expect(record.failure).toBeUndefined();
    expect(await session.withVault({ id: vaultId }, (v) => v.get('last'))).toBe('fresh');
  });

  it('a hook that writes a vault it may only read fails, names the grant, and writes nothing', async () => {
    const { session, make, vaultId } = await setup();
    const integration = await make('sneaky', {
      beforeHook: "await withVault('my-vault', (v) => v.set('my-item', 'overwritten'));",
    });
    const before = server.requests.length;
    const record = await session.integrations.run(integration.id);
    expect(record.status).toBe('failed');
    expect(record.failure).toMatchObject({
      code: 'grant-missing',
      hook: 'before',
      line: 1,
      vault: vaultId,
    });
    expect(record.failure!.message).toContain('its grant is read only');
    expect(server.requests.length).toBe(before);
    expect(await session.withVault({ id: vaultId }, (v) => v.get('my-item'))).toEqual({
      hello: 'world',
      n: 1,
    });
  });

  it('a vault not granted at all cannot be opened by a hook', async () => {
    const { session, make } = await setup();
    const other = await session.createVault('private');
    await session.withVault({ id: other.id }, (v) => v.set('x', 'private-value-91'));
    const integration = await make('nosy', {
      beforeHook: "debug(await withVault('private', (v) => v.get('x')));",
    });
    const record = await session.integrations.run(integration.id);
    expect(record.failure).toMatchObject({ code: 'grant-missing', vault: other.id });
    expect(JSON.stringify(record)).not.toContain('private-value-91');
  });

  it('a hook that throws or loops: a clear error with its line, and its vaults are closed', async () => {
    const { session, make, vaultId, anotherTab } = await setup();
    const thrower = await make('thrower', {
      beforeHook:
        "const v = await openVault('my-vault');\nawait v.get('my-item');\nthrow new Error('boom ' + vault.API_KEY);",
    });
    const looper = await make('looper', {
      beforeHook: "const v = await openVault('my-vault');\nfor (;;) {}",
    });
    const thrown = await session.integrations.run(thrower.id);
    expect(thrown.failure).toMatchObject({ code: 'hook-failed', hook: 'before', line: 3 });
    expect(thrown.failure!.message).toBe('Error: boom ••••');
    const looped = await session.integrations.run(looper.id, { hookTimeLimitMs: 500 });
    expect(looped.failure).toMatchObject({ code: 'hook-failed', hook: 'before' });
    expect(looped.failure!.message).toMatch(/time limit/);
    // Nothing was left open: another tab gets the vault at once.
    const other = await anotherTab().unlock(passphrase);
    const vault = await other.openVault({ id: vaultId }, { ifAvailable: true });
    expect(await vault.get('my-item')).toEqual({ hello: 'world', n: 1 });
    await vault.close();
  });

  it('two tabs, two integrations, one counter incremented 20 times each: 40, never two holders', async () => {
    const { session, make, vaultId, anotherTab } = await setup();
    const increment = [
      "await withVault('my-vault', async (v) => {",
      "  const n = await v.get('counter');",
      "  await v.get('my-item');",
      "  await v.set('counter', n + 1);",
      '});',
    ].join('\n');
    const a = await make(
      'inc-a',
      {
        beforeHook: increment,
        request: {
          method: 'GET',
          url: `${server.origin}/echo/a`,
          query: [],
          headers: [],
          body: { type: 'none', text: '' },
        },
      },
      'read-write',
    );
    const b = await make(
      'inc-b',
      {
        beforeHook: increment,
        request: {
          method: 'GET',
          url: `${server.origin}/echo/b`,
          query: [],
          headers: [],
          body: { type: 'none', text: '' },
        },
      },
      'read-write',
    );
    const tab2: Session = await anotherTab().unlock(passphrase);
    const loop = async (s: Session, id: typeof a.id) => {
      for (let i = 0; i < 20; i++) {
        const record = await s.integrations.run(id);
        expect(record.failure).toBeUndefined();
      }
    };
    await Promise.all([loop(session, a.id), loop(tab2, b.id)]);
    expect(await session.withVault({ id: vaultId }, (v) => v.get('counter'))).toBe(40);
  }, 60_000);
});
