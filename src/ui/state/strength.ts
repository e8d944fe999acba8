/**
 * Passphrase strength, by zxcvbn-ts with its common and English dictionaries. Loaded on first
 * use: the dictionaries are large and only the first-run and change-passphrase screens need them.
 */
export interface Strength {
  /** 0 (too guessable) to 4 (very unguessable). */
  readonly score: 0 | 1 | 2 | 3 | 4;
  readonly label: string;
  /** zxcvbn's warning and suggestions, in plain words. */
  readonly feedback: readonly string[];
  /** Rough offline cracking time against a slow hash, as zxcvbn words it. */
  readonly crackTime: string;
}

const labels = ['Too weak', 'Weak', 'Fair', 'Strong', 'Very strong'] as const;

type Estimator = (passphrase: string) => Strength;
let estimator: Promise<Estimator> | undefined;

async function loadEstimator(): Promise<Estimator> {
  const [{ ZxcvbnFactory }, common, english] = await Promise.all([
    import('@zxcvbn-ts/core'),
    import('@zxcvbn-ts/language-common'),
    import('@zxcvbn-ts/language-en'),
  ]);
  const zxcvbn = new ZxcvbnFactory({
    dictionary: { ...common.dictionary, ...english.dictionary },
    graphs: common.adjacencyGraphs,
    translations: english.translations,
  });
  return (passphrase) => {
    const result = zxcvbn.check(passphrase);
    const feedback = [result.feedback.warning, ...result.feedback.suggestions].filter(
      (line): line is string => !!line,
    );
    return {
      score: result.score as Strength['score'],
      label: labels[result.score as 0 | 1 | 2 | 3 | 4],
      feedback,
      crackTime: result.crackTimes.offlineSlowHashingXPerSecond.display,
    };
  };
}

/** Estimates a passphrase's strength (the first call loads the dictionaries). */
export async function estimateStrength(passphrase: string): Promise<Strength> {
  estimator ??= loadEstimator();
  return (await estimator)(passphrase);
}

/** The score a new passphrase needs: zxcvbn's "safely unguessable" (3). */
export const minimumScore = 3;

/**
 * Whether a new passphrase is strong enough. Awaits the estimate, so a form submitted before
 * the meter has shown (the dictionaries still loading) is judged on the passphrase, not refused.
 */
export async function isStrongEnough(passphrase: string): Promise<boolean> {
  return (await estimateStrength(passphrase)).score >= minimumScore;
}
