/**
 * KeePass files for the tests, made with kdbxweb directly (not with Coffer's writer), as
 * KeePassXC and KeeWeb make them. kdbxweb has no Argon2: the fixtures plug in @noble/hashes'
 * own, independently of src/core/transfer/kdbx.
 */
import { argon2d, argon2id } from '@noble/hashes/argon2.js';
import * as kdbxweb from 'kdbxweb';

/** KeePassXC's new-database KDF: Argon2d, 64 MiB, parallelism 2 (cores), tuned iterations. */
export const keePassXcKdf = { memoryKib: 64 * 1024, parallelism: 2, iterations: 3 } as const;

/** A small Argon2 for tests whose point is not the KDF. */
export const smallKdf = { memoryKib: 64, parallelism: 1, iterations: 1 } as const;

export function useNobleArgon2(): void {
  kdbxweb.CryptoEngine.setArgon2Impl(
    async (password, salt, memory, iterations, length, parallelism, type, version) => {
      const derive = type === kdbxweb.CryptoEngine.Argon2TypeArgon2id ? argon2id : argon2d;
      const key = derive(new Uint8Array(password), new Uint8Array(salt), {
        m: memory,
        t: iterations,
        p: parallelism,
        dkLen: length,
        version,
      });
      return key.buffer as ArrayBuffer;
    },
  );
}

export interface FixtureOptions {
  readonly password?: string;
  readonly keyFile?: ArrayBuffer;
  readonly version?: 3 | 4;
  readonly kdf?: 'argon2d' | 'argon2id' | 'aes';
  readonly argon2?: { memoryKib: number; parallelism: number; iterations: number };
  readonly aesRounds?: number;
  readonly cipher?: 'aes' | 'chacha20';
  /** Fills the database before it is saved. */
  readonly fill?: (db: kdbxweb.Kdbx, lib: typeof kdbxweb) => void | Promise<void>;
}

export const fixturePassword = 'correct horse battery staple';

/** A KDBX file made by kdbxweb with the given settings. */
export async function makeKdbx(options: FixtureOptions = {}): Promise<ArrayBuffer> {
  useNobleArgon2();
  const password = options.password ?? fixturePassword;
  const credentials = new kdbxweb.Credentials(
    kdbxweb.ProtectedValue.fromString(password),
    options.keyFile ?? null,
  );
  await credentials.ready;
  const db = kdbxweb.Kdbx.create(credentials, 'fixture');
  const version = options.version ?? 4;
  db.setVersion(version);
  const kdf = options.kdf ?? (version === 3 ? 'aes' : 'argon2d');
  if (version === 4) {
    db.setKdf(
      kdf === 'aes'
        ? kdbxweb.Consts.KdfId.Aes
        : kdf === 'argon2id'
          ? kdbxweb.Consts.KdfId.Argon2id
          : kdbxweb.Consts.KdfId.Argon2d,
    );
  }
  const params = db.header.kdfParameters;
  const { UInt32, UInt64 } = kdbxweb.VarDictionary.ValueType;
  if (kdf === 'aes') {
    const rounds = options.aesRounds ?? 1000;
    if (version === 4) params!.set('R', UInt64, kdbxweb.Int64.from(rounds));
    else db.header.keyEncryptionRounds = rounds;
  } else {
    const argon2 = options.argon2 ?? smallKdf;
    params!.set('M', UInt64, kdbxweb.Int64.from(argon2.memoryKib * 1024));
    params!.set('I', UInt64, kdbxweb.Int64.from(argon2.iterations));
    params!.set('P', UInt32, argon2.parallelism);
  }
  if (options.cipher === 'chacha20') {
    db.header.dataCipherUuid = new kdbxweb.KdbxUuid(kdbxweb.Consts.CipherId.ChaCha20);
  }
  await options.fill?.(db, kdbxweb);
  return db.save();
}

/** Adds an entry with these string fields (a `protected:` prefix makes one protected). */
export function addEntry(
  db: kdbxweb.Kdbx,
  group: kdbxweb.KdbxGroup,
  fields: Record<string, string | { protected: string }>,
): kdbxweb.KdbxEntry {
  const entry = db.createEntry(group);
  for (const [name, value] of Object.entries(fields)) {
    entry.fields.set(
      name,
      typeof value === 'string' ? value : kdbxweb.ProtectedValue.fromString(value.protected),
    );
  }
  return entry;
}

export { kdbxweb };
