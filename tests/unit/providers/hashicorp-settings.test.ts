import { describe, expect, it } from 'vitest';
import { ProviderSettingsError } from '../../../src/core/providers/errors';
import { validateHashicorpSettings } from '../../../src/core/providers/hashicorp';

const TOKEN = 'hvs.SETTINGS-CANARY';
const good = {
  kind: 'hashicorp',
  address: 'https://vault.example.com:8200',
  enginePath: 'secret/team',
  auth: { method: 'token', token: TOKEN },
};

function problem(input: unknown): ProviderSettingsError {
  try {
    validateHashicorpSettings(input);
  } catch (e) {
    expect(e).toBeInstanceOf(ProviderSettingsError);
    expect(String((e as Error).message)).not.toContain(TOKEN);
    return e as ProviderSettingsError;
  }
  throw new Error('accepted');
}

describe('validateHashicorpSettings', () => {
  it('accepts token and AppRole settings and returns a clean copy', () => {
    expect(validateHashicorpSettings({ ...good, extra: 1 })).toStrictEqual(good);
    const approle = {
      ...good,
      namespace: 'admin/team',
      auth: { method: 'approle', roleId: 'r', secretId: 's', mount: 'ci-approle' },
    };
    expect(validateHashicorpSettings(approle)).toStrictEqual(approle);
    expect(validateHashicorpSettings({ ...good, address: 'HTTP://Vault.Local:80' }).address).toBe(
      'http://vault.local',
    );
  });

  it.each([
    ['address', 'ftp://vault'],
    ['address', 'https://vault.example.com/'],
    ['address', 'https://vault.example.com/v1'],
    ['address', 'https://user:pw@vault.example.com'],
    ['address', 'https://vault.example.com?x=1'],
    ['address', 'not a url'],
    ['address', ''],
    ['enginePath', ''],
    ['enginePath', '/secret'],
    ['enginePath', 'secret/'],
    ['enginePath', 'secret/../sys'],
    ['enginePath', 'secret//a'],
    ['namespace', '/admin'],
    ['namespace', 'admin/'],
    ['namespace', 'a/../b'],
  ])('refuses %s %j naming the field', (field, value) => {
    expect(problem({ ...good, [field]: value }).field).toBe(field);
  });

  it('refuses empty credentials and unknown methods, never echoing a value', () => {
    expect(problem({ ...good, auth: { method: 'token', token: ' ' } }).field).toBe('auth.token');
    expect(
      problem({ ...good, auth: { method: 'approle', roleId: '', secretId: TOKEN } }).field,
    ).toBe('auth.roleId');
    expect(
      problem({ ...good, auth: { method: 'approle', roleId: TOKEN, secretId: '' } }).field,
    ).toBe('auth.secretId');
    expect(problem({ ...good, auth: { method: 'userpass', token: TOKEN } }).field).toBe(
      'auth.method',
    );
    expect(problem({ ...good, kind: 'aws' }).field).toBe('kind');
    expect(problem(null).field).toBe('settings');
  });
});
