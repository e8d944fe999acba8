import { describe, expect, it } from 'vitest';
import {
  applyImport,
  ImportRefusedError,
  type ParsedImport,
  parseCsv,
  parseDotenv,
  previewImport,
} from '../../../src/core/transfer';
import type { Vault } from '../../../src/core/vault';
import { testCoffer, vaultContents } from '../../support/coffer';
import { injectWriteFault } from '../../support/faults';
import { memoryDatabase } from '../../support/memory-db';

const noPause = () => Promise.resolve();

async function openVault(
  options: { style?: 'environment'; db?: ReturnType<typeof memoryDatabase> } = {},
) {
  const { coffer } = testCoffer(options.db ? { db: options.db } : {});
  const session = await coffer.createProfile('pw');
  const summary = await session.createVault('work');
  const vault = await session.openVault({ id: summary.id });
  if (options.style) await vault.setNameStyle(options.style);
  return { session, vault, id: summary.id };
}

async function seed(vault: Vault) {
  await vault.set('KEEP', 'CANARY-keep', { kind: 'secret' });
  await vault.set('OVERWRITE', 'old', { kind: 'secret' });
  await vault.set('HIDDEN', 'CANARY-write-only', { kind: 'secret', writeOnly: true });
  await vault.set('CONFIG', { a: 1 }, { kind: 'item' });
  return vaultContents(vault);
}

describe('previewImport', () => {
  it('sorts records into new, clashing, refused (with the rule words) and look-alikes', async () => {
    const { vault } = await openVault({ style: 'environment' });
    await seed(vault);
    const parsed = parseDotenv(
      'NEW_ONE=1\nKEEP=2\nOVERWRITE=3\nlower_case=4\nTAB\u00a0X=5\nKEY_1=6\nKEY_I=7\nKEEp=8\n'.replace(
        'TAB\u00a0X=5\n',
        '',
      ),
    );
    const progress: [string, number, number][] = [];
    const preview = await previewImport(parsed, vault, {
      pause: noPause,
      chunk: 2,
      onProgress: (...step) => progress.push(step),
    });
    expect(preview.total).toBe(7);
    expect(preview.fresh.map((e) => e.name)).toEqual(['NEW_ONE', 'KEY_1']);
    expect(preview.clashes.map((e) => [e.name, e.existingKind])).toEqual([
      ['KEEP', 'secret'],
      ['OVERWRITE', 'secret'],
    ]);
    expect(preview.refused.map((r) => [r.name, r.rule, r.from.line])).toEqual([
      ['lower_case', 'lowercase', 4],
      ['KEY_I', 'look-alike', 6],
      ['KEEp', 'lowercase', 7],
    ]);
    expect(preview.refused[0]!.problem).toContain('try "LOWER_CASE"');
    expect(preview.refused[1]!.lookalikeOf).toBe('KEY_1');
    expect(preview.refused[1]!.problem).toContain('looks the same');
    // Progress moves in chunks and ends at the total.
    expect(progress.length).toBeGreaterThan(2);
    expect(progress.at(-1)).toEqual(['checking', 7, 7]);
    // Nothing was written.
    expect((await vault.list()).map((e) => e.name)).toEqual([
      'CONFIG',
      'HIDDEN',
      'KEEP',
      'OVERWRITE',
    ]);
  });

  it('refuses names with control characters, saying which character', async () => {
    const { vault } = await openVault();
    const parsed = parseCsv('name,value\n"bad\tname",x\n"line\nbreak",y\nok,z\n', {
      name: 0,
      value: 1,
      secret: true,
    });
    const preview = await previewImport(parsed, vault, { pause: noPause });
    expect(preview.fresh.map((e) => e.name)).toEqual(['ok']);
    expect(preview.refused.map((r) => r.from.line)).toEqual([2, 3]);
    expect(preview.refused[0]!.problem).toContain('character 4 is a tab');
  });

  it('keeps both of a name the file gives twice, under a suffix', async () => {
    const { vault } = await openVault();
    await vault.set('dup-2', 'taken', { kind: 'item' });
    const parsed = parseCsv('n,v\ndup,1\ndup,2\ndup,3\n', { name: 0, value: 1, secret: false });
    const preview = await previewImport(parsed, vault, { pause: noPause });
    expect(preview.fresh.map((e) => e.name)).toEqual(['dup', 'dup-3', 'dup-4']);
    expect(preview.duplicates.map((d) => [d.name, d.renamedTo, d.from.line])).toEqual([
      ['dup', 'dup-3', 3],
      ['dup', 'dup-4', 4],
    ]);
  });

  it('refuses a value too large for the vault, naming the record', async () => {
    const { vault } = await openVault();
    const parsed = parseDotenv(`BIG=${'x'.repeat(1_100_000)}\nSMALL=1\n`);
    const preview = await previewImport(parsed, vault, { pause: noPause });
    expect(preview.refused.map((r) => [r.name, r.rule])).toEqual([['BIG', 'value']]);
    expect(preview.refused[0]!.problem).toContain('too large');
  });
});

