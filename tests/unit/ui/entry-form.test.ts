import { describe, expect, it } from 'vitest';
import type { VaultId } from '../../../src/core/profile';
import type { Entry } from '../../../src/core/vault';
import { asEntryId, InvalidEntryError } from '../../../src/core/vault';
import {
  checkEntryForm,
  emptyEntryForm,
  entryDraftFromForm,
  entryFormFromEntry,
  entryView,
  errorsFromSaveError,
  formatJsonText,
  jsonTextProblem,
  nameProblem,
  saveEntryForm,
} from '../../../src/ui/state/entry-form';
import type { EntryDraft, OpenVault } from '../../../src/ui/state/open-vault';

const times = { createdAt: 1_700_000_000_000, updatedAt: 1_700_000_100_000 };
const id = (n: number) => asEntryId(`entry-id-${String(n).padStart(8, '0')}`);

/** An OpenVault over a Map, with the real one's semantics: rename first, then upsert. */
function fakeVault(entries: Entry[], options: { failSet?: Error } = {}) {
  const byName = new Map(entries.map((entry) => [entry.name, entry]));
  const saves: { draft: EntryDraft; previousName: string | undefined }[] = [];
  let next = 100;
  const vault = {
    name: 'v',
    entries: () => [...byName.values()],
    nameStyle: () => 'default' as const,
    closedReason: () => null,
    get: async (name: string) => byName.get(name),
    async save(draft: EntryDraft, previousName?: string) {
      saves.push({ draft, previousName });
      if (previousName !== undefined && previousName !== draft.name) {
        const old = byName.get(previousName)!;
        byName.delete(previousName);
        byName.set(draft.name, { ...old, name: draft.name });
      }
      if (options.failSet) throw options.failSet;
      const old = byName.get(draft.name);
      byName.set(draft.name, {
        id: old?.id ?? id(next++),
        name: draft.name,
        kind: draft.kind,
        value: draft.value,
        writeOnly: draft.writeOnly ?? old?.writeOnly ?? false,
        ...times,
      } as Entry);
    },
    remove: async () => {},
    setNameStyle: async () => {},
    close: async () => {},
    sync: undefined,
    id: 'vault-id-for-tests000' as VaultId,
    damaged: [],
    writesHeld: () => false,
    acceptDamage: () => {},
    copyReadableInto: async () => {
      throw new Error('not used in these tests');
    },
  } satisfies OpenVault;
  return { vault: vault as OpenVault, byName, saves };
}

describe('JSON editor checks', () => {
  it('points at the line and column of the first problem', () => {
    expect(jsonTextProblem('{\n  "a": 1,\n  "b" 2\n}')).toEqual({
      message: expect.stringMatching(/^Line 3, column 7: expected/),
      offset: 18,
    });
    expect(jsonTextProblem('{\n  "port": 8080,\n}')?.message).toMatch(
      /^Line 2, column 15: .*trailing comma/,
    );
    expect(jsonTextProblem("{'a': 1}")?.message).toMatch(/^Line 1, column 2: .*double quotes/);
    expect(jsonTextProblem('[1, 2] // note')?.message).toMatch(/^Line 1, column 8: .*comments/);
    expect(jsonTextProblem('')?.message).toMatch(/^Line 1, column 1: the text is empty/);
    expect(jsonTextProblem('{"a": [1, 2]}')).toBeNull();
  });

  it('counts columns in characters, not UTF-16 units', () => {
    expect(jsonTextProblem('["😀😀" x]')?.message).toMatch(/^Line 1, column 7:/); // 9 in UTF-16 units;
  });

  it('never echoes the text in its message', () => {
    const secret = 'sk-live-DO-NOT-SHOW';
    expect(jsonTextProblem(`{"key": ${secret}}`)?.message).not.toContain(secret);
    expect(jsonTextProblem(`{"key": "${secret}`)?.message).not.toContain(secret);
  });

  it('formats valid JSON with two spaces, keeping "__proto__" keys', () => {
    expect(formatJsonText('{"a":[1,{"b":null}],"__proto__":true}')).toBe(
      '{\n  "a": [\n    1,\n    {\n      "b": null\n    }\n  ],\n  "__proto__": true\n}',
    );
    expect(() => formatJsonText('{"a":}')).toThrow(/line 1, column 6/);
  });
});

describe('name checks', () => {
  it('says which rule failed, in the vault style', () => {
    expect(nameProblem('api key', 'default')?.message).toMatch(/character 4 is a space/);
    expect(nameProblem('1st', 'default')?.message).toMatch(/must start with a letter/);
    expect(nameProblem('', 'default')?.message).toMatch(/empty/);
    expect(nameProblem('my-item', 'default')).toBeNull();
    const lower = nameProblem('api_key', 'environment');
    expect(lower?.message).toMatch(/lowercase/);
    expect(lower?.suggestion).toBe('API_KEY');
    expect(nameProblem('API_KEY', 'environment')).toBeNull();
  });
});

