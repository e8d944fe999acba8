/**
 * The token endpoint contract (tests/contract/oauth-token.contract.ts) against the loopback double,
 * in several configurations, and against a real provider when COFFER_OAUTH_* variables name one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ContractAssertionError,
  type OAuthTokenAuthMethod,
  type OAuthTokenScenario,
  type OAuthTokenTarget,
  oauthTokenScenarios,
} from '../../contract/oauth-token.contract';
import {
  defaultClient,
  type OAuthClientConfig,
  type OAuthServer,
  startOAuthServer,
} from '../../support/oauth-server';

function scenario(namePart: string): OAuthTokenScenario {
  const found = oauthTokenScenarios.find((s) => s.name.includes(namePart));
  if (!found) throw new Error(`no scenario ${namePart}`);
  return found;
}

function runAll(target: () => OAuthTokenTarget, scenarios = oauthTokenScenarios) {
  for (const s of scenarios) {
    it(s.name, async (context) => {
      const outcome = await s.run(target());
      if (outcome) context.skip(outcome.skipped);
    });
  }
}

describe('oauth token contract: the double, client_secret_basic, rotating', () => {
  let server: OAuthServer;
  beforeAll(async () => {
    server = await startOAuthServer();
  });
  afterAll(() => server.close());
  const target = (): OAuthTokenTarget => ({
    tokenUrl: server.tokenUrl,
    clientId: defaultClient.id,
    clientSecret: defaultClient.secret!,
    authMethod: 'client_secret_basic',
    scope: 'read write',
    audience: 'https://api.example.test/',
    rotates: true,
    allowInsecureRequests: true,
  });
  runAll(target);
  it('left one reuse detection, from the reuse scenario only', () => {
    expect(server.reuseDetections).toHaveLength(1);
  });
});

describe('oauth token contract: the double, client_secret_post, refresh tokens from a seeded grant', () => {
  let server: OAuthServer;
  const client = {
    id: 'post-only',
    secret: 'post secret',
    authMethods: ['client_secret_post'],
  } satisfies OAuthClientConfig;
  beforeAll(async () => {
    server = await startOAuthServer({ clients: [client] });
  });
  afterAll(() => server.close());
  const target = (): OAuthTokenTarget => ({
    tokenUrl: server.tokenUrl,
    clientId: client.id,
    clientSecret: client.secret,
    authMethod: 'client_secret_post',
    refreshToken: async () => server.seedGrant(client.id).refreshToken,
    rotates: true,
    allowInsecureRequests: true,
  });
  runAll(target);
});

describe('oauth token contract: the double without rotation', () => {
  let server: OAuthServer;
  beforeAll(async () => {
    server = await startOAuthServer({ rotate: false });
  });
  afterAll(() => server.close());
  runAll(
    () => ({
      tokenUrl: server.tokenUrl,
      clientId: defaultClient.id,
      clientSecret: defaultClient.secret!,
      authMethod: 'client_secret_basic',
      rotates: false,
      allowInsecureRequests: true,
    }),
    [scenario('refresh token grant')],
  );
});

describe('oauth token contract: it catches a server that breaks it', () => {
  let server: OAuthServer;
  beforeAll(async () => {
    server = await startOAuthServer();
  });
  afterAll(() => server.close());
  const target = (changes: Partial<OAuthTokenTarget> = {}): OAuthTokenTarget => ({
    tokenUrl: server.tokenUrl,
    clientId: defaultClient.id,
    clientSecret: defaultClient.secret!,
    authMethod: 'client_secret_basic',
    allowInsecureRequests: true,
    ...changes,
  });

  it('a server that does not rotate fails "rotates: true"', async () => {
    server.set({ rotate: false });
    await expect(scenario('refresh token grant').run(target({ rotates: true }))).rejects.toThrow(
      ContractAssertionError,
    );
    server.set({ rotate: true });
  });

  it('a server with a reuse interval fails the reuse scenario', async () => {
    server.set({ reuseIntervalSeconds: 60 });
    await expect(scenario('reused refresh token').run(target())).rejects.toThrow(
      /reuse: status 200/,
    );
    server.set({ reuseIntervalSeconds: 0 });
  });

  it('a client whose secret does not match fails the success scenario', async () => {
    await expect(
      scenario('client credentials grant').run(target({ clientSecret: 'not it' })),
    ).rejects.toThrow(/status/);
  });

  it('a server down (503) fails the success scenario', async () => {
    server.set({ failWith5xx: 1 });
    await expect(scenario('client credentials grant').run(target())).rejects.toThrow(/status/);
  });
});

const env = process.env;
const realTokenUrl = env.COFFER_OAUTH_TOKEN_URL;
const realClientId = env.COFFER_OAUTH_CLIENT_ID;
const realClientSecret = env.COFFER_OAUTH_CLIENT_SECRET;

describe('oauth token contract: a real provider (COFFER_OAUTH_TOKEN_URL)', () => {
  if (!realTokenUrl || !realClientId || !realClientSecret) {
    it('runs when COFFER_OAUTH_TOKEN_URL, _CLIENT_ID and _CLIENT_SECRET are set', (context) => {
      context.skip(
        'skipped: set COFFER_OAUTH_TOKEN_URL, COFFER_OAUTH_CLIENT_ID and COFFER_OAUTH_CLIENT_SECRET ' +
          '(optional COFFER_OAUTH_AUTH_METHOD, COFFER_OAUTH_SCOPE, COFFER_OAUTH_AUDIENCE, ' +
          'COFFER_OAUTH_REFRESH_TOKEN, COFFER_OAUTH_ROTATES) to run the contract against a real token endpoint',
      );
    });
    return;
  }
  const method = env.COFFER_OAUTH_AUTH_METHOD ?? 'client_secret_basic';
  if (method !== 'client_secret_basic' && method !== 'client_secret_post') {
    throw new Error(`COFFER_OAUTH_AUTH_METHOD must be client_secret_basic or client_secret_post`);
  }
  const target: OAuthTokenTarget = {
    tokenUrl: realTokenUrl,
    clientId: realClientId,
    clientSecret: realClientSecret,
    authMethod: method satisfies OAuthTokenAuthMethod,
    ...(env.COFFER_OAUTH_SCOPE ? { scope: env.COFFER_OAUTH_SCOPE } : {}),
    ...(env.COFFER_OAUTH_AUDIENCE ? { audience: env.COFFER_OAUTH_AUDIENCE } : {}),
    ...(env.COFFER_OAUTH_REFRESH_TOKEN ? { refreshToken: env.COFFER_OAUTH_REFRESH_TOKEN } : {}),
    ...(env.COFFER_OAUTH_ROTATES ? { rotates: env.COFFER_OAUTH_ROTATES === 'true' } : {}),
  };
  runAll(() => target);
});