describe('applyImport: all or nothing', () => {
  it('writes new entries and the chosen clash decisions; a write-only secret stays write-only', async () => {
    const { vault } = await openVault();
    const before = await seed(vault);
    const parsed = parseDotenv(
      'NEW=n\nKEEP=CANARY-new\nOVERWRITE=new\nHIDDEN=CANARY-new-hidden\nCONFIG=c\n',
    );
    const preview = await previewImport(parsed, vault, { pause: noPause });
    const progress: string[] = [];
    const summary = await applyImport(
      preview,
      vault,
      {
        all: 'keep-both',
        choices: new Map([
          ['KEEP', 'skip'],
          ['OVERWRITE', 'overwrite'],
          ['HIDDEN', 'overwrite'],
        ]),
      },
      {
        pause: noPause,
        onProgress: (phase, done, total) => progress.push(`${phase} ${done}/${total}`),
      },
    );
    expect(summary).toEqual({
      created: 2,
      overwritten: 2,
      keptBoth: [{ name: 'CONFIG', renamedTo: 'CONFIG-2' }],
      skipped: 1,
      refused: 0,
    });
    expect(progress[0]).toBe('checking 0/4');
    expect(progress.at(-1)).toBe('writing 4/4');
    const after = await vaultContents(vault);
    expect(after).toEqual({
      ...before,
      NEW: 'n',
      OVERWRITE: 'new',
      HIDDEN: 'CANARY-new-hidden',
      'CONFIG-2': 'c',
    });
    expect((await vault.list()).find((e) => e.name === 'HIDDEN')?.writeOnly).toBe(true);
    expect((await vault.list()).find((e) => e.name === 'NEW')?.kind).toBe('secret');
  });

  it('a vault that changed since the preview is refused, and nothing is written', async () => {
    const { vault } = await openVault();
    const preview = await previewImport(parseDotenv('A=1\nB=2\n'), vault, { pause: noPause });
    await vault.set('B', 'CANARY-made-meanwhile', { kind: 'secret' });
    const before = await vaultContents(vault);
    const error = await applyImport(preview, vault, { all: 'overwrite' }, { pause: noPause }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ImportRefusedError);
    expect((error as ImportRefusedError).reason).toBe('vault-changed');
    expect(await vaultContents(vault)).toEqual(before);
  });

  it('a refusal by the vault in the middle of the batch writes nothing and names the record', async () => {
    const { vault } = await openVault();
    const before = await seed(vault);
    // Connections are checked by the vault itself when written: the second one has a field
    // name with a line break, which the vault refuses after the first entry was checked.
    const connection = (field: string) => ({
      kind: 'connection' as const,
      value: { type: 'basic-auth', fields: { [field]: { value: 'CANARY-pw', secret: true } } },
    });
    const parsed: ParsedImport = {
      format: 'bitwarden',
      records: [
        { name: 'first', input: connection('password'), from: { record: 1 } },
        {
          name: 'second',
          input: connection('pass\nword'),
          from: { record: 2, path: 'Work/second' },
        },
        { name: 'third', input: { kind: 'item', value: 3 }, from: { record: 3 } },
      ],
      warnings: [],
    };
    const preview = await previewImport(parsed, vault, { pause: noPause });
    expect(preview.fresh).toHaveLength(3);
    const error = await applyImport(preview, vault, { all: 'skip' }, { pause: noPause }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ImportRefusedError);
    expect((error as ImportRefusedError).reason).toBe('entry-refused');
    expect((error as ImportRefusedError).from).toEqual({ record: 2, path: 'Work/second' });
    expect((error as Error).message).toContain('record 2 (Work/second)');
    expect(String(error)).not.toContain('CANARY');
    expect(await vaultContents(vault)).toEqual(before);
  });

  it('a storage failure during the write loses nothing, before and after reopening', async () => {
    const db = memoryDatabase();
    const fault = injectWriteFault(db.relaxed, ['updates'], 'QuotaExceededError');
    const { session, vault, id } = await openVault({ db });
    const before = await seed(vault);
    const text = Array.from({ length: 300 }, (_, i) => `K${i}=CANARY-${i}`).join('\n');
    const preview = await previewImport(parseDotenv(text), vault, { pause: noPause });
    fault.arm();
    const error = await applyImport(preview, vault, { all: 'skip' }, { pause: noPause }).catch(
      (e: unknown) => e,
    );
    fault.disarm();
    expect(error).toBeInstanceOf(Error);
    expect(String(error)).not.toContain('CANARY');
    expect(await vaultContents(vault)).toEqual(before);
    await vault.close();
    const reopened = await session.openVault({ id });
    expect(await vaultContents(reopened)).toEqual(before);
  });

  it('stops before writing when aborted', async () => {
    const { vault } = await openVault();
    const preview = await previewImport(parseDotenv('A=1\nB=2\n'), vault, { pause: noPause });
    const controller = new AbortController();
    controller.abort();
    const error = await applyImport(
      preview,
      vault,
      { all: 'skip' },
      { signal: controller.signal },
    ).catch((e: unknown) => e);
    expect((error as ImportRefusedError).reason).toBe('aborted');
    expect(await vault.list()).toEqual([]);
  });

  it('imports 10,000 entries in one write, with progress', async () => {
    const { vault } = await openVault();
    const text = Array.from({ length: 10_000 }, (_, i) => `KEY_${i}=value-${i}`).join('\n');
    const phases = new Set<string>();
    const preview = await previewImport(parseDotenv(text), vault, { pause: noPause });
    const summary = await applyImport(
      preview,
      vault,
      { all: 'skip' },
      {
        pause: noPause,
        onProgress: (phase) => phases.add(phase),
      },
    );
    expect(summary.created).toBe(10_000);
    expect([...phases]).toEqual(['checking', 'writing']);
    expect(await vault.list()).toHaveLength(10_000);
    expect(await vault.get('KEY_9999')).toBe('value-9999');
  }, 60_000);
});