describe('form to draft', () => {
  it('an item saves the parsed JSON', () => {
    const form = { ...emptyEntryForm(), name: 'cfg', itemText: '{"port": 8080}' };
    expect(checkEntryForm(form, undefined, 'default')).toEqual({});
    expect(entryDraftFromForm(form, undefined)).toEqual({
      name: 'cfg',
      kind: 'item',
      value: { port: 8080 },
    });
  });

  it('a secret needs a value; a connection may have empty fields (null)', () => {
    const secret = { ...emptyEntryForm(), name: 'API_KEY', kind: 'secret' as const };
    expect(checkEntryForm(secret, undefined, 'default').value).toMatch(/Enter the secret value/);
    const connection = {
      ...emptyEntryForm(),
      name: 'db',
      kind: 'connection' as const,
      connectionType: 'basic-auth',
      connectionTexts: { username: 'app' },
    };
    expect(checkEntryForm(connection, undefined, 'default')).toEqual({});
    expect(entryDraftFromForm(connection, undefined).value).toEqual({
      type: 'basic-auth',
      fields: {
        username: { value: 'app', secret: false },
        password: { value: null, secret: true },
      },
    });
  });

  it('editing a write-only secret never copies its value into the form', () => {
    const entry: Entry = {
      id: id(1),
      name: 'TOKEN',
      kind: 'secret',
      value: 'whk-hidden',
      writeOnly: true,
      ...times,
    };
    const { form, origin } = entryFormFromEntry(entry);
    expect(JSON.stringify({ form, origin })).not.toContain('whk-hidden');
    expect(form.secretText).toBe('');
    expect(form.writeOnly).toBe(true);
    // Empty keeps the old value; unticking write-only then is refused.
    expect(checkEntryForm(form, origin, 'default')).toEqual({});
    expect(checkEntryForm({ ...form, writeOnly: false }, origin, 'default').value).toMatch(
      /stays write-only/,
    );
  });

  it('the entry view of a write-only secret holds no value', () => {
    const view = entryView({
      id: id(1),
      name: 'TOKEN',
      kind: 'secret',
      value: 'whk-hidden',
      writeOnly: true,
      ...times,
    });
    expect(JSON.stringify(view)).not.toContain('whk-hidden');
  });

  it('connection fields show in the type order', () => {
    const view = entryView({
      id: id(1),
      name: 'db',
      kind: 'connection',
      value: {
        type: 'basic-auth',
        fields: {
          password: { value: null, secret: true },
          username: { value: 'app', secret: false },
        },
      },
      writeOnly: false,
      ...times,
    });
    expect(view.kind === 'connection' && view.fields.map((field) => field.label)).toEqual([
      'Username',
      'Password',
    ]);
  });

  it('puts a connection field error next to its field', () => {
    const form = { ...emptyEntryForm(), kind: 'connection' as const };
    const error = new InvalidEntryError(
      'db',
      'value.fields.password.value',
      'a string',
      'a number',
    );
    expect(Object.keys(errorsFromSaveError(error, form).fields ?? {})).toEqual(['password']);
  });
});

describe('saveEntryForm', () => {
  it('creates, and refuses a name that exists instead of replacing it', async () => {
    const existing: Entry = {
      id: id(1),
      name: 'cfg',
      kind: 'item',
      value: { keep: true },
      writeOnly: false,
      ...times,
    };
    const { vault, byName, saves } = fakeVault([existing]);
    const form = { ...emptyEntryForm(), name: 'cfg', itemText: '{"new": 1}' };
    const refused = await saveEntryForm(vault, form, undefined);
    expect(refused.ok).toBe(false);
    expect(!refused.ok && refused.errors.name).toMatch(/already exists/);
    expect(saves).toEqual([]);
    expect(byName.get('cfg')?.value).toEqual({ keep: true });
    const created = await saveEntryForm(vault, { ...form, name: 'cfg2' }, undefined);
    expect(created).toEqual({ ok: true, name: 'cfg2' });
  });

  it('does not save when a check fails', async () => {
    const { vault, saves } = fakeVault([]);
    const outcome = await saveEntryForm(
      vault,
      { ...emptyEntryForm(), name: 'bad name', itemText: '{' },
      undefined,
    );
    expect(outcome.ok).toBe(false);
    expect(!outcome.ok && outcome.errors.name).toMatch(/space/);
    expect(!outcome.ok && outcome.errors.value).toMatch(/^Line 1, column 2/);
    expect(saves).toEqual([]);
  });

  it('renames a write-only secret left empty, keeping its value untouched', async () => {
    const entry: Entry = {
      id: id(1),
      name: 'TOKEN',
      kind: 'secret',
      value: 'whk-hidden',
      writeOnly: true,
      ...times,
    };
    const { vault, byName } = fakeVault([entry]);
    const { form, origin } = entryFormFromEntry(entry);
    const outcome = await saveEntryForm(vault, { ...form, name: 'WEBHOOK_TOKEN' }, origin);
    expect(outcome).toEqual({ ok: true, name: 'WEBHOOK_TOKEN' });
    expect(byName.has('TOKEN')).toBe(false);
    expect(byName.get('WEBHOOK_TOKEN')).toMatchObject({
      id: entry.id,
      value: 'whk-hidden',
      writeOnly: true,
    });
  });

  it('follows a rename that went through when writing the value failed', async () => {
    const entry: Entry = {
      id: id(1),
      name: 'old',
      kind: 'item',
      value: 1,
      writeOnly: false,
      ...times,
    };
    const { vault } = fakeVault([entry], { failSet: new Error('the disk is full') });
    const { form, origin } = entryFormFromEntry(entry);
    const outcome = await saveEntryForm(vault, { ...form, name: 'new', itemText: '2' }, origin);
    expect(outcome.ok).toBe(false);
    expect(!outcome.ok && outcome.errors.form).toBe('Could not save: the disk is full');
    expect(!outcome.ok && outcome.origin?.name).toBe('new');
  });
});
