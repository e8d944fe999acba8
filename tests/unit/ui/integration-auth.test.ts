import { describe, expect, it } from 'vitest';
import type { IntegrationId, VaultId } from '../../../src/core/ids';
import type {
  ConnectionChoice,
  Grant,
  Integration,
  IntegrationDraft,
  IntegrationsApi,
} from '../../../src/core/integrations';
import {
  type ConnectionField,
  type ConnectionValue,
  InvalidEntryError,
  NameTakenError,
} from '../../../src/core/vault';
import {
  authFromKey,
  authOf,
  chosenConnection,
  connectionDialogErrors,
  connectionKey,
  connectionOptionLabel,
  createConnectionChoices,
  fillInPatch,
  fillInSpecs,
  groupConnections,
  sameAuth,
  stillMissing,
  withAuth,
} from '../../../src/ui/state/integration-auth';
import type { Timers } from '../../../src/ui/state/integration-check';
import { createIntegrationEditor } from '../../../src/ui/state/integration-editor';
import { createIntegrationsState } from '../../../src/ui/state/integrations';

const id = 'AAAAAAAAAAAAAAAAAAAAAA' as IntegrationId;
const vaultA = 'BBBBBBBBBBBBBBBBBBBBBA' as VaultId;
const vaultB = 'CCCCCCCCCCCCCCCCCCCCCA' as VaultId;

const stored: Integration = {
  id,
  name: 'my-integration',
  defaultVault: vaultA,
  request: {
    method: 'GET',
    url: 'https://api.example.com/items',
    query: [],
    headers: [],
    body: { type: 'none', text: '' },
  },
  beforeHook: '',
  afterHook: '',
  createdAt: 1,
  updatedAt: 1,
};

const choice = (overrides: Partial<ConnectionChoice> = {}): ConnectionChoice => ({
  vault: vaultA,
  vaultName: 'my-vault',
  name: 'github',
  type: 'bearer-token',
  missing: [],
  ...overrides,
});

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

/** Timers that never fire: the tests check when they want to. */
const idleTimers: Timers = { setTimeout: () => 0, clearTimeout: () => undefined };

/** The part of the api an editor's connections use, recording what it was asked. */
function fakeApi() {
  let choices: ConnectionChoice[] = [choice()];
  let createFailure: unknown;
  const calls = {
    check: 0,
    connections: [] as IntegrationDraft[],
    created: [] as { vault: VaultId; name: string; value: ConnectionValue }[],
    updated: [] as {
      vault: VaultId;
      name: string;
      fields: Readonly<Record<string, ConnectionField | null>>;
    }[],
  };
  const grants: Grant[] = [{ integration: id, vault: vaultA, access: 'read' }];
  const api = {
    list: async () => [],
    get: async () => stored,
    grants: async () => grants,
    setGrant: async (grant: Grant) => {
      grants.push(grant);
    },
    check: async () => {
      calls.check++;
      return [];
    },
    referenceNames: async () => ({ defaultVault: undefined, vaults: [], kept: [] }),
    prepareHooks: () => undefined,
    async connections(draft: IntegrationDraft) {
      calls.connections.push(draft);
      return choices;
    },
    async createConnection(vault: VaultId, name: string, value: ConnectionValue) {
      if (createFailure) throw createFailure;
      calls.created.push({ vault, name, value });
      choices = [...choices, choice({ vault, name, type: value.type })];
    },
    async updateConnection(
      vault: VaultId,
      name: string,
      fields: Readonly<Record<string, ConnectionField | null>>,
    ) {
      calls.updated.push({ vault, name, fields });
    },
  } as unknown as IntegrationsApi;
  return {
    api,
    calls,
    setChoices(next: ConnectionChoice[]) {
      choices = next;
    },
    failCreates(error: unknown) {
      createFailure = error;
    },
  };
}

