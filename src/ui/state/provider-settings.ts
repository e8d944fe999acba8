/**
 * Provider settings as the Settings → Providers screen and a vault's override edit them: the
 * form's fields (plain strings), the ProviderSettings built from them with a message per field
 * that is wrong, and a thin wrapper over `session.providers` for saving, testing and Pull All.
 *
 * Secrets (a Vault token, an AppRole secret id, an AWS secret key or session token) are never
 * put back into a form: a saved one is only marked "saved", and kept unless the user chooses to
 * replace it. So the DOM never holds a saved credential, and no message here ever quotes a
 * field's value (tests/unit/ui/provider-settings.test.ts checks both with canaries).
 *
 * The form itself is provider-form.ts; its words are provider-settings-text.ts.
 */
import { type Accessor, createSignal } from 'solid-js';
import type { RecordableAuditEvent } from '../../core/audit';
import { AuditTrail } from '../../core/audit-trail';
import { errorCode } from '../../core/errors';
import type { Session } from '../../core/profile';
import type {
  ConnectionReport,
  Progress,
  ProviderError,
  ProviderSettings,
  ProviderSettingsError,
} from '../../core/providers';
import type { Vault } from '../../core/vault';
import {
  type ProviderField,
  type ProviderFieldErrors,
  type ProviderForm,
  settingsFromProviderForm,
} from './provider-form';
import { formFieldOf, providerFieldLabels } from './provider-settings-text';

// ---------------------------------------------------------------------------------------------
// State over session.providers: the profile default, Test connection and Pull All.

/** What Pull All reports (the engine's result, restated so the UI depends on its shape only). */
export interface PullAllResult {
  readonly created: readonly { readonly path: string; readonly vaultId: string }[];
  readonly linkedAlready: readonly string[];
  readonly skipped: readonly { readonly path: string; readonly reason: string }[];
}

/** The part of `session.providers` these screens use. */
export interface ProviderSettingsApi {
  defaults(): Promise<ProviderSettings | undefined>;
  saveDefaults(settings: ProviderSettings | undefined): Promise<void>;
  testConnection(settings: ProviderSettings, signal?: AbortSignal): Promise<ConnectionReport>;
  pullAll(options: {
    memoryOnly?: boolean;
    onProgress?: (progress: Progress) => void;
    signal?: AbortSignal;
    record?: (vault: Vault, event: RecordableAuditEvent) => unknown;
  }): Promise<PullAllResult>;
}

/**
 * Pull All's audit hook: each new vault's first pull goes into its own audit log, signed by
 * this device, like every pull made from the vault's dialog.
 */
export function pullAllRecorder(
  session: Session,
): (vault: Vault, event: RecordableAuditEvent) => Promise<void> {
  return async (vault, event) => {
    const device = await session.device();
    const trail = AuditTrail.of({ vault, device, clock: Date.now });
    await trail.record(event);
    await trail.flush();
  };
}

/**
 * The unlocked session's providers (components reach them only through here). Throws while
 * locked, as `app.session()` does; components call it only while unlocked.
 */
export function providersOf(session: Session): ProviderSettingsApi {
  return session.providers;
}

/** True for core's ProviderError, told by its stable code (not `instanceof`, not its message). */
export function isProviderError(error: unknown): error is ProviderError {
  return errorCode(error) === 'provider-failed';
}

/**
 * Why saving was refused: core's ProviderSettingsError goes under its field (its problem, never
 * the value, is in it); anything else is one line for the form.
 */
export function saveFailure(error: unknown): {
  readonly field?: ProviderField;
  readonly text: string;
} {
  if (errorCode(error) === 'provider-settings-invalid') {
    const refused = error as ProviderSettingsError;
    const field = formFieldOf(refused.field);
    const problem = refused.problem.charAt(0).toUpperCase() + refused.problem.slice(1);
    const text = /[.!?]$/.test(problem) ? problem : `${problem}.`;
    return field === undefined ? { text: `${refused.field}: ${text}` } : { field, text };
  }
  if (errorCode(error) === 'profile-locked')
    return { text: 'Coffer is locked: unlock it and save again.' };
  return {
    text: `Not saved: ${error instanceof Error ? error.message : 'something went wrong'}. What was saved before is unchanged.`,
  };
}

/**
 * Save of the form: builds the settings (nothing is saved when a field is wrong) and hands them
 * to `save`; a refusal comes back under its field, or as one line. What was saved before stays
 * as it was in both cases (`save` writes all or nothing).
 */
export async function saveProviderForm(
  form: ProviderForm,
  saved: ProviderSettings | undefined,
  save: (settings: ProviderSettings) => Promise<void>,
): Promise<
  | { readonly ok: true; readonly settings: ProviderSettings }
  | { readonly ok: false; readonly errors: ProviderFieldErrors; readonly text: string }
