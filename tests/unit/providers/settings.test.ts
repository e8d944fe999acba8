import { describe, expect, it } from 'vitest';
import { ProfileLockedError } from '../../../src/core/profile';
import {
  type AwsSettings,
  checkProviderSettings,
  defaultPath,
  effectiveSettings,
  ProviderError,
  ProviderLinkError,
  ProviderSettingsError,
  ProviderSync,
  parseProviderSettings,
} from '../../../src/core/providers';
import { createManualScheduler } from '../../../src/core/time';
import { testCoffer } from '../../support/coffer';
import { harness, rejection, settings } from './sync-harness';

const aws: AwsSettings = {
  kind: 'aws',
  region: 'eu-west-1',
  accessKeyId: 'AKIAEXAMPLE0000000',
  secretAccessKey: 'canary-secret-access-key',
};

describe('effective settings', () => {
  it('the override wins; without one, the defaults; without either, none', () => {
    expect(effectiveSettings(settings, aws)).toEqual({ settings: aws, usesDefaults: false });
    expect(effectiveSettings(settings, undefined)).toEqual({ settings, usesDefaults: true });
    expect(effectiveSettings(undefined, undefined)).toEqual({
      settings: undefined,
      usesDefaults: false,
    });
    expect(effectiveSettings(undefined, aws)).toEqual({ settings: aws, usesDefaults: false });
  });

  it('vaultSettings reports which applies, and the link', async () => {
    const h = await harness();
    const vault = await h.vault();
    expect(await h.engine.vaultSettings(vault.id)).toEqual({ settings, usesDefaults: true });
    await h.engine.saveOverride(vault.id, aws);
    expect(await h.engine.vaultSettings(vault.id)).toEqual({
      settings: aws,
      usesDefaults: false,
      override: aws,
    });
    await h.engine.link(vault, 'svc');
    await h.engine.saveOverride(vault.id, undefined);
    const after = await h.engine.vaultSettings(vault.id);
    expect(after).toMatchObject({ settings, usesDefaults: true });
    expect(after.override).toBeUndefined();
    expect(after.link?.path).toBe('svc'); // removing the override keeps the link
  });
});

describe('checking settings before they are saved', () => {
  it("uses each client's own rules", () => {
    expect(checkProviderSettings(settings)).toMatchObject({
      kind: 'hashicorp',
      enginePath: 'secret',
    });
    expect(checkProviderSettings(aws)).toMatchObject({ kind: 'aws', region: 'eu-west-1' });
    expect(() => checkProviderSettings({ ...settings, address: 'not a url' })).toThrow(
      ProviderSettingsError,
    );
    expect(() => checkProviderSettings({ ...aws, region: 'Mars' })).toThrow(ProviderSettingsError);
  });

  it('saveDefaults refuses bad settings, names the field, and keeps what was saved', async () => {
    const h = await harness({ deps: { checkSettings: checkProviderSettings } });
    const error = await rejection(h.engine.saveDefaults({ ...settings, address: 'ftp://x' }));
    expect(error).toBeInstanceOf(ProviderSettingsError);
    expect((error as Error).message).not.toContain('canary');
    expect(await h.engine.defaults()).toEqual(settings);
    await h.engine.saveDefaults(undefined);
    expect(await h.engine.defaults()).toBeUndefined();
  });

  it('a stored record is checked for shape, naming the field', () => {
    expect(parseProviderSettings(aws)).toEqual(aws);
    expect(parseProviderSettings({ ...aws, extra: 'dropped' })).toEqual(aws);
    const cases: [unknown, string][] = [
      [null, 'settings'],
      [{ kind: 'gcp' }, 'settings.kind'],
      [{ ...settings, auth: { method: 'ldap' } }, 'settings.auth.method'],
      [{ ...settings, auth: { method: 'approle', roleId: 'r' } }, 'settings.auth.secretId'],
      [{ ...aws, region: 3 }, 'settings.region'],
      [{ ...aws, sessionToken: false }, 'settings.sessionToken'],
    ];
    for (const [value, field] of cases) {
      try {
        parseProviderSettings(value);
        expect.unreachable(field);
      } catch (error) {
        expect(error).toBeInstanceOf(ProviderLinkError);
        expect((error as ProviderLinkError).field).toBe(field);
      }
    }
  });
});

describe('session.providers', () => {
  it('is loaded on first use, shares its records, and is dropped by lock', async () => {
    const { coffer } = testCoffer();
    const session = await coffer.createProfile('pw');
    const providers = session.providers;
    expect(session.providers).toBe(providers);
    expect(await providers.defaults()).toBeUndefined();
    await providers.saveDefaults(settings);
    expect(await providers.defaults()).toEqual(settings);
    expect(providers.defaultPath('Team/App Config')).toBe(defaultPath('Team/App Config'));
    await session.lock();
    expect(await rejection(session.providers.defaults())).toBeInstanceOf(ProfileLockedError);
    const again = await coffer.unlock('pw');
    expect(await again.providers.defaults()).toEqual(settings);
  });

  it('the first screen slug (no engine loaded) matches the engine for any name', async () => {
    const { coffer } = testCoffer();
    const session = await coffer.createProfile('pw');
    for (const name of [
      '  Team/App Config! ',
      'a//b',
      '--x--',
      'ÄÖÜ',
      'prod_DB-1',
      '/lead/trail/',
      'UP_case',
    ]) {
      expect(session.providers.defaultPath(name)).toBe(defaultPath(name));
    }
    expect(defaultPath('a//b')).toBe('a/b');
    expect(defaultPath('/lead/trail/')).toBe('lead/trail');
  });
});

describe('the real clients behind providerFor', () => {
  it('testConnection reaches the HashiCorp or AWS client for the settings kind, with the fetch given', async () => {
    const { coffer, db } = testCoffer();
    await coffer.createProfile('pw');
    const asked: string[] = [];
    const engine = new ProviderSync({
      db,
      profileKey: () => {
        throw new Error('not needed to test a connection');
      },
      vaults: {} as never,
      scheduler: createManualScheduler(),
      clients: {
        fetch: async (input) => {
          asked.push(new URL(String(input instanceof Request ? input.url : input)).host);
          throw new TypeError('Failed to fetch');
        },
      },
    });
    for (const [given, host] of [
      [settings, 'vault.example.com:8200'],
      [aws, 'secretsmanager.eu-west-1.amazonaws.com'],
    ] as const) {
      const error = await rejection(engine.testConnection(given));
      expect(error).toBeInstanceOf(ProviderError);
      expect((error as ProviderError).provider).toBe(given.kind);
      expect(asked).toContain(host);
      expect((error as Error).message).not.toContain('canary');
    }
  });
});