describe('the auth in a draft', () => {
  const draft: IntegrationDraft = Object.freeze({ ...stored });
  const github = { type: 'connection', vault: vaultA, connection: 'github' } as const;

  it('is none when absent, and replaced without modifying the draft', () => {
    expect(authOf(draft)).toEqual({ type: 'none' });
    const next = withAuth(draft, github);
    expect(authOf(next)).toEqual(github);
    expect(next.request.url).toBe(draft.request.url);
    expect(draft.request.auth).toBeUndefined();
    expect(authOf(withAuth(next, { type: 'none' }))).toEqual({ type: 'none' });
  });

  it('compares absent with none, and connections by vault and name', () => {
    expect(sameAuth(undefined, { type: 'none' })).toBe(true);
    expect(sameAuth(undefined, github)).toBe(false);
    expect(sameAuth(github, { ...github })).toBe(true);
    expect(sameAuth(github, { ...github, vault: vaultB })).toBe(false);
    expect(sameAuth(github, { ...github, connection: 'GitHub' })).toBe(false);
  });

  it('round-trips a connection through the picker value, whatever its name holds', () => {
    for (const name of ['github', 'with "quotes"', 'a,b', 'x\u0000y']) {
      expect(authFromKey(connectionKey(vaultB, name))).toEqual({
        type: 'connection',
        vault: vaultB,
        connection: name,
      });
    }
    expect(authFromKey('')).toBeUndefined();
    expect(authFromKey('["only one"]')).toBeUndefined();
    expect(authFromKey('{"a":1}')).toBeUndefined();
  });
});

describe('the connection picker', () => {
  const choices = [
    choice(),
    choice({ name: 'stripe', type: 'basic-auth', missing: ['password'] }),
    choice({ vault: vaultB, vaultName: 'ops', name: 'api', type: 'future-type' }),
  ];

  it('groups by vault in the order given', () => {
    const groups = groupConnections(choices);
    expect(groups.map((group) => [group.vaultName, group.choices.map((c) => c.name)])).toEqual([
      ['my-vault', ['github', 'stripe']],
      ['ops', ['api']],
    ]);
  });

  it('labels each with its type, marking missing credentials', () => {
    expect(choices.map(connectionOptionLabel)).toEqual([
      'github (Bearer token)',
      'stripe (Basic auth) · missing credentials',
      'api (future-type)',
    ]);
  });

  it('finds the chosen one, if the integration may use it', () => {
    expect(
      chosenConnection({ type: 'connection', vault: vaultB, connection: 'api' }, choices),
    ).toBe(choices[2]);
    expect(
      chosenConnection({ type: 'connection', vault: vaultB, connection: 'github' }, choices),
    ).toBeUndefined();
    expect(chosenConnection({ type: 'none' }, choices)).toBeUndefined();
  });
});

describe('filling in a connection', () => {
  it('shows the missing fields first, or only them for an unknown type', () => {
    expect(fillInSpecs('basic-auth', ['password']).map((spec) => spec.name)).toEqual([
      'password',
      'username',
    ]);
    const unknown = fillInSpecs('future-type', ['secret_a']);
    expect(unknown).toEqual([
      { name: 'secret_a', label: 'secret_a', secret: true, required: true, writeOnly: false },
    ]);
    expect(fillInSpecs(undefined, ['token']).map((spec) => spec.name)).toEqual(['token']);
  });

  it('saves only what was typed, secret and write-only as the type says', () => {
    const specs = fillInSpecs('oauth2-refresh-token', ['refresh_token']);
    const patch = fillInPatch(specs, { refresh_token: 'r-123', client_id: '', token_url: 'x' });
    expect(patch).toEqual({
      refresh_token: { value: 'r-123', secret: true, writeOnly: true },
      token_url: { value: 'x', secret: false },
    });
    expect(fillInPatch(specs, {})).toEqual({});
  });

  it('tells which required fields stay empty', () => {
    expect(stillMissing('basic-auth', ['username', 'password'], {})).toEqual([
      'username',
      'password',
    ]);
    const password = { password: { value: 'p', secret: true } };
    expect(stillMissing('basic-auth', ['username', 'password'], password)).toEqual(['username']);
    expect(stillMissing(undefined, ['a', 'b'], { a: { value: 'x', secret: true } })).toEqual(['b']);
  });

  it('puts a refused name at the name, a refused field at it, and the rest on the form', () => {
    expect(connectionDialogErrors(new NameTakenError('github')).name).toMatch(/already exists/);
    const field = connectionDialogErrors(
      new InvalidEntryError('github', 'value.fields.token.value', 'a string', 'a number'),
    );
    expect(Object.keys(field.fields ?? {})).toEqual(['token']);
    expect(
      connectionDialogErrors(new InvalidEntryError('github', 'value.type', 'a type', 'x')).form,
    ).toBeDefined();
    expect(connectionDialogErrors(new Error('disk full')).form).toBe('Disk full.');
  });
});

