import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IntegrationDraft, RunEvent } from '../../../src/core/integrations';
import { testCoffer } from '../../support/coffer';
import { type HttpRecorder, startHttpRecorder } from '../../support/http-recorder';
import { dumpDatabase } from './support';

const SECRET = 'sk-live-Zq8v"Wm\\3&=?é#x';
const passphrase = 'correct horse battery staple';
let server: HttpRecorder;

beforeAll(async () => {
  server = await startHttpRecorder();
});
afterAll(async () => {
  await server.close();
});

async function setup() {
  const t = testCoffer();
  const session = await t.coffer.createProfile(passphrase);
  const summary = await session.createVault('my-vault');
  const vault = await session.openVault({ id: summary.id });
  await vault.set('API_KEY', SECRET, { kind: 'secret', writeOnly: true });
  await vault.set('config', { region: 'eu-west-1', ports: [8080, 8443] });
  await vault.set('PLAIN', 'not-a-secret-value');
  await vault.close();
  const api = session.integrations;
  const integration = await api.create('weather');
  const draft = (request: Partial<IntegrationDraft['request']>): IntegrationDraft => ({
    name: 'weather',
    defaultVault: summary.id,
    request: {
      method: 'POST',
      url: `${server.origin}/echo/a`,
      query: [],
      headers: [],
      body: { type: 'none', text: '' },
      ...request,
    },
    beforeHook: '',
    afterHook: '',
  });
  return { ...t, session, api, integration, vaultId: summary.id, draft };
}

