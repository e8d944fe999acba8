/**
 * Names that look the same: the skeleton of Unicode's confusable detection (UTS #39, section 4)
 * and a lookup of an existing name that a new one could be mistaken for.
 *
 * The prototype table is Unicode's confusables.txt (version 13.0; Unicode data, under the
 * Unicode licence), as shipped by the npm package `unhomoglyph` 1.0.6 (MIT, by nodeca; its
 * `data.json` maps each of 6,311 source code points to its prototype). Only the data is used:
 * the package's own function is a plain replace, without the normalisation and the dropping of
 * default-ignorables that the skeleton needs, so the skeleton is computed here. Checked against
 * ICU 72's `uspoof_getSkeleton` (Unicode 15 data) for every code point: they agree except for 20
 * letters added in Unicode 16, which ICU 72's older NFD does not decompose.
 *
 * The whole table costs ~31 KB gzipped, so it is loaded on first need (`loadConfusables()`,
 * awaited by whatever checks a vault name) and never with the first screen. Entry names are
 * ASCII, and the eight ASCII rows of the table are kept here (a test checks them against the
 * package), so entry names are checked at once, without the table. A non-ASCII name (only a
 * vault name, or a name written by a faulty peer) before the table is loaded falls back to
 * its NFD form without default-ignorables: weaker, and only ever used to refuse, never to allow.
 *
 * ASCII look-alikes count, as UTS #39 has them: "0"/"O", "1"/"l"/"I"/"|", "m"/"rn", "`"/"'",
 * '"'/"''". So the entry names KEY_1, KEY_l and KEY_I cannot sit side by side, nor modem and
 * rnodem: in many fonts (and in a reference such as `@{vault.KEY_l}` read aloud or copied by
 * hand) they are the same name, which is exactly what environment-style names such as
 * DB_HOST_1 / DB_HOST_I invite. Names that differ only in letter case are refused too.
 */

/** The rows of confusables.txt whose source is ASCII (tests/unit/vault checks them). */
export const asciiPrototypes: Readonly<Record<string, string>> = {
  '0': 'O',
  '1': 'l',
  '`': "'",
  '"': "''",
  '|': 'l',
  I: 'l',
  '%': 'º/₀',
  m: 'rn',
};

let table: Readonly<Record<string, string>> | undefined;
let loading: Promise<void> | undefined;

/**
 * Loads Unicode's whole confusables table (once). Await it before checking names that may hold
 * more than ASCII (vault names); entry names need nothing loaded.
 */
export function loadConfusables(): Promise<void> {
  loading ??= import('unhomoglyph/data.json', { with: { type: 'json' } }).then(
    (module) => {
      table = module.default as Readonly<Record<string, string>>;
    },
    (error: unknown) => {
      loading = undefined;
      throw error;
    },
  );
  return loading;
}

/** Whether `loadConfusables()` has finished: non-ASCII skeletons are then exact. */
export function confusablesLoaded(): boolean {
  return table !== undefined;
}

const ignorable = /\p{Default_Ignorable_Code_Point}/gu;
const ascii = /^[\0-\x7f]*$/;
/** The ASCII characters the table maps (such as "0", "1", "I", "m"), as one pattern. */
const asciiSources = new RegExp(
  `[${Object.keys(asciiPrototypes)
    .map((source) => `\\x${source.charCodeAt(0).toString(16).padStart(2, '0')}`)
    .join('')}]`,
  'g',
);

/**
 * The UTS #39 skeleton of `name`: NFD, without default-ignorable code points (the step added in
 * Unicode 15.1), each code point replaced by its prototype, NFD again. Two names with the same
 * skeleton are confusable. A skeleton is for comparing only, never for showing: "m" becomes
 * "rn", "0" becomes "O".
 * @example
 * nameSkeleton('prоd') === nameSkeleton('prod'); // true (the first has a Cyrillic о)
 * nameSkeleton('KEY_1');                         // 'KEY_l'
 */
export function nameSkeleton(name: string): string {
  // ASCII is its own NFD, has no default-ignorables, and its prototypes need no reordering:
  // entry names take this path, a few times faster.
  if (ascii.test(name)) return name.replace(asciiSources, (source) => asciiPrototypes[source]!);
  const prototypes = table ?? asciiPrototypes;
  let skeleton = '';
  for (const character of name.normalize('NFD').replace(ignorable, '')) {
    skeleton += Object.hasOwn(prototypes, character) ? prototypes[character] : character;
  }
  return skeleton.normalize('NFD');
}

/**
 * The keys under which a name is compared: its skeleton, and a case-folded one (the skeleton of
 * its lowercase form, lowercased again, since prototypes such as "O" for "0" are capitals), so
 * "Prod" and "prоd" meet, and so do "pr0d" and "prod". Two names are confusable when either
 * key is equal.
 * @example
 * confusableKeys('Prod');  // ['Prod', 'prod']
 * confusableKeys('KEY_1'); // ['KEY_l', 'key_l']
 * confusableKeys('pr0d');  // ['prOd', 'prod']
 */
export function confusableKeys(name: string): readonly [raw: string, folded: string] {
  const raw = nameSkeleton(name);
  const lower = name.toLowerCase();
  return [raw, (lower === name ? raw : nameSkeleton(lower)).toLowerCase()];
}

/**
 * Whether two different names could be taken for one another: the same skeleton, as given or
 * once both are lowercase. A name is not confusable with itself.
 * @example
 * areConfusable('paypal', 'pаypal'); // true (Cyrillic а)
 * areConfusable('Prod', 'prod');     // true (letter case only)
 * areConfusable('prod', 'prod2');    // false
 */
export function areConfusable(a: string, b: string): boolean {
  if (a === b) return false;
  const [rawA, foldedA] = confusableKeys(a);
  const [rawB, foldedB] = confusableKeys(b);
  return rawA === rawB || foldedA === foldedB;
}

/**
 * The first of `existing` that `name` could be mistaken for (see `areConfusable`), or
 * `undefined`. A name equal to `name` is skipped: being taken is another error, and a rename
 * to a look-alike of the entry's own name is allowed. O(n) skeletons: for a few names (vaults);
 * the entry store keeps an index instead.
 * @example
 * findConfusable('prоd', ['staging', 'prod']); // 'prod'
 * findConfusable('prod', ['prod']);            // undefined
 */
export function findConfusable(name: string, existing: Iterable<string>): string | undefined {
  const [raw, folded] = confusableKeys(name);
  for (const other of existing) {
    if (other === name) continue;
    const [otherRaw, otherFolded] = confusableKeys(other);
    if (otherRaw === raw || otherFolded === folded) return other;
  }
  return undefined;
}
