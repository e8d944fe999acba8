/**
 * The provider form's logic: settings built from the fields, a message per wrong field (never
 * quoting what was typed), saved credentials kept out of the form and kept unless replaced,
 * saving that leaves what was saved intact when it fails, and the Test connection and Pull All
 * state over a fake `session.providers`.
 */
import { describe, expect, it } from 'vitest';
import { ProviderError, ProviderSettingsError } from '../../../src/core/providers/errors';
import type {
  ConnectionReport,
  Progress,
  ProviderSettings,
} from '../../../src/core/providers/types';
import {
  emptyProviderForm,
  hasSavedSecret,
  type ProviderForm,
  providerFormFrom,
  settingsFromProviderForm,
  showsSaved,
} from '../../../src/ui/state/provider-form';
import {
  createProviderPullAll,
  createProviderTest,
  type ProviderSettingsApi,
  type PullAllResult,
  progressText,
  pullAllSummary,
  saveFailure,
  saveProviderForm,
} from '../../../src/ui/state/provider-settings';
import {
  connectedText,
  formFieldOf,
  identityText,
  mixedContentWarning,
} from '../../../src/ui/state/provider-settings-text';

const CANARY = {
  token: 'hvs.CANARYtoken0001',
  roleId: 'CANARY-role-id-0002',
  secretId: 'CANARY-secret-id-0003',
  accessKeyId: 'AKIACANARY00000004',
  secretAccessKey: 'CANARYsecretAccessKey/0005',
  sessionToken: 'CANARYsessionToken0006',
};

const savedToken: ProviderSettings = {
  kind: 'hashicorp',
  address: 'https://vault.example.com:8200',
  namespace: 'admin',
  enginePath: 'kv/team',
  auth: { method: 'token', token: CANARY.token },
};
const savedAppRole: ProviderSettings = {
  kind: 'hashicorp',
  address: 'https://vault.example.com:8200',
  enginePath: 'secret',
  auth: { method: 'approle', roleId: CANARY.roleId, secretId: CANARY.secretId, mount: 'ci' },
};
const savedAws: ProviderSettings = {
  kind: 'aws',
  region: 'eu-west-1',
  endpoint: 'http://localhost:4566',
  accessKeyId: CANARY.accessKeyId,
  secretAccessKey: CANARY.secretAccessKey,
  sessionToken: CANARY.sessionToken,
};

const form = (patch: Partial<ProviderForm>): ProviderForm => ({ ...emptyProviderForm, ...patch });
const hashicorp = (patch: Partial<ProviderForm>) =>
  form({ address: 'https://vault.example.com:8200', token: 'hvs.new-token-typed', ...patch });
const awsForm = (patch: Partial<ProviderForm>) =>
  form({
    kind: 'aws',
    region: 'us-east-1',
    accessKeyId: 'AKIATYPED0000000000',
    secretAccessKey: 'typed-secret-key',
    ...patch,
  });

describe('providerFormFrom: saved credentials stay out of the form', () => {
  it('fills the plain fields and none of the secrets', () => {
    for (const saved of [savedToken, savedAppRole, savedAws]) {
      const filled = providerFormFrom(saved);
      const text = JSON.stringify(filled);
      for (const secret of [
        CANARY.token,
        CANARY.secretId,
        CANARY.secretAccessKey,
        CANARY.sessionToken,
      ])
        expect(text).not.toContain(secret);
      expect(filled.kind).toBe(saved.kind);
    }
    expect(providerFormFrom(savedToken)).toMatchObject({
      address: 'https://vault.example.com:8200',
      namespace: 'admin',
      enginePath: 'kv/team',
      authMethod: 'token',
      token: '',
    });
    expect(providerFormFrom(savedAppRole)).toMatchObject({
      authMethod: 'approle',
      roleId: CANARY.roleId,
      approleMount: 'ci',
      secretId: '',
    });
    expect(providerFormFrom(savedAws)).toMatchObject({
      region: 'eu-west-1',
      endpoint: 'http://localhost:4566',
      accessKeyId: CANARY.accessKeyId,
      secretAccessKey: '',
      sessionToken: '',
    });
  });

  it('marks saved secrets only for the provider and login method they belong to', () => {
    const filled = providerFormFrom(savedToken);
    expect(showsSaved(savedToken, 'token', filled)).toBe(true);
    expect(hasSavedSecret(savedToken, 'secretId', { ...filled, authMethod: 'approle' })).toBe(
      false,
    );
    expect(hasSavedSecret(savedToken, 'token', { ...filled, kind: 'aws' })).toBe(false);
    expect(hasSavedSecret(savedAws, 'sessionToken', providerFormFrom(savedAws))).toBe(true);
    expect(
      showsSaved(savedToken, 'token', { ...filled, keep: { ...filled.keep, token: false } }),
    ).toBe(false);
    expect(hasSavedSecret(undefined, 'token', filled)).toBe(false);
  });
});

