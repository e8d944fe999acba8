import { describe, expect, it } from 'vitest';
import { ImportFormatError, parseBitwarden, toEntryName } from '../../../src/core/transfer';

/** An export as Bitwarden writes it (fields trimmed to what the mapping reads). */
const exported = {
  encrypted: false,
  folders: [
    { id: 'f1', name: 'Work' },
    { id: 'f2', name: 'Home/Wi-Fi' },
  ],
  items: [
    {
      id: 'i1',
      folderId: 'f1',
      type: 1,
      name: 'GitHub – personal',
      notes: 'recovery codes in the safe',
      fields: [
        { name: 'pin', value: 'CANARY-pin', type: 1, linkedId: null },
        { name: 'team', value: 'core', type: 0, linkedId: null },
        { name: 'sso', value: 'true', type: 2, linkedId: null },
        { name: 'user link', value: null, type: 3, linkedId: 100 },
      ],
      login: {
        uris: [
          { match: null, uri: 'https://github.com' },
          { match: null, uri: 'https://gist.github.com' },
        ],
        username: 'octo',
        password: 'CANARY-password',
        totp: 'otpauth://totp/x?secret=CANARY',
        fido2Credentials: [{ credentialId: 'c' }],
      },
    },
    {
      id: 'i2',
      folderId: 'f2',
      type: 2,
      name: 'Router',
      notes: 'CANARY-note',
      secureNote: { type: 0 },
    },
    {
      id: 'i3',
      folderId: null,
      type: 3,
      name: 'Visa',
      card: {
        cardholderName: 'A B',
        brand: 'Visa',
        number: '4111',
        expMonth: '1',
        expYear: '2030',
        code: '123',
      },
    },
    {
      id: 'i4',
      type: 4,
      name: 'Me',
      identity: { firstName: 'A', ssn: '000-00-0000', email: 'a@b.c' },
    },
    {
      id: 'i5',
      type: 5,
      name: 'deploy key',
      sshKey: { privateKey: 'KEY', publicKey: 'ssh-ed25519 AAA', keyFingerprint: 'SHA256:x' },
    },
    {
      id: 'i6',
      type: 2,
      name: 'Note with fields',
      notes: 'n',
      fields: [{ name: 'code', value: 'c', type: 1 }],
      secureNote: { type: 0 },
    },
  ],
};

describe('parseBitwarden', () => {
  const parsed = parseBitwarden(JSON.stringify(exported, null, 2));

  it('names entries after folder and item, to fit the naming rule', () => {
    expect(parsed.records.map((r) => r.name)).toEqual([
      'Work.GitHub-personal',
      'Home.Wi-Fi.Router',
      'Visa',
      'Me',
      'deploy-key',
      'Note-with-fields',
    ]);
    expect(parsed.records[0]!.from).toEqual({ record: 1, path: 'Work/GitHub – personal' });
    const environment = parseBitwarden(JSON.stringify(exported), { nameStyle: 'environment' });
    expect(environment.records.map((r) => r.name)).toEqual([
      'WORK_GITHUB_PERSONAL',
      'HOME_WI_FI_ROUTER',
      'VISA',
      'ME',
      'DEPLOY_KEY',
      'NOTE_WITH_FIELDS',
    ]);
  });

  it('maps a login to a basic-auth connection: password, totp and hidden fields secret', () => {
    expect(parsed.records[0]!.input).toEqual({
      kind: 'connection',
      value: {
        type: 'basic-auth',
        fields: {
          username: { value: 'octo', secret: false },
          password: { value: 'CANARY-password', secret: true },
          totp: { value: 'otpauth://totp/x?secret=CANARY', secret: true },
          uri: { value: 'https://github.com', secret: false },
          'uri-2': { value: 'https://gist.github.com', secret: false },
          notes: { value: 'recovery codes in the safe', secret: false },
          pin: { value: 'CANARY-pin', secret: true },
          team: { value: 'core', secret: false },
          sso: { value: 'true', secret: false },
        },
      },
    });
  });

  it('warns about what it leaves out (linked fields, passkeys), without values', () => {
    const messages = parsed.warnings.filter((w) => w.from.record === 1).map((w) => w.message);
    expect(messages.some((m) => m.includes('passkey'))).toBe(true);
    expect(messages.some((m) => m.includes('linked'))).toBe(true);
    expect(JSON.stringify(parsed.warnings)).not.toContain('CANARY');
  });

  it('maps notes, cards, identities and SSH keys', () => {
    expect(parsed.records[1]!.input).toEqual({ kind: 'item', value: 'CANARY-note' });
    const fields = (index: number) =>
      parsed.records[index]!.input.value as {
        type: string;
        fields: Record<string, { secret: boolean }>;
      };
    expect(fields(2).type).toBe('card');
    expect(fields(2).fields.number!.secret).toBe(true);
    expect(fields(2).fields.code!.secret).toBe(true);
    expect(fields(2).fields.brand!.secret).toBe(false);
    expect(fields(3).type).toBe('identity');
    expect(fields(3).fields.ssn!.secret).toBe(true);
    expect(Object.keys(fields(3).fields).sort()).toEqual(['email', 'firstName', 'ssn']);
    expect(fields(4).type).toBe('ssh-key');
    expect(fields(4).fields.privateKey!.secret).toBe(true);
    expect(fields(4).fields.publicKey!.secret).toBe(false);
    expect(fields(5).type).toBe('secure-note');
    expect(fields(5).fields.code!.secret).toBe(true);
  });

  it('uses the first collection of an organisation export', () => {
    const org = {
      encrypted: false,
      collections: [{ id: 'c1', name: 'Ops' }],
      items: [{ type: 2, name: 'n', notes: 'x', collectionIds: ['c1'] }],
    };
    expect(parseBitwarden(JSON.stringify(org)).records[0]!.name).toBe('Ops.n');
  });

  it.each([
    ['an encrypted export', { encrypted: true, items: [] }, 'export the vault again'],
    [
      'a password-protected export',
      { encrypted: true, passwordProtected: true, data: 'x' },
      'encrypted',
    ],
    ['a file without items', { encrypted: false }, 'no "items" list'],
    ['an item without a name', { encrypted: false, items: [{ type: 1, name: ' ' }] }, 'no name'],
    ['an item that is not an object', { encrypted: false, items: [1] }, 'a number'],
  ])('refuses %s', (_, file, words) => {
    let error: unknown;
    try {
      parseBitwarden(JSON.stringify(file));
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ImportFormatError);
    expect((error as Error).message).toContain(words);
  });

  it('skips unknown item types with a warning', () => {
    const result = parseBitwarden(
      JSON.stringify({ encrypted: false, items: [{ type: 9, name: 'x' }] }),
    );
    expect(result.records).toEqual([]);
    expect(result.warnings[0]!.from.record).toBe(1);
  });
});

describe('toEntryName', () => {
  it.each([
    [['Work', 'GitHub – personal'], 'default', 'Work.GitHub-personal'],
    [['Café ☕'], 'default', 'Cafe'],
    [['1Password'], 'default', 'n-1Password'],
    [['', '!!!'], 'default', 'item'],
    [['myItem'], 'environment', 'MY_ITEM'],
    [['42'], 'environment', 'N42'],
    [['tab\there'], 'default', 'tab-here'],
  ] as const)('%j in %s style is %s', (parts, style, name) => {
    expect(toEntryName(parts, style)).toBe(name);
  });

  it('cuts long names to the limit', () => {
    expect(toEntryName(['a'.repeat(400)], 'default')).toHaveLength(255);
  });
});
