import { describe, expect, it } from 'vitest';
import type { IntegrationId, VaultId } from '../../../src/core/ids';
import type {
  FieldProblem,
  Integration,
  IntegrationDraft,
  IntegrationsApi,
  ReferenceNames,
  RunEvent,
  RunOptions,
  RunRecord,
} from '../../../src/core/integrations';
import {
  checkDelayMs,
  fieldControlId,
  fieldLabel,
  problemsAt,
  type Timers,
} from '../../../src/ui/state/integration-check';
import {
  applyCompletion,
  type CompletionOption,
  completionOptions,
  type ReferenceCompletion,
  suggestionsFor,
} from '../../../src/ui/state/integration-completion';
import {
  draftOf,
  sameDraft,
  withNewPair,
  withoutPair,
  withPair,
  withRequest,
} from '../../../src/ui/state/integration-draft';
import { createIntegrationEditor } from '../../../src/ui/state/integration-editor';
import {
  applyRunEvent,
  describeToken,
  describeWaiting,
  emptyRun,
  type RunProgress,
  shortSecretsWarning,
} from '../../../src/ui/state/integration-run';
import { createIntegrationsState } from '../../../src/ui/state/integrations';

const id = 'AAAAAAAAAAAAAAAAAAAAAA' as IntegrationId;
const vaultId = 'BBBBBBBBBBBBBBBBBBBBBA' as VaultId;

function integration(overrides: Partial<Integration> = {}): Integration {
  return {
    id,
    name: 'my-integration',
    defaultVault: undefined,
    request: {
      method: 'GET',
      url: 'https://api.example.com/items',
      query: [],
      headers: [{ name: 'Authorization', value: 'Bearer @{vault.API_KEY}', enabled: true }],
      body: { type: 'none', text: '' },
    },
    beforeHook: '',
    afterHook: '',
    createdAt: 1,
    updatedAt: 1,
    ...overrides,
  };
}

function record(overrides: Partial<RunRecord> = {}): RunRecord {
  return {
    integration: id,
    seq: 1,
    startedAt: 1_700_000_000_000,
    durationMs: 1200,
    status: 'succeeded',
    request: undefined,
    response: undefined,
    debug: [],
    results: {},
    failure: undefined,
    unmaskedShortSecrets: 0,
    keptNames: [],
    ...overrides,
  };
}

const deferred = <T>() => {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
};

/** Timers the test fires itself. */
function manualTimers() {
  const pending = new Map<number, () => void>();
  let next = 0;
  const timers: Timers = {
    setTimeout(fn, ms) {
      expect(ms).toBe(checkDelayMs);
      pending.set(++next, fn);
      return next;
    },
    clearTimeout(handle) {
      pending.delete(handle as number);
    },
  };
  return {
    timers,
    pending: () => pending.size,
    fire() {
      const fns = [...pending.values()];
      pending.clear();
      for (const fn of fns) fn();
    },
  };
}

