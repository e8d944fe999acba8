/**
 * Export then import into a fresh profile gives identical entries, for every format that can
 * carry them: KDBX everything but write-only values; JSON exact values; .env names and text.
 * Write-only values never reach a file. Refusals write nothing and change nothing.
 */
import { describe, expect, it } from 'vitest';
import {
  applyImport,
  type ParsedImport,
  parseDotenv,
  parseJsonImport,
  previewImport,
} from '../../../src/core/transfer';
import {
  connectionObject,
  dotenvText,
  ExportRefusedError,
  exportVault,
  selectForExport,
} from '../../../src/core/transfer/export';
import { KdbxError, readKdbx } from '../../../src/core/transfer/kdbx';
import type { ConnectionValue, Vault, VisibleEntry } from '../../../src/core/vault';
import { testCoffer, vaultContents } from '../../support/coffer';
import { kdbxweb, smallKdf, useNobleArgon2 } from './kdbx-fixtures';

const writeOnlyCanary = 'CANARY-export-write-only-51c0';
const fieldCanary = 'CANARY-export-field-9ab3';
const passphrase = 'export passphrase for tests';
const kdf = { type: 'argon2d' as const, ...smallKdf };

async function freshVault(name: string): Promise<Vault> {
  const { coffer } = testCoffer();
  const session = await coffer.createProfile('pw');
  const summary = await session.createVault(name);
  return session.openVault({ id: summary.id });
}

async function sourceVault(): Promise<Vault> {
  const vault = await freshVault('prod');
  await vault.set('API_KEY', 'sk-live-1', { kind: 'secret' });
  await vault.set('STRIPE_KEY', writeOnlyCanary, { kind: 'secret', writeOnly: true });
  await vault.set('CONFIG', { a: [1, 'x'], nested: { b: null }, t: true }, { kind: 'item' });
  await vault.set('PORT', 8080, { kind: 'item' });
  await vault.set('MULTI', 'line 1\nline 2 \'single\' "double" #hash', { kind: 'secret' });
  await vault.set('my-item', 'dashes are fine in Coffer', { kind: 'item' });
  const db: ConnectionValue = {
    type: 'oauth2-client-credentials',
    fields: {
      token_url: { value: 'https://auth.example.com/token', secret: false },
      client_id: { value: 'app', secret: false },
      client_secret: { value: fieldCanary, secret: true, writeOnly: true },
      scope: { value: null, secret: false },
    },
  };
  await vault.set('db', db, { kind: 'connection' });
  await vault.set(
    'login',
    {
      type: 'basic-auth',
      fields: { username: { value: 'me', secret: false }, password: { value: 'pw', secret: true } },
    },
    { kind: 'connection' },
  );
  return vault;
}

async function visible(vault: Vault): Promise<VisibleEntry[]> {
  const out: VisibleEntry[] = [];
  for (const { name } of await vault.list()) out.push((await vault.visibleEntry(name))!);
  return out;
}

async function importInto(vault: Vault, parsed: ParsedImport) {
  const preview = await previewImport(parsed, vault, { pause: () => Promise.resolve() });
  expect(preview.refused).toEqual([]);
  return applyImport(preview, vault, { all: 'skip' }, { pause: () => Promise.resolve() });
}

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

