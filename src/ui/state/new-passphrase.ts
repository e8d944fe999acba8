import { isStrongEnough } from './strength';

/**
 * The words of a new-passphrase form: its two labels and what it says when the passphrase is
 * missing, too weak, or typed differently twice. One set per purpose, so each form keeps its
 * own wording while the checks stay one.
 */
export interface NewPassphraseWords {
  readonly label: string;
  readonly repeatLabel: string;
  readonly missing: string;
  readonly weak: string;
  readonly mismatch: string;
}

const weakAdvice = 'Choose a stronger passphrase: see the advice under it.';

/** The profile's passphrase, on first run. */
export const profilePassphraseWords: NewPassphraseWords = {
  label: 'Passphrase',
  repeatLabel: 'Repeat passphrase',
  missing: 'Choose a passphrase.',
  weak: weakAdvice,
  mismatch: 'The two passphrases are not the same.',
};

/** The passphrase of a profile restored from a backup. */
export const restoredPassphraseWords: NewPassphraseWords = {
  ...profilePassphraseWords,
  missing: 'Choose a passphrase for this profile.',
};

/** The new passphrase set with a recovery code. */
export const recoveredPassphraseWords: NewPassphraseWords = {
  label: 'New passphrase',
  repeatLabel: 'Repeat new passphrase',
  missing: 'Choose a new passphrase.',
  weak: weakAdvice,
  mismatch: 'The two new passphrases are not the same.',
};

/** A backup file's passphrase. */
export const backupPassphraseWords: NewPassphraseWords = {
  label: 'Backup passphrase',
  repeatLabel: 'Repeat backup passphrase',
  missing: 'Choose a backup passphrase.',
  weak: 'Choose a stronger backup passphrase: see the advice under it.',
  mismatch: 'The two backup passphrases are not the same.',
};

/** Why a new passphrase typed twice cannot be used yet, in the form's words; null when it can. */
export async function newPassphraseProblem(
  passphrase: string,
  repeat: string,
  words: NewPassphraseWords,
): Promise<string | null> {
  if (!passphrase) return words.missing;
  if (!(await isStrongEnough(passphrase))) return words.weak;
  if (repeat !== passphrase) return words.mismatch;
  return null;
}

/**
 * The backup file to open, or (a string) why it cannot be opened yet: no file chosen, or no
 * passphrase typed.
 */
export function backupFileToOpen(file: File | null, passphrase: string): File | string {
  if (!file) return 'Choose a backup file.';
  if (!passphrase) return 'Enter the backup passphrase.';
  return file;
}
