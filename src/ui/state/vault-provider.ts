/**
 * One open vault's link to an outside secrets manager (HashiCorp Vault, AWS Secrets Manager),
 * as the Provider dialog and the sync bar see it: the settings in force and the link, the action
 * under way, the last action's outcome, the last failure (kept as the error itself: the dialog
 * explains it with explainProviderError, which needs the settings and the page's origin), the
 * difference a first link asks about, and the watch that makes Save push while the link is on.
 *
 * Components reach the engine (core/providers, `session.providers`) only through this module;
 * the engine's calls take the core vault handle, which stays in here. Actions never reject:
 * a failure lands in `failure()` and what was saved stays as it was (the engine's promise),
 * except `saveOverride`, whose form shows its own error. The pure functions below give every
 * line of text the dialog and the sync bar show, so they are tested without a DOM.
 *
 * Moving values between memory and storage needs the vault closed (Session.setVaultMemoryOnly
 * takes its lock): the state asks its opener to close, run the move and open again (`reopen`),
 * and the last outcome or failure is kept per vault id so the new opening still shows it.
 *
 * Nothing here holds a value: outcomes, diffs and conflicts carry entry names only.
 *
 * The words it shows are vault-provider-text.ts, -problems.ts and -choices.ts; its types are
 * vault-provider-types.ts.
 */
import { type Accessor, createSignal, onCleanup } from 'solid-js';
import type { LinkOptions, SyncOptions, SyncOutcome } from '../../core/providers';
import { choicesFor } from './vault-provider-choices';
import {
  describeMigrateOutcome,
  describeOutcome,
  describeStorageMove,
  providerButtonLabel,
} from './vault-provider-text';
import {
  type ActionFailure,
  type ActionResult,
  type DeletedSecretView,
  type OutcomeSummary,
  type PendingLink,
  type ProviderAction,
  VaultMustCloseError,
  type VaultProvider,
  type VaultProviderDeps,
  type VaultProviderSettingsView,
} from './vault-provider-types';

export type { VaultProvider };

/**
 * The last outcome and failure of a vault's provider actions, per vault id: a memory-only move
 * closes the vault and opens it again, with a new state, and the move's own outcome (or why it
 * failed) must still show there. Dropped when the vault closes for good.
 */
const messages = new Map<
  string,
  {
    readonly result: Accessor<ActionResult | undefined>;
    readonly setResult: (value: ActionResult | undefined) => void;
    readonly failure: Accessor<ActionFailure | undefined>;
    readonly setFailure: (value: ActionFailure | undefined) => void;
  }
>();

function messagesOf(vaultId: string) {
  let found = messages.get(vaultId);
  if (!found) {
    const [result, setResult] = createSignal<ActionResult | undefined>();
    const [failure, setFailure] = createSignal<ActionFailure | undefined>();
    found = {
      result,
      setResult: (value) => setResult(() => value),
      failure,
      setFailure: (value) => setFailure(() => value),
    };
    messages.set(vaultId, found);
  }
  return found;
}

function forgetMessages(vaultId: string): void {
  messages.delete(vaultId);
}