describe('export, then import into a fresh profile', () => {
  it('KDBX 4 gives back every entry but the write-only values', async () => {
    const source = await sourceVault();
    const entries = await visible(source);
    const result = await exportVault({
      format: 'kdbx',
      vaultName: 'prod',
      entries,
      passphrase,
      kdf,
    });
    expect(result.fileName).toBe('prod.kdbx');
    expect(result.plaintext).toBe(false);
    expect(result.leftOut).toEqual([
      { name: 'STRIPE_KEY', reason: 'write-only' },
      { name: 'db', field: 'client_secret', reason: 'write-only' },
    ]);
    const target = await freshVault('restored');
    const parsed = await readKdbx(result.bytes.slice().buffer, { password: passphrase });
    expect(JSON.stringify(parsed)).not.toContain(fieldCanary);
    await importInto(target, parsed);
    expect(selectForExport(await visible(target)).entries).toEqual(
      selectForExport(entries).entries,
    );
    expect(await target.has('STRIPE_KEY')).toBe(false);
    // The connection keeps its write-only field, empty: waiting for credentials.
    expect((await target.get('db')) as ConnectionValue).toMatchObject({
      fields: { client_secret: { value: null, secret: true, writeOnly: true } },
    });
    // Decrypted by kdbxweb itself, the file holds no write-only value anywhere.
    useNobleArgon2();
    const db = await kdbxweb.Kdbx.load(
      result.bytes.slice().buffer,
      new kdbxweb.Credentials(kdbxweb.ProtectedValue.fromString(passphrase)),
    );
    const xml = await db.saveXml();
    expect(xml).not.toContain(writeOnlyCanary);
    expect(xml).not.toContain(fieldCanary);
  });

  it('JSON gives back every exact value (connections as objects of their fields)', async () => {
    const source = await sourceVault();
    const entries = await visible(source);
    const result = await exportVault({
      format: 'json',
      vaultName: 'prod',
      entries,
      confirmation: 'prod',
    });
    expect(result.fileName).toBe('prod-PLAINTEXT.json');
    expect(text(result.bytes)).not.toContain(writeOnlyCanary);
    expect(text(result.bytes)).not.toContain(fieldCanary);
    const target = await freshVault('restored');
    await importInto(target, parseJsonImport(text(result.bytes), { kind: 'item' }));
    const expected: Record<string, unknown> = {};
    for (const entry of selectForExport(entries).entries) {
      expected[entry.name] =
        entry.input.kind === 'connection' ? connectionObject(entry.input.value) : entry.input.value;
    }
    expect(await vaultContents(target)).toEqual(expected);
    expect(result.exported).toBe(Object.keys(expected).length);
  });

  it('.env gives back names and text values, and lists what it cannot hold', async () => {
    const source = await sourceVault();
    const entries = await visible(source);
    const result = await exportVault({
      format: 'dotenv',
      vaultName: 'prod',
      entries,
      confirmation: ' prod ',
    });
    expect(result.fileName).toBe('prod-PLAINTEXT.env');
    expect(text(result.bytes)).not.toContain(writeOnlyCanary);
    expect(result.leftOut).toEqual([
      { name: 'STRIPE_KEY', reason: 'write-only' },
      { name: 'db', field: 'client_secret', reason: 'write-only' },
      { name: 'db', reason: 'connection' },
      { name: 'login', reason: 'connection' },
      { name: 'my-item', reason: 'not-an-env-name' },
    ]);
    const target = await freshVault('restored');
    await importInto(target, parseDotenv(text(result.bytes)));
    const expected: Record<string, unknown> = {};
    for (const entry of entries) {
      if (['STRIPE_KEY', 'db', 'login', 'my-item'].includes(entry.name)) continue;
      expected[entry.name] = dotenvText(entry.value as never);
    }
    expect(await vaultContents(target)).toEqual(expected);
  });
});

describe('refusals write nothing', () => {
  it('a plaintext export without the typed vault name is refused, and the vault is unchanged', async () => {
    const source = await sourceVault();
    const before = await vaultContents(source);
    for (const confirmation of [undefined, '', 'Prod', 'prod2']) {
      const error = await exportVault({
        format: 'dotenv',
        vaultName: 'prod',
        entries: await visible(source),
        ...(confirmation === undefined ? {} : { confirmation }),
      }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ExportRefusedError);
      expect((error as ExportRefusedError).code).toBe('export-refused');
      expect((error as ExportRefusedError).reason).toBe('not-confirmed');
    }
    const noPassphrase = await exportVault({
      format: 'kdbx',
      vaultName: 'prod',
      entries: [],
      passphrase: '',
    }).catch((caught: unknown) => caught);
    expect((noPassphrase as ExportRefusedError).reason).toBe('no-passphrase');
    expect(await vaultContents(source)).toEqual(before);
  });

  it('a KDBX file with the wrong passphrase imports nothing into a vault that has entries', async () => {
    const source = await sourceVault();
    const result = await exportVault({
      format: 'kdbx',
      vaultName: 'prod',
      entries: await visible(source),
      passphrase,
      kdf,
    });
    const target = await freshVault('target');
    await target.set('KEEP', 'kept', { kind: 'secret' });
    const before = await vaultContents(target);
    const error = await readKdbx(result.bytes.slice().buffer, { password: 'not it' })
      .then((parsed) => importInto(target, parsed))
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(KdbxError);
    expect((error as KdbxError).reason).toBe('wrong-key');
    expect(await vaultContents(target)).toEqual(before);
  });
});
