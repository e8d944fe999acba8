/**
 * The entry point: a browser's profile, locked until its passphrase opens it. Makes the
 * Session that holds the profile key (session.ts).
 */
import {
  createKeyring,
  defaultKdfPolicy,
  type KdfPolicy,
  type KdfProgress,
  KeyringDamagedError,
  type ProfileKey,
  unlockKeyring,
  wipe,
} from '../crypto';
// The recovery kit's code loads when it is used: the unlock screen is the first screen.
import type { NewRecoveryCode, RecoveryStatus } from '../recovery';
import { CorruptDataError, deleteRecoveryRecord, readKeyring, writeKeyring } from '../storage';
import { systemScheduler } from '../time';
import { NoProfileError, ProfileExistsError, ProfileLockedError } from './errors';
// The Session (vaults, Yjs, sync, teams) loads when a profile is opened, not with the first
// screen, which only creates or unlocks: see `#session`.
import type { Session } from './session';
import type { CofferOptions } from './session-types';

/** The Session's module. Each way in starts loading it before the key derivation, which hides it. */
const loadSession = () => import('./session');

/**
 * Each session's profile key, for the recovery status (which reads the recovery record's date,
 * sealed under it). The same bytes the Session wipes when it locks; never exported.
 */
const sessionKeys = new WeakMap<Session, ProfileKey>();

/**
 * The entry point: a browser's Coffer profile, locked until its passphrase is entered.
 * @example
 * const coffer = new Coffer({ db, kdf, mutex });
 * const session = (await coffer.hasProfile()) ? await coffer.unlock(passphrase) : await coffer.createProfile(passphrase);
 */
export class Coffer {
  constructor(private readonly options: CofferOptions) {}

  get #policy(): KdfPolicy {
    return this.options.kdfPolicy ?? defaultKdfPolicy;
  }

  async #session(profileKey: ProfileKey): Promise<Session> {
    let module: Awaited<ReturnType<typeof loadSession>>;
    try {
      module = await loadSession();
    } catch (error) {
      // No session will hold the key: wipe it rather than leave it in memory.
      wipe(profileKey);
      throw error;
    }
    const session = new module.Session(this.options, profileKey, this.#policy);
    sessionKeys.set(session, profileKey);
    return session;
  }

  /**
   * Starts loading what an open profile needs (the Session and the vault core), so that it is
   * there by the time the passphrase is: the first screen calls it once it has painted.
   */
  preloadSession(): void {
    loadSession().catch(() => undefined);
  }

  #keyringOptions(progress?: { onProgress?: KdfProgress }) {
    return {
      kdf: this.options.kdf,
      policy: this.#policy,
      ...(progress?.onProgress ? { onProgress: progress.onProgress } : {}),
    };
  }

  async hasProfile(): Promise<boolean> {
    return (await readKeyring(this.options.db)) !== undefined;
  }

  /** Creates the profile. Rejects with ProfileExistsError if there is one already. */
  async createProfile(
    passphrase: string,
    progress?: { onProgress?: KdfProgress },
  ): Promise<Session> {
    this.preloadSession();
    if (await this.hasProfile()) throw new ProfileExistsError();
    const { keyring, profileKey } = await createKeyring(passphrase, {
      kdf: this.options.kdf,
      policy: this.#policy,
      ...(progress?.onProgress ? { onProgress: progress.onProgress } : {}),
    });
    await writeKeyring(this.options.db, keyring);
    return this.#session(profileKey);
  }

  /**
   * Unlocks the profile. Rejects with WrongPassphraseError, NoProfileError, CorruptDataError
   * (the keyring is damaged), UnsupportedFormatError (written by a newer Coffer) or
   * KdfParamsBelowFloorError (refused). Upgrades the KDF parameters when the target has risen.
   */
  async unlock(passphrase: string, progress?: { onProgress?: KdfProgress }): Promise<Session> {
    this.preloadSession();
    const keyring = await readKeyring(this.options.db);
    if (!keyring) throw new NoProfileError();
    let unlocked: Awaited<ReturnType<typeof unlockKeyring>>;
    try {
      unlocked = await unlockKeyring(keyring, passphrase, {
        kdf: this.options.kdf,
        policy: this.#policy,
        ...(progress?.onProgress ? { onProgress: progress.onProgress } : {}),
      });
    } catch (error) {
      if (error instanceof KeyringDamagedError) {
        throw new CorruptDataError(
          { store: 'keyring' },
          error.reason === 'wrapped-key' ? 'authentication' : 'malformed',
          { cause: error },
        );
      }
      throw error;
    }
    if (unlocked.upgraded) await writeKeyring(this.options.db, unlocked.upgraded);
    return this.#session(unlocked.profileKey);
  }

  /**
   * Forgot the passphrase: the recovery code opens the profile, and `newPassphrase` replaces
   * the old one (src/core/recovery, recoverWithCode). Every vault stays; the code stays valid.
   */
  async recover(
    code: string,
    newPassphrase: string,
    progress?: { onProgress?: KdfProgress },
  ): Promise<Session> {
    this.preloadSession();
    if (!(await this.hasProfile())) throw new NoProfileError();
    const db = this.options.db;
    const { recoverWithCode } = await import('../recovery');
    return this.#session(
      await recoverWithCode(db, code, newPassphrase, this.#keyringOptions(progress)),
    );
  }

  /** A new recovery code (the old one stops working); needs the passphrase. Shown once. */
  async makeRecoveryCode(
    passphrase: string,
    progress?: { onProgress?: KdfProgress },
  ): Promise<NewRecoveryCode> {
    const keyring = await readKeyring(this.options.db);
    if (!keyring) throw new NoProfileError();
    const now = (this.options.clock ?? systemScheduler.now)();
    const { makeRecoveryCode } = await import('../recovery');
    return makeRecoveryCode(
      this.options.db,
      keyring,
      passphrase,
      this.#keyringOptions(progress),
      now,
    );
  }

  /** Removes the recovery code: from now on only the passphrase opens the profile. */
  async removeRecoveryCode(): Promise<void> {
    await deleteRecoveryRecord(this.options.db);
  }

  /** Whether this profile has a recovery code, and since when (for an unlocked session). */
  async recoveryStatus(session: Session): Promise<RecoveryStatus> {
    const key = sessionKeys.get(session);
    if (!key || session.locked) throw new ProfileLockedError('reading the recovery kit');
    const { readRecoveryStatus } = await import('../recovery');
    return readRecoveryStatus(this.options.db, key);
  }
}
