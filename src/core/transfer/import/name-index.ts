/**
 * The names an import must not collide with: the vault's, and the batch's own as they are
 * planned, by exact name and by look-alike key (the UTS #39 skeleton, as given and lowercased:
 * the rule the vault's entry store applies to new names). A map per key makes 10,000 names one
 * pass, where `findConfusable` would compare every pair.
 */
import { MAX_ENTRY_NAME_LENGTH, type NameStyle, nameSkeleton } from '../../vault';

function keysOf(name: string): readonly [string, string] {
  const raw = nameSkeleton(name);
  const lower = name.toLowerCase();
  return [raw, (lower === name ? raw : nameSkeleton(lower)).toLowerCase()];
}

export class NameIndex {
  readonly #names = new Set<string>();
  readonly #raw = new Map<string, string>();
  readonly #folded = new Map<string, string>();

  constructor(names: Iterable<string> = []) {
    for (const name of names) this.add(name);
  }

  add(name: string): void {
    this.#names.add(name);
    const [raw, folded] = keysOf(name);
    if (!this.#raw.has(raw)) this.#raw.set(raw, name);
    if (!this.#folded.has(folded)) this.#folded.set(folded, name);
  }

  has(name: string): boolean {
    return this.#names.has(name);
  }

  /** A name held here that `name` could be mistaken for (never `name` itself), or undefined. */
  lookalike(name: string): string | undefined {
    const [raw, folded] = keysOf(name);
    const byRaw = this.#raw.get(raw);
    if (byRaw !== undefined && byRaw !== name) return byRaw;
    const byFolded = this.#folded.get(folded);
    if (byFolded !== undefined && byFolded !== name) return byFolded;
    return undefined;
  }

  /**
   * `name` with the first free suffix ("-2", "-3", ... in default style; "_2", ... in
   * environment style) that is neither taken nor a look-alike of a name held here.
   */
  freeVariant(name: string, style: NameStyle): string {
    const joiner = style === 'environment' ? '_' : '-';
    for (let copy = 2; ; copy++) {
      const suffix = `${joiner}${copy}`;
      const candidate = `${name.slice(0, MAX_ENTRY_NAME_LENGTH - suffix.length)}${suffix}`;
      if (!this.has(candidate) && this.lookalike(candidate) === undefined) return candidate;
    }
  }
}
