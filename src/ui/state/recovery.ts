/**
 * The recovery kit for the UI (src/core/recovery over Coffer): make a code (with the
 * passphrase), remove it, read when it was made, and the offer to make one that follows the
 * first run and a recovery. The code itself only passes through: it is returned to the dialog
 * that shows it once, and never kept here.
 */
import { type Accessor, createSignal } from 'solid-js';
import type { Coffer, Session } from '../../core/profile';
import type { NewRecoveryCode, RecoveryStatus } from '../../core/recovery';

export type { NewRecoveryCode, RecoveryStatus };

/** Why the workspace offers to make a kit: just after first run, or after a recovery. */
export type RecoveryOffer = 'first-run' | 'recovered';

export interface RecoveryKit {
  /** The offer the workspace shows until a kit is made or the offer is skipped; else null. */
  readonly offer: Accessor<RecoveryOffer | null>;
  setOffer(offer: RecoveryOffer | null): void;
  /** Whether this profile has a code, and since when. Needs the profile unlocked. */
  status(): Promise<RecoveryStatus>;
  /** A new code (the old one stops working), after checking the passphrase. Shown once. */
  make(passphrase: string, onProgress?: (fraction: number) => void): Promise<NewRecoveryCode>;
  /** Removes the code: only the passphrase opens the profile from then on. */
  remove(): Promise<void>;
}

export function createRecoveryKit(coffer: Coffer, session: () => Session): RecoveryKit {
  const [offer, setOffer] = createSignal<RecoveryOffer | null>(null);
  return {
    offer,
    setOffer,
    status: () => coffer.recoveryStatus(session()),
    // The offer stays until its dialog closes: closing it would take the code off the screen.
    make: (passphrase, onProgress) =>
      coffer.makeRecoveryCode(passphrase, onProgress ? { onProgress } : {}),
    remove: () => coffer.removeRecoveryCode(),
  };
}

/** The code's groups, for showing it large and readable (it is already grouped by "-"). */
export function codeGroups(code: string): string[] {
  return code.split('-');
}

/** A date as the kit and Settings show it: the day, in the reader's locale. */
export function kitDate(ms: number): string {
  return new Date(ms).toLocaleDateString(undefined, {
    year: 'numeric',
    month: 'long',
    day: 'numeric',
  });
}