/** An IntegrationsApi over one stored integration, recording what it was asked. */
function fakeApi(stored: Integration = integration()) {
  let current = stored;
  const calls = {
    check: [] as IntegrationDraft[],
    save: [] as IntegrationDraft[],
    run: [] as RunOptions[],
    grants: 0,
    prepared: 0,
  };
  let problems: FieldProblem[] = [];
  let runImpl: (options: RunOptions) => Promise<RunRecord> = async () => record();
  let saveGate: Promise<void> | undefined;
  const names: ReferenceNames = {
    defaultVault: { name: 'my-vault', entries: ['API_KEY', 'db.password'] },
    vaults: [{ name: 'ops vault', entries: ['TOKEN'] }],
    kept: ['session'],
  };
  const api: IntegrationsApi = {
    list: async () => [{ id, name: current.name, updatedAt: current.updatedAt }],
    get: async () => current,
    create: async (name) => integration({ name }),
    async save(_id, draft) {
      calls.save.push(draft);
      if (saveGate) await saveGate;
      current = { ...current, ...draft, name: draft.name.trim(), updatedAt: current.updatedAt + 1 };
      return current;
    },
    rename: async (_id, name) => {
      current = { ...current, name };
      return current;
    },
    duplicate: async () => integration({ name: 'copy' }),
    delete: async () => undefined,
    grants: async () => {
      calls.grants++;
      return [{ integration: id, vault: vaultId, access: 'read' }];
    },
    setGrant: async () => undefined,
    removeGrant: async () => undefined,
    async check(draft) {
      calls.check.push(draft);
      return problems;
    },
    referenceNames: async () => names,
    // Connections have their own tests (integration-auth.test.ts).
    connections: async () => [],
    createConnection: async () => undefined,
    updateConnection: async () => undefined,
    prepareHooks: () => {
      calls.prepared++;
    },
    run: (_id, options = {}) => {
      calls.run.push(options);
      return runImpl(options);
    },
    runs: async () => [record({ seq: 1, startedAt: 1 }), record({ seq: 2, startedAt: 2 })],
    clearRuns: async () => undefined,
  };
  return {
    api,
    calls,
    setProblems(next: FieldProblem[]) {
      problems = next;
    },
    setRun(impl: (options: RunOptions) => Promise<RunRecord>) {
      runImpl = impl;
    },
    gateSaves(gate: Promise<void> | undefined) {
      saveGate = gate;
    },
  };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('drafts', () => {
  it('tells an edited draft from the saved one, and back again', () => {
    const saved = draftOf(integration());
    expect(sameDraft(saved, draftOf(integration()))).toBe(true);
    const edited = withRequest(saved, { url: 'https://other.example' });
    expect(sameDraft(saved, edited)).toBe(false);
    expect(sameDraft(saved, withRequest(edited, { url: saved.request.url }))).toBe(true);
    expect(sameDraft(saved, withPair(saved, 'headers', 0, { enabled: false }))).toBe(false);
    expect(sameDraft(saved, { ...saved, beforeHook: 'debug(1)' })).toBe(false);
    expect(sameDraft(saved, { ...saved, defaultVault: vaultId })).toBe(false);
    // Absent auth (saved before connections) is none.
    expect(sameDraft(saved, withRequest(saved, { auth: { type: 'none' } }))).toBe(true);
    const github = withRequest(saved, {
      auth: { type: 'connection', vault: vaultId, connection: 'github' },
    });
    expect(sameDraft(saved, github)).toBe(false);
    expect(
      sameDraft(
        github,
        withRequest(saved, { auth: { type: 'connection', vault: vaultId, connection: 'github' } }),
      ),
    ).toBe(true);
    expect(
      sameDraft(
        github,
        withRequest(saved, { auth: { type: 'connection', vault: vaultId, connection: 'gitlab' } }),
      ),
    ).toBe(false);
  });

  it('names the auth field and its control', () => {
    expect(fieldLabel({ part: 'auth' })).toBe('Auth');
    expect(fieldControlId('p', { part: 'auth' })).toBe('p-auth');
  });

  it('adds, changes and removes pairs without modifying the draft', () => {
    const saved = Object.freeze(draftOf(integration()));
    const added = withNewPair(saved, 'query');
    expect(added.request.query).toEqual([{ name: '', value: '', enabled: true }]);
    const named = withPair(added, 'query', 0, { name: 'page', value: '2' });
    expect(named.request.query).toEqual([{ name: 'page', value: '2', enabled: true }]);
    expect(withoutPair(named, 'query', 0).request.query).toEqual([]);
    expect(saved.request.query).toEqual([]);
    expect(named.request.headers).toBe(saved.request.headers);
  });

  it('finds the problems at a field', () => {
    const problems: FieldProblem[] = [
      { field: { part: 'url' }, code: 'reference-syntax', message: 'a' },
      { field: { part: 'header', index: 0, side: 'value' }, code: 'grant-missing', message: 'b' },
      {
        field: { part: 'header', index: 1, side: 'value' },
        code: 'reference-unresolved',
        message: 'c',
      },
    ];
    expect(problemsAt(problems, { part: 'url' }).map((p) => p.message)).toEqual(['a']);
    expect(
      problemsAt(problems, { part: 'header', index: 0, side: 'value' }).map((p) => p.message),
    ).toEqual(['b']);
    expect(problemsAt(problems, { part: 'header', index: 0, side: 'name' })).toEqual([]);
    expect(problemsAt(problems, { part: 'query', index: 0, side: 'value' })).toEqual([]);
  });
});

describe('the editor of an integration', () => {
  it('is not dirty once loaded, dirty after an edit, clean again when the edit is undone', async () => {
    const fake = fakeApi();
    const clock = manualTimers();
    const editor = createIntegrationEditor(() => fake.api, id, { timers: clock.timers });
    expect(fake.calls.prepared).toBe(0);
    await editor.load();
    expect(editor.draft()?.name).toBe('my-integration');
    expect(editor.dirty()).toBe(false);
    // Opening the editor starts the hook engine, so the first Run does not wait for it.
    expect(fake.calls.prepared).toBe(1);
    editor.update((d) => withRequest(d, { method: 'POST' }));
    expect(editor.dirty()).toBe(true);
    editor.update((d) => withRequest(d, { method: 'GET' }));
    expect(editor.dirty()).toBe(false);
    editor.update((d) => ({ ...d, afterHook: 'debug(response.status)' }));
    editor.discard();
    expect(editor.dirty()).toBe(false);
    expect(editor.draft()?.afterHook).toBe('');
  });

  it('saves, taking what core kept, and keeps edits made while saving as unsaved', async () => {
    const fake = fakeApi();
    const clock = manualTimers();
    const editor = createIntegrationEditor(() => fake.api, id, { timers: clock.timers });
    await editor.load();
    editor.update((d) => ({ ...d, name: '  renamed  ' }));
    expect(await editor.save()).toBe(true);
    expect(editor.saved()?.name).toBe('renamed');
    expect(editor.draft()?.name).toBe('renamed');
    expect(editor.dirty()).toBe(false);

    const gate = deferred<void>();
    fake.gateSaves(gate.promise);
    editor.update((d) => ({ ...d, beforeHook: 'keep({ a: 1 })' }));
    const saving = editor.save();
    expect(editor.saving()).toBe(true);
    editor.update((d) => ({ ...d, afterHook: 'debug(kept.a)' }));
    gate.resolve();
    await saving;
    expect(editor.saving()).toBe(false);
    expect(editor.saved()?.beforeHook).toBe('keep({ a: 1 })');
    expect(editor.dirty()).toBe(true);
    expect(editor.draft()?.afterHook).toBe('debug(kept.a)');
  });

  it('checks the draft once, 300 ms after the last of several edits, and drops stale answers', async () => {
    const fake = fakeApi();
    const clock = manualTimers();
    const editor = createIntegrationEditor(() => fake.api, id, { timers: clock.timers });
    await editor.load();
    await settle();
    const afterLoad = fake.calls.check.length;
    editor.update((d) => withRequest(d, { url: 'https://a.example/@{vault.' }));
    editor.update((d) => withRequest(d, { url: 'https://a.example/@{vault.NOPE}' }));
    expect(clock.pending()).toBe(1);
    expect(fake.calls.check.length).toBe(afterLoad);
    fake.setProblems([
      {
        field: { part: 'url' },
        code: 'reference-unresolved',
        message: 'No entry NOPE in vault my-vault',
      },
    ]);
    clock.fire();
    await settle();
    expect(fake.calls.check.length).toBe(afterLoad + 1);
    expect(fake.calls.check.at(-1)?.request.url).toBe('https://a.example/@{vault.NOPE}');
    expect(editor.problems().map((p) => p.message)).toEqual(['No entry NOPE in vault my-vault']);
  });

  it('runs with the hook time limit and a signal, accumulating events as they come', async () => {
    const fake = fakeApi();
    const clock = manualTimers();
    const editor = createIntegrationEditor(() => fake.api, id, {
      timers: clock.timers,
      hookTimeLimitMs: () => 5000,
    });
    await editor.load();
    const finish = deferred<RunRecord>();
    let emit!: (event: RunEvent) => void;
    fake.setRun((options) => {
      emit = (event) => options.onEvent?.(event);
      return finish.promise;
    });
    const running = editor.run();
    await settle();
    expect(editor.running()).toBe(true);
    expect(fake.calls.run[0]?.hookTimeLimitMs).toBe(5000);
    emit({ type: 'phase', phase: 'checking' });
    emit({ type: 'phase', phase: 'before-hook' });
    emit({ type: 'waiting', vault: 'my-vault', holder: 'Tab opened 10:40', since: 5 });
    expect(editor.progress()?.waiting?.vault).toBe('my-vault');
    emit({ type: 'waiting-over', vault: 'my-vault' });
    emit({ type: 'debug', line: { hook: 'before', label: 'token', text: '"••••••"' } });
    expect(editor.progress()?.phases).toEqual(['checking', 'before-hook']);
    expect(editor.progress()?.waiting).toBeUndefined();
    expect(editor.progress()?.debug.map((line) => line.label)).toEqual(['token']);
    const done = record({ debug: [{ hook: 'before', label: 'token', text: '"••••••"' }] });
    finish.resolve(done);
    expect(await running).toBe(done);
    expect(editor.running()).toBe(false);
    expect(editor.progress()?.record).toBe(done);
    expect(editor.progress()?.phases).toEqual(['checking', 'before-hook']);
  });

  it('saves unsaved changes before running, and cancels through the signal', async () => {
    const fake = fakeApi();
    const clock = manualTimers();
    const editor = createIntegrationEditor(() => fake.api, id, { timers: clock.timers });
    await editor.load();
    editor.update((d) => ({ ...d, beforeHook: 'debug(1)' }));
    fake.setRun(
      (options) =>
        new Promise((resolve) => {
          options.signal?.addEventListener('abort', () => resolve(record({ status: 'cancelled' })));
        }),
    );
    const running = editor.run();
    await settle();
    expect(fake.calls.save.map((d) => d.beforeHook)).toEqual(['debug(1)']);
    expect(editor.dirty()).toBe(false);
    expect(fake.calls.run[0]?.signal?.aborted).toBe(false);
    editor.cancel();
    expect(fake.calls.run[0]?.signal?.aborted).toBe(true);
    expect((await running)?.status).toBe('cancelled');
    expect(editor.running()).toBe(false);
  });

  it('says why a run could not start when saving first fails', async () => {
    const fake = fakeApi();
    fake.api.save = async () => {
      throw new Error('disk full');
    };
    const editor = createIntegrationEditor(() => fake.api, id, { timers: manualTimers().timers });
    await editor.load();
    editor.update((d) => ({ ...d, afterHook: 'x' }));
    expect(await editor.run()).toBeUndefined();
    expect(fake.calls.run).toEqual([]);
    expect(editor.runError()).toMatch(/could not be saved/);
    expect(editor.saveError()).toBe('Disk full.');
  });
});

describe('applyRunEvent', () => {
  it('collects phases (once each in a row), waits, debug lines, request and response', () => {
    const events: RunEvent[] = [
      { type: 'phase', phase: 'checking' },
      { type: 'phase', phase: 'checking' },
      { type: 'phase', phase: 'sending' },
      {
        type: 'request',
        request: {
          method: 'GET',
          url: 'https://a',
          headers: [],
          body: undefined,
          bodyTruncated: false,
        },
      },
      {
        type: 'response',
        response: {
          status: 200,
          statusText: 'OK',
          headers: [['content-type', 'application/json']],
          body: '{}',
          bodyBytes: 2,
          bodyTruncated: false,
        },
      },
    ];
    const start: RunProgress = Object.freeze({ ...emptyRun });
    const run = events.reduce(applyRunEvent, start);
    expect(run.phases).toEqual(['checking', 'sending']);
    expect(run.request?.url).toBe('https://a');
    expect(run.response?.status).toBe(200);
    expect(start).toEqual(emptyRun);
  });

  it('ends a wait only for the vault waited for, and takes the record when done', () => {
    const waiting = applyRunEvent(emptyRun, {
      type: 'waiting',
      vault: 'a',
      holder: undefined,
      since: undefined,
    });
    expect(applyRunEvent(waiting, { type: 'waiting-over', vault: 'b' }).waiting?.vault).toBe('a');
    const done = record({ debug: [{ hook: 'after', label: undefined, text: '1' }] });
    const finished = applyRunEvent(waiting, { type: 'done', record: done });
    expect(finished.record).toBe(done);
    expect(finished.waiting).toBeUndefined();
    expect(finished.debug).toBe(done.debug);
  });

  it('keeps the latest token step, and forgets it when the run is over', () => {
    const refreshing = applyRunEvent(emptyRun, {
      type: 'token',
      connection: 'github',
      step: 'refreshing',
    });
    expect(refreshing.token).toEqual({ connection: 'github', step: 'refreshing' });
    expect(emptyRun.token).toBeUndefined();
    expect(describeToken(refreshing.token)).toBe('Getting a new access token for github…');
    const waiting = applyRunEvent(refreshing, {
      type: 'token',
      connection: 'github',
      step: 'waiting-for-device',
    });
    expect(describeToken(waiting.token)).toBe('Waiting for another device to refresh github…');
    const done = applyRunEvent(waiting, { type: 'token', connection: 'github', step: 'done' });
    expect(done.token?.step).toBe('done');
    expect(describeToken(done.token)).toBeUndefined();
    expect(describeToken(undefined)).toBeUndefined();
    expect(applyRunEvent(waiting, { type: 'done', record: record() }).token).toBeUndefined();
  });

  it('words a wait and short secrets', () => {
    expect(describeWaiting({ vault: 'my-vault', holder: undefined, since: 0 }, () => '10:42')).toBe(
      'Waiting for my-vault, open in another tab since 10:42',
    );
    expect(
      describeWaiting(
        { vault: 'my-vault', holder: 'Tab opened 10:40', since: undefined },
        () => '',
      ),
    ).toBe('Waiting for my-vault, open in another tab (Tab opened 10:40)');
    expect(shortSecretsWarning(0)).toBeUndefined();
    expect(shortSecretsWarning(2)).toBe(
      '2 secret values used by this run are shorter than 6 characters and are not masked in output.',
    );
  });
});

describe('reference suggestions', () => {
  const names: ReferenceNames = {
    defaultVault: { name: 'my-vault', entries: ['API_KEY', 'db.password', 'APP_ID'] },
    vaults: [{ name: 'ops vault', entries: ['TOKEN'] }],
    kept: ['session'],
  };
  const pick = (text: string, name: string, cursor = text.length) => {
    const found = suggestionsFor(text, cursor, names);
    if (!found) throw new Error(`no suggestions for ${text}`);
    const option = found.options.find((o) => o.name === name);
    if (!option) throw new Error(`no option ${name} among ${found.options.map((o) => o.name)}`);
    return applyCompletion(text, found.completion, option);
  };

  it('offers the scope words, then entries of the default vault, filtered by what is typed', () => {
    expect(suggestionsFor('Bearer @{', 9, names)?.options.map((o) => o.label)).toEqual([
      'vault.',
      'vaults.',
      'keep.',
    ]);
    expect(suggestionsFor('@{vault.AP', 10, names)?.options.map((o) => o.name)).toEqual([
      'API_KEY',
      'APP_ID',
    ]);
    expect(suggestionsFor('@{vaults.', 9, names)?.options.map((o) => o.name)).toEqual([
      'my-vault',
      'ops vault',
    ]);
    expect(suggestionsFor('@{keep.', 7, names)?.options.map((o) => o.name)).toEqual(['session']);
    expect(suggestionsFor('plain text', 5, names)).toBeUndefined();
    expect(suggestionsFor('@@{', 3, names)).toBeUndefined();
  });

  it('inserts a scope word, an entry (closing the reference), and moves the cursor after it', () => {
    expect(pick('Bearer @{', 'vault.')).toEqual({ text: 'Bearer @{vault.', cursor: 15 });
    expect(pick('@{va', 'vaults.')).toEqual({ text: '@{vaults.', cursor: 9 });
    expect(pick('Bearer @{vault.AP', 'API_KEY')).toEqual({
      text: 'Bearer @{vault.API_KEY}',
      cursor: 23,
    });
    // A closing brace already there is kept, and the cursor goes past it.
    expect(pick('@{vault.AP} x', 'API_KEY', 10)).toEqual({
      text: '@{vault.API_KEY} x',
      cursor: 16,
    });
  });

  it('quotes names that are not plain, and follows a vault name with a dot', () => {
    expect(pick('@{vault.db', 'db.password')).toEqual({
      text: '@{vault["db.password"]}',
      cursor: 23,
    });
    expect(pick('@{vaults.op', 'ops vault')).toEqual({
      text: '@{vaults["ops vault"].',
      cursor: 22,
    });
    expect(pick('@{vaults["ops vault"].', 'TOKEN')).toEqual({
      text: '@{vaults["ops vault"].TOKEN}',
      cursor: 28,
    });
    // A bracket the user started stays a bracket, and its typed close is replaced.
    expect(pick('@{vault["AP', 'API_KEY')).toEqual({ text: '@{vault["API_KEY"]}', cursor: 19 });
    expect(pick('@{vault["db.p"]} x', 'db.password', 13)).toEqual({
      text: '@{vault["db.password"]} x',
      cursor: 23,
    });
  });

  it('lists entries of the vault named before them, and nothing for an unknown vault', () => {
    const entryOf = (vault: string | undefined, prefix = ''): ReferenceCompletion => ({
      from: 0,
      to: 0,
      context: 'entry',
      ...(vault === undefined ? {} : { vault }),
      prefix,
    });
    const namesOf = (options: CompletionOption[]) => options.map((o) => o.name);
    expect(namesOf(completionOptions(entryOf('ops vault'), names))).toEqual(['TOKEN']);
    expect(namesOf(completionOptions(entryOf('my-vault', 'db'), names))).toEqual(['db.password']);
    expect(completionOptions(entryOf('nowhere'), names)).toEqual([]);
    expect(completionOptions(entryOf(undefined), undefined)).toEqual([]);
  });
});

describe('the integrations state', () => {
  it('lists, loads grants, and keeps one editor per integration', async () => {
    const fake = fakeApi();
    const state = createIntegrationsState(() => fake.api, { timers: manualTimers().timers });
    await state.refresh();
    await state.refreshGrants();
    expect(state.list().map((s) => s.name)).toEqual(['my-integration']);
    expect(state.grants()).toHaveLength(1);
    expect(state.editor(id)).toBe(state.editor(id));
    await settle();
    expect(state.editor(id).draft()?.name).toBe('my-integration');
    await state.rename(id, 'new-name');
    expect(state.editor(id).saved()?.name).toBe('new-name');
    expect(state.editor(id).draft()?.name).toBe('new-name');
    expect(state.nameOf(id)).toBe('new-name');
  });

  it('sorts run history newest first', async () => {
    const fake = fakeApi();
    const state = createIntegrationsState(() => fake.api, { timers: manualTimers().timers });
    await state.history(id).refresh();
    expect(
      state
        .history(id)
        .runs()
        .map((r) => r.seq),
    ).toEqual([2, 1]);
    await state.history(id).clear();
    expect(state.history(id).runs()).toEqual([]);
  });
});
