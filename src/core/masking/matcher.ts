/**
 * One pass over a text that finds every occurrence of every registered spelling and writes
 * the text with each run of overlapping or touching occurrences replaced by one mask.
 *
 * How (Wu–Manber, over the spellings' first WINDOW units): every spelling is at least WINDOW
 * UTF-16 units long (MIN_MASKED_LENGTH code points are at least that many units), so a match
 * at position i starts with the WINDOW units at i, the "window".
 * - The skip table, indexed by a hash of BLOCK units, says how far the window may move when
 *   it ends with those units: for a block that ends at offset q (BLOCK..WINDOW) in the first
 *   WINDOW units of some spelling, WINDOW − q at most; for a block found in none,
 *   WINDOW − BLOCK + 1. Moving by s is safe: a match starting at i + d (0 ≤ d < s) would put
 *   the block that ends the window at offset WINDOW − d > WINDOW − s of that spelling, where
 *   the table holds a smaller skip. Hash collisions only make skips smaller.
 * - Where the skip is 0, the window may start a spelling: the spellings are filed in a hash
 *   table under a hash of their first WINDOW units; only one whose full 32-bit hash agrees is
 *   compared, with `startsWith`. Each chain is ordered longest spelling first, so the first
 *   one that matches is the longest there: ranges are merged as the scan goes.
 * Text that holds no secret is mostly read a block every WINDOW − BLOCK + 1 = 4 units; the
 * cost does not grow with the number of spellings (while their blocks fill a small part of
 * the skip table), where an `indexOf` per spelling reads the text once for each of them.
 */

/** Units of a spelling's start that the tables look at; every spelling is at least this long. */
export const WINDOW = 6;
/** Units hashed for the skip table. */
const BLOCK = 3;
/** How far the window moves past a block that starts no spelling. */
const MAX_SKIP = WINDOW - BLOCK + 1;

/** Multiplier of the polynomial hashes (odd). */
const BASE = 0x01000193;
/** Fibonacci hashing: spreads a hash before its top bits pick a slot. */
const SPREAD = 0x9e3779b1;

/** Hash of the `length` units of `text` from `at` (the caller checks they exist). */
function hashUnits(text: string, at: number, length: number): number {
  let hash = 0;
  for (let j = 0; j < length; j++) hash = (Math.imul(hash, BASE) + text.charCodeAt(at + j)) | 0;
  return hash;
}

/** log2 of a table size: at least `minimum` slots, between 2^10 and 2^20. */
function tableBits(minimum: number): number {
  let bits = 10;
  while (bits < 20 && 1 << bits < minimum) bits++;
  return bits;
}

/** Where a scan stopped: see `Matcher.scan`. */
export interface ScanState {
  /** End (exclusive) of the last masked range, or -1 when nothing was masked. */
  covered: number;
  /** Start of the text not yet written to the output. */
  written: number;
}

/** The compiled spellings. Immutable: a Masker compiles a new one when values are added. */
export class Matcher {
  /** Length in UTF-16 units of the longest spelling, 0 when there are none. */
  readonly longest: number;
  readonly #spellings: string[];
  /** Hash of each spelling's first WINDOW units. */
  readonly #hashes: Int32Array;
  /** Index + 1 of the next spelling in the same slot, 0 at the end of a chain. */
  readonly #next: Int32Array;
  /** Index + 1 of the first spelling in each slot, 0 for an empty slot. */
  readonly #heads: Int32Array;
  readonly #headShift: number;
  readonly #skips: Uint8Array;
  readonly #skipShift: number;

  /** `spellings` must be distinct and each at least WINDOW units long. */
  constructor(spellings: Iterable<string>) {
    // Sorted shortest first and pushed onto the front of their chain: each chain then runs
    // longest first.
    const sorted = [...spellings].sort((a, b) => a.length - b.length);
    const count = sorted.length;
    // 32 slots a spelling and 16 a block keep false candidates to a few in a hundred.
    const headBits = tableBits(count * 32);
    const skipBits = tableBits(count * (WINDOW - BLOCK + 1) * 16);
    this.#headShift = 32 - headBits;
    this.#skipShift = 32 - skipBits;
    this.#spellings = sorted;
    this.#hashes = new Int32Array(count);
    this.#next = new Int32Array(count);
    this.#heads = new Int32Array(1 << headBits);
    this.#skips = new Uint8Array(1 << skipBits).fill(MAX_SKIP);
    this.longest = count === 0 ? 0 : sorted[count - 1]!.length;
    for (let index = 0; index < count; index++) {
      const spelling = sorted[index]!;
      if (spelling.length < WINDOW) throw new RangeError('a spelling is shorter than WINDOW');
      const hash = hashUnits(spelling, 0, WINDOW);
      const slot = Math.imul(hash, SPREAD) >>> this.#headShift;
      this.#hashes[index] = hash;
      this.#next[index] = this.#heads[slot]!;
      this.#heads[slot] = index + 1;
      for (let end = BLOCK; end <= WINDOW; end++) {
        const block =
          Math.imul(hashUnits(spelling, end - BLOCK, BLOCK), SPREAD) >>> this.#skipShift;
        this.#skips[block] = Math.min(this.#skips[block]!, WINDOW - end);
      }
    }
  }

  /**
   * Scans the match starts [0, limit) of `text`, and pushes onto `out` the text before each
   * new masked range followed by `mask`. A match that starts at or before `state.covered`
   * joins the range that ends there. On return, `state.covered` is the end of the last range
   * and `state.written` where the unwritten text starts (never before `covered`): the caller
   * writes the rest. A match starting before `limit` may end past it, so `text` must extend
   * at least `longest - 1` units past `limit` unless it is the whole text.
   */
  scan(text: string, limit: number, state: ScanState, out: string[], mask: string): void {
    const last = Math.min(limit, text.length - WINDOW + 1);
    if (last <= 0 || this.#spellings.length === 0) return;
    const heads = this.#heads;
    const next = this.#next;
    const hashes = this.#hashes;
    const spellings = this.#spellings;
    const skips = this.#skips;
    const headShift = this.#headShift;
    const skipShift = this.#skipShift;
    let covered = state.covered;
    let written = state.written;
    for (let i = 0; i < last; ) {
      // The block that ends the window, hashed inline (this loop is the whole cost).
      const at = i + WINDOW - BLOCK;
      const block =
        (Math.imul(Math.imul(text.charCodeAt(at), BASE) + text.charCodeAt(at + 1), BASE) +
          text.charCodeAt(at + 2)) |
        0;
      const skip = skips[Math.imul(block, SPREAD) >>> skipShift]!;
      if (skip !== 0) {
        i += skip;
        continue;
      }
      const hash = hashUnits(text, i, WINDOW);
      let candidate = heads[Math.imul(hash, SPREAD) >>> headShift]!;
      while (candidate !== 0) {
        const index = candidate - 1;
        if (hashes[index] === hash && text.startsWith(spellings[index]!, i)) {
          const end = i + spellings[index]!.length;
          if (i <= covered) {
            if (end > covered) covered = end;
          } else {
            out.push(text.slice(written, i), mask);
            covered = end;
          }
          written = covered;
          break;
        }
        candidate = next[index]!;
      }
      i++;
    }
    state.covered = covered;
    state.written = written;
  }
}
