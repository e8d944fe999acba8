/**
 * Running an integration from its editor: the run view's state built up from core's events
 * as they arrive (phases reached, waiting for a vault held elsewhere, debug lines, the request
 * and response, then the record), one run at a time, unsaved changes saved first, and cancel.
 * Also the words the run view and history use for phases, statuses, waiting and durations.
 * What a run shows comes masked from core; values are never fetched.
 */
import { type Accessor, batch, createSignal } from 'solid-js';
import type { IntegrationId } from '../../core/ids';
import type {
  DebugLine,
  ReceivedResponse,
  RunEvent,
  RunRecord,
  RunStatus,
  SentRequest,
} from '../../core/integrations';
import { describeError } from './error-text';
import { type IntegrationsApiSource, requireApi } from './integration-api';

export type RunPhase = Extract<RunEvent, { type: 'phase' }>['phase'];

export const runPhaseLabels: Readonly<Record<RunPhase, string>> = {
  checking: 'Checking',
  'before-hook': 'Before hook',
  sending: 'Sending',
  'after-hook': 'After hook',
  saving: 'Saving',
};

export interface RunWaiting {
  readonly vault: string;
  readonly holder: string | undefined;
  readonly since: number | undefined;
}

/** The latest step of getting a connection's access token during a run. */
export interface RunToken {
  readonly connection: string;
  readonly step: Extract<RunEvent, { type: 'token' }>['step'];
}

/** What the run view shows: a run being fed its events, or one from history. */
export interface RunProgress {
  /** The phases reached, in order; the last is the current one while running. */
  readonly phases: readonly RunPhase[];
  readonly waiting: RunWaiting | undefined;
  /** The last token step reported; `done` once the token is there (nothing to show then). */
  readonly token: RunToken | undefined;
  readonly debug: readonly DebugLine[];
  readonly request: SentRequest | undefined;
  readonly response: ReceivedResponse | undefined;
  /** Set when the run is over. */
  readonly record: RunRecord | undefined;
}

export const emptyRun: RunProgress = {
  phases: [],
  waiting: undefined,
  token: undefined,
  debug: [],
  request: undefined,
  response: undefined,
  record: undefined,
};

/** The run after `event`. Neither argument is modified. */
export function applyRunEvent(run: RunProgress, event: RunEvent): RunProgress {
  switch (event.type) {
    case 'phase':
      return run.phases.at(-1) === event.phase
        ? run
        : { ...run, phases: [...run.phases, event.phase] };
    case 'waiting':
      return {
        ...run,
        waiting: { vault: event.vault, holder: event.holder, since: event.since },
      };
    case 'waiting-over':
      return run.waiting?.vault === event.vault ? { ...run, waiting: undefined } : run;
    case 'token':
      return { ...run, token: { connection: event.connection, step: event.step } };
    case 'debug':
      return { ...run, debug: [...run.debug, event.line] };
    case 'request':
      return { ...run, request: event.request };
    case 'response':
      return { ...run, response: event.response };
    case 'done':
      return runFromRecord(event.record, run.phases);
  }
}

/** A finished run as the run view shows it (what history keeps is the record). */
export function runFromRecord(record: RunRecord, phases: readonly RunPhase[] = []): RunProgress {
  return {
    phases,
    waiting: undefined,
    token: undefined,
    debug: record.debug,
    request: record.request,
    response: record.response,
    record,
  };
}

export const runStatusLabels: Readonly<Record<RunStatus, string>> = {
  succeeded: 'Succeeded',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

/**
 * "Waiting for my-vault, open in another tab since 10:42", or with the holder's own label
 * ("(Tab opened 10:40)") when it did not say since when.
 */
export function describeWaiting(waiting: RunWaiting, time: (at: number) => string): string {
  if (waiting.since !== undefined)
    return `Waiting for ${waiting.vault}, open in another tab since ${time(waiting.since)}`;
  const holder = waiting.holder === undefined ? '' : ` (${waiting.holder})`;
  return `Waiting for ${waiting.vault}, open in another tab${holder}`;
}

/**
 * What the run is doing about a connection's access token, or undefined when nothing is going
 * on ("Getting a new access token for github…").
 */
export function describeToken(token: RunToken | undefined): string | undefined {
  switch (token?.step) {
    case 'refreshing':
      return `Getting a new access token for ${token.connection}…`;
    case 'waiting-for-device':
      return `Waiting for another device to refresh ${token.connection}…`;
    default:
      return undefined;
  }
}

/** The warning about secrets too short to mask, or undefined when there are none. */
export function shortSecretsWarning(count: number): string | undefined {
  if (count <= 0) return undefined;
  return count === 1
    ? '1 secret value used by this run is shorter than 6 characters and is not masked in output.'
    : `${count} secret values used by this run are shorter than 6 characters and are not masked in output.`;
}

/** "1.2 s", "340 ms". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/** What running needs of the editor around it. */
export interface RunHooks {
  /** True when the draft has unsaved changes: they are saved before running. */
  readonly dirty: () => boolean;
  /** Saves the draft; false when it could not be saved. */
  readonly save: () => Promise<boolean>;
  /** The hook time limit to run with, read at each run (the user's setting). */
  readonly hookTimeLimitMs?: () => number;
  /** Told just before core is asked to run (after any save). */
  readonly starting?: () => void;
  /** Told when a run is over, after the run view shows its record. */
  readonly done?: (record: RunRecord) => void;
}

/** The runs of one integration from its editor. */
export interface IntegrationRunner {
  readonly running: Accessor<boolean>;
  /** The run shown in the run view: the one going on, or the last one run here. */
  readonly progress: Accessor<RunProgress | undefined>;
  readonly runError: Accessor<string | undefined>;
  /** Saves unsaved changes, then runs; resolves with the record, or undefined. */
  run(): Promise<RunRecord | undefined>;
  /** Stops the run going on (waiting for a vault, a hook, or the request). */
  cancel(): void;
}

export function createIntegrationRunner(
  api: IntegrationsApiSource,
  id: IntegrationId,
  hooks: RunHooks,
): IntegrationRunner {
  const need = requireApi(api);
  const [running, setRunning] = createSignal(false);
  const [progress, setProgress] = createSignal<RunProgress | undefined>();
  const [runError, setRunError] = createSignal<string | undefined>();
  let controller: AbortController | undefined;

  async function run(): Promise<RunRecord | undefined> {
    if (running()) return undefined;
    const mine = new AbortController();
    controller = mine;
    batch(() => {
      setRunning(true);
      setRunError(undefined);
      setProgress(emptyRun);
    });
    try {
      if (hooks.dirty() && !(await hooks.save())) {
        batch(() => {
          setProgress(undefined);
          setRunError('The changes could not be saved, so nothing was run.');
        });
        return undefined;
      }
      if (mine.signal.aborted) {
        setProgress(undefined);
        return undefined;
      }
      hooks.starting?.();
      const hookTimeLimitMs = hooks.hookTimeLimitMs?.();
      const record = await need().run(id, {
        signal: mine.signal,
        ...(hookTimeLimitMs === undefined ? {} : { hookTimeLimitMs }),
        onEvent: (event) => setProgress((current) => applyRunEvent(current ?? emptyRun, event)),
      });
      setProgress((current) => runFromRecord(record, current?.phases ?? []));
      hooks.done?.(record);
      return record;
    } catch (error) {
      setRunError(describeError(error));
      return undefined;
    } finally {
      if (controller === mine) controller = undefined;
      setRunning(false);
    }
  }

  return {
    running,
    progress,
    runError,
    run,
    cancel() {
      controller?.abort();
    },
  };
}