> {
  const built = settingsFromProviderForm(form, saved);
  if (built.errors)
    return { ok: false, errors: built.errors, text: 'Check the fields marked above.' };
  try {
    await save(built.settings);
    return { ok: true, settings: built.settings };
  } catch (error) {
    const failure = saveFailure(error);
    return failure.field
      ? {
          ok: false,
          errors: { [failure.field]: failure.text },
          text: 'Not saved: check the field marked above.',
        }
      : { ok: false, errors: {}, text: failure.text };
  }
}

/** Where Test connection stands. */
export type ProviderTestOutcome =
  | { readonly state: 'running' }
  | { readonly state: 'ok'; readonly report: ConnectionReport; readonly settings: ProviderSettings }
  | { readonly state: 'failed'; readonly error: ProviderError; readonly settings: ProviderSettings }
  /** Not a provider failure (a bug, a lock): its words. */
  | { readonly state: 'error'; readonly text: string };

export interface ProviderTestState {
  readonly outcome: Accessor<ProviderTestOutcome | undefined>;
  /** Tests these settings; a test already running is cancelled (only the last one reports). */
  run(settings: ProviderSettings): Promise<void>;
  cancel(): void;
  /** Forgets the result (the form changed, so it no longer describes it). */
  clear(): void;
}

export function createProviderTest(api: () => ProviderSettingsApi): ProviderTestState {
  const [outcome, setOutcome] = createSignal<ProviderTestOutcome | undefined>();
  let current: AbortController | undefined;
  return {
    outcome,
    async run(settings) {
      current?.abort();
      const mine = new AbortController();
      current = mine;
      setOutcome({ state: 'running' });
      try {
        const report = await api().testConnection(settings, mine.signal);
        if (current === mine) setOutcome({ state: 'ok', report, settings });
      } catch (error) {
        if (current !== mine) return;
        if (isProviderError(error)) setOutcome({ state: 'failed', error, settings });
        else if (mine.signal.aborted) setOutcome(undefined);
        else if (errorCode(error) === 'provider-settings-invalid') {
          const refused = saveFailure(error);
          const label =
            refused.field === undefined ? undefined : providerFieldLabels[refused.field];
          setOutcome({
            state: 'error',
            text: `Not tested: ${label === undefined ? '' : `${label}: `}${refused.text}`,
          });
        } else
          setOutcome({
            state: 'error',
            text: `The test could not run: ${error instanceof Error ? error.message : 'something went wrong'}.`,
          });
      } finally {
        if (current === mine) current = undefined;
      }
    },
    cancel() {
      current?.abort();
      current = undefined;
      setOutcome(undefined);
    },
    clear() {
      if (current === undefined) setOutcome(undefined);
    },
  };
}

/** Where Pull All stands. */
export type PullAllState =
  | { readonly state: 'idle' }
  | { readonly state: 'running'; readonly progress: Progress | undefined }
  | { readonly state: 'done'; readonly result: PullAllResult }
  | { readonly state: 'cancelled'; readonly progress: Progress | undefined }
  | { readonly state: 'failed'; readonly error: unknown };

export interface ProviderPullAll {
  readonly state: Accessor<PullAllState>;
  start(options: { readonly memoryOnly: boolean }): Promise<void>;
  cancel(): void;
}

export function createProviderPullAll(
  api: () => ProviderSettingsApi,
  record?: () => (vault: Vault, event: RecordableAuditEvent) => unknown,
): ProviderPullAll {
  const [state, setState] = createSignal<PullAllState>({ state: 'idle' });
  let current: AbortController | undefined;
  return {
    state,
    async start(options) {
      if (current !== undefined) return;
      const mine = new AbortController();
      current = mine;
      let last: Progress | undefined;
      setState({ state: 'running', progress: undefined });
      try {
        const recorder = record?.();
        const result = await api().pullAll({
          memoryOnly: options.memoryOnly,
          ...(recorder ? { record: recorder } : {}),
          signal: mine.signal,
          onProgress: (progress) => {
            last = progress;
            if (current === mine) setState({ state: 'running', progress });
          },
        });
        setState({ state: 'done', result });
      } catch (error) {
        setState(
          mine.signal.aborted ? { state: 'cancelled', progress: last } : { state: 'failed', error },
        );
      } finally {
        current = undefined;
      }
    },
    cancel() {
      current?.abort();
    },
  };
}

/** "12 of 100", for the progress bar's text and its aria-valuetext. */
export function progressText(progress: Progress | undefined): string {
  if (progress === undefined) return 'Listing the remote secrets…';
  return `${progress.done.toLocaleString('en')} of ${progress.total.toLocaleString('en')}`;
}

/** One line per group of Pull All's result. */
export function pullAllSummary(result: PullAllResult): string {
  const vaults = (n: number) => `${n.toLocaleString('en')} ${n === 1 ? 'vault' : 'vaults'}`;
  const parts = [`${vaults(result.created.length)} created`];
  parts.push(`${result.linkedAlready.length.toLocaleString('en')} already linked`);
  if (result.skipped.length > 0)
    parts.push(`${result.skipped.length.toLocaleString('en')} skipped`);
  return `${parts.join(', ')}.`;
}
