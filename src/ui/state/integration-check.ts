/**
 * Checking a draft as it is edited: core's `check` runs a while after the last edit (the
 * timers are injected, so tests choose when), an older check's answer never replaces a newer
 * one's, and the problems found are shown at their fields: which problems are at a field,
 * where a field is in words, the id of its control (so a failure can focus it), and a core
 * message as a sentence.
 */
import { type Accessor, batch, createSignal } from 'solid-js';
import type { IntegrationId } from '../../core/ids';
import type { FieldProblem, IntegrationDraft, IntegrationField } from '../../core/integrations';
import { describeError } from './error-text';
import { type IntegrationsApiSource, requireApi } from './integration-api';

/** True when `a` and `b` name the same field. */
export function sameField(a: IntegrationField, b: IntegrationField): boolean {
  if (a.part !== b.part) return false;
  if ((a.part === 'query' || a.part === 'header') && (b.part === 'query' || b.part === 'header'))
    return a.index === b.index && a.side === b.side;
  return true;
}

/** The problems found at `field`. */
export function problemsAt(
  problems: readonly FieldProblem[],
  field: IntegrationField,
): FieldProblem[] {
  return problems.filter((problem) => sameField(problem.field, field));
}

/** Where a field is, in words ("Header 2 value"), for a failure that names it. */
export function fieldLabel(field: IntegrationField): string {
  switch (field.part) {
    case 'url':
      return 'URL';
    case 'body':
      return 'Body';
    case 'auth':
      return 'Auth';
    case 'default-vault':
      return 'Default vault';
    case 'before-hook':
      return 'Before hook';
    case 'after-hook':
      return 'After hook';
    case 'query':
      return `Query parameter ${field.index + 1} ${field.side}`;
    case 'header':
      return `Header ${field.index + 1} ${field.side}`;
  }
}

/** The DOM id of the control for `field` in the editor (so a failure can focus it). */
export function fieldControlId(prefix: string, field: IntegrationField): string {
  switch (field.part) {
    case 'query':
    case 'header':
      return `${prefix}-${field.part}-${field.index}-${field.side}`;
    default:
      return `${prefix}-${field.part}`;
  }
}

/**
 * A problem's or a failure's message as a sentence. Core writes these for people (and masks
 * them); like every core message they start lowercase, to compose into longer ones.
 */
export function messageText(message: string): string {
  // A message that starts with an address or a reference keeps it as written.
  const text = /^(https?:\/\/|@\{)/.test(message)
    ? message
    : message.charAt(0).toUpperCase() + message.slice(1);
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

/** Timers, injected so tests choose when the debounced check runs. */
export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** How long after the last edit the draft is checked. */
export const checkDelayMs = 300;

/** The problems core finds in one integration's draft. */
export interface DraftCheck {
  readonly problems: Accessor<readonly FieldProblem[]>;
  readonly checkError: Accessor<string | undefined>;
  /** Checks the draft now (and cancels a pending debounced check). */
  check(): Promise<void>;
  /** Checks the draft `checkDelayMs` from now, unless edited again before then. */
  schedule(): void;
  /** Cancels a pending check; answers arriving later change nothing. */
  dispose(): void;
}

export function createDraftCheck(
  api: IntegrationsApiSource,
  id: IntegrationId,
  draft: Accessor<IntegrationDraft | undefined>,
  timers: Timers = realTimers,
): DraftCheck {
  const need = requireApi(api);
  const [problems, setProblems] = createSignal<readonly FieldProblem[]>([]);
  const [checkError, setCheckError] = createSignal<string | undefined>();
  let pendingCheck: unknown;
  let checks = 0;
  let disposed = false;

  function cancelPendingCheck() {
    if (pendingCheck !== undefined) timers.clearTimeout(pendingCheck);
    pendingCheck = undefined;
  }

  async function check(): Promise<void> {
    cancelPendingCheck();
    const current = draft();
    if (current === undefined) return;
    const mine = ++checks;
    try {
      const found = await need().check({ ...current, id });
      if (mine !== checks || disposed) return;
      batch(() => {
        setProblems(found);
        setCheckError(undefined);
      });
    } catch (error) {
      if (mine === checks && !disposed) setCheckError(describeError(error));
    }
  }

  return {
    problems,
    checkError,
    check,
    schedule() {
      cancelPendingCheck();
      pendingCheck = timers.setTimeout(() => {
        pendingCheck = undefined;
        void check();
      }, checkDelayMs);
    },
    dispose() {
      disposed = true;
      cancelPendingCheck();
    },
  };
}
