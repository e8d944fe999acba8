import { HookError, type HookLimits, type HookRunner } from '../hooks';
import { LockWaitAbortedError } from '../lock';
import { createMasker, type Masker } from '../masking';
import type { Reference } from '../references';
import type { Scheduler } from '../time';
import type { JsonValue, Vault } from '../vault';
import {
  AUTH_FIELD,
  authorize,
  type ConnectionAuthDeps,
  checkAuthGrant,
  type UsedConnection,
} from './connection-auth';
import { ReferenceUnresolvedError, RequestFailedError, RunCancelledError } from './errors';
import { guestValue, RunHookHost } from './hook-host';
import type { HttpDeps, IncomingResponse, OutgoingRequest } from './http';
import { checkDraft } from './integration-model';
import { buildRequest, parseRequest, referencesOf, walkPath } from './request-build';
import { type SendState, send, tokenRefused } from './run-send';
import { describeFailure, guestResponse, receivedView, sentView } from './run-views';
import type {
  DebugLine,
  Integration,
  RequestTemplate,
  RunEvent,
  RunFailure,
  RunOptions,
  RunRecord,
} from './types';
import type { VaultAccess } from './vault-access';
import type { VaultChooser, VaultListing } from './vault-names';

/**
 * One run of an integration: before hook, references, the request, after hook, history.
 *
 * Order, and why:
 * 1. The template is parsed and every reference it holds checked (vault, grant) before
 *    anything runs, so a typo stops the run at its field.
 * 2. The before hook gets the template, not the values: references are substituted by the
 *    page after it, only into the request it sends ("prefer references"). Text the hook puts
 *    into the request is a template like the user's (it may add references, which pass the
 *    same grant checks: the hook could read those vaults anyway).
 * 3. Each referenced vault is opened in turn, its entries read, and closed again before the
 *    request goes out: no vault is held while the network is slow.
 * 4. Every secret value read is added to the run's masker before any output is made; the
 *    views of request and response, debug lines, errors and results are masked, then kept.
 */
export interface RunDeps {
  readonly chooser: VaultChooser;
  readonly access: VaultAccess;
  readonly http: HttpDeps;
  readonly hooks: () => HookRunner;
  readonly scheduler: Scheduler;
  readonly save: (make: (seq: number) => RunRecord) => Promise<RunRecord>;
  /** What "Auth: connection" needs beyond the chooser and vault access. */
  readonly connections: Omit<ConnectionAuthDeps, 'chooser' | 'access'>;
  /**
   * Told, while the vault is still held, which entries the run read from it (by name): the
   * vault's audit log records it. Never rejects into the run.
   */
  readonly recordRead?: (vault: Vault, entries: readonly string[]) => Promise<void>;
}

export const DEFAULT_HOOK_TIME_MS = 10_000;
export const HOOK_MEMORY_BYTES = 64 * 1024 * 1024;

interface RunState extends SendState {
  readonly masker: Masker;
  readonly debug: DebugLine[];
  readonly kept: Record<string, JsonValue>;
  readonly refusals: Error[];
  readonly results: { before?: string; after?: string };
  request: OutgoingRequest | undefined;
  response: IncomingResponse | undefined;
  responseView: string;
  /** The request's connection, once known (a failure about it names it). */
  connection: UsedConnection | undefined;
}

export async function runIntegration(
  deps: RunDeps,
  integration: Integration,
  options: RunOptions = {},
): Promise<RunRecord> {
  const startedAt = deps.scheduler.now();
  const emit = (event: RunEvent) => {
    try {
      options.onEvent?.(event);
    } catch (error) {
      console.error('coffer: a run event listener failed', error);
    }
  };
  const state: RunState = {
    masker: createMasker(),
    debug: [],
    kept: {},
    refusals: [],
    results: {},
    request: undefined,
    response: undefined,
    responseView: '',
    connection: undefined,
  };
  let failure: RunFailure | undefined;
  let cancelled = false;
  try {
    await execute(deps, integration, options, state, emit);
  } catch (error) {
    cancelled =
      error instanceof RunCancelledError ||
      error instanceof LockWaitAbortedError ||
      (error instanceof HookError && error.kind === 'cancelled');
    failure = withConnection(describeFailure(error, state.masker, state.refusals), state);
  }
  emit({ type: 'phase', phase: 'saving' });
  const { masker } = state;
  const request = state.request ? sentView(state.request, masker) : undefined;
  const response = state.response ? receivedView(state.response, masker) : undefined;
  const record = await deps.save((seq) => ({
    integration: integration.id,
    seq,
    startedAt,
    durationMs: Math.max(0, deps.scheduler.now() - startedAt),
    status: cancelled ? 'cancelled' : failure ? 'failed' : 'succeeded',
    request,
    response,
    debug: state.debug,
    results: {
      ...(state.results.before !== undefined ? { before: masker.mask(state.results.before) } : {}),
      ...(state.results.after !== undefined ? { after: masker.mask(state.results.after) } : {}),
    },
    failure,
    unmaskedShortSecrets: masker.tooShort,
    keptNames: Object.keys(state.kept),
  }));
  emit({ type: 'done', record });
  return record;
}