describe('integration runs: references, grants, the request', () => {
  it('puts each value where its reference is, encoded for the place, and masks it in history', async () => {
    const { api, integration, vaultId, draft, db } = await setup();
    await api.setGrant({ integration: integration.id, vault: vaultId, access: 'read' });
    await api.save(
      integration.id,
      draft({
        url: `${server.origin}/echo/@{vault.config.region}?k=@{vault.API_KEY}`,
        query: [{ name: 'port', value: '@{vault.config.ports[1]}', enabled: true }],
        headers: [{ name: 'Authorization', value: 'Bearer @{vault.API_KEY}', enabled: true }],
        body: { type: 'json', text: '{"key": "@{vault.API_KEY}", "ports": @{vault.config.ports}}' },
      }),
    );
    const before = server.requests.length;
    const events: RunEvent[] = [];
    const record = await api.run(integration.id, { onEvent: (e) => events.push(e) });
    expect(record.failure).toBeUndefined();
    expect(record.status).toBe('succeeded');
    const got = server.requests.slice(before);
    expect(got).toHaveLength(1);
    expect(got[0]!.path).toBe('/echo/eu-west-1');
    expect(got[0]!.query).toEqual({ k: SECRET, port: '8443' });
    expect(got[0]!.headers.authorization).toBe(`Bearer ${SECRET}`);
    expect(JSON.parse(got[0]!.body)).toEqual({ key: SECRET, ports: [8080, 8443] });
    // …and nowhere else: no other header, no path, no other query parameter.
    const elsewhere = Object.entries(got[0]!.headers)
      .filter(([name]) => name !== 'authorization')
      .map(([, value]) => value)
      .concat(got[0]!.path, got[0]!.query.port ?? '');
    for (const text of elsewhere) {
      expect(text).not.toContain('sk-live');
      expect(text).not.toContain(encodeURIComponent(SECRET));
    }
    // The record and every event are masked.
    const shown = JSON.stringify({ record, events });
    expect(shown).not.toContain(SECRET);
    expect(shown).not.toContain(encodeURIComponent(SECRET));
    expect(shown).not.toContain(JSON.stringify(SECRET).slice(1, -1));
    expect(record.request?.headers).toContainEqual(['Authorization', 'Bearer ••••']);
    expect(record.response?.status).toBe(200);
    expect(record.response?.body).toContain('••••');
    expect(events.map((e) => (e.type === 'phase' ? e.phase : e.type))).toEqual([
      'checking',
      'sending',
      'request',
      'response',
      'saving',
      'done',
    ]);
    // History keeps it, sealed.
    expect((await api.runs(integration.id))[0]).toEqual(record);
    const dump = await dumpDatabase(db);
    expect(dump).not.toContain('eu-west-1');
    expect(dump).not.toContain('Bearer');
  });

  it('substituted text is never scanned again: a value holding a reference is sent as written', async () => {
    const { api, integration, vaultId, draft, session } = await setup();
    await session.withVault({ id: vaultId }, (v) => v.set('TRICK', '@{vault.API_KEY}'));
    await api.setGrant({ integration: integration.id, vault: vaultId, access: 'read' });
    await api.save(
      integration.id,
      draft({ body: { type: 'text', text: 'x=@{vault.TRICK} @@{vault.API_KEY}' } }),
    );
    const before = server.requests.length;
    const record = await api.run(integration.id);
    expect(record.status).toBe('succeeded');
    expect(server.requests[before]!.body).toBe('x=@{vault.API_KEY} @{vault.API_KEY}');
  });

  it('no grant: the run stops before sending and names the grant', async () => {
    const { api, integration, draft, vaultId } = await setup();
    await api.save(
      integration.id,
      draft({ headers: [{ name: 'X-Key', value: '@{vault.API_KEY}', enabled: true }] }),
    );
    const before = server.requests.length;
    const record = await api.run(integration.id);
    expect(server.requests.length).toBe(before);
    expect(record.status).toBe('failed');
    expect(record.failure).toMatchObject({
      code: 'grant-missing',
      vault: vaultId,
      field: { part: 'header', index: 0, side: 'value' },
    });
    expect(record.failure!.message).toContain('may not read vault "my-vault"');
    expect(record.request).toBeUndefined();
  });

  it('unknown vaults, entries and fields are errors at their field, before anything is sent', async () => {
    const { api, integration, vaultId, draft } = await setup();
    await api.setGrant({ integration: integration.id, vault: vaultId, access: 'read' });
    const cases: [Partial<IntegrationDraft['request']>, string, object][] = [
      [{ url: `${server.origin}/echo/@{vault.NOPE}` }, 'has no entry NOPE', { part: 'url' }],
      [
        { body: { type: 'text', text: '@{vault.config.zone}' } },
        'has no field "zone"',
        { part: 'body' },
      ],
      [
        { body: { type: 'text', text: '@{vault.config.ports[5]}' } },
        'has no item 5',
        { part: 'body' },
      ],
      [{ url: `${server.origin}/@{vaults.other.KEY}` }, 'no vault named "other"', { part: 'url' }],
      [{ url: `${server.origin}/@{vault.}` }, 'line 1', { part: 'url' }],
      [
        { headers: [{ name: 'X', value: '@{keep.token}', enabled: true }] },
        'no hook kept',
        { part: 'header', index: 0, side: 'value' },
      ],
    ];
    for (const [request, words, field] of cases) {
      await api.save(integration.id, draft(request));
      const before = server.requests.length;
      const record = await api.run(integration.id);
      expect(server.requests.length, words).toBe(before);
      expect(record.status).toBe('failed');
      expect(record.failure?.message, words).toContain(words);
      expect(record.failure?.field, words).toEqual(field);
      // check() finds the same before any run (keep values are only known at run time).
      if (!words.includes('kept')) {
        const problems = await api.check(await api.get(integration.id));
        expect(
          problems.map((p) => p.field),
          words,
        ).toContainEqual(field);
      }
    }
  });

  it('a header value with a line break is refused, the value never in the message', async () => {
    const { api, integration, vaultId, draft, session } = await setup();
    await session.withVault({ id: vaultId }, (v) =>
      v.set('SPLIT', 'abc-def-ghi\r\nX-Injected: yes', { kind: 'secret' }),
    );
    await api.setGrant({ integration: integration.id, vault: vaultId, access: 'read' });
    await api.save(
      integration.id,
      draft({ headers: [{ name: 'X-Key', value: '@{vault.SPLIT}', enabled: true }] }),
    );
    const before = server.requests.length;
    const record = await api.run(integration.id);
    expect(server.requests.length).toBe(before);
    expect(record.failure?.code).toBe('reference-placement');
    expect(JSON.stringify(record)).not.toContain('abc-def-ghi');
    expect(JSON.stringify(record)).not.toContain('Injected');
  });

  it('HTTP errors, redirects, slow and huge answers and forbidden addresses fail clearly', async () => {
    const { api, integration, draft } = await setup();
    const cases: [string, string, number?][] = [
      [`${server.origin}/status/503`, 'answered 503', 503],
      [`${server.origin}/redirect`, 'does not follow redirects'],
      [`${server.origin}/slow`, 'did not answer within 1 s'],
      [`${server.origin}/big?mb=20`, 'larger than 10 MiB'],
      ['http://example.com/api', 'only over https'],
      ['ftp://example.com/x', 'only to https://'],
      ['not a url', 'not a complete address'],
      ['http://127.0.0.1:1/closed', 'could not be reached'],
    ];
    for (const [url, words, status] of cases) {
      await api.save(integration.id, draft({ url, method: 'GET' }));
      const record = await api.run(integration.id, { requestTimeoutMs: 1000 });
      expect(record.status, url).toBe('failed');
      expect(record.failure?.code, url).toBe('request-failed');
      expect(record.failure?.message, url).toContain(words);
      if (status) expect(record.response?.status).toBe(status);
    }
  });

  it('cancel stops a run and history says so', async () => {
    const { api, integration, draft } = await setup();
    await api.save(integration.id, draft({ url: `${server.origin}/slow` }));
    const controller = new AbortController();
    const running = api.run(integration.id, {
      signal: controller.signal,
      onEvent: (e) => {
        if (e.type === 'request') setTimeout(() => controller.abort(), 50);
      },
    });
    const record = await running;
    expect(record.status).toBe('cancelled');
    expect(record.failure?.code).toBe('run-cancelled');
  });

  it('keeps the last 50 runs, newest first', async () => {
    const { api, integration, draft } = await setup();
    await api.save(integration.id, draft({ url: `${server.origin}/echo/n`, method: 'GET' }));
    for (let i = 0; i < 53; i++) await api.run(integration.id);
    const runs = await api.runs(integration.id);
    expect(runs).toHaveLength(50);
    expect(runs[0]!.seq).toBe(53);
    expect(runs[49]!.seq).toBe(4);
    await api.clearRuns(integration.id);
    expect(await api.runs(integration.id)).toEqual([]);
  });
});

