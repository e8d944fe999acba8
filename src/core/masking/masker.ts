/**
 * The Masker: the secrets one run touched, and the masking of every text it shows or keeps.
 * The contract is in index.ts.
 */
import type { JsonValue } from '../vault';
import { Matcher, type ScanState } from './matcher';
import { describeType, isMaskable, maskVariants } from './variants';

/** What replaces each run of secret text. */
export const MASK = '••••';

/** Masks a text that arrives in pieces (a response body read chunk by chunk). */
export interface MaskStream {
  /**
   * Takes the next piece and returns the masked text that is now final: everything but the
   * last (longest spelling − 1) characters, which a secret split across pieces may still
   * need.
   */
  push(chunk: string): string;
  /** Returns the rest. The stream then starts afresh, as if new. */
  end(): string;
}

/** The secrets of one run, and the masking of its texts. */
export interface Masker {
  /**
   * Registers a secret value and its spellings (see maskVariants). A value shorter than
   * MIN_MASKED_LENGTH code points, or only white space, is not masked: it is counted in
   * `tooShort` instead (the empty string is ignored). Adding a value twice changes nothing.
   */
  add(secret: string): void;
  /**
   * Registers a JSON secret: `JSON.stringify(value)` when it is an object or an array, every
   * string in it (not the keys) as `add` does, and every number whose text is long enough.
   */
  addJson(value: JsonValue): void;
  /**
   * How many distinct values were too short to mask, or only white space (the values are not kept
   * anywhere they could be read, and neither are their lengths): for the UI's warning.
   */
  readonly tooShort: number;
  /** How many distinct values are masked. */
  readonly size: number;
  /**
   * `text` with every occurrence of every spelling of every registered value replaced by
   * MASK, overlapping or touching occurrences by one MASK. Text with nothing to mask is
   * returned as it is (the same string).
   */
  mask(text: string): string;
  /**
   * A copy of `value` with every string masked, keys included (when two keys mask to the same
   * text, the later one wins). A number whose text masks to something else is replaced by
   * the masked text. Shared and cyclic references are copied as such.
   */
  maskJson(value: JsonValue): JsonValue;
  /**
   * A stream whose pieces, put together, equal `mask` of the whole text, however it is cut.
   * It masks with the values registered at each `push`: text already returned is not masked
   * again when a value is added later.
   */
  stream(): MaskStream;
}

/**
 * A Masker for `secrets` (more can be added).
 * @example
 * const masker = createMasker(['hunter2hunter2']);
 * masker.mask('Authorization: Basic ' + btoa('admin:hunter2hunter2'));
 * // 'Authorization: Basic YWRtaW46••••' ("admin:" is 6 bytes, so the value's own encoding)
 */
export function createMasker(secrets?: Iterable<string>): Masker {
  const masker = new SecretMasker();
  if (secrets !== undefined) {
    if (typeof secrets !== 'object' || secrets === null || !(Symbol.iterator in secrets)) {
      throw new TypeError(
        `createMasker expects an iterable of strings, got ${describeType(secrets)}`,
      );
    }
    for (const secret of secrets) masker.add(secret);
  }
  return masker;
}

class SecretMasker implements Masker {
  /** Registered values: only to tell a repeated value, never exposed. */
  readonly #values = new Set<string>();
  readonly #short = new Set<string>();
  readonly #spellings = new Set<string>();
  #matcher: Matcher | undefined = new Matcher([]);

  get tooShort(): number {
    return this.#short.size;
  }

  get size(): number {
    return this.#values.size;
  }

  add(secret: string): void {
    if (typeof secret !== 'string') {
      throw new TypeError(`Masker.add expects a string, got ${describeType(secret)}`);
    }
    this.#register(secret, true);
  }

  addJson(value: JsonValue): void {
    let whole: string | undefined;
    if (typeof value === 'object' && value !== null) {
      try {
        whole = JSON.stringify(value);
      } catch (cause) {
        // A cycle, a bigint or a nesting too deep. The message names keys, not values, but
        // stays out of ours all the same.
        throw new TypeError(
          'Masker.addJson expects a JSON value: JSON.stringify refused it (a cycle, a bigint?)',
          { cause },
        );
      }
    }
    // Walked with a stack, not recursion: a deeply nested value cannot overflow it. Checked
    // whole before anything is registered.
    // Numbers are configuration more often than secrets: a short one is not worth a warning.
    const found: Array<[text: string, countShort: boolean]> = [];
    const stack: unknown[] = [value];
    while (stack.length > 0) {
      const item = stack.pop();
      if (typeof item === 'string') found.push([item, true]);
      else if (typeof item === 'number') {
        if (!Number.isFinite(item)) {
          throw new TypeError('Masker.addJson expects a JSON value, found a non-finite number');
        }
        found.push([String(item), false]);
      } else if (typeof item === 'object' && item !== null) {
        for (const child of Array.isArray(item) ? item : Object.values(item)) stack.push(child);
      } else if (typeof item !== 'boolean' && item !== null) {
        throw new TypeError(`Masker.addJson expects a JSON value, found ${describeType(item)}`);
      }
    }
    for (const [text, countShort] of found) this.#register(text, countShort);
    if (whole !== undefined) this.#register(whole, false);
  }

