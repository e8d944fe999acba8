import { createRoot } from 'solid-js';
import { describe, expect, it } from 'vitest';
import { createImportFlow } from '../../../src/ui/state/import';
import { testCoffer, vaultContents } from '../../support/coffer';

async function openVault() {
  const { coffer } = testCoffer();
  const session = await coffer.createProfile('pw');
  const summary = await session.createVault('work');
  return session.openVault({ id: summary.id });
}

const flowOver = (vault: Awaited<ReturnType<typeof openVault>>) =>
  createRoot(() => createImportFlow(vault));

describe('the import dialog state', () => {
  it('guesses the format, previews without writing, applies per-name choices, sums up', async () => {
    const vault = await openVault();
    await vault.set('KEEP', 'CANARY-kept', { kind: 'secret' });
    await vault.set('REPLACE', 'old', { kind: 'secret' });
    const before = await vaultContents(vault);
    const flow = flowOver(vault);
    await flow.choose(new File(['NEW=1\nKEEP=2\nREPLACE=3\n'], 'prod.env'));
    expect(flow.format()).toBe('dotenv');
    await flow.makePreview();
    expect(flow.error()).toBeUndefined();
    expect(flow.step()).toBe('preview');
    expect(flow.preview()?.clashes.map((c) => c.name)).toEqual(['KEEP', 'REPLACE']);
    expect(await vaultContents(vault)).toEqual(before);
    flow.setChoice('REPLACE', 'overwrite');
    await flow.runImport();
    expect(flow.step()).toBe('done');
    expect(flow.summary()).toMatchObject({ created: 1, overwritten: 1, skipped: 1 });
    expect(await vaultContents(vault)).toEqual({ KEEP: 'CANARY-kept', REPLACE: '3', NEW: '1' });
  });

  it('reads the CSV header for the mapping and imports with it', async () => {
    const vault = await openVault();
    const flow = flowOver(vault);
    await flow.choose(new File(['note,key,value\nx,API_KEY,sk-1\n'], 'keys.csv'));
    expect(flow.format()).toBe('csv');
    expect(flow.columns()).toEqual(['note', 'key', 'value']);
    flow.setChoices({ csvName: 1, csvValue: 2, csvSecret: false });
    await flow.makePreview();
    await flow.runImport();
    expect(await vaultContents(vault)).toEqual({ API_KEY: 'sk-1' });
    expect((await vault.list())[0]?.kind).toBe('item');
  });

  it('a bad file shows its line, never the value, and writes nothing', async () => {
    const vault = await openVault();
    await vault.set('KEEP', 'kept', { kind: 'secret' });
    const flow = flowOver(vault);
    await flow.choose(new File(['A=1\nB="CANARY-open\n'], '.env'));
    await flow.makePreview();
    expect(flow.step()).toBe('choose');
    expect(flow.error()).toContain('line 2');
    expect(flow.error()).toContain('Nothing was imported');
    expect(flow.error()).not.toContain('CANARY');
    expect(await vaultContents(vault)).toEqual({ KEEP: 'kept' });
  });
});
