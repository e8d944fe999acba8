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
  unlockKeyring,
} from '../crypto';
import { CorruptDataError, readKeyring, writeKeyring } from '../storage';
import { NoProfileError, ProfileExistsError } from './errors';
import { Session } from './session';
import type { CofferOptions } from './session-types';

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

  async hasProfile(): Promise<boolean> {
    return (await readKeyring(this.options.db)) !== undefined;
  }

  /** Creates the profile. Rejects with ProfileExistsError if there is one already. */
  async createProfile(
    passphrase: string,
    progress?: { onProgress?: KdfProgress },
  ): Promise<Session> {
    if (await this.hasProfile()) throw new ProfileExistsError();
    const { keyring, profileKey } = await createKeyring(passphrase, {
      kdf: this.options.kdf,
      policy: this.#policy,
      ...(progress?.onProgress ? { onProgress: progress.onProgress } : {}),
    });
    await writeKeyring(this.options.db, keyring);
    return new Session(this.options, profileKey, this.#policy);
  }

  /**
   * Unlocks the profile. Rejects with WrongPassphraseError, NoProfileError, CorruptDataError
   * (the keyring is damaged), UnsupportedFormatError (written by a newer Coffer) or
   * KdfParamsBelowFloorError (refused). Upgrades the KDF parameters when the target has risen.
   */
  async unlock(passphrase: string, progress?: { onProgress?: KdfProgress }): Promise<Session> {
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
    return new Session(this.options, unlocked.profileKey, this.#policy);
  }
}
