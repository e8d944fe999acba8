/**
 * writeKdbx: Coffer entries as a KDBX 4 file, through kdbxweb, protected by a passphrase, with
 * KeePassXC's default settings for a new database (AES-256 data cipher, ChaCha20 inner stream,
 * gzip, Argon2d with 64 MiB and parallelism 2) and 3 iterations: KeePassXC tunes iterations to
 * one second of its native, multi-threaded Argon2; noble's in a browser Worker is single-threaded
 * and about 5x slower, and 3 passes (Bitwarden's and OWASP's Argon2 setting) take about a second
 * there. Each entry is one KeePass entry in the root group, titled with its name (mapping.ts).
 */
import { InvalidPassphraseError } from '../../crypto';
import type { EntryInput } from '../../vault';
import type { TransferProgress } from '../types';
import { type Argon2Runner, runArgon2Inline } from './argon2';
import { withKdbxweb } from './engine';
import { KdbxError } from './errors';
import { COFFER_KIND_FIELD, COFFER_VALUE_FIELD, keePassView } from './mapping';
import { defaultArgon2Runner } from './worker-argon2';

/**
 * The key derivation of a written file.
 * @example
 * const settings: KdbxKdfSettings = { type: 'argon2d', memoryKib: 65536, iterations: 3, parallelism: 2 };
 */
export interface KdbxKdfSettings {
  readonly type: 'argon2d' | 'argon2id';
  readonly memoryKib: number;
  readonly iterations: number;
  readonly parallelism: number;
}

/**
 * What Coffer writes by default: KeePassXC's new-database KDF (Argon2d, 64 MiB, 2 lanes) with
 * 3 iterations (see the file header for why not KeePassXC's tuned count).
 * @example
 * DEFAULT_KDBX_KDF.memoryKib; // 65536
 */
export const DEFAULT_KDBX_KDF: KdbxKdfSettings = {
  type: 'argon2d',
  memoryKib: 64 * 1024,
  iterations: 3,
  parallelism: 2,
};

/**
 * One entry to write: its name and what it holds (write-only values are never given here:
 * the exporter leaves them out before).
 * @example
 * const entry: KdbxWriteEntry = { name: 'API_KEY', input: { kind: 'secret', value: 'sk-…' } };
 */
export interface KdbxWriteEntry {
  readonly name: string;
  readonly input: EntryInput;
}

/** Options of writeKdbx. */
export interface WriteKdbxOptions {
  /** The database name KeePass shows (the vault's name). */
  readonly databaseName?: string;
  readonly kdf?: KdbxKdfSettings;
  readonly onProgress?: TransferProgress;
  readonly signal?: AbortSignal;
  readonly argon2?: Argon2Runner;
}

/**
 * Writes the entries as a KDBX 4 file protected by `passphrase` (1 to 1024 characters, used as
 * typed: KeePass does not normalise). Rejects with InvalidPassphraseError for an empty one,
 * KdbxError ('cancelled') when the signal fires.
 * @example
 * const file = await writeKdbx([{ name: 'API_KEY', input: { kind: 'secret', value: 'x' } }], passphrase);
 */
export async function writeKdbx(
  entries: readonly KdbxWriteEntry[],
  passphrase: string,
  options: WriteKdbxOptions = {},
): Promise<ArrayBuffer> {
  if (typeof passphrase !== 'string') throw new InvalidPassphraseError('not-a-string');
  if (passphrase.length === 0) throw new InvalidPassphraseError('empty');
  if (passphrase.length > 1024) throw new InvalidPassphraseError('too-long');
  const { onProgress, signal } = options;
  if (signal?.aborted) throw new KdbxError('cancelled');
  const kdf = options.kdf ?? DEFAULT_KDBX_KDF;
  const argon2 = options.argon2 ?? defaultArgon2Runner(runArgon2Inline);
  return withKdbxweb({ argon2, onProgress, signal }, async (kdbx) => {
    const credentials = new kdbx.Credentials(kdbx.ProtectedValue.fromString(passphrase));
    const db = kdbx.Kdbx.create(credentials, options.databaseName ?? 'Coffer export');
    db.upgrade();
    db.setKdf(kdf.type === 'argon2d' ? kdbx.Consts.KdfId.Argon2d : kdbx.Consts.KdfId.Argon2id);
    const params = db.header.kdfParameters!;
    const { UInt32, UInt64 } = kdbx.VarDictionary.ValueType;
    params.set('M', UInt64, kdbx.Int64.from(kdf.memoryKib * 1024));
    params.set('I', UInt64, kdbx.Int64.from(kdf.iterations));
    params.set('P', UInt32, kdf.parallelism);
    const group = db.getDefaultGroup();
    let done = 0;
    for (const { name, input } of entries) {
      const entry = db.createEntry(group);
      const view = keePassView(input);
      entry.fields.set('Title', name);
      entry.fields.set('UserName', view.userName ?? '');
      entry.fields.set('Password', kdbx.ProtectedValue.fromString(view.password ?? ''));
      entry.fields.set('URL', view.url ?? '');
      entry.fields.set('Notes', 'Written by Coffer: the exact entry is in the field coffer.value.');
      entry.fields.set(COFFER_KIND_FIELD, input.kind);
      entry.fields.set(
        COFFER_VALUE_FIELD,
        kdbx.ProtectedValue.fromString(JSON.stringify(input.value)),
      );
      onProgress?.('writing', ++done, entries.length);
    }
    try {
      return await db.save();
    } catch (error) {
      if (error instanceof KdbxError) throw error;
      throw new KdbxError('unsupported', 'kdbxweb could not write the file', { cause: error });
    }
  });
}