export function createVaultProvider(deps: VaultProviderDeps): VaultProvider {
  const { engine, vault } = deps;
  const now = deps.now ?? Date.now;
  const sync: SyncOptions = deps.record ? { record: deps.record } : {};
  const [info, setInfo] = createSignal<VaultProviderSettingsView | undefined>();
  const [busy, setBusy] = createSignal<ProviderAction | undefined>();
  const { result, setResult, failure, setFailure } = messagesOf(vault.id);
  const [pending, setPending] = createSignal<PendingLink | undefined>();
  const [deleted, setDeleted] = createSignal<DeletedSecretView | undefined>();
  const [watching, setWatching] = createSignal(false);
  let unwatch: (() => void) | undefined;
  let stopped = false;

  const read = async () => {
    setInfo(await engine.vaultSettings(vault.id));
  };
  const reread = async () => {
    try {
      await read();
    } catch (error) {
      setFailure({ action: 'load', error });
    }
    followLink();
  };

  /** The watch runs exactly while the link is on and the vault is open here. */
  const followLink = () => {
    const on = !stopped && info()?.link?.enabled === true;
    if (on && !unwatch) {
      unwatch = engine.watch(
        vault,
        (report) => {
          if ('error' in report) setFailure({ action: 'save', error: report.error });
          else setResult({ action: 'save', summary: describeOutcome('save', report.outcome) });
          void reread();
        },
        sync,
      );
    } else if (!on && unwatch) {
      unwatch();
      unwatch = undefined;
    }
    setWatching(unwatch !== undefined);
  };

  /**
   * Runs one action: one at a time, the previous message cleared, a failure kept with the
   * action that failed, then the link re-read (it may have moved even when the action failed).
   */
  const run = async (
    action: ProviderAction,
    work: () => Promise<OutcomeSummary | ActionResult | undefined>,
    /** The pull at opening: what the last action said (before a reopen) stays if it failed. */
    background = false,
  ): Promise<boolean> => {
    if (busy() !== undefined) return false;
    setBusy(action);
    if (!background) {
      setFailure(undefined);
      setResult(undefined);
    }
    let ok = false;
    try {
      const done = await work();
      if (done && !(background && failure())) {
        setResult('summary' in done ? done : { action, summary: done });
      }
      ok = true;
    } catch (error) {
      setFailure({ action, error });
    }
    try {
      await read();
    } catch (error) {
      if (ok) setFailure({ action: 'load', error });
    }
    followLink();
    setBusy(undefined);
    return ok;
  };
  /** Moves the values between memory and storage: the vault closes and opens again. */
  const moveStorage = (on: boolean, keepLocalCopy: boolean | undefined) =>
    run('memory-only', async () => {
      await whileClosed(() =>
        engine.setMemoryOnly(vault.id, on, keepLocalCopy === undefined ? {} : { keepLocalCopy }),
      );
      return { headline: describeStorageMove(on, keepLocalCopy), details: [] };
    });
  /** Runs `work` with the vault closed in this tab, then open again (a new state takes over). */
  let reopening = false;
  const whileClosed = async (work: () => Promise<void>) => {
    if (!deps.reopen) throw new VaultMustCloseError();
    reopening = true;
    try {
      await deps.reopen(work);
    } finally {
      reopening = false;
    }
  };
  const step = (action: ProviderAction, work: () => Promise<SyncOutcome>, background = false) =>
    run(
      action,
      async () => {
        const outcome = await work();
        return {
          action,
          summary: describeOutcome(action, outcome),
          ...(outcome.remoteGone ? { remoteGone: true } : {}),
        };
      },
      background,
    );
  const quiet = (action: ProviderAction, work: () => Promise<unknown>) =>
    run(action, async () => {
      await work();
      return undefined;
    });

  return {
    info,
    busy,
    result,
    failure,
    pending,
    deleted,
    watching,
    buttonLabel: (at) => providerButtonLabel(info()?.link, at),
    defaultPath: () => engine.defaultPath(vault.name),
    async start() {
      stopped = false;
      try {
        await read();
      } catch (error) {
        setFailure({ action: 'load', error });
        return;
      }
      followLink();
      const link = info()?.link;
      if (link?.enabled && !link.migration && (link.autoSync || link.memoryOnly)) {
        await step('pull', () => engine.pull(vault, sync), true);
      }
    },
    stop() {
      stopped = true;
      followLink();
      // Closing for good drops the messages; a reopen (memory-only move) hands them over.
      if (!reopening) forgetMessages(vault.id);
    },
    load: reread,
    async link(target, options) {
      setPending(undefined);
      let linked = false;
      await run('link', async () => {
        const outcome = await engine.link(vault, target, withoutMemoryOnly(options), sync);
        if (outcome.state === 'needs-choice') {
          setPending({ path: target, options, diff: outcome.diff });
          return undefined;
        }
        linked = true;
        return describeOutcome('link', outcome.outcome);
      });
      if (linked && options.memoryOnly) await moveStorage(true, undefined);
    },
    async choose(choice) {
      const waiting = pending();
      if (!waiting) return;
      const done = await step('choose', () =>
        engine.linkWith(vault, waiting.path, choice, withoutMemoryOnly(waiting.options), sync),
      );
      if (!done) return;
      setPending(undefined);
      if (waiting.options.memoryOnly) await moveStorage(true, undefined);
    },
    cancelChoice() {
      setPending(undefined);
    },
    async setEnabled(on) {
      await run(on ? 'enable' : 'pause', async () => {
        await engine.setOptions(vault.id, { enabled: on });
        // Switching back on catches up with what changed while paused.
        return on ? describeOutcome('pull', await engine.pull(vault, sync)) : undefined;
      });
    },
    async setAutoSync(on) {
      await quiet('auto-sync', () => engine.setOptions(vault.id, { autoSync: on }));
    },
    async setMemoryOnly(on, keepLocalCopy) {
      await moveStorage(on, keepLocalCopy);
    },
    async pull() {
      await step('pull', () => engine.pull(vault, sync));
    },
    async push() {
      await step('push', () => engine.push(vault, sync));
    },
    async recreate() {
      await step('recreate', () => engine.push(vault, { ...sync, recreate: true }));
    },
    async resolve(choices) {
      const conflicts = info()?.link?.conflicts ?? [];
      await step('resolve', () => engine.resolve(vault, choicesFor(conflicts, choices), sync));
    },
    async migrate(target) {
      await run('migrate', async () =>
        describeMigrateOutcome(await engine.migrate(vault, target), now()),
      );
    },
    async resumeMigration() {
      await run('resume-migration', async () =>
        describeMigrateOutcome(await engine.resumeMigration(vault), now()),
      );
    },
    async undoMigration() {
      await run('undo-migration', async () =>
        describeMigrateOutcome(await engine.undoMigration(vault), now()),
      );
    },
    async unlink(keepLocalCopy) {
      const link = info()?.link;
      const done = await quiet('unlink', async () => {
        if (!(link?.memoryOnly && keepLocalCopy)) return engine.unlink(vault, { keepLocalCopy });
        // A memory-only vault kept here is stored first (closed), then unlinked: stopping
        // never drops values the user chose to keep.
        await whileClosed(async () => {
          await engine.setMemoryOnly(vault.id, false, { keepLocalCopy: true });
          // With keepLocalCopy the engine only forgets the link: the closed handle's id is all
          // it reads.
          await engine.unlink(vault, { keepLocalCopy: true });
        });
      });
      if (done) setDeleted(undefined);
    },
    async deleteRemote() {
      await quiet('delete-remote', async () => setDeleted(await engine.deleteRemote(vault)));
    },
    async destroyRemote(confirmPath) {
      // The engine checks the name too; this keeps a mistyped name from reaching it at all.
      if (confirmPath !== info()?.link?.path) return;
      const done = await quiet('destroy-remote', () => engine.destroyRemote(vault, confirmPath));
      if (done) setDeleted(undefined);
    },
    async restoreRemote() {
      const done = await quiet('restore-remote', () => engine.restoreRemote(vault));
      if (done) setDeleted(undefined);
    },
    async saveOverride(settings) {
      await engine.saveOverride(vault.id, settings);
      await reread();
    },
    useDefaults() {
      return quiet('use-defaults', () => engine.saveOverride(vault.id, undefined));
    },
    clearMessages() {
      setFailure(undefined);
      setResult(undefined);
    },
  };
}

/** Link options for the engine: memory only is applied by moving the storage afterwards. */
function withoutMemoryOnly(options: LinkOptions): LinkOptions {
  return options.autoSync === undefined ? {} : { autoSync: options.autoSync };
}

/** The time now, refreshed every `everyMs` while the caller's owner lives (for "2 min ago"). */
export function createNow(everyMs = 30_000): Accessor<number> {
  const [now, setNow] = createSignal(Date.now());
  const timer = setInterval(() => setNow(Date.now()), everyMs);
  onCleanup(() => clearInterval(timer));
  return now;
}