describe('integration runs and the one-opener rule', () => {
  it('check and the @{ names, asked at once, both read the vault (neither finds the other holding it)', async () => {
    const { api, integration, vaultId, draft } = await setup();
    await api.setGrant({ integration: integration.id, vault: vaultId, access: 'read' });
    const saved = await api.save(integration.id, draft({ url: `${server.origin}/@{vault.NOPE}` }));
    const [problems, names] = await Promise.all([api.check(saved), api.referenceNames(saved)]);
    expect(names.defaultVault?.entries).toEqual(['API_KEY', 'PLAIN', 'config']);
    expect(problems.map((p) => p.message)).toEqual([
      '@{vault.NOPE}: vault "my-vault" has no entry NOPE',
    ]);
  });

  it('a run in the tab that has the vault open shares its handle, and leaves it open', async () => {
    const { api, integration, vaultId, draft, session } = await setup();
    await api.setGrant({ integration: integration.id, vault: vaultId, access: 'read' });
    await api.save(integration.id, draft({ url: `${server.origin}/echo/@{vault.PLAIN}` }));
    const mine = await session.openVault({ id: vaultId });
    const record = await api.run(integration.id);
    expect(record.status).toBe('succeeded');
    expect(record.request?.url).toContain('/echo/not-a-secret-value');
    expect(mine.closed).toBe(false);
    await mine.close();
  });

  it('a vault open in another tab: the run says who has it, waits, and goes on when it closes', async () => {
    const { api, integration, vaultId, draft, anotherTab } = await setup();
    await api.setGrant({ integration: integration.id, vault: vaultId, access: 'read' });
    await api.save(integration.id, draft({ url: `${server.origin}/echo/@{vault.PLAIN}` }));
    const other = await anotherTab('Tab opened 10:42').unlock(passphrase);
    const held = await other.openVault({ id: vaultId });
    const events: RunEvent[] = [];
    let released = false;
    const record = await api.run(integration.id, {
      onEvent: (event) => {
        events.push(event);
        if (event.type === 'waiting') {
          setTimeout(() => {
            released = true;
            void held.close();
          }, 100);
        }
      },
    });
    expect(released).toBe(true);
    expect(record.status).toBe('succeeded');
    const waiting = events.find((e) => e.type === 'waiting');
    expect(waiting).toMatchObject({ vault: 'my-vault', holder: 'Tab opened 10:42' });
    expect(events.some((e) => e.type === 'waiting-over')).toBe(true);
    // The run closed what it opened: the other tab can take the vault at once.
    const again = await other.openVault({ id: vaultId }, { ifAvailable: true });
    await again.close();
  });

  it('cancel while waiting for a vault ends the run, and the holder is untouched', async () => {
    const { api, integration, vaultId, draft, anotherTab } = await setup();
    await api.setGrant({ integration: integration.id, vault: vaultId, access: 'read' });
    await api.save(integration.id, draft({ url: `${server.origin}/echo/@{vault.PLAIN}` }));
    const other = await anotherTab().unlock(passphrase);
    const held = await other.openVault({ id: vaultId });
    const controller = new AbortController();
    const before = server.requests.length;
    const record = await api.run(integration.id, {
      signal: controller.signal,
      onEvent: (event) => {
        if (event.type === 'waiting') setTimeout(() => controller.abort(), 20);
      },
    });
    expect(record.failure).toMatchObject({ code: 'run-cancelled' });
    expect(record.status).toBe('cancelled');
    expect(server.requests.length).toBe(before);
    expect(held.closed).toBe(false);
    expect(await held.get('PLAIN')).toBe('not-a-secret-value');
    await held.close();
  });
});