describe('connections in the editor', () => {
  it('lists them on load, again when the default vault changes, and keeps the newest answer', async () => {
    const fake = fakeApi();
    const editor = createIntegrationEditor(() => fake.api, id, { timers: idleTimers });
    await editor.load();
    await settle();
    expect(editor.connections().map((c) => c.name)).toEqual(['github']);
    expect(fake.calls.connections).toHaveLength(1);
    editor.update((d) => ({ ...d, beforeHook: 'debug(1)' }));
    expect(fake.calls.connections).toHaveLength(1);
    fake.setChoices([choice({ vault: vaultB, vaultName: 'ops', name: 'api' })]);
    editor.update((d) => ({ ...d, defaultVault: vaultB }));
    await settle();
    expect(fake.calls.connections).toHaveLength(2);
    expect(editor.connections().map((c) => c.name)).toEqual(['api']);
  });

  it('answers older than the newest change nothing', async () => {
    const fake = fakeApi();
    const answers: ((list: ConnectionChoice[]) => void)[] = [];
    const api = {
      ...fake.api,
      connections: () => new Promise<ConnectionChoice[]>((resolve) => answers.push(resolve)),
    } as IntegrationsApi;
    const state = createConnectionChoices(
      () => api,
      id,
      () => stored,
    );
    const first = state.refresh();
    const second = state.refresh();
    answers[1]?.([choice({ name: 'new' })]);
    answers[0]?.([choice({ name: 'old' })]);
    await Promise.all([first, second]);
    expect(state.choices().map((c) => c.name)).toEqual(['new']);
  });

  it('creates a connection, selects it in the draft (unsaved) and lists it', async () => {
    const fake = fakeApi();
    const editor = createIntegrationEditor(() => fake.api, id, { timers: idleTimers });
    await editor.load();
    const value: ConnectionValue = {
      type: 'bearer-token',
      fields: { token: { value: null, secret: true } },
    };
    await editor.addConnection(vaultB, 'gitlab', value);
    expect(fake.calls.created).toEqual([{ vault: vaultB, name: 'gitlab', value }]);
    expect(editor.draft()?.request.auth).toEqual({
      type: 'connection',
      vault: vaultB,
      connection: 'gitlab',
    });
    expect(editor.dirty()).toBe(true);
    expect(editor.connections().map((c) => c.name)).toEqual(['github', 'gitlab']);
  });

  it('leaves the draft as it was when creating is refused', async () => {
    const fake = fakeApi();
    const editor = createIntegrationEditor(() => fake.api, id, { timers: idleTimers });
    await editor.load();
    fake.failCreates(new NameTakenError('github'));
    const value: ConnectionValue = { type: 'bearer-token', fields: {} };
    await expect(editor.addConnection(vaultA, 'github', value)).rejects.toBeInstanceOf(
      NameTakenError,
    );
    expect(editor.draft()?.request.auth).toBeUndefined();
    expect(editor.dirty()).toBe(false);
  });

  it('fills in a connection, then checks again and lists the connections again', async () => {
    const fake = fakeApi();
    const editor = createIntegrationEditor(() => fake.api, id, { timers: idleTimers });
    await editor.load();
    await settle();
    const checks = fake.calls.check;
    const listings = fake.calls.connections.length;
    const fields = { token: { value: 't-123456', secret: true } };
    await editor.fillConnection(vaultA, 'github', fields);
    expect(fake.calls.updated).toEqual([{ vault: vaultA, name: 'github', fields }]);
    expect(fake.calls.check).toBe(checks + 1);
    expect(fake.calls.connections.length).toBe(listings + 1);
    expect(editor.dirty()).toBe(false);
  });

  it('lists them again when a grant changes', async () => {
    const fake = fakeApi();
    const state = createIntegrationsState(() => fake.api, { timers: idleTimers });
    const editor = state.editor(id);
    await settle();
    const listings = fake.calls.connections.length;
    await state.setGrant({ integration: id, vault: vaultB, access: 'read' });
    await settle();
    expect(fake.calls.connections.length).toBe(listings + 1);
    expect(editor.draft()).toBeDefined();
  });
});
