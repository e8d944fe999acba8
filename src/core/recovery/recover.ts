/**
 * The recovery kit's operations over the database: make a code, remove it, recover the profile
 * with it (docs/crypto.md, "Recovery kit"). Coffer (src/core/profile/coffer.ts) calls these.
 */
import {
  bytesEqual,
  KeyringDamagedError,
  type KeyringOptions,
  keyIdOf,
  keyringForProfileKey,
  normalizePassphrase,
  type ProfileId,
  type ProfileKey,
  parseKeyring,
  randomBytes,
  readEnvelopeHeader,
  unlockKeyring,
  wipe,
} from '../crypto';
import {
  type CofferDatabase,
  CorruptDataError,
  readKeyring,
  readProfileSealedRecords,
  readRecoveryRecord,
  writeKeyring,
  writeRecoveryRecord,
} from '../storage';
import {
  formatRecoveryCode,
  parseRecoveryCode,
  type RecoveryCodeBytes,
  recoveryCodeBytes,
} from './code';
import { RecoveryNotSetError } from './errors';
import {
  openRecoveryRecord,
  type RecoveryRecordState,
  recoveryRecordRef,
  recoveryRecordState,
  sealRecoveryRecord,
} from './record';

/** A recovery code just made: shown once, then forgotten. */
export interface NewRecoveryCode {
  /** The code as people write it: five groups joined by "-". */
  readonly code: string;
  readonly createdAt: number;
}

/** What Settings shows: no code, this profile's code and when it was made, or an unusable row. */
export type RecoveryStatus = { readonly state: 'none' } | RecoveryRecordState;

const keyringDamaged = (error: KeyringDamagedError) =>
  new CorruptDataError(
    { store: 'keyring' },
    error.reason === 'wrapped-key' ? 'authentication' : 'malformed',
    {
      cause: error,
    },
  );

/**
 * Makes a new recovery code for the profile whose key `passphrase` unlocks, and stores its
 * record in one put (the old code, if any, stops working). The passphrase is asked for because
 * a code opens the profile as the passphrase does: whoever finds the profile unlocked must not
 * be able to mint one. Rejects as unlocking does (WrongPassphraseError, CorruptDataError for a
 * damaged keyring, ...); nothing is written then.
 */
export async function makeRecoveryCode(
  db: CofferDatabase,
  keyring: Uint8Array,
  passphrase: string,
  options: KeyringOptions,
  now: number,
): Promise<NewRecoveryCode> {
  let unlocked: Awaited<ReturnType<typeof unlockKeyring>>;
  try {
    // The target is not raised here: that is unlock's job, with its own write.
    unlocked = await unlockKeyring(keyring, passphrase, {
      ...options,
      policy: { ...options.policy, target: options.policy.floor },
    });
  } catch (error) {
    throw error instanceof KeyringDamagedError ? keyringDamaged(error) : error;
  }
  const bytes = randomBytes(recoveryCodeBytes) as RecoveryCodeBytes;
  try {
    const record = sealRecoveryRecord(bytes, unlocked.profileId, unlocked.profileKey, now);
    await writeRecoveryRecord(db, record);
    return { code: formatRecoveryCode(bytes), createdAt: now };
  } finally {
    wipe(bytes);
    wipe(unlocked.profileKey);
  }
}

/** The recovery record's state for an unlocked profile (no code or passphrase needed). */
export async function readRecoveryStatus(
  db: CofferDatabase,
  profileKey: ProfileKey,
): Promise<RecoveryStatus> {
  const [record, keyring] = await Promise.all([readRecoveryRecord(db), readKeyring(db)]);
  if (!record) return { state: 'none' };
  let profileId: ProfileId;
  try {
    profileId = parseKeyring(keyring ?? new Uint8Array()).profileId;
  } catch {
    return { state: 'unusable', reason: 'damaged' };
  }
  return recoveryRecordState(record, profileKey, profileId);
}

/**
 * Refuses a recovered profile key that none of the profile's own records was sealed with:
 * a recovery row someone else wrote (with a code they know, around a key they made) must not
 * replace the keyring and cut the owner off from their vaults. A profile with no sealed record
 * yet has nothing to lose and nothing to check against.
 */
async function assertProfileKeyOfThisProfile(
  db: CofferDatabase,
  profileKey: ProfileKey,
): Promise<void> {
  const sealed = await readProfileSealedRecords(db);
  const keyId = keyIdOf(profileKey);
  const named = sealed.flatMap((envelope) => {
    try {
      return [readEnvelopeHeader(envelope).keyId];
    } catch {
      return [];
    }
  });
  if (named.length > 0 && !named.some((id) => bytesEqual(id, keyId)))
    throw new CorruptDataError(recoveryRecordRef, 'key-mismatch');
}

/**
 * Recovers the profile with its code: opens the recovery record, checks the key against the
 * profile's records, and writes a keyring for `newPassphrase` around the same profile key in
 * one put (so an interruption leaves the old keyring). Vaults are not touched; the code stays
 * valid. Rejects, with nothing written: RecoveryCodeInvalidError (a typo, before anything is
 * read), InvalidPassphraseError, RecoveryNotSetError, RecoveryCodeWrongError, CorruptDataError
 * (the recovery record is damaged or is not this profile's).
 * Returns the profile key for the new session.
 */
export async function recoverWithCode(
  db: CofferDatabase,
  code: string,
  newPassphrase: string,
  options: KeyringOptions,
): Promise<ProfileKey> {
  const bytes = parseRecoveryCode(code);
  try {
    wipe(normalizePassphrase(newPassphrase));
    const [record, keyring] = await Promise.all([readRecoveryRecord(db), readKeyring(db)]);
    if (!record) throw new RecoveryNotSetError();
    const opened = openRecoveryRecord(record, bytes);
    try {
      // A readable keyring must be this record's profile's; a damaged one is what recovery
      // replaces.
      let keyringProfileId: ProfileId | undefined;
      try {
        keyringProfileId = keyring ? parseKeyring(keyring).profileId : undefined;
      } catch {
        keyringProfileId = undefined;
      }
      if (keyringProfileId && !bytesEqual(keyringProfileId, opened.profileId))
        throw new CorruptDataError(recoveryRecordRef, 'key-mismatch');
      await assertProfileKeyOfThisProfile(db, opened.profileKey);
      const rewritten = await keyringForProfileKey(
        newPassphrase,
        opened.profileId,
        opened.profileKey,
        options,
      );
      await writeKeyring(db, rewritten);
      return opened.profileKey;
    } catch (error) {
      wipe(opened.profileKey);
      throw error;
    }
  } finally {
    wipe(bytes);
  }
}
