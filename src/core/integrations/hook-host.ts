import type { HookHost } from '../hooks';
import type { Masker } from '../masking';
import type { Entry, JsonValue } from '../vault';
import { ReferenceUnresolvedError } from './errors';
import type { DebugLine, RunEvent } from './types';
import type { VaultAccess, VaultLease } from './vault-access';
import type { VaultChooser, VaultListing } from './vault-names';

/**
 * The page's side of a hook's API (src/core/hooks calls it when the guest does): opening a
 * vault by name checks the integration's grant, waits its turn and the vault's lock; a write
 * needs a read-and-write grant; every secret value handed to the guest is added to the run's
 * masker first; debug lines are masked before they are kept or shown. `closeAll` closes what
 * the hook left open, whatever happened.
 */
export interface HookHostDeps {
  readonly hook: 'before' | 'after';
  readonly chooser: VaultChooser;
  readonly access: VaultAccess;
  readonly masker: Masker;
  readonly emit: (event: RunEvent) => void;
  readonly debug: DebugLine[];
  readonly kept: Record<string, JsonValue>;
  /** The first grant refusal the hook met (the run names it if the hook then fails). */
  readonly refusals: Error[];
}

/** At most this many debug lines per run, and this many characters per line. */
export const MAX_DEBUG_LINES = 1000;
export const MAX_DEBUG_CHARS = 64 * 1024;

/** What the guest gets for an entry: items and secrets their value, connections `{ type, fields }`. */
export function guestValue(entry: Entry, masker: Masker): JsonValue {
  const value = entry.value as JsonValue;
  if (entry.kind !== 'item') masker.addJson(value);
  return value;
}

export class RunHookHost implements HookHost {
  readonly #open = new Map<string, { lease: VaultLease; vault: VaultListing }>();
  #next = 0;

  constructor(private readonly deps: HookHostDeps) {}

  async openVault(name: string, signal: AbortSignal): Promise<string> {
    const target = this.deps.chooser.find(name, `withVault("${name}")`);
    try {
      this.deps.chooser.require(target, 'read');
    } catch (error) {
      this.deps.refusals.push(error as Error);
      throw error;
    }
    const lease = await this.deps.access.acquire(target.id, {
      signal,
      onWaiting: (holder) =>
        this.deps.emit({
          type: 'waiting',
          vault: target.name,
          holder: holder?.label,
          since: holder?.since,
        }),
      onWaitingOver: () => this.deps.emit({ type: 'waiting-over', vault: target.name }),
    });
    const handle = `v${++this.#next}`;
    this.#open.set(handle, { lease, vault: target });
    return handle;
  }

  async vaultCall(
    handle: string,
    op: 'get' | 'set' | 'delete' | 'list' | 'has',
    args: readonly JsonValue[],
  ): Promise<JsonValue | undefined> {
    const open = this.#open.get(handle);
    if (!open) throw new Error('this vault is closed');
    const { vault } = open.lease;
    const name = () => {
      if (typeof args[0] !== 'string') throw new TypeError(`${op}() needs an entry name (text)`);
      return args[0];
    };
    switch (op) {
      case 'list':
        return (await vault.list()).map((entry) => entry.name);
      case 'has':
        return vault.has(name());
      case 'get': {
        const entry = await vault.getEntry(name());
        return entry ? guestValue(entry, this.deps.masker) : undefined;
      }
      case 'set': {
        const entryName = name();
        this.#requireWrite(open.vault);
        const value = args[1];
        if (value === undefined) throw new TypeError('set() needs a value (JSON)');
        const existing = await vault.getEntry(entryName);
        if (existing && existing.kind !== 'item') this.deps.masker.addJson(value);
        if (existing?.kind === 'connection') {
          throw new TypeError(`${entryName} is a connection; hooks cannot replace connections`);
        }
        await vault.set(entryName, value);
        return undefined;
      }
      case 'delete': {
        const entryName = name();
        this.#requireWrite(open.vault);
        if (!(await vault.has(entryName))) {
          throw new ReferenceUnresolvedError(
            `delete("${entryName}")`,
            'no-entry',
            `vault "${open.vault.name}" has no entry ${entryName}`,
          );
        }
        await vault.delete(entryName);
        return undefined;
      }
    }
  }

  async closeVault(handle: string): Promise<void> {
    const open = this.#open.get(handle);
    this.#open.delete(handle);
    await open?.lease.release();
  }

  debug(value: JsonValue, label: string | undefined): void {
    if (this.deps.debug.length >= MAX_DEBUG_LINES) return;
    const json = typeof value === 'string' ? value : JSON.stringify(value, null, 2);
    const text = this.deps.masker.mask(
      json.length > MAX_DEBUG_CHARS ? `${json.slice(0, MAX_DEBUG_CHARS)}…` : json,
    );
    const line: DebugLine = {
      hook: this.deps.hook,
      label: label === undefined ? undefined : this.deps.masker.mask(label),
      text,
    };
    this.deps.debug.push(line);
    this.deps.emit({ type: 'debug', line });
  }

  keep(values: Readonly<Record<string, JsonValue>>): void {
    Object.assign(this.deps.kept, values);
  }

  /** Closes every vault the hook left open; never rejects. */
  async closeAll(): Promise<void> {
    const leases = [...this.#open.values()];
    this.#open.clear();
    await Promise.all(leases.map(({ lease }) => lease.release()));
  }

  #requireWrite(vault: VaultListing): void {
    try {
      this.deps.chooser.require(vault, 'read-write');
    } catch (error) {
      this.deps.refusals.push(error as Error);
      throw error;
    }
  }
}