async function execute(
  deps: RunDeps,
  integration: Integration,
  options: RunOptions,
  state: RunState,
  emit: (event: RunEvent) => void,
): Promise<void> {
  const signal = options.signal;
  const stopIfCancelled = (during: string) => {
    if (signal?.aborted) throw new RunCancelledError(during);
  };
  emit({ type: 'phase', phase: 'checking' });
  checkReferences(deps.chooser, integration.request);
  const limits: HookLimits = {
    timeMs: options.hookTimeLimitMs ?? DEFAULT_HOOK_TIME_MS,
    memoryBytes: HOOK_MEMORY_BYTES,
  };
  let template = integration.request;
  if (integration.beforeHook.trim() !== '') {
    emit({ type: 'phase', phase: 'before-hook' });
    const changed = await runHook(
      deps,
      'before',
      integration.beforeHook,
      state,
      emit,
      limits,
      signal,
      {
        request: template as unknown as JsonValue,
      },
    );
    if (changed !== undefined) template = requestFromHook(changed);
    checkReferences(deps.chooser, template);
  }
  stopIfCancelled('preparing the request');
  emit({ type: 'phase', phase: 'sending' });
  const prepared = await prepare(deps, template, state, signal, emit);
  const auth = template.auth?.type === 'connection' ? template.auth : undefined;
  const authDeps = { ...deps.connections, chooser: deps.chooser, access: deps.access };
  const withAuth = async (rejected?: string) =>
    auth
      ? authorize(authDeps, auth, prepared, state.masker, {
          signal,
          emit,
          rejected,
          used: (used) => {
            state.connection = used;
          },
        })
      : prepared;
  let response = await send(deps.http, await withAuth(), state, options, emit);
  const sentToken = state.connection?.accessToken;
  if (auth && sentToken !== undefined && tokenRefused(response)) {
    // One new token and one more try (RFC 6750 §3.1): the token expired or was revoked early.
    stopIfCancelled('getting a new access token');
    response = await send(deps.http, await withAuth(sentToken), state, options, emit);
  }
  if (integration.afterHook.trim() !== '') {
    emit({ type: 'phase', phase: 'after-hook' });
    await runHook(deps, 'after', integration.afterHook, state, emit, limits, signal, {
      response: guestResponse(response),
    });
  }
  if (response.status >= 400) {
    throw new RequestFailedError(
      'http-status',
      `the server answered ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`,
      response.status,
    );
  }
}

/** The failure with the connection it concerns, when it is about the request's connection. */
function withConnection(failure: RunFailure, state: RunState): RunFailure {
  const used = state.connection;
  if (
    !used ||
    (failure.code !== 'connection-incomplete' && failure.code !== 'token-request-failed')
  ) {
    return failure;
  }
  return {
    ...failure,
    field: failure.field ?? AUTH_FIELD,
    connection: { vault: used.vault, name: used.name, missing: used.missing },
  };
}

/** Parses every field and checks the vaults and grants its references name (no values read). */
function checkReferences(chooser: VaultChooser, template: RequestTemplate): void {
  checkAuthGrant(chooser, template.auth);
  for (const { reference, field } of referencesOf(parseRequest(template))) {
    if (reference.scope !== 'vault') continue;
    chooser.require(chooser.find(reference.vault, reference.source, field), 'read', field);
  }
}

/** The request a before hook left, checked like one the user saved. */
function requestFromHook(value: JsonValue): RequestTemplate {
  const raw = (value ?? {}) as Record<string, unknown>;
  const body = raw.body as Record<string, unknown> | undefined;
  // `request.body.json = {...}` is the easy way to set a JSON body from a hook.
  const withJson =
    body && typeof body === 'object' && 'json' in body
      ? { ...raw, body: { type: 'json', text: JSON.stringify(body.json) } }
      : raw;
  return checkDraft({ name: 'hook', request: withJson }).request;
}

