/**
 * Import bindings for the benchmark (`import_10k_ms`): a KDBX4 file of n entries read with
 * Coffer's importer (readKdbx, the preview, one all-or-nothing write) into a new vault, beside
 * kdbxweb (KeeWeb's engine) loading the same file and reading every field. The file uses
 * AES-KDF at one round so neither side's number is its key derivation.
 */
import type { KdbxCredentials } from 'kdbxweb';
import { createBrowserPlatform } from '../../../src/app/platform';
import { applyImport, previewImport, readKdbx } from '../../../src/core/transfer';
import { fastPolicy } from './core';

const password = 'bench passphrase for import';
let prepared: { file: ArrayBuffer; credentials: KdbxCredentials; n: number } | undefined;
let runs = 0;

function file() {
  if (!prepared) throw new Error('call harness.benchImport.prepare() first');
  return prepared;
}

export const benchImport = {
  /** Writes the n-entry KDBX4 file both sides read. */
  async prepare({ n }: { n: number }) {
    const lib = await import('kdbxweb');
    const credentials = new lib.Credentials(lib.ProtectedValue.fromString(password));
    const db = lib.Kdbx.create(credentials, 'bench-import');
    db.setKdf(lib.Consts.KdfId.Aes);
    db.header.kdfParameters!.set('R', lib.VarDictionary.ValueType.UInt64, new lib.Int64(1));
    const group = db.getDefaultGroup();
    for (let i = 0; i < n; i++) {
      const entry = db.createEntry(group);
      entry.fields.set('Title', `service-${i}`);
      entry.fields.set('UserName', `user-${i}`);
      entry.fields.set('Password', lib.ProtectedValue.fromString(`secret-${i}-${'x'.repeat(24)}`));
      entry.fields.set('URL', `https://service-${i}.example`);
    }
    prepared = { file: await db.save(), credentials, n };
    return { bytes: prepared.file.byteLength };
  },

  /** Milliseconds from the file's bytes to every entry written in a new vault of a new profile. */
  async ours(): Promise<{ ms: number; entries: number }> {
    const { file: bytes, n } = file();
    const platform = createBrowserPlatform({
      kdfPolicy: fastPolicy,
      databaseName: `bench-import-${++runs}-${Date.now()}`,
    });
    const session = await platform.coffer.createProfile('bench passphrase for the profile');
    try {
      const summary = await session.createVault(`import-${runs}`);
      const vault = await session.openVault({ id: summary.id });
      const copy = bytes.slice(0);
      const start = performance.now();
      const parsed = await readKdbx(copy, { password });
      const preview = await previewImport(parsed, vault);
      const result = await applyImport(preview, vault, { all: 'skip' });
      const ms = performance.now() - start;
      const entries = (await vault.list()).length;
      if (result.created !== n || entries !== n) {
        throw new Error(`imported ${result.created} (listed ${entries}) of ${n}`);
      }
      await vault.close();
      return { ms, entries };
    } finally {
      await session.lock();
    }
  },

  /** Milliseconds of kdbxweb loading the same file and reading every field of every entry. */
  async baseline(): Promise<{ ms: number; entries: number }> {
    const { file: bytes, credentials } = file();
    const lib = await import('kdbxweb');
    const copy = bytes.slice(0);
    const start = performance.now();
    const db = await lib.Kdbx.load(copy, credentials);
    let entries = 0;
    for (const entry of db.getDefaultGroup().entries) {
      for (const value of entry.fields.values()) {
        if (value instanceof lib.ProtectedValue) value.getText();
      }
      entries++;
    }
    return { ms: performance.now() - start, entries };
  },
};
