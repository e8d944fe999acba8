/**
 * How a vault's entries map to a remote secret's keys (one secret = one JSON object of
 * KEY: value):
 * - items and secrets sync, their JSON values exactly as they are (a string stays a string, an
 *   object an object); a write-only secret's flag stays in Coffer (the remote has no such flag);
 * - a key new from the remote becomes a `secret` (shown masked); a key already in the vault
 *   keeps its kind and flags;
 * - connections do not sync: they stay in Coffer, and a remote key of a connection's name is
 *   left as the remote has it;
 * - a remote key the vault cannot hold (a name its naming rule refuses, a look-alike of another
 *   entry's name, a value too large or too deep) is not tracked: it is carried through
 *   unchanged on every push and reported in `skipped` with the rule's words.
 */
import {
  type ConnectionValue,
  confusableKeys,
  isValidEntryName,
  type JsonValue,
  type NameStyle,
  type Vault,
  validateEntryName,
  validateJsonValue,
} from '../../vault';

export interface SkippedKey {
  readonly key: string;
  readonly reason: string;
}

export const CONNECTIONS_STAY = 'connections stay in Coffer';

/** The vault's side of a sync step. */
export interface LocalSide {
  /** Items and secrets, by name. */
  readonly tracked: Map<string, JsonValue>;
  readonly connections: ReadonlySet<string>;
  readonly style: NameStyle;
}

export async function readLocal(vault: Vault): Promise<LocalSide> {
  const tracked = new Map<string, JsonValue>();
  const connections = new Set<string>();
  for (const entry of await vault.list()) {
    if (entry.kind === 'connection') {
      connections.add(entry.name);
      continue;
    }
    const value = (await vault.get(entry.name)) as JsonValue | ConnectionValue | undefined;
    if (value !== undefined) tracked.set(entry.name, value as JsonValue);
  }
  return { tracked, connections, style: await vault.nameStyle() };
}

/** The remote's side: the keys the vault tracks, and the ones carried through untouched. */
export interface RemoteSide {
  readonly tracked: Map<string, JsonValue>;
  readonly carried: [string, JsonValue][];
  readonly skipped: SkippedKey[];
}

/**
 * The names a remote key is checked against (the vault's entries, then the keys taken so far),
 * indexed by their confusable keys: each name's skeletons are computed once, not once for every
 * remote key (a secret of n keys was n² skeletons). `lookalike` answers as `findConfusable`
 * does: the first name, in the order added, that the key could be mistaken for.
 */
class LookalikeIndex {
  readonly #byKey = new Map<string, { readonly name: string; readonly order: number }[]>();
  #count = 0;

  constructor(names: Iterable<string>) {
    for (const name of names) this.add(name);
  }

  add(name: string): void {
    const order = this.#count++;
    const [raw, folded] = confusableKeys(name);
    // Raw and folded keys share one map under different prefixes (they never meet).
    for (const key of [`r${raw}`, `f${folded}`]) {
      const holders = this.#byKey.get(key);
      if (holders) holders.push({ name, order });
      else this.#byKey.set(key, [{ name, order }]);
    }
  }

  lookalike(name: string): string | undefined {
    const [raw, folded] = confusableKeys(name);
    let first: { readonly name: string; readonly order: number } | undefined;
    for (const key of [`r${raw}`, `f${folded}`]) {
      // A name equal to `name` is skipped, as findConfusable skips it.
      const found = this.#byKey.get(key)?.find((holder) => holder.name !== name);
      if (found && (!first || found.order < first.order)) first = found;
    }
    return first?.name;
  }
}

function whyNot(
  key: string,
  value: JsonValue,
  local: LocalSide,
  others: LookalikeIndex,
): string | undefined {
  if (local.connections.has(key)) return CONNECTIONS_STAY;
  if (!isValidEntryName(key, local.style)) {
    try {
      validateEntryName(key, local.style);
    } catch (error) {
      return (error as Error).message;
    }
  }
  if (!local.tracked.has(key)) {
    const lookalike = others.lookalike(key);
    if (lookalike !== undefined) return `looks like the entry ${JSON.stringify(lookalike)}`;
  }
  try {
    validateJsonValue(value);
  } catch (error) {
    return (error as Error).message;
  }
  return undefined;
}

/** Splits the remote's values into tracked and carried keys (see the module's rules). */
export function splitRemote(
  values: Readonly<Record<string, JsonValue>>,
  local: LocalSide,
): RemoteSide {
  const tracked = new Map<string, JsonValue>();
  const carried: [string, JsonValue][] = [];
  const skipped: SkippedKey[] = [];
  const names = new LookalikeIndex([...local.tracked.keys(), ...local.connections]);
  for (const key of Object.keys(values).sort()) {
    const value = values[key] as JsonValue;
    const reason = whyNot(key, value, local, names);
    if (reason === undefined) {
      tracked.set(key, value);
      if (!local.tracked.has(key)) names.add(key);
    } else {
      carried.push([key, value]);
      skipped.push({ key, reason });
    }
  }
  for (const name of [...local.connections].sort()) {
    if (!(name in values)) skipped.push({ key: name, reason: CONNECTIONS_STAY });
  }
  return { tracked, carried, skipped };
}

/**
 * The vault's synced keys minus those the remote holds in a form the vault cannot take (a value
 * too large, say): such a key is left alone on both sides, so the remote's value is never
 * overwritten and the vault's never deleted because of it.
 */
export function trackedLocal(local: LocalSide, remote: RemoteSide): Map<string, JsonValue> {
  const carried = new Set(remote.carried.map(([key]) => key));
  return new Map([...local.tracked].filter(([key]) => !carried.has(key)));
}

/** The object a push writes: carried keys as they were, then the tracked ones. */
export function remoteObject(
  carried: readonly [string, JsonValue][],
  tracked: Readonly<Record<string, JsonValue>>,
): Record<string, JsonValue> {
  return Object.fromEntries([...carried, ...Object.entries(tracked)]);
}
