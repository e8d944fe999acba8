import { describe, expect, it, vi } from 'vitest';
import type { Entry, VaultHandle, VisibleEntry } from '../../../src/core/vault';
import { asEntryId, handleOf, InvalidEntryError } from '../../../src/core/vault';
import {
  checkEntryForm,
  emptyEntryForm,
  entryDraftFromForm,
  entryFormFromEntry,
  errorsFromSaveError,
  saveEntryForm,
} from '../../../src/ui/state/entry-form';
import { entryView } from '../../../src/ui/state/entry-view';
import { formatJsonText, jsonTextProblem, nameProblem } from '../../../src/ui/state/field-checks';
import { createOpenVault } from '../../../src/ui/state/open-vault';
import { testCoffer, vaultContents } from '../../support/coffer';

const times = { createdAt: 1_700_000_000_000, updatedAt: 1_700_000_100_000 };
const id = (n: number) => asEntryId(`entry-id-${String(n).padStart(8, '0')}`);

/**
 * A real OpenVault over a real vault handle (fake IndexedDB), with the handle's reads spied on:
 * what the UI reads, it reads through these.
 */
async function realVault(setup: (handle: VaultHandle) => Promise<void> = async () => {}) {
  const { coffer } = testCoffer();
  const session = await coffer.createProfile('pw');
  const created = await session.createVault('v');
  const opened = await session.openVault({ id: created.id });
  // The UI gets the view; its calls reach the handle, where they are spied on.
  const handle = handleOf(opened);
  await setup(handle);
  const reads = {
    get: vi.spyOn(handle, 'get'),
    getEntry: vi.spyOn(handle, 'getEntry'),
  };
  const vault = await createOpenVault(opened);
  const changes: Uint8Array[] = [];
  handle.onLocalChange((change) => changes.push(change.update));
  return { vault, handle, reads, changes };
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
    // Even if a value slipped through (the app reads a VisibleEntry, which has none).
    const { form, origin } = entryFormFromEntry(entry as unknown as VisibleEntry);
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
    } as unknown as VisibleEntry);
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

describe('saveEntryForm over a real vault', () => {
  it('creates, and refuses a name that exists instead of replacing it', async () => {
    const { vault, handle, changes } = await realVault((h) => h.set('cfg', { keep: true }));
    const form = { ...emptyEntryForm(), name: 'cfg', itemText: '{"new": 1}' };
    const refused = await saveEntryForm(vault, form, undefined);
    expect(refused.ok).toBe(false);
    expect(!refused.ok && refused.errors.name).toMatch(/already exists/);
    expect(changes).toEqual([]);
    expect(await handle.get('cfg')).toEqual({ keep: true });
    const created = await saveEntryForm(vault, { ...form, name: 'cfg2' }, undefined);
    expect(created).toEqual({ ok: true, name: 'cfg2' });
    expect(await handle.get('cfg2')).toEqual({ new: 1 });
    await handle.close();
  });

  it('does not save when a check fails', async () => {
    const { vault, handle, changes } = await realVault();
    const outcome = await saveEntryForm(
      vault,
      { ...emptyEntryForm(), name: 'bad name', itemText: '{' },
      undefined,
    );
    expect(outcome.ok).toBe(false);
    expect(!outcome.ok && outcome.errors.name).toMatch(/space/);
    expect(!outcome.ok && outcome.errors.value).toMatch(/^Line 1, column 2/);
    expect(changes).toEqual([]);
    await handle.close();
  });

  it('renames a write-only secret in one change; its value never reaches UI code', async () => {
    const { vault, handle, reads, changes } = await realVault((h) =>
      h.set('TOKEN', 'whk-hidden', { kind: 'secret', writeOnly: true }),
    );
    // What the edit dialog does: load the entry, build the form, save it renamed.
    const entry = await vault.get('TOKEN');
    expect(entry).toBeDefined();
    expect(JSON.stringify(entry)).not.toContain('whk-hidden');
    const { form, origin } = entryFormFromEntry(entry!);
    const outcome = await saveEntryForm(vault, { ...form, name: 'WEBHOOK_TOKEN' }, origin);
    expect(outcome).toEqual({ ok: true, name: 'WEBHOOK_TOKEN' });
    expect(changes).toHaveLength(1);
    // The UI never called a read that returns the value.
    expect(reads.get).not.toHaveBeenCalled();
    expect(reads.getEntry).not.toHaveBeenCalled();
    reads.getEntry.mockRestore();
    expect(await handle.getEntry('WEBHOOK_TOKEN')).toMatchObject({
      id: entry!.id,
      value: 'whk-hidden',
      writeOnly: true,
    });
    expect(await handle.has('TOKEN')).toBe(false);
    await handle.close();
  });

  it('an edit that the core refuses changes nothing: no half-done rename', async () => {
    const { vault, handle, changes } = await realVault(async (h) => {
      await h.set('old', 1);
      await h.set('taken', 2);
    });
    const { form, origin } = entryFormFromEntry((await vault.get('old'))!);
    const outcome = await saveEntryForm(vault, { ...form, name: 'taken', itemText: '3' }, origin);
    expect(outcome.ok).toBe(false);
    expect(!outcome.ok && outcome.errors.name).toMatch(/already exists/);
    expect(changes).toEqual([]);
    expect(await vaultContents(handle)).toEqual({ old: 1, taken: 2 });
    // The entry was deleted meanwhile: said so, nothing written.
    await handle.delete('old');
    const gone = await saveEntryForm(vault, { ...form, name: 'new', itemText: '4' }, origin);
    expect(!gone.ok && gone.errors.form).toBe(
      'This entry was deleted meanwhile; nothing was saved.',
    );
    expect(await vaultContents(handle)).toEqual({ taken: 2 });
    await handle.close();
  });
});