async function runHook(
  deps: RunDeps,
  hook: 'before' | 'after',
  code: string,
  state: RunState,
  emit: (event: RunEvent) => void,
  limits: HookLimits,
  signal: AbortSignal | undefined,
  io: { request?: JsonValue; response?: JsonValue },
): Promise<JsonValue | undefined> {
  const host = new RunHookHost({
    hook,
    chooser: deps.chooser,
    access: deps.access,
    masker: state.masker,
    emit,
    debug: state.debug,
    kept: state.kept,
    refusals: state.refusals,
  });
  try {
    const vault = await defaultVaultValues(deps, state, signal, emit);
    const outcome = await deps
      .hooks()
      .run({ hook, code, ...io, vault, kept: { ...state.kept } }, host, {
        limits,
        ...(signal ? { signal } : {}),
      });
    if (!outcome.ok) throw outcome.error;
    if (outcome.result !== undefined) {
      state.results[hook] = JSON.stringify(outcome.result, null, 2);
    }
    return hook === 'before' ? outcome.request : undefined;
  } finally {
    await host.closeAll();
  }
}

/** The `vault` object of a hook: every value of the default vault, if the integration may read it. */
async function defaultVaultValues(
  deps: RunDeps,
  state: RunState,
  signal: AbortSignal | undefined,
  emit: (event: RunEvent) => void,
): Promise<Record<string, JsonValue>> {
  const target = deps.chooser.defaultVault();
  if (!target || deps.chooser.access(target.id) === undefined) return {};
  return withLease(deps, target, signal, emit, async (vault) => {
    const values: Record<string, JsonValue> = {};
    for (const summary of await vault.list()) {
      const entry = await vault.getEntry(summary.name);
      if (entry) values[entry.name] = guestValue(entry, state.masker);
    }
    await deps.recordRead?.(vault, Object.keys(values));
    return values;
  });
}

async function withLease<T>(
  deps: RunDeps,
  target: VaultListing,
  signal: AbortSignal | undefined,
  emit: (event: RunEvent) => void,
  use: (vault: Awaited<ReturnType<VaultAccess['acquire']>>['vault']) => Promise<T>,
): Promise<T> {
  const lease = await deps.access.acquire(target.id, {
    ...(signal ? { signal } : {}),
    onWaiting: (holder) =>
      emit({ type: 'waiting', vault: target.name, holder: holder?.label, since: holder?.since }),
    onWaitingOver: () => emit({ type: 'waiting-over', vault: target.name }),
  });
  try {
    return await use(lease.vault);
  } finally {
    await lease.release();
  }
}

/** Resolves every reference (each vault opened once, and closed) and builds the request. */
async function prepare(
  deps: RunDeps,
  template: RequestTemplate,
  state: RunState,
  signal: AbortSignal | undefined,
  emit: (event: RunEvent) => void,
): Promise<OutgoingRequest> {
  const parsed = parseRequest(template);
  const references = referencesOf(parsed);
  const byVault = new Map<string, { target: VaultListing; refs: typeof references }>();
  for (const item of references) {
    if (item.reference.scope !== 'vault') continue;
    const target = deps.chooser.find(item.reference.vault, item.reference.source, item.field);
    const group = byVault.get(target.id) ?? { target, refs: [] };
    group.refs.push(item);
    byVault.set(target.id, group);
  }
  const values = new Map<Reference, JsonValue>();
  for (const { target, refs } of byVault.values()) {
    await withLease(deps, target, signal, emit, async (vault) => {
      for (const { reference, field } of refs) {
        const entry = await vault.getEntry(reference.entry);
        if (!entry) {
          throw new ReferenceUnresolvedError(
            reference.source,
            'no-entry',
            `vault "${target.name}" has no entry ${reference.entry}`,
            field,
          );
        }
        const whole = guestValue(entry, state.masker);
        const value = walkPath(whole, reference, field);
        if (entry.kind !== 'item') state.masker.addJson(value);
        values.set(reference, value);
      }
      await deps.recordRead?.(vault, [...new Set(refs.map(({ reference }) => reference.entry))]);
    });
  }
  return buildRequest(template, parsed, (reference, field) => {
    if (reference.scope === 'keep') {
      if (!Object.hasOwn(state.kept, reference.entry)) {
        throw new ReferenceUnresolvedError(
          reference.source,
          'not-kept',
          `no hook kept a value named ${reference.entry} in this run`,
          field,
        );
      }
      return walkPath(state.kept[reference.entry], reference, field);
    }
    return values.get(reference) as JsonValue;
  });
}
