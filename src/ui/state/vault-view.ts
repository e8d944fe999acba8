/**
 * One vault as the main pane shows it: opening it under the single-opener lock (waiting while
 * another tab has it, taking it over, taking it back), and the entry list's filter and pages.
 *
 * The list logic is pure functions over `EntrySummary[]` (unit-tested in Node); the reactive
 * parts wrap them in memos so typing in the filter of a 10,000-entry vault stays instant: one
 * pass over precomputed lowercase names, and only the current page is rendered.
 */
import { type Accessor, batch, createMemo, createSignal, onCleanup } from 'solid-js';
import { missingOfEmpty } from '../../core/connections';
import { type HolderInfo, LockWaitAbortedError, VaultBusyError } from '../../core/lock';
import { type Session, type VaultId, VaultNotFoundError } from '../../core/profile';
import type { EntryKind, EntrySummary, Vault } from '../../core/vault';
import type { OpenVault } from './open-vault';

// ---------- pure list logic ----------

/**
 * The entries whose name contains `query`, ignoring case. `lowerNames[i]` is
 * `entries[i].name.toLowerCase()`, computed once per list rather than once per keystroke.
 * An empty (or all-space) query keeps every entry, and returns the same array.
 */
export function filterEntries<T extends { readonly name: string }>(
  entries: readonly T[],
  query: string,
  lowerNames: readonly string[] = entries.map((entry) => entry.name.toLowerCase()),
): readonly T[] {
  const needle = query.trim().toLowerCase();
  if (needle === '') return entries;
  const out: T[] = [];
  for (let i = 0; i < entries.length; i++) {
    if (lowerNames[i]!.includes(needle)) out.push(entries[i]!);
  }
  return out;
}

export interface PageWindow {
  /** 1-based, clamped into 1..pageCount. */
  readonly page: number;
  /** At least 1, so an empty list still reads "Page 1 of 1". */
  readonly pageCount: number;
  /** Slice bounds into the filtered list. */
  readonly start: number;
  readonly end: number;
}

/** Which slice of `total` items page `page` shows, `pageSize` a page. */
export function pageWindow(total: number, page: number, pageSize: number): PageWindow {
  const size = Number.isInteger(pageSize) && pageSize > 0 ? pageSize : 10;
  const pageCount = Math.max(1, Math.ceil(total / size));
  const clamped = Math.min(Math.max(1, Number.isFinite(page) ? Math.trunc(page) : 1), pageCount);
  const start = (clamped - 1) * size;
  return { page: clamped, pageCount, start, end: Math.min(total, start + size) };
}

/** A numbered page button, or a gap between them. */
export type PageButton = number | 'gap';

/**
 * The numbered buttons to show: every page when there are few; otherwise the first, the last,
 * and the current one with `around` neighbours each side, with gaps between. A 10,000-entry
 * vault has 1,000 pages, and 1,000 buttons help nobody.
 */
export function pageButtons(page: number, pageCount: number, around = 1): PageButton[] {
  const shown = new Set<number>([1, pageCount]);
  for (let p = page - around; p <= page + around; p++) if (p >= 1 && p <= pageCount) shown.add(p);
  // Near either end, show a run of pages rather than a gap hiding a single page.
  if (page <= around + 3)
    for (let p = 1; p <= Math.min(pageCount, around * 2 + 3); p++) shown.add(p);
  if (page >= pageCount - around - 2)
    for (let p = Math.max(1, pageCount - around * 2 - 2); p <= pageCount; p++) shown.add(p);
  const sorted = [...shown].sort((a, b) => a - b);
  const out: PageButton[] = [];
  for (const p of sorted) {
    const last = out[out.length - 1];
    if (typeof last === 'number' && p - last === 2) out.push(last + 1);
    else if (typeof last === 'number' && p - last > 2) out.push('gap');
    out.push(p);
  }
  return out;
}

/** The accessible label of an entry kind (its icon is KindIcon). */
export function kindLabel(kind: EntryKind): { readonly label: string } {
  switch (kind) {
    case 'secret':
      return { label: 'Secret' };
    case 'connection':
      return { label: 'Connection' };
    default:
      return { label: 'Item' };
  }
}