  /** Registers a value; one too short is counted when `countShort`, ignored otherwise. */
  #register(value: string, countShort: boolean): void {
    if (this.#values.has(value)) return;
    if (!isMaskable(value)) {
      if (countShort && value.length > 0) this.#short.add(value);
      return;
    }
    this.#values.add(value);
    const before = this.#spellings.size;
    for (const spelling of maskVariants(value)) this.#spellings.add(spelling);
    if (this.#spellings.size !== before) this.#matcher = undefined;
  }

  #compiled(): Matcher {
    this.#matcher ??= new Matcher(this.#spellings);
    return this.#matcher;
  }

  mask(text: string): string {
    if (typeof text !== 'string') {
      throw new TypeError(`Masker.mask expects a string, got ${describeType(text)}`);
    }
    const state: ScanState = { covered: -1, written: 0 };
    const out: string[] = [];
    this.#compiled().scan(text, text.length, state, out, MASK);
    if (out.length === 0) return text;
    out.push(text.slice(state.written));
    return out.join('');
  }

  maskJson(value: JsonValue): JsonValue {
    return maskJsonValue(value, (text) => this.mask(text));
  }

  stream(): MaskStream {
    return new Stream(() => this.#compiled());
  }
}

/**
 * The stream keeps the text whose match starts it has not scanned yet: the last
 * (longest − 1) units, which a match may still need. `covered` is relative to that text:
 * its first `covered` units are already part of a mask that was returned (-1: none; 0: the
 * last output ended with a mask, which a match starting right here would extend).
 */
class Stream implements MaskStream {
  readonly #matcher: () => Matcher;
  #held = '';
  #covered = -1;

  constructor(matcher: () => Matcher) {
    this.#matcher = matcher;
  }

  push(chunk: string): string {
    if (typeof chunk !== 'string') {
      throw new TypeError(`MaskStream.push expects a string, got ${describeType(chunk)}`);
    }
    const matcher = this.#matcher();
    const text = this.#held + chunk;
    const limit = text.length - Math.max(0, matcher.longest - 1);
    if (limit <= 0) {
      this.#held = text;
      return '';
    }
    const state: ScanState = { covered: this.#covered, written: Math.max(0, this.#covered) };
    const out: string[] = [];
    matcher.scan(text, limit, state, out, MASK);
    // Nothing before `limit` can be masked any more: no match left to find starts before it.
    if (state.written < limit) out.push(text.slice(state.written, limit));
    this.#held = text.slice(limit);
    this.#covered = state.covered >= limit ? state.covered - limit : -1;
    return out.join('');
  }

  end(): string {
    const text = this.#held;
    const state: ScanState = { covered: this.#covered, written: Math.max(0, this.#covered) };
    const out: string[] = [];
    this.#matcher().scan(text, text.length, state, out, MASK);
    out.push(text.slice(state.written));
    this.#held = '';
    this.#covered = -1;
    return out.join('');
  }
}

/** Defines an own data property: assigning `__proto__` would change the prototype instead. */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, {
    value,
    writable: true,
    enumerable: true,
    configurable: true,
  });
}

/**
 * The copy behind `maskJson`, walked with a stack (no recursion to overflow). Each container
 * is copied once: `copies` maps an input container to its copy, so shared and cyclic
 * references come out the same way.
 */
function maskJsonValue(value: JsonValue, mask: (text: string) => string): JsonValue {
  const copies = new Map<object, unknown>();
  const leaf = (item: unknown): unknown => {
    if (typeof item === 'string') return mask(item);
    if (typeof item === 'number') {
      const text = String(item);
      const masked = mask(text);
      return masked === text ? item : masked;
    }
    return item;
  };
  /** The copy of `item`, empty when just made: its contents are filled from the stack. */
  const pending: Array<[source: object, copy: unknown]> = [];
  const copyOf = (item: unknown): unknown => {
    if (typeof item !== 'object' || item === null) return leaf(item);
    const known = copies.get(item);
    if (known !== undefined) return known;
    const copy = Array.isArray(item) ? [] : {};
    copies.set(item, copy);
    pending.push([item, copy]);
    return copy;
  };
  const root = copyOf(value);
  while (pending.length > 0) {
    const [source, copy] = pending.pop()!;
    if (Array.isArray(source)) {
      const array = copy as unknown[];
      for (const item of source) array.push(copyOf(item));
    } else {
      const object = copy as Record<string, unknown>;
      for (const [key, item] of Object.entries(source)) setOwn(object, mask(key), copyOf(item));
    }
  }
  return root as JsonValue;
}