describe('settingsFromProviderForm: HashiCorp', () => {
  it('builds token settings, normalising the address and paths', () => {
    const built = settingsFromProviderForm(
      hashicorp({
        address: ' https://Vault.Example.com:8200/ ',
        namespace: '/admin/team-a/',
        enginePath: 'kv/team/',
        token: '  hvs.new-token-typed\n',
      }),
      undefined,
    );
    expect(built.settings).toEqual({
      kind: 'hashicorp',
      address: 'https://vault.example.com:8200',
      namespace: 'admin/team-a',
      enginePath: 'kv/team',
      auth: { method: 'token', token: 'hvs.new-token-typed' },
    });
  });

  it('builds AppRole settings, the mount optional', () => {
    const built = settingsFromProviderForm(
      hashicorp({ authMethod: 'approle', roleId: 'role', secretId: 'secret', approleMount: '' }),
      undefined,
    );
    expect(built.settings).toEqual({
      kind: 'hashicorp',
      address: 'https://vault.example.com:8200',
      enginePath: 'secret',
      auth: { method: 'approle', roleId: 'role', secretId: 'secret' },
    });
    const mounted = settingsFromProviderForm(
      hashicorp({ authMethod: 'approle', roleId: 'role', secretId: 'secret', approleMount: 'ci/' }),
      undefined,
    );
    expect(mounted.settings?.kind === 'hashicorp' && mounted.settings.auth).toMatchObject({
      mount: 'ci',
    });
  });

  it('keeps the saved token when it is not replaced, and uses a new one when it is', () => {
    const filled = providerFormFrom(savedToken);
    expect(settingsFromProviderForm(filled, savedToken).settings).toEqual(savedToken);
    const replaced = {
      ...filled,
      keep: { ...filled.keep, token: false },
      token: 'hvs.replacement',
    };
    expect(settingsFromProviderForm(replaced, savedToken).settings).toEqual({
      ...savedToken,
      auth: { method: 'token', token: 'hvs.replacement' },
    });
  });

  it('asks for a token when Replace was chosen and nothing typed', () => {
    const filled = providerFormFrom(savedToken);
    const built = settingsFromProviderForm(
      { ...filled, keep: { ...filled.keep, token: false } },
      savedToken,
    );
    expect(built.errors).toEqual({ token: 'Required.' });
  });

  it('never uses a saved token as an AppRole secret ID', () => {
    const filled = { ...providerFormFrom(savedToken), authMethod: 'approle' as const, roleId: 'r' };
    expect(settingsFromProviderForm(filled, savedToken).errors).toEqual({ secretId: 'Required.' });
  });

  it('gives each wrong field its own message', () => {
    const cases: [Partial<ProviderForm>, keyof ProviderForm, RegExp][] = [
      [{ address: '' }, 'address', /^Required\.$/],
      [{ address: 'vault.example.com' }, 'address', /Not an address/],
      [{ address: 'ftp://vault.example.com' }, 'address', /https:\/\//],
      [{ address: 'https://me:pw@vault.example.com' }, 'address', /user name or password/],
      [{ address: 'https://vault.example.com/v1/secret' }, 'address', /no path/],
      [{ address: 'https://vault.example.com?x=1' }, 'address', /no path/],
      [{ namespace: 'admin/../root' }, 'namespace', /\.\./],
      [{ namespace: 'admin//team' }, 'namespace', /empty part/],
      [{ enginePath: '' }, 'enginePath', /^Required\.$/],
      [{ enginePath: '/ ' }, 'enginePath', /^Required\.$/],
      [{ enginePath: 'kv/my team' }, 'enginePath', /spaces/],
      [{ token: '' }, 'token', /^Required\.$/],
      [{ token: 'hvs.abc def' }, 'token', /spaces/],
      [{ authMethod: 'approle', roleId: '', secretId: 's' }, 'roleId', /^Required\.$/],
      [{ authMethod: 'approle', roleId: 'r', secretId: '' }, 'secretId', /^Required\.$/],
      [
        { authMethod: 'approle', roleId: 'r', secretId: 's', approleMount: 'a//b' },
        'approleMount',
        /empty/,
      ],
    ];
    for (const [patch, field, message] of cases) {
      const built = settingsFromProviderForm(hashicorp(patch), undefined);
      expect(built.settings, JSON.stringify(patch)).toBeUndefined();
      expect(built.errors?.[field as keyof typeof built.errors], JSON.stringify(patch)).toMatch(
        message,
      );
      expect(Object.keys(built.errors ?? {}), JSON.stringify(patch)).toEqual([field]);
    }
  });

  it('reports every wrong field at once', () => {
    const built = settingsFromProviderForm(
      hashicorp({ address: 'nope', enginePath: '', token: '' }),
      undefined,
    );
    expect(Object.keys(built.errors ?? {}).sort()).toEqual(['address', 'enginePath', 'token']);
  });
});

describe('settingsFromProviderForm: AWS', () => {
  it('builds settings, the endpoint and session token optional', () => {
    expect(settingsFromProviderForm(awsForm({}), undefined).settings).toEqual({
      kind: 'aws',
      region: 'us-east-1',
      accessKeyId: 'AKIATYPED0000000000',
      secretAccessKey: 'typed-secret-key',
    });
    expect(
      settingsFromProviderForm(
        awsForm({ endpoint: 'http://localhost:4566/', sessionToken: ' tok ' }),
        undefined,
      ).settings,
    ).toEqual({
      kind: 'aws',
      region: 'us-east-1',
      endpoint: 'http://localhost:4566',
      accessKeyId: 'AKIATYPED0000000000',
      secretAccessKey: 'typed-secret-key',
      sessionToken: 'tok',
    });
  });

  it('keeps saved keys; Replace with nothing typed removes the optional session token', () => {
    const filled = providerFormFrom(savedAws);
    expect(settingsFromProviderForm(filled, savedAws).settings).toEqual(savedAws);
    const removed = settingsFromProviderForm(
      { ...filled, keep: { ...filled.keep, sessionToken: false } },
      savedAws,
    );
    expect(removed.settings).toEqual({ ...savedAws, sessionToken: undefined });
    expect(removed.settings && 'sessionToken' in removed.settings).toBe(false);
  });

  it('never carries saved AWS keys over to HashiCorp settings', () => {
    const filled = {
      ...providerFormFrom(savedAws),
      kind: 'hashicorp' as const,
      address: 'https://v.example',
    };
    expect(settingsFromProviderForm(filled, savedAws).errors).toEqual({ token: 'Required.' });
  });

  it('gives each wrong field its own message', () => {
    const cases: [Partial<ProviderForm>, keyof ProviderForm, RegExp][] = [
      [{ region: '' }, 'region', /^Required\.$/],
      [{ region: 'Ireland' }, 'region', /region code/],
      [{ endpoint: 'localhost:4566' }, 'endpoint', /https:\/\/|Not an address/],
      [{ endpoint: 'http://localhost:4566/path' }, 'endpoint', /no path/],
      [{ accessKeyId: ' ' }, 'accessKeyId', /^Required\.$/],
      [{ accessKeyId: 'AKIA 123' }, 'accessKeyId', /spaces/],
      [{ secretAccessKey: '' }, 'secretAccessKey', /^Required\.$/],
      [{ sessionToken: 'a b' }, 'sessionToken', /spaces/],
    ];
    for (const [patch, field, message] of cases) {
      const built = settingsFromProviderForm(awsForm(patch), undefined);
      expect(built.settings, JSON.stringify(patch)).toBeUndefined();
      expect(built.errors?.[field as keyof typeof built.errors], JSON.stringify(patch)).toMatch(
        message,
      );
      expect(Object.keys(built.errors ?? {}), JSON.stringify(patch)).toEqual([field]);
    }
  });
});

describe('messages never quote what was typed', () => {
  it('holds for every field, with a canary in each', () => {
    const c = 'CANARYxyz';
    const wrong: Partial<ProviderForm>[] = [
      { address: `https://${c}.example/${c}` },
      { address: `https://${c}:${c}@vault.example` },
      { address: `${c} not a url` },
      { namespace: `${c}//x`, enginePath: `${c}/../x` },
      { token: `${c} ${c}` },
      { authMethod: 'approle', roleId: `${c} ${c}`, secretId: `${c} ${c}`, approleMount: `${c}//` },
    ];
    for (const patch of wrong) {
      const built = settingsFromProviderForm(hashicorp(patch), undefined);
      expect(built.errors).toBeDefined();
      expect(JSON.stringify(built.errors)).not.toContain(c);
    }
    const awsWrong: Partial<ProviderForm>[] = [
      { region: c, endpoint: `http://localhost/${c}` },
      { accessKeyId: `${c} ${c}`, secretAccessKey: `${c} ${c}`, sessionToken: `${c} ${c}` },
    ];
    for (const patch of awsWrong) {
      const built = settingsFromProviderForm(awsForm(patch), undefined);
      expect(built.errors).toBeDefined();
      expect(JSON.stringify(built.errors)).not.toContain(c);
    }
  });
});

/** A fake `session.providers` over one saved default, refusing like core when asked to. */
function fakeApi(initial: ProviderSettings | undefined) {
  const store = { saved: initial, saves: 0 };
  let refuse: unknown;
  const api: ProviderSettingsApi & { refuseNext(error: unknown): void } = {
    refuseNext(error) {
      refuse = error;
    },
    async defaults() {
      return store.saved;
    },
    async saveDefaults(settings) {
      if (refuse !== undefined) {
        const error = refuse;
        refuse = undefined;
        throw error;
      }
      store.saves += 1;
      store.saved = settings;
    },
    async testConnection() {
      throw new Error('not used');
    },
    async pullAll() {
      throw new Error('not used');
    },
  };
  return { api, store };
}

describe('saveProviderForm', () => {
  it('saves built settings', async () => {
    const { api, store } = fakeApi(undefined);
    const done = await saveProviderForm(hashicorp({}), undefined, (s) => api.saveDefaults(s));
    expect(done.ok).toBe(true);
    expect(store.saved).toMatchObject({
      kind: 'hashicorp',
      auth: { token: 'hvs.new-token-typed' },
    });
  });

  it('saves nothing when a field is wrong, and the saved default is intact', async () => {
    const { api, store } = fakeApi(savedToken);
    const done = await saveProviderForm(
      hashicorp({ address: 'https://vault.example.com/path' }),
      savedToken,
      (s) => api.saveDefaults(s),
    );
    expect(done).toMatchObject({
      ok: false,
      errors: { address: expect.stringMatching(/no path/) },
    });
    expect(store.saves).toBe(0);
    expect(await api.defaults()).toEqual(savedToken);
  });

  it('puts core’s refusal under its field, and the saved default is intact', async () => {
    const { api, store } = fakeApi(savedAws);
    api.refuseNext(
      new ProviderSettingsError('region', 'is not an AWS region Coffer knows; check the code'),
    );
    const done = await saveProviderForm(awsForm({ region: 'xx-nowhere-9' }), savedAws, (s) =>
      api.saveDefaults(s),
    );
    expect(done).toEqual({
      ok: false,
      errors: { region: 'Is not an AWS region Coffer knows; check the code.' },
      text: 'Not saved: check the field marked above.',
    });
    expect(store.saved).toBe(savedAws);
  });

  it('says what failed otherwise, and that nothing saved changed', async () => {
    const { api, store } = fakeApi(savedAws);
    api.refuseNext(new Error('storage is full'));
    const done = await saveProviderForm(awsForm({}), savedAws, (s) => api.saveDefaults(s));
    expect(done).toEqual({
      ok: false,
      errors: {},
      text: 'Not saved: storage is full. What was saved before is unchanged.',
    });
    expect(store.saved).toBe(savedAws);
  });
});

describe('field mapping and small texts', () => {
  it('maps core’s field names to the form’s', () => {
    expect(formFieldOf('auth.token')).toBe('token');
    expect(formFieldOf('auth.mount')).toBe('approleMount');
    expect(formFieldOf('secretAccessKey')).toBe('secretAccessKey');
    expect(formFieldOf('toString')).toBeUndefined();
    expect(saveFailure(new ProviderSettingsError('settings', 'must be an object'))).toEqual({
      text: 'settings: Must be an object.',
    });
  });

  it('warns of mixed content only for an https page calling http off this computer', () => {
    const page = 'https://coffer.example.org';
    expect(mixedContentWarning('http://vault.lan:8200', page)).toMatch(/mixed content/);
    expect(mixedContentWarning('http://localhost:8200', page)).toBeUndefined();
    expect(mixedContentWarning('http://127.0.0.1:8200', page)).toBeUndefined();
    expect(mixedContentWarning('https://vault.lan:8200', page)).toBeUndefined();
    expect(mixedContentWarning('http://vault.lan:8200', 'http://localhost:5173')).toBeUndefined();
    expect(mixedContentWarning('not a url', page)).toBeUndefined();
  });

  it('says what Test connection found', () => {
    const report: ConnectionReport = {
      kind: 'hashicorp',
      kvVersion: 2,
      mount: 'secret',
      secretsSeen: 12,
    };
    expect(connectedText(report)).toBe('Connected: KV v2 at secret, 12 secrets.');
    expect(connectedText({ kind: 'aws', secretsSeen: 1 })).toBe(
      'Connected: AWS Secrets Manager, 1 secret.',
    );
    expect(identityText({ ...report, identity: 'token-ci' })).toBe('Logged in as token-ci.');
    expect(identityText(report)).toBeUndefined();
  });

  it('counts progress and sums up Pull All', () => {
    expect(progressText({ done: 12, total: 100 })).toBe('12 of 100');
    expect(progressText(undefined)).toMatch(/Listing/);
    expect(
      pullAllSummary({
        created: [{ path: 'a', vaultId: 'v1' }],
        linkedAlready: ['b', 'c'],
        skipped: [{ path: 'd', reason: 'not a JSON object' }],
      }),
    ).toBe('1 vault created, 2 already linked, 1 skipped.');
  });
});

/** A promise with its resolve and reject outside. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('createProviderTest', () => {
  const settings = savedToken;
  it('reports success and failure, keeping the settings tested', async () => {
    const report: ConnectionReport = {
      kind: 'hashicorp',
      kvVersion: 2,
      mount: 'kv',
      secretsSeen: 3,
    };
    let answer: () => Promise<ConnectionReport> = async () => report;
    const api = { testConnection: () => answer() } as unknown as ProviderSettingsApi;
    const test = createProviderTest(() => api);
    await test.run(settings);
    expect(test.outcome()).toEqual({ state: 'ok', report, settings });
    const error = new ProviderError('hashicorp', 'cors', 'lookup-self');
    answer = async () => {
      throw error;
    };
    await test.run(settings);
    expect(test.outcome()).toEqual({ state: 'failed', error, settings });
    answer = async () => {
      throw new ProviderSettingsError(
        'endpoint',
        'expected an origin only, without a path or query',
      );
    };
    await test.run(settings);
    expect(test.outcome()).toEqual({
      state: 'error',
      text: 'Not tested: Endpoint override: Expected an origin only, without a path or query.',
    });
    answer = async () => {
      throw new Error('profile locked');
    };
    await test.run(settings);
    expect(test.outcome()).toEqual({
      state: 'error',
      text: 'The test could not run: profile locked.',
    });
  });

  it('only the last test reports; the earlier one is aborted', async () => {
    const first = deferred<ConnectionReport>();
    const second = deferred<ConnectionReport>();
    const signals: AbortSignal[] = [];
    const answers = [first, second];
    const api = {
      testConnection: (_: ProviderSettings, signal: AbortSignal) => {
        signals.push(signal);
        return answers.shift()?.promise;
      },
    } as unknown as ProviderSettingsApi;
    const test = createProviderTest(() => api);
    const one = test.run(settings);
    const two = test.run(settings);
    expect(signals[0]?.aborted).toBe(true);
    expect(signals[1]?.aborted).toBe(false);
    expect(test.outcome()).toEqual({ state: 'running' });
    second.resolve({ kind: 'hashicorp', secretsSeen: 2 });
    await two;
    first.resolve({ kind: 'hashicorp', secretsSeen: 1 });
    await one;
    expect(test.outcome()).toMatchObject({ state: 'ok', report: { secretsSeen: 2 } });
  });

  it('cancel aborts and clears', async () => {
    const pending = deferred<ConnectionReport>();
    let signal: AbortSignal | undefined;
    const api = {
      testConnection: (_: ProviderSettings, s: AbortSignal) => {
        signal = s;
        return pending.promise;
      },
    } as unknown as ProviderSettingsApi;
    const test = createProviderTest(() => api);
    const run = test.run(settings);
    test.cancel();
    expect(signal?.aborted).toBe(true);
    expect(test.outcome()).toBeUndefined();
    pending.reject(new DOMException('aborted', 'AbortError'));
    await run;
    expect(test.outcome()).toBeUndefined();
  });
});

describe('createProviderPullAll', () => {
  const result: PullAllResult = {
    created: [{ path: 'app', vaultId: 'v1' }],
    linkedAlready: [],
    skipped: [],
  };

  it('shows progress, then the result; memory-only is passed on', async () => {
    const pending = deferred<PullAllResult>();
    let options: { memoryOnly?: boolean; onProgress?: (p: Progress) => void } = {};
    const api = {
      pullAll: (o: typeof options) => {
        options = o;
        return pending.promise;
      },
    } as unknown as ProviderSettingsApi;
    const pull = createProviderPullAll(() => api);
    const run = pull.start({ memoryOnly: true });
    expect(options.memoryOnly).toBe(true);
    expect(pull.state()).toEqual({ state: 'running', progress: undefined });
    options.onProgress?.({ done: 12, total: 100 });
    expect(pull.state()).toEqual({ state: 'running', progress: { done: 12, total: 100 } });
    // A second start while running does nothing.
    await pull.start({ memoryOnly: false });
    expect(options.memoryOnly).toBe(true);
    pending.resolve(result);
    await run;
    expect(pull.state()).toEqual({ state: 'done', result });
  });

  it('cancel aborts and says how far it got', async () => {
    const pending = deferred<PullAllResult>();
    let options: { signal?: AbortSignal; onProgress?: (p: Progress) => void } = {};
    const api = {
      pullAll: (o: typeof options) => {
        options = o;
        options.signal?.addEventListener('abort', () => pending.reject(new Error('aborted')));
        return pending.promise;
      },
    } as unknown as ProviderSettingsApi;
    const pull = createProviderPullAll(() => api);
    const run = pull.start({ memoryOnly: false });
    options.onProgress?.({ done: 3, total: 10 });
    pull.cancel();
    await run;
    expect(options.signal?.aborted).toBe(true);
    expect(pull.state()).toEqual({ state: 'cancelled', progress: { done: 3, total: 10 } });
  });

  it('a failure is kept for explaining', async () => {
    const error = new ProviderError('aws', 'forbidden', 'ListSecrets');
    const api = {
      pullAll: async () => {
        throw error;
      },
    } as unknown as ProviderSettingsApi;
    const pull = createProviderPullAll(() => api);
    await pull.start({ memoryOnly: false });
    expect(pull.state()).toEqual({ state: 'failed', error });
  });
});