/** "Open in another tab since 10:42", or without the time when the holder did not say. */
export function describeHolder(
  holder: HolderInfo | undefined,
  formatTime: (since: number) => string = (since) =>
    new Date(since).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' }),
): string {
  return holder?.since !== undefined
    ? `Open in another tab since ${formatTime(holder.since)}`
    : 'Open in another tab';
}

// ---------- the entry list ----------

export interface EntriesView {
  readonly query: Accessor<string>;
  setQuery(query: string): void;
  readonly filtered: Accessor<readonly EntrySummary[]>;
  readonly window: Accessor<PageWindow>;
  /** The entries of the current page only. */
  readonly visible: Accessor<readonly EntrySummary[]>;
  readonly buttons: Accessor<PageButton[]>;
  goTo(page: number): void;
  /** Shows the page that holds `name` (after saving it), clearing a filter that hides it. */
  reveal(name: string): void;
}

export function createEntriesView(
  entries: Accessor<readonly EntrySummary[]>,
  pageSize: Accessor<number>,
): EntriesView {
  const [query, setQueryRaw] = createSignal('');
  const [page, setPage] = createSignal(1);
  const lowerNames = createMemo(() => entries().map((entry) => entry.name.toLowerCase()));
  const filtered = createMemo(() => filterEntries(entries(), query(), lowerNames()));
  const window = createMemo(() => pageWindow(filtered().length, page(), pageSize()));
  const visible = createMemo(() => {
    const { start, end } = window();
    return filtered().slice(start, end);
  });
  const buttons = createMemo(() => pageButtons(window().page, window().pageCount));
  return {
    query,
    // A new filter starts at page 1: page 3 of the old matches means nothing for the new ones.
    setQuery: (next) =>
      batch(() => {
        setQueryRaw(next);
        setPage(1);
      }),
    filtered,
    window,
    visible,
    buttons,
    goTo: (next) => setPage(pageWindow(filtered().length, next, pageSize()).page),
    reveal(name) {
      batch(() => {
        if (!filterEntries([{ name }], query()).length) setQueryRaw('');
        const index = filtered().findIndex((entry) => entry.name === name);
        if (index >= 0) setPage(Math.floor(index / Math.max(1, pageSize())) + 1);
      });
    },
  };
}

// ---------- opening under the lock ----------

export type OpenerState =
  | { readonly status: 'opening' }
  /** Another tab has it; we wait in the lock's queue and open by ourselves when it is free. */
  | { readonly status: 'waiting'; readonly holder: HolderInfo | undefined }
  | { readonly status: 'open'; readonly vault: OpenVault }
  /** Another tab took it from us. */
  | { readonly status: 'taken-over' }
  | { readonly status: 'missing' }
  | { readonly status: 'failed'; readonly message: string };

export interface VaultOpener {
  readonly state: Accessor<OpenerState>;
  /** Takes the vault from the tab that has it ("Take over here", "Take it back"). */
  takeOver(): Promise<void>;
  /** Stops waiting and closes the vault; resolves once the lock is released. */
  dispose(): Promise<void>;
  /**
   * Closes the vault, runs `work` (something that needs it closed, like moving it to memory
   * only), then opens it again, whatever `work` did.
   */
  reopen(work: () => Promise<void>): Promise<void>;
}

export interface VaultOpenerOptions {
  readonly session: Session;
  /** The vault to open: by id, so a rename (or a twin of its name) changes nothing here. */
  readonly id: VaultId;
  readonly wrap: (handle: Vault) => Promise<OpenVault>;
}

/**
 * Opens a vault for the pane. Tries at once (`ifAvailable`); if another tab has it, says who
 * and since when, and waits for real (an aborted-on-leave `signal` wait) so the vault opens by
 * itself when the other tab lets go. Call inside a reactive owner: it disposes on cleanup.
 */
