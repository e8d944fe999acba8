/**
 * An in-memory SecretsProvider that keeps the contract (src/core/providers/types.ts, and the
 * suite in tests/contract/secrets-provider.contract.ts) to the letter: versions that change on
 * every write, 'absent' for a path with nothing readable, RemoteConflictError (and no write)
 * on a stale expected version, soft delete / restore / destroy (or, with `softDelete: false`,
 * KV v1's refusal of a soft delete), a sorted `list`, and values copied in and out so a caller
 * cannot change what is stored by holding on to an object.
 *
 * For tests: `put` moves the remote as another writer would; `concurrentWrite` runs once inside
 * the next write before its version check (a writer slipping in between read and write);
 * `failNext` makes the next matching call reject with a ProviderError (before it changes
 * anything, or with `after: true` after it changed the remote, as a lost answer would);
 * `calls` records every operation and path.
 */
import { ProviderError, RemoteConflictError } from '../../src/core/providers/errors';
import {
  asRemoteVersion,
  type CasStrength,
  type ConnectionReport,
  type DeletedSecret,
  type ProviderKind,
  type RemoteSecret,
  type RemoteVersion,
  type SecretsProvider,
} from '../../src/core/providers/types';
import type { JsonValue } from '../../src/core/vault';

type Values = Readonly<Record<string, JsonValue>>;
export type MemoryOperation = 'test' | 'list' | 'read' | 'write' | 'delete' | 'destroy' | 'restore';

interface Stored {
  values: Values;
  version: RemoteVersion;
  deleted: boolean;
}

interface Failure {
  readonly op: MemoryOperation;
  readonly path: string | undefined;
  readonly after: boolean;
  readonly error: Error | undefined;
}

const copy = (values: Values): Record<string, JsonValue> =>
  structuredClone(values) as Record<string, JsonValue>;

export class MemoryProvider implements SecretsProvider {
  readonly kind: ProviderKind;
  readonly cas: CasStrength = 'atomic';
  readonly #store = new Map<string, Stored>();
  readonly #softDelete: boolean;
  #counter = 0;
  #failures: Failure[] = [];
  /** Runs once, inside the next write, before the version check. */
  concurrentWrite: ((path: string) => void) | undefined;
  readonly calls: { op: MemoryOperation; path?: string }[] = [];

  constructor(options: { kind?: ProviderKind; softDelete?: boolean } = {}) {
    this.kind = options.kind ?? 'hashicorp';
    this.#softDelete = options.softDelete ?? true;
  }

  /** The next call of `op` (at `path`, if given) rejects; `after`: once it has taken effect. */
  failNext(
    op: MemoryOperation,
    options: { path?: string; after?: boolean; error?: Error } = {},
  ): void {
    this.#failures.push({
      op,
      path: options.path,
      after: options.after === true,
      error: options.error,
    });
  }

  /** Another writer: sets `path` to `values` whatever is there, with a new version. */
  put(path: string, values: Values): RemoteVersion {
    const version = this.#nextVersion();
    this.#store.set(path, { values: copy(values), version, deleted: false });
    return version;
  }

  /** What is stored at `path` (undefined if nothing, or soft-deleted). */
  peek(path: string): Record<string, JsonValue> | undefined {
    const stored = this.#store.get(path);
    return stored && !stored.deleted ? copy(stored.values) : undefined;
  }

  /** True when `path` is soft-deleted (restorable). */
  isDeleted(path: string): boolean {
    return this.#store.get(path)?.deleted === true;
  }

  #nextVersion(): RemoteVersion {
    this.#counter += 1;
    return asRemoteVersion(`v${this.#counter}`);
  }

  #enter(
    op: MemoryOperation,
    path: string | undefined,
    signal: AbortSignal | undefined,
  ): Failure | undefined {
    this.calls.push(path === undefined ? { op } : { op, path });
    if (signal?.aborted) throw new ProviderError(this.kind, 'timeout', op, path ? { path } : {});
    const index = this.#failures.findIndex(
      (failure) => failure.op === op && (failure.path === undefined || failure.path === path),
    );
    if (index < 0) return undefined;
    const [failure] = this.#failures.splice(index, 1);
    if (!failure!.after) throw this.#error(failure!, path);
    return failure;
  }

  #error(failure: Failure, path: string | undefined): Error {
    return (
      failure.error ?? new ProviderError(this.kind, 'unreachable', failure.op, path ? { path } : {})
    );
  }

  #after<T>(failure: Failure | undefined, path: string | undefined, value: T): T {
    if (failure) throw this.#error(failure, path);
    return value;
  }

  async test(signal?: AbortSignal): Promise<ConnectionReport> {
    const failure = this.#enter('test', undefined, signal);
    return this.#after(failure, undefined, {
      kind: this.kind,
      secretsSeen: (await this.list()).length,
    });
  }

  async list(signal?: AbortSignal): Promise<string[]> {
    const failure = this.#enter('list', undefined, signal);
    const paths = [...this.#store]
      .filter(([, s]) => !s.deleted)
      .map(([path]) => path)
      .sort();
    return this.#after(failure, undefined, paths);
  }

  async read(path: string, signal?: AbortSignal): Promise<RemoteSecret | undefined> {
    const failure = this.#enter('read', path, signal);
    const stored = this.#store.get(path);
    const result =
      stored && !stored.deleted
        ? { path, values: copy(stored.values), version: stored.version }
        : undefined;
    return this.#after(failure, path, result);
  }

  async write(
    path: string,
    values: Values,
    expected: RemoteVersion | 'absent',
    signal?: AbortSignal,
  ): Promise<RemoteVersion> {
    const failure = this.#enter('write', path, signal);
    const hook = this.concurrentWrite;
    this.concurrentWrite = undefined;
    hook?.(path);
    const stored = this.#store.get(path);
    const actual = stored === undefined ? 'absent' : stored.deleted ? 'absent' : stored.version;
    // A soft-deleted secret still holds its name: 'absent' does not overwrite it.
    if (expected !== actual || (stored?.deleted && expected === 'absent')) {
      throw new RemoteConflictError(this.kind, path, expected, actual);
    }
    const version = this.#nextVersion();
    this.#store.set(path, { values: copy(values), version, deleted: false });
    return this.#after(failure, path, version);
  }

  async delete(path: string, signal?: AbortSignal): Promise<DeletedSecret> {
    const failure = this.#enter('delete', path, signal);
    if (!this.#softDelete) {
      throw new ProviderError(this.kind, 'refused', 'delete', {
        path,
        detail: 'no soft delete on this mount',
      });
    }
    const stored = this.#store.get(path);
    if (!stored || stored.deleted)
      throw new ProviderError(this.kind, 'refused', 'delete', { path, detail: 'not found' });
    stored.deleted = true;
    return this.#after(failure, path, { path, restorable: true });
  }

  async destroy(path: string, signal?: AbortSignal): Promise<void> {
    const failure = this.#enter('destroy', path, signal);
    this.#store.delete(path);
    this.#after(failure, path, undefined);
  }

  async restore(path: string, signal?: AbortSignal): Promise<void> {
    const failure = this.#enter('restore', path, signal);
    const stored = this.#store.get(path);
    if (!stored?.deleted)
      throw new ProviderError(this.kind, 'refused', 'restore', { path, detail: 'not deleted' });
    stored.deleted = false;
    this.#after(failure, path, undefined);
  }
}
