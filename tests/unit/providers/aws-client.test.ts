/**
 * The AWS Secrets Manager client against its loopback double: paging, the compare-and-swap
 * write, the recovery window, every failure reason Node can produce, and that no key, token or
 * value ever reaches an error.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createAwsProvider,
  MAX_SECRET_BYTES,
  validateAwsSettings,
} from '../../../src/core/providers/aws';
import { readErrorAnswer } from '../../../src/core/providers/aws/errors-map';
import {
  ProviderError,
  ProviderSettingsError,
  RemoteConflictError,
} from '../../../src/core/providers/errors';
import type {
  AwsSettings,
  RemoteVersion,
  SecretsProvider,
} from '../../../src/core/providers/types';
import {
  type AwsDouble,
  type AwsDoubleCredentials,
  defaultAwsCredentials,
  startAwsDouble,
} from '../../support/aws-double';

const DAY_MS = 86_400_000;

function settingsFor(double: AwsDouble, overrides: Partial<AwsSettings> = {}): AwsSettings {
  return {
    kind: 'aws',
    region: double.region,
    endpoint: double.url,
    accessKeyId: defaultAwsCredentials.accessKeyId,
    secretAccessKey: defaultAwsCredentials.secretAccessKey,
    ...overrides,
  };
}

interface Harness {
  provider: SecretsProvider;
  sleeps: number[];
  fetches: () => number;
}

function client(
  settings: AwsSettings,
  extra: { origin?: string; timeoutMs?: number; fetch?: typeof fetch; now?: () => number } = {},
): Harness {
  const sleeps: number[] = [];
  let fetches = 0;
  const inner = extra.fetch ?? globalThis.fetch;
  const counting: typeof fetch = (input, init) => {
    fetches += 1;
    return inner(input, init);
  };
  const provider = createAwsProvider(settings, {
    fetch: counting,
    now: extra.now ?? Date.now,
    newToken: randomUUID,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    ...(extra.origin === undefined ? {} : { origin: extra.origin }),
    ...(extra.timeoutMs === undefined ? {} : { timeoutMs: extra.timeoutMs }),
  });
  return { provider, sleeps, fetches: () => fetches };
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    (value) => {
      throw new Error(`expected a rejection, got ${JSON.stringify(value)}`);
    },
    (error: unknown) => error,
  );
}

async function providerFailure(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await failure(promise);
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
}

let names = 0;
const fresh = (prefix = 'app') => `${prefix}/case-${++names}`;

describe('aws client: listing', () => {
  let double: AwsDouble;
  beforeAll(async () => {
    double = await startAwsDouble({ pageSizes: [7, 0, 3] });
  });
  afterAll(() => double.close());

  it('follows NextToken through 250 secrets in pages of 7, 0 and 3, sorted, every page read', async () => {
    const expected: string[] = [];
    for (let i = 0; i < 250; i += 1) {
      // Created in an order unlike the sorted one, so sorting is the client's work.
      const name = `bulk/${String((i * 37) % 250).padStart(3, '0')}`;
      double.putDirect(name, { I: i });
      expected.push(name);
    }
    const { provider } = client(settingsFor(double));
    const before = double.requests.length;
    const listed = await provider.list();
    expect(listed).toStrictEqual([...expected].sort());
    // 25 cycles of (7, 0, 3): 75 pages, the last one without NextToken.
    const pages = double.requests.slice(before).filter((r) => r.operation === 'ListSecrets');
    expect(pages).toHaveLength(75);
    expect(pages.every((r) => r.status === 200)).toBe(true);
  });

  it('leaves out secrets in their recovery window; test() reports the first page', async () => {
    const { provider } = client(settingsFor(double));
    const name = fresh('hidden');
    double.putDirect(name, { A: 1 });
    expect(await provider.list()).toContain(name);
    await provider.delete(name);
    const listed = await provider.list();
    expect(listed).not.toContain(name);
    expect(listed).toHaveLength(250);
    const report = await provider.test();
    expect(report).toStrictEqual({ kind: 'aws', secretsSeen: 7 });
  });
});

describe('aws client: read and write', () => {
  let double: AwsDouble;
  let provider: SecretsProvider;
  beforeAll(async () => {
    double = await startAwsDouble();
    provider = client(settingsFor(double)).provider;
  });
  afterAll(() => double.close());

  it('round-trips JSON values exactly, as JSON.stringify wrote them', async () => {
    const name = fresh();
    const values = {
      S: 'plain',
      N: 5432,
      F: 0.1,
      NEG: -0,
      B: false,
      Z: null,
      O: { list: [1, 'two', { three: 3 }], empty: {} },
      U: 'é漢🙂\u0000"\\',
    };
    const version = await provider.write(name, values, 'absent');
    const stored = double.secret(name);
    expect(stored?.current?.secretString).toBe(JSON.stringify(values));
    expect(stored?.current?.versionId).toBe(version);
    const read = await provider.read(name);
    expect(read).toStrictEqual({ path: name, values: JSON.parse(JSON.stringify(values)), version });
  });

  it('writes on top of the version read: AWSCURRENT moves, AWSPREVIOUS follows, no AWSPENDING left', async () => {
    const name = fresh();
    const first = await provider.write(name, { A: '1' }, 'absent');
    const second = await provider.write(name, { A: '2' }, first);
    expect(second).not.toBe(first);
    const stored = double.secret(name);
    const stages = Object.fromEntries(stored?.versions.map((v) => [v.versionId, v.stages]) ?? []);
    expect(stages).toStrictEqual({ [first]: ['AWSPREVIOUS'], [second]: ['AWSCURRENT'] });
    expect((await provider.read(name))?.values).toStrictEqual({ A: '2' });
  });

  it('loses a race against a concurrent writer: RemoteConflictError naming the winner, remote unchanged', async () => {
    const name = fresh();
    const first = await provider.write(name, { A: 'mine' }, 'absent');
    const read = await provider.read(name);
    const theirs = double.putDirect(name, { A: 'theirs' });
    const error = await failure(
      provider.write(name, { A: 'lost update' }, read?.version as RemoteVersion),
    );
    expect(error).toBeInstanceOf(RemoteConflictError);
    expect(error).toMatchObject({ provider: 'aws', path: name, expected: first, actual: theirs });
    const stored = double.secret(name);
    expect(stored?.current?.versionId).toBe(theirs);
    expect(stored?.currentValues).toStrictEqual({ A: 'theirs' });
    // The losing value stays as an unlabelled version (documented), never current or pending.
    const loser = stored?.versions.find(
      (v) => v.secretString === JSON.stringify({ A: 'lost update' }),
    );
    expect(loser?.stages).toStrictEqual([]);
    expect(stored?.versions.some((v) => v.stages.includes('AWSPENDING'))).toBe(false);
  });

  it("refuses 'absent' when the secret exists, and leaves it as it was", async () => {
    const name = fresh();
    const existing = double.putDirect(name, { KEEP: 'me' });
    const error = await failure(provider.write(name, { KEEP: 'clobbered' }, 'absent'));
    expect(error).toBeInstanceOf(RemoteConflictError);
    expect(error).toMatchObject({ expected: 'absent', actual: existing });
    expect(double.secret(name)?.currentValues).toStrictEqual({ KEEP: 'me' });
    expect(double.secret(name)?.versions).toHaveLength(1);
  });

  it('a write against a version of a secret that is gone is a conflict with actual absent', async () => {
    const name = fresh();
    const version = await provider.write(name, { A: 1 }, 'absent');
    await provider.destroy(name);
    const error = await failure(provider.write(name, { A: 2 }, version));
    expect(error).toBeInstanceOf(RemoteConflictError);
    expect(error).toMatchObject({ actual: 'absent' });
    expect(double.secret(name)).toBeUndefined();
  });

  it('reads undefined where nothing is', async () => {
    expect(await provider.read(fresh('nothing'))).toBeUndefined();
  });

  it("reads a plain-text, an array, a null and a binary secret as 'not-an-object', leaving each untouched", async () => {
    const cases: [string, () => void][] = [];
    const text = fresh('raw');
    cases.push([text, () => double.putRaw(text, { secretString: 'hunter2-not-json' })]);
    const array = fresh('raw');
    cases.push([array, () => double.putDirect(array, [1, 2])]);
    const nul = fresh('raw');
    cases.push([nul, () => double.putDirect(nul, null)]);
    const binary = fresh('raw');
    cases.push([binary, () => double.putRaw(binary, { secretBinary: new Uint8Array([1, 2, 3]) })]);
    for (const [name, put] of cases) {
      put();
      const before = double.secret(name);
      const error = await providerFailure(provider.read(name));
      expect(error.reason).toBe('not-an-object');
      expect(error.path).toBe(name);
      expect(error.message).not.toContain('hunter2');
      expect(double.secret(name)).toStrictEqual(before);
    }
  });

  it(`refuses values over ${MAX_SECRET_BYTES} bytes of JSON before sending, remote unchanged`, async () => {
    const name = fresh();
    const version = await provider.write(name, { A: 'small' }, 'absent');
    const before = double.requests.length;
    const big = { BIG: 'x'.repeat(MAX_SECRET_BYTES) };
    for (const expected of [version, 'absent' as const]) {
      const error = await providerFailure(provider.write(name, big, expected));
      expect(error.reason).toBe('refused');
      expect(error.detail).toMatch(/65536/);
      expect(error.message).not.toContain('xxxxxxxx');
    }
    expect(double.requests.length).toBe(before);
    expect(double.secret(name)?.currentValues).toStrictEqual({ A: 'small' });
  });

  it('a throttled PutSecretValue retried with the same token makes one version', async () => {
    const name = fresh();
    const h = client(settingsFor(double));
    const first = await h.provider.write(name, { A: 1 }, 'absent');
    double.fail({ kind: 'throttle', operation: 'PutSecretValue', count: 1 });
    const second = await h.provider.write(name, { A: 2 }, first);
    expect(h.sleeps).toHaveLength(1);
    expect(
      double
        .secret(name)
        ?.versions.map((v) => v.versionId)
        .sort(),
    ).toStrictEqual([first, second].sort());
  });
});

describe('aws client: delete, restore, destroy', () => {
  let double: AwsDouble;
  let provider: SecretsProvider;
  beforeAll(async () => {
    double = await startAwsDouble();
    provider = client(settingsFor(double)).provider;
  });
  afterAll(() => double.close());

  it('deletes with a 30-day recovery window; the name is held until restore', async () => {
    const name = fresh();
    const version = await provider.write(name, { A: 'kept' }, 'absent');
    const started = Date.now();
    const deleted = await provider.delete(name);
    expect(deleted.path).toBe(name);
    expect(deleted.restorable).toBe(true);
    expect(deleted.purgeAt).toBeGreaterThanOrEqual(started + 30 * DAY_MS - 1000);
    expect(deleted.purgeAt).toBeLessThanOrEqual(Date.now() + 30 * DAY_MS + 1000);
    expect(double.secret(name)?.deletionDate).toBe(deleted.purgeAt);

    expect(await provider.list()).not.toContain(name);
    expect(await provider.read(name)).toBeUndefined();
    // Creating at the held name, or writing on it, says why and changes nothing.
    const create = await providerFailure(provider.write(name, { A: 'new' }, 'absent'));
    expect(create.reason).toBe('scheduled-for-deletion');
    expect(create.detail).toMatch(/^InvalidRequestException: .*scheduled for deletion/);
    const put = await providerFailure(provider.write(name, { A: 'new' }, version));
    expect(put.reason).toBe('scheduled-for-deletion');
    // Deleting again says so too.
    expect((await providerFailure(provider.delete(name))).reason).toBe('scheduled-for-deletion');
    expect(double.secret(name)?.versions).toHaveLength(1);

    await provider.restore(name);
    expect(await provider.read(name)).toStrictEqual({ path: name, values: { A: 'kept' }, version });
    expect(await provider.list()).toContain(name);
  });

  it('destroys for good, also a secret in its window; the name is free again', async () => {
    const name = fresh();
    await provider.write(name, { A: 'gone' }, 'absent');
    await provider.delete(name);
    await provider.destroy(name);
    expect(double.secret(name)).toBeUndefined();
    expect(await provider.read(name)).toBeUndefined();
    await provider.destroy(name); // nothing left: still fine
    const again = await provider.write(name, { A: 'new' }, 'absent');
    expect(await provider.read(name)).toStrictEqual({
      path: name,
      values: { A: 'new' },
      version: again,
    });
  });

  it('restoring a secret that does not exist is refused with the AWS words', async () => {
    const error = await providerFailure(provider.restore(fresh('never')));
    expect(error.reason).toBe('refused');
    expect(error.detail).toMatch(/^ResourceNotFoundException: /);
    expect(error.operation).toBe('RestoreSecret');
  });
});

describe('aws client: failures', () => {
  let double: AwsDouble;
  const session: AwsDoubleCredentials = {
    accessKeyId: 'ASIACOFFERSESSION001',
    secretAccessKey: 'session-secret-key-canary-7f3a',
    sessionToken: 'session-token-canary-91b2',
  };
  beforeAll(async () => {
    double = await startAwsDouble();
    double.addCredentials(session);
    double.addCredentials({
      accessKeyId: 'AKIACOFFERLISTONLY01',
      secretAccessKey: 'list-only-secret',
      allow: ['ListSecrets'],
      userName: 'list-only',
    });
    double.addCredentials({
      accessKeyId: 'ASIACOFFEREXPIRED001',
      secretAccessKey: 'expired-secret',
      sessionToken: 'expired-token',
      expiresAt: Date.now() - 1000,
    });
  });
  afterAll(() => double.close());

  it("an unknown access key id is 'auth'", async () => {
    const { provider } = client(settingsFor(double, { accessKeyId: 'AKIANOBODY0000000000' }));
    const error = await providerFailure(provider.list());
    expect(error).toMatchObject({ reason: 'auth', status: 400, operation: 'ListSecrets' });
    expect(error.detail).toMatch(/^UnrecognizedClientException: /);
  });

  it("session tokens: the right one works, a wrong or expired one is 'auth'", async () => {
    const good = client(settingsFor(double, session)).provider;
    expect(Array.isArray(await good.list())).toBe(true);
    const wrong = client(
      settingsFor(double, { ...session, sessionToken: 'not-the-token' }),
    ).provider;
    expect((await providerFailure(wrong.list())).reason).toBe('auth');
    const missing = client(
      settingsFor(double, {
        accessKeyId: session.accessKeyId,
        secretAccessKey: session.secretAccessKey,
      }),
    ).provider;
    expect((await providerFailure(missing.list())).reason).toBe('auth');
    const expired = client(
      settingsFor(double, {
        accessKeyId: 'ASIACOFFEREXPIRED001',
        secretAccessKey: 'expired-secret',
        sessionToken: 'expired-token',
      }),
    ).provider;
    const error = await providerFailure(expired.list());
    expect(error.reason).toBe('auth');
    expect(error.detail).toMatch(/^ExpiredTokenException/);
  });

  it("a wrong secret access key is 'signature'", async () => {
    const { provider } = client(
      settingsFor(double, { secretAccessKey: 'wrong-secret-access-key' }),
    );
    const error = await providerFailure(provider.read('anything'));
    expect(error.reason).toBe('signature');
    expect(error.detail).toMatch(
      /^InvalidSignatureException: The request signature we calculated does not match/,
    );
  });

  it("a clock 20 minutes off either way is 'clock-skew'", async () => {
    const { provider } = client(settingsFor(double));
    double.advanceClock(20 * 60_000);
    try {
      const error = await providerFailure(provider.list());
      expect(error.reason).toBe('clock-skew');
      expect(error.detail).toMatch(/Signature expired/);
    } finally {
      double.advanceClock(-20 * 60_000);
    }
    const ahead = client(settingsFor(double), { now: () => Date.now() + 20 * 60_000 }).provider;
    const error = await providerFailure(ahead.list());
    expect(error.reason).toBe('clock-skew');
    expect(error.detail).toMatch(/not yet current/);
    // 14 minutes is within AWS's 15.
    const close = client(settingsFor(double), { now: () => Date.now() - 14 * 60_000 }).provider;
    expect(Array.isArray(await close.list())).toBe(true);
  });

  it("a policy without the action is 'forbidden', naming the action", async () => {
    const name = fresh();
    double.putDirect(name, { A: 1 });
    const { provider } = client(
      settingsFor(double, {
        accessKeyId: 'AKIACOFFERLISTONLY01',
        secretAccessKey: 'list-only-secret',
      }),
    );
    expect(await provider.list()).toContain(name);
    const read = await providerFailure(provider.read(name));
    expect(read.reason).toBe('forbidden');
    expect(read.detail).toContain('secretsmanager:GetSecretValue');
    const write = await providerFailure(provider.write(name, { A: 2 }, 'absent'));
    expect(write.reason).toBe('forbidden');
    expect(write.detail).toContain('secretsmanager:CreateSecret');
    expect(double.secret(name)?.currentValues).toStrictEqual({ A: 1 });
  });

  it('throttling is retried 3 times with growing back-off, then succeeds or is reported', async () => {
    const h = client(settingsFor(double));
    double.fail({ kind: 'throttle', operation: 'ListSecrets', count: 3 });
    const before = double.requests.length;
    await h.provider.list();
    expect(double.requests.length - before).toBe(4);
    expect(h.sleeps).toHaveLength(3);
    expect(h.sleeps[1]).toBeGreaterThan(h.sleeps[0] as number);
    expect(h.sleeps[2]).toBeGreaterThan(h.sleeps[1] as number);

    double.fail({ kind: 'throttle', operation: 'ListSecrets', count: 4 });
    const mark = double.requests.length;
    const error = await providerFailure(h.provider.list());
    expect(error).toMatchObject({ reason: 'throttled', status: 400 });
    expect(error.detail).toMatch(/^ThrottlingException/);
    expect(double.requests.length - mark).toBe(4);
  });

  it("500 and 503 are 'server', not retried", async () => {
    const { provider } = client(settingsFor(double));
    double.fail({ kind: 'internal' });
    const internal = await providerFailure(provider.list());
    expect(internal).toMatchObject({ reason: 'server', status: 500 });
    expect(internal.detail).toMatch(/^InternalServiceError/);
    double.fail({ kind: 'unavailable' });
    const before = double.requests.length;
    const unavailable = await providerFailure(provider.list());
    expect(unavailable).toMatchObject({ reason: 'server', status: 503 });
    expect(double.requests.length - before).toBe(1);
  });

  it("a region AWS does not have is 'region' before any request; one the endpoint does not serve too", async () => {
    const h = client({
      kind: 'aws',
      region: 'xx-nowhere-9',
      accessKeyId: defaultAwsCredentials.accessKeyId,
      secretAccessKey: defaultAwsCredentials.secretAccessKey,
    });
    const error = await providerFailure(h.provider.list());
    expect(error.reason).toBe('region');
    expect(h.fetches()).toBe(0);
    const other = client(settingsFor(double, { region: 'eu-west-1' })).provider;
    const scoped = await providerFailure(other.list());
    expect(scoped.reason).toBe('region');
    expect(scoped.detail).toMatch(/scoped to a valid region/);
  });

  it("nothing listening is 'unreachable'", async () => {
    const gone = await startAwsDouble();
    const settings = settingsFor(gone);
    await gone.close();
    const error = await providerFailure(client(settings).provider.list());
    expect(error.reason).toBe('unreachable');
  });

  it("a fetch that fails while a no-cors probe answers is 'cors'", async () => {
    // Node does no CORS: this fetch refuses what a browser would block (a cors-mode request
    // whose answer lacks Access-Control-Allow-Origin), and lets the no-cors probe through.
    double.setCors('off');
    const browserish: typeof fetch = async (input, init) => {
      if (init?.mode === 'no-cors') return globalThis.fetch(input, { ...init, mode: 'cors' });
      const response = await globalThis.fetch(input, init);
      if (!response.headers.has('access-control-allow-origin'))
        throw new TypeError('Failed to fetch');
      return response;
    };
    try {
      const error = await providerFailure(
        client(settingsFor(double), { fetch: browserish }).provider.list(),
      );
      expect(error.reason).toBe('cors');
      double.setCors('*');
      expect(
        Array.isArray(await client(settingsFor(double), { fetch: browserish }).provider.list()),
      ).toBe(true);
    } finally {
      double.setCors('*');
    }
  });

  it("an https page and an http endpoint is 'mixed-content' before any request; loopback is allowed", async () => {
    const h = client(settingsFor(double, { endpoint: 'http://secrets.internal.example:4566' }), {
      origin: 'https://coffer.example',
    });
    const error = await providerFailure(h.provider.read('x'));
    expect(error.reason).toBe('mixed-content');
    expect(h.fetches()).toBe(0);
    const loopback = client(settingsFor(double), { origin: 'https://coffer.example' });
    expect(Array.isArray(await loopback.provider.list())).toBe(true);
  });

  it("no answer within the timeout, or a cancelled signal, is 'timeout'", async () => {
    double.fail({ kind: 'delay', ms: 400 });
    const slow = client(settingsFor(double), { timeoutMs: 50 });
    const error = await providerFailure(slow.provider.list());
    expect(error.reason).toBe('timeout');
    const controller = new AbortController();
    controller.abort();
    const cancelled = await providerFailure(
      client(settingsFor(double)).provider.list(controller.signal),
    );
    expect(cancelled.reason).toBe('timeout');
  });

  it('reads error codes in every spelling AWS uses', async () => {
    for (const style of ['namespaced', 'suffixed'] as const) {
      const other = await startAwsDouble({ errorTypeStyle: style, messageField: 'message' });
      try {
        const { provider } = client(settingsFor(other));
        expect(await provider.read('missing')).toBeUndefined();
        const error = await providerFailure(
          client(settingsFor(other, { secretAccessKey: 'wrong' })).provider.list(),
        );
        expect(error.reason).toBe('signature');
        expect(error.detail).toMatch(/^InvalidSignatureException: The request signature/);
      } finally {
        await other.close();
      }
    }
    expect(
      readErrorAnswer(400, 'ThrottlingException:http://internal', { message: 'Rate exceeded' }),
    ).toStrictEqual({
      status: 400,
      type: 'ThrottlingException',
      message: 'Rate exceeded',
    });
    expect(readErrorAnswer(502, null, undefined)).toStrictEqual({
      status: 502,
      type: 'HTTP502',
      message: '',
    });
  });

  it('sends only headers the real endpoint allows cross-origin', async () => {
    const before = double.requests.length;
    await client(settingsFor(double, session)).provider.list();
    const allowed = new Set(
      'content-type,x-amz-target,x-amz-date,authorization,x-amz-security-token,x-amz-user-agent,amz-sdk-invocation-id,amz-sdk-request,x-amz-content-sha256'.split(
        ',',
      ),
    );
    // What fetch adds itself (forbidden or CORS-safelisted request headers).
    const browserOwned = new Set([
      'host',
      'connection',
      'content-length',
      'accept',
      'accept-language',
      'accept-encoding',
      'user-agent',
      'sec-fetch-mode',
    ]);
    const sent = double.requests.slice(before).flatMap((r) => r.headerNames);
    expect(sent).toContain('x-amz-security-token');
    expect(sent.filter((h) => !allowed.has(h) && !browserOwned.has(h))).toStrictEqual([]);
  });

  it('no secret access key, session token or value appears in any error', async () => {
    const canary = {
      accessKeyId: session.accessKeyId,
      secretAccessKey: session.secretAccessKey,
      sessionToken: session.sessionToken as string,
    };
    const value = 'value-canary-5d1e';
    const name = fresh('canary');
    const good = client(settingsFor(double, canary)).provider;
    const version = await good.write(name, { SECRET: value }, 'absent');
    double.putDirect(name, { SECRET: `${value}-theirs` });
    const errors: unknown[] = [];
    const collect = async (p: Promise<unknown>) => errors.push(await failure(p));
    await collect(good.write(name, { SECRET: value }, version));
    await collect(good.write(name, { SECRET: value }, 'absent'));
    await collect(good.write(name, { SECRET: value.repeat(20_000) }, 'absent'));
    await collect(
      client(
        settingsFor(double, { ...canary, sessionToken: `${canary.sessionToken}x` }),
      ).provider.read(name),
    );
    await collect(
      client(
        settingsFor(double, { ...canary, secretAccessKey: `${canary.secretAccessKey}x` }),
      ).provider.write(name, { SECRET: value }, version),
    );
    double.fail({ kind: 'throttle', count: 4 });
    await collect(good.write(name, { SECRET: value }, version));
    double.fail({ kind: 'internal' });
    await collect(good.read(name));
    double.putRaw(`${name}-raw`, { secretString: value });
    await collect(good.read(`${name}-raw`));
    await collect(
      client(settingsFor(double, { ...canary, endpoint: 'http://no.such.example' }), {
        origin: 'https://c.example',
      }).provider.read(name),
    );
    expect(errors).toHaveLength(9);
    for (const error of errors) {
      const text = [
        String(error),
        JSON.stringify(error),
        JSON.stringify((error as ProviderError).details ?? {}),
        String((error as Error).cause ?? ''),
      ].join('\n');
      for (const secret of [canary.secretAccessKey, canary.sessionToken, value]) {
        expect(text).not.toContain(secret);
      }
    }
    expect(double.secret(name)?.currentValues).toStrictEqual({ SECRET: `${value}-theirs` });
  });
});

describe('aws settings', () => {
  const good = {
    kind: 'aws',
    region: 'eu-west-1',
    accessKeyId: 'AKIAEXAMPLE',
    secretAccessKey: 'secret-canary-42',
  };

  it('accepts good settings, normalises the endpoint to an origin and drops empty optionals', () => {
    expect(validateAwsSettings(good)).toStrictEqual(good);
    expect(
      validateAwsSettings({
        ...good,
        region: 'xx-local-1',
        endpoint: 'http://localhost:4566/',
        sessionToken: '',
      }),
    ).toStrictEqual({ ...good, region: 'xx-local-1', endpoint: 'http://localhost:4566' });
    expect(
      validateAwsSettings({ ...good, accessKeyId: 'test', sessionToken: 'tok' }),
    ).toMatchObject({
      accessKeyId: 'test',
      sessionToken: 'tok',
    });
  });

  const bad: [string, unknown, string][] = [
    ['settings', null, 'settings'],
    ['kind', { ...good, kind: 'hashicorp' }, 'kind'],
    ['region shape', { ...good, region: 'Europe (Ireland)' }, 'region'],
    ['unknown region without endpoint', { ...good, region: 'xx-nowhere-9' }, 'region'],
    ['endpoint not a URL', { ...good, endpoint: 'localhost:4566' }, 'endpoint'],
    ['endpoint not http', { ...good, endpoint: 'ftp://example.com' }, 'endpoint'],
    ['endpoint with a path', { ...good, endpoint: 'https://example.com/v1' }, 'endpoint'],
    [
      'endpoint with credentials',
      { ...good, endpoint: 'https://u:secret-canary-42@example.com' },
      'endpoint',
    ],
    ['empty key id', { ...good, accessKeyId: ' ' }, 'accessKeyId'],
    ['missing secret', { ...good, secretAccessKey: undefined }, 'secretAccessKey'],
    ['empty secret', { ...good, secretAccessKey: '' }, 'secretAccessKey'],
    [
      'secret with a trailing space',
      { ...good, secretAccessKey: 'secret-canary-42 ' },
      'secretAccessKey',
    ],
    ['session token not a string', { ...good, sessionToken: 7 }, 'sessionToken'],
  ];
  for (const [label, input, field] of bad) {
    it(`refuses ${label}, naming ${field} and never the value`, () => {
      let error: unknown;
      try {
        validateAwsSettings(input);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ProviderSettingsError);
      expect((error as ProviderSettingsError).field).toBe(field);
      expect(String(error)).not.toContain('secret-canary-42');
    });
  }

  it('does not modify its input', () => {
    const input = { ...good, endpoint: 'http://localhost:4566/' };
    const copy = structuredClone(input);
    validateAwsSettings(input);
    expect(input).toStrictEqual(copy);
  });
});