export function createVaultOpener(options: VaultOpenerOptions): VaultOpener {
  const [state, setState] = createSignal<OpenerState>({ status: 'opening' });
  let disposed = false;
  let waiting: AbortController | undefined;
  let current: OpenVault | undefined;
  let released: Promise<void> | undefined;
  // Opens still under way: leaving must wait for them, or a delete right after would find the
  // vault still held by this very tab.
  const inflight = new Set<Promise<unknown>>();
  const track = <T>(promise: Promise<T>): Promise<T> => {
    inflight.add(promise);
    void promise.finally(() => inflight.delete(promise)).catch(() => undefined);
    return promise;
  };

  const messageOf = (error: unknown) =>
    error instanceof Error ? error.message : 'the vault could not be opened';

  /** Accepts a freshly opened handle, unless we were left meanwhile. */
  async function adopt(handle: Vault): Promise<void> {
    if (disposed) {
      await handle.close();
      return;
    }
    const vault = await options.wrap(handle);
    if (disposed) {
      await vault.close();
      return;
    }
    current = vault;
    setState({ status: 'open', vault });
    handle.onClose((reason) => {
      if (reason === 'taken-over' && current === vault) {
        current = undefined;
        setState({ status: 'taken-over' });
        // Frees the document; the lock is the other tab's now, so nothing else happens.
        void vault.close().catch(() => undefined);
      }
    });
  }

  async function waitForIt(): Promise<void> {
    waiting?.abort();
    const controller = new AbortController();
    waiting = controller;
    try {
      const handle = await track(
        options.session.openVault({ id: options.id }, { signal: controller.signal }),
      );
      if (waiting === controller) waiting = undefined;
      await track(adopt(handle));
    } catch (error) {
      if (error instanceof LockWaitAbortedError) return; // we left, or chose to take over
      if (!disposed) fail(error);
    }
  }

  function fail(error: unknown): void {
    setState(
      error instanceof VaultNotFoundError
        ? { status: 'missing' }
        : { status: 'failed', message: messageOf(error) },
    );
  }

  async function start(): Promise<void> {
    try {
      await track(
        options.session
          .openVault({ id: options.id }, { ifAvailable: true })
          .then((handle) => adopt(handle)),
      );
    } catch (error) {
      if (disposed) return;
      if (!(error instanceof VaultBusyError)) return fail(error);
      let holder = error.holder;
      if (holder?.since === undefined) {
        holder = await options.session.whoHolds({ id: options.id }).catch(() => holder);
      }
      if (disposed) return;
      setState({ status: 'waiting', holder });
      void waitForIt();
    }
  }

  const onPageHide = () => void current?.close();
  window.addEventListener('pagehide', onPageHide);

  const opener: VaultOpener = {
    state,
    async takeOver() {
      waiting?.abort();
      waiting = undefined;
      setState({ status: 'opening' });
      try {
        await track(
          options.session
            .openVault({ id: options.id }, { steal: true })
            .then((handle) => adopt(handle)),
        );
      } catch (error) {
        if (!disposed) fail(error);
      }
    },
    async reopen(work) {
      const vault = current;
      current = undefined;
      setState({ status: 'opening' });
      try {
        await vault?.close();
        await work();
      } finally {
        if (!disposed) void start();
      }
    },
    dispose() {
      if (!released) {
        disposed = true;
        window.removeEventListener('pagehide', onPageHide);
        waiting?.abort();
        waiting = undefined;
        const vault = current;
        current = undefined;
        released = (async () => {
          await vault?.close();
          // Whatever was still opening closes itself on arrival (see adopt).
          await Promise.allSettled([...inflight]);
        })().catch((error: unknown) => {
          console.warn('closing the vault failed', error);
        });
      }
      return released;
    },
  };
  onCleanup(() => void opener.dispose());
  void start();
  return opener;
}

/** True when a connection in a list still needs a required credential ("missing credentials"). */
export function needsCredentials(entry: EntrySummary): boolean {
  return (
    entry.kind === 'connection' &&
    missingOfEmpty(entry.connectionType ?? '', entry.emptyFields ?? [], entry.fieldNames).length > 0
  );
}
