import { describe, expect, it } from 'vitest';
import {
  asRemoteVersion,
  ProviderError,
  ProviderLinkError,
  type SyncOutcome,
} from '../../../src/core/providers';
import type { Vault } from '../../../src/core/vault';
import { createVaultProvider } from '../../../src/ui/state/vault-provider';
import {
  choicesFor,
  chooseAll,
  conflictsUnchosen,
  describeChoices,
} from '../../../src/ui/state/vault-provider-choices';
import {
  describeDeleted,
  heldForDeletion,
  linkProblemText,
  remoteIsGone,
  remotePathProblem,
} from '../../../src/ui/state/vault-provider-problems';
import {
  describeDiff,
  describeMigration,
  describeOutcome,
  describeProvider,
  describeStorageMove,
  linkStatusLines,
  providerButtonLabel,
  settingsBanner,
  timeAgo,
} from '../../../src/ui/state/vault-provider-text';
import {
  type LinkOptions,
  type ProviderLinkView,
  VaultMustCloseError,
  type VaultProviderEngine,
} from '../../../src/ui/state/vault-provider-types';

const minute = 60_000;
const day = 24 * 60 * minute;
const now = 1_800_000_000_000;

function link(overrides: Partial<ProviderLinkView> = {}): ProviderLinkView {
  return {
    path: 'team/api',
    enabled: true,
    autoSync: false,
    memoryOnly: false,
    names: ['API_KEY'],
    conflicts: [],
    base: {},
    salt: 'AAAAAAAAAAAAAAAAAAAAAA',
    ...overrides,
  };
}

function outcome(overrides: Partial<SyncOutcome> = {}): SyncOutcome {
  return {
    added: [],
    changed: [],
    removed: [],
    pushed: false,
    conflicts: [],
    skipped: [],
    remoteVersion: asRemoteVersion('1'),
    ...overrides,
  };
}

describe('the sync bar button', () => {
  it('says not linked, conflicts, paused, never synced, or how long ago', () => {
    expect(providerButtonLabel(undefined, now)).toBe('Provider: not linked');
    expect(providerButtonLabel(link({ conflicts: ['A', 'B'] }), now)).toBe(
      'Provider: conflicts (2)',
    );
    expect(providerButtonLabel(link({ enabled: false, lastSyncAt: now }), now)).toBe(
      'Provider: paused',
    );
    expect(providerButtonLabel(link(), now)).toBe('Provider: not synced yet');
    expect(providerButtonLabel(link({ lastSyncAt: now - 2 * minute }), now)).toBe(
      'Provider: synced 2 min ago',
    );
    expect(
      providerButtonLabel(link({ migration: { from: 'a', to: 'b', stage: 'copied' } }), now),
    ).toBe('Provider: move unfinished');
  });

  it('counts time in plain steps, never negative', () => {
    expect(timeAgo(now, now)).toBe('just now');
    expect(timeAgo(now + 5 * minute, now)).toBe('just now');
    expect(timeAgo(now - 44_000, now)).toBe('just now');
    expect(timeAgo(now - 59 * minute, now)).toBe('59 min ago');
    expect(timeAgo(now - 3 * 60 * minute, now)).toBe('3 h ago');
    expect(timeAgo(now - day, now)).toBe('yesterday');
    expect(timeAgo(now - 4 * day, now)).toBe('4 days ago');
  });
});

describe('the settings banner', () => {
  const hashicorp = {
    kind: 'hashicorp' as const,
    address: 'https://vault.example.com:8200',
    enginePath: 'secret',
    namespace: 'admin',
    auth: { method: 'token' as const, token: 'hvs.CANARY-TOKEN' },
  };
  const aws = {
    kind: 'aws' as const,
    region: 'eu-west-1',
    accessKeyId: 'AKIACANARYKEYID',
    secretAccessKey: 'CANARY-SECRET-ACCESS-KEY',
  };

  it('names the default provider by where it is, never by its credentials', () => {
    const banner = settingsBanner({ settings: hashicorp, usesDefaults: true });
    expect(banner.kind).toBe('default');
    expect(banner.text).toContain('https://vault.example.com:8200');
    expect(banner.text).toContain('namespace admin');
    expect(banner.text).not.toContain('CANARY');
    expect(describeProvider(aws)).toBe('AWS Secrets Manager in eu-west-1');
    expect(describeProvider({ ...aws, endpoint: 'http://localhost:4566' })).toContain(
      'at http://localhost:4566',
    );
    expect(describeProvider(aws)).not.toContain('CANARY');
  });

  it('tells an override from the default, and points to Settings when there is neither', () => {
    expect(settingsBanner({ settings: aws, override: aws, usesDefaults: false }).kind).toBe('own');
    const none = settingsBanner({ usesDefaults: false });
    expect(none.kind).toBe('none');
    expect(none.text).toContain('Settings → Providers');
  });
});

describe('the status of a linked vault', () => {
  it('says where, when, which version, and whether Save pushes', () => {
    const lines = linkStatusLines(
      link({ lastSyncAt: now - 2 * minute, remoteVersion: asRemoteVersion('7'), autoSync: true }),
      now,
    );
    expect(lines).toEqual([
      'Linked to team/api; last synced 2 min ago.',
      'Remote version 7.',
      'Saving pushes to the provider; unlocking pulls from it.',
    ]);
    const manual = linkStatusLines(link({ autoSync: false, remoteVersion: 'absent' }), now);
    expect(manual).toEqual([
      'Linked to team/api; not synced yet.',
      'The provider has no secret at this path.',
      'Saving does not push: use Pull and Push, or turn on “Sync automatically”.',
    ]);
    const paused = linkStatusLines(link({ enabled: false, memoryOnly: true, autoSync: true }), now);
    expect(paused.join(' ')).toContain('Paused');
    expect(paused.join(' ')).not.toContain('Saving pushes');
    expect(paused.join(' ')).toContain('memory only');
  });
});

describe('the outcome of an action', () => {
  it('says "nothing to do" when nothing moved', () => {
    expect(describeOutcome('pull', outcome()).headline).toBe(
      'Pull: nothing to do; this vault and the provider already match.',
    );
    expect(describeOutcome('pull', outcome()).details).toEqual([]);
  });

  it('counts and names what was added, changed and removed, with skipped keys and why', () => {
    const summary = describeOutcome(
      'pull',
      outcome({
        added: ['A', 'B'],
        changed: ['C'],
        removed: ['D'],
        skipped: [{ key: 'BIN', reason: 'not JSON' }],
      }),
    );
    expect(summary.headline).toBe('Pull: 2 added, 1 changed, 1 removed.');
    expect(summary.details).toEqual([
      'Added: A, B.',
      'Changed: C.',
      'Removed: D.',
      'Skipped BIN: not JSON.',
    ]);
  });

  it('says when it pushed and which version, and lists conflicts waiting for a choice', () => {
    const pushed = describeOutcome(
      'push',
      outcome({ pushed: true, remoteVersion: asRemoteVersion('12') }),
    );
    expect(pushed.headline).toBe('Push: done, pushed.');
    expect(pushed.details).toEqual(['Pushed to the provider (version 12).']);
    const conflicted = describeOutcome('pull', outcome({ conflicts: ['X'] }));
    expect(conflicted.headline).toBe('Pull: 1 conflict.');
    expect(conflicted.details[0]).toContain('1 key changed on both sides');
  });

  it('says what a push changed at the provider', () => {
    const pushed = describeOutcome(
      'push',
      outcome({
        pushed: true,
        remoteVersion: asRemoteVersion('5'),
        remote: { added: ['A', 'B'], changed: [], removed: ['C'] },
      }),
    );
    expect(pushed.details).toEqual(['Pushed to the provider: 2 added, 1 removed (version 5).']);
    const first = describeOutcome('push', outcome({ pushed: true, remoteVersion: 'absent' }));
    expect(first.details).toEqual(['Pushed to the provider.']);
  });

  it('shortens long name lists', () => {
    const names = Array.from({ length: 12 }, (_, i) => `K${i}`);
    expect(describeOutcome('pull', outcome({ added: names })).details[0]).toBe(
      'Added: K0, K1, K2, K3, K4, K5, K6, K7 and 4 more.',
    );
  });
});

describe('the difference at a first link', () => {
  const diff = {
    onlyLocal: ['LOCAL_ONLY'],
    onlyRemote: ['R1', 'R2'],
    same: ['S'],
    different: ['D1', 'D2', 'D3'],
  };

  it('counts each side, by name only', () => {
    const described = describeDiff(diff);
    expect(described.rows.map((row) => row.label)).toEqual([
      'Only in this vault (1)',
      'Only in the provider (2)',
      'Different on each side (3)',
      'The same (1)',
    ]);
    expect(described.rows[2]!.names).toEqual(['D1', 'D2', 'D3']);
  });

  it('says how many keys take the chosen side', () => {
    expect(describeDiff(diff).sentence).toBe(
      "Keys on either side are kept; only the 3 different keys take the side you choose. The other side's value stays in the provider's history.",
    );
    expect(describeDiff({ ...diff, different: ['D1'] }).sentence).toContain(
      'only the different key takes the side you choose',
    );
    expect(describeDiff({ ...diff, different: [] }).sentence).toContain('no key differs');
  });
});

describe('an unfinished move', () => {
  it('says where it stopped, and what Resume and Undo each do, for every stage', () => {
    const stages = ['started', 'copied', 'verified', 'switched'] as const;
    const texts = stages.map((stage) => describeMigration({ from: 'old/p', to: 'new/p', stage }));
    for (const text of texts) {
      expect(text.headline).toMatch(/^Moving from old\/p to new\/p stopped /);
      expect(text.resume).toContain('new/p');
      expect(text.undo).toContain('old/p');
    }
    // Every stage reads differently: the user can tell how far it got.
    expect(new Set(texts.map((text) => text.headline)).size).toBe(4);
    expect(new Set(texts.map((text) => text.resume)).size).toBe(4);
    expect(texts[0]!.headline).toContain('before the values were copied');
    expect(texts[3]!.headline).toContain('switched to new/p');
    expect(texts[3]!.undo).toContain('switches this vault back to old/p');
  });
});

describe('a deleted remote secret', () => {
  it('counts the days the provider holds the name', () => {
    expect(describeDeleted({ path: 'p', purgeAt: now + 7 * day, restorable: true }, now)).toContain(
      'holds this name for 7 more days; restore it or choose another path',
    );
    expect(describeDeleted({ path: 'p', purgeAt: now + day / 2, restorable: true }, now)).toContain(
      '1 more day',
    );
    expect(describeDeleted({ path: 'p', purgeAt: now - 1, restorable: true }, now)).toContain(
      'less than a day',
    );
    expect(
      describeDeleted({ path: 'p', purgeAt: now + 30 * day, restorable: true }, now, 'aws'),
    ).toContain('AWS holds this name for 30 more days');
    expect(describeDeleted({ path: 'p', restorable: true }, now)).toContain('can be restored');
    expect(describeDeleted({ path: 'p', restorable: false }, now)).toContain('cannot be restored');
  });

  it('knows the provider error that means the name is held for deletion', () => {
    expect(heldForDeletion(new ProviderError('aws', 'scheduled-for-deletion', 'write'))).toBe(true);
    expect(heldForDeletion(new ProviderError('aws', 'forbidden', 'write'))).toBe(false);
    expect(heldForDeletion(new Error('scheduled-for-deletion'))).toBe(false);
  });
});

describe('remote paths', () => {
  it('accepts names with folders and refuses empty, slashed or dotted ones', () => {
    expect(remotePathProblem('team/api-prod')).toBeUndefined();
    expect(remotePathProblem('')).toBe('Give a remote path.');
    expect(remotePathProblem(' a')).toContain('spaces');
    expect(remotePathProblem('/a')).toContain('slash');
    expect(remotePathProblem('a/')).toContain('slash');
    expect(remotePathProblem('a//b')).toContain('empty folder');
    expect(remotePathProblem('a/../b')).toContain('..');
    expect(remotePathProblem('a b')).toContain('spaces');
  });
});

describe('conflict choices', () => {
  it('drops choices for keys no longer in conflict, and Apply waits for every key', () => {
    const choices = { A: 'mine', GONE: 'theirs' } as const;
    expect(choicesFor(['A', 'B'], choices)).toEqual({ A: 'mine' });
    expect(conflictsUnchosen(['A', 'B'], choices)).toEqual(['B']);
    expect(describeChoices(['A', 'B'], choices)).toBe(
      'Keep 1 of mine, take 0 of theirs; 1 key still to choose.',
    );
    const all = chooseAll(['A', 'B'], 'theirs');
    expect(all).toEqual({ A: 'theirs', B: 'theirs' });
    expect(conflictsUnchosen(['A', 'B'], all)).toEqual([]);
    expect(describeChoices(['A', 'B'], all)).toBe('Keep 0 of mine, take 2 of theirs.');
  });
});

// ---------------------------------------------------------------------------------------------

/**
 * An engine double: one link in memory, calls recorded, failures injected per method. It holds
 * names only; what the state does with the engine's answers is what these tests check.
 */
function fakeEngine(start: { link?: ProviderLinkView; remote?: string[]; local?: string[] } = {}) {
  const calls: string[] = [];
  const failing = new Map<string, unknown>();
  let current = start.link;
  let remote = start.remote ?? [];
  const local = start.local ?? [];
  const watchers = new Set<(report: { outcome: SyncOutcome } | { error: unknown }) => void>();
  const fail = (method: string) => {
    const error = failing.get(method);
    if (error !== undefined) throw error;
  };
  const linked = (path: string, options: LinkOptions): ProviderLinkView => {
    current = link({
      path,
      memoryOnly: options.memoryOnly ?? false,
      autoSync: options.autoSync ?? true,
      lastSyncAt: now,
      names: [...new Set([...local, ...remote])],
    });
    return current;
  };
  const engine: VaultProviderEngine = {
    async vaultSettings() {
      calls.push('vaultSettings');
      fail('vaultSettings');
      return { usesDefaults: true, ...(current ? { link: current } : {}) };
    },
    async saveOverride(_id, settings) {
      calls.push(`saveOverride ${settings === undefined ? 'none' : settings.kind}`);
      fail('saveOverride');
    },
    defaultPath: (name) => `coffer/${name.toLowerCase()}`,
    async link(_vault, path, options = {}, sync = {}) {
      calls.push(`link ${path} ${JSON.stringify(options)} record=${sync.record !== undefined}`);
      fail('link');
      const both = local.filter((name) => remote.includes(name));
      if (local.length > 0 && remote.length > 0) {
        return {
          state: 'needs-choice',
          diff: {
            onlyLocal: local.filter((name) => !remote.includes(name)),
            onlyRemote: remote.filter((name) => !local.includes(name)),
            same: [],
            different: both,
          },
        };
      }
      const made = linked(path, options);
      remote = [...local];
      return { state: 'linked', link: made, outcome: outcome({ pushed: local.length > 0 }) };
    },
    async linkWith(_vault, path, choice, options = {}) {
      calls.push(`linkWith ${path} ${choice} ${JSON.stringify(options)}`);
      fail('linkWith');
      linked(path, options);
      return outcome({ pushed: true, changed: choice === 'keep-remote' ? ['D'] : [] });
    },
    async pull(_vault, sync = {}) {
      calls.push(`pull record=${sync.record !== undefined}`);
      fail('pull');
      if (current) current = { ...current, lastSyncAt: now };
      return outcome({ added: remote.filter((name) => !local.includes(name)) });
    },
    async push(_vault, options = {}) {
      calls.push(options.recreate ? 'push recreate' : 'push');
      fail('push');
      return outcome({ pushed: true, remoteVersion: asRemoteVersion('2') });
    },
    async unlink(_vault, options) {
      calls.push(`unlink keep=${options.keepLocalCopy}`);
      fail('unlink');
      current = undefined;
    },
    async setOptions(_id, options) {
      calls.push(`setOptions ${JSON.stringify(options)}`);
      fail('setOptions');
      if (current) current = { ...current, ...options };
    },
    async setMemoryOnly(_id, on, options) {
      calls.push(`setMemoryOnly ${on} ${JSON.stringify(options)}`);
      fail('setMemoryOnly');
      if (current) current = { ...current, memoryOnly: on };
    },
    async resolve(_vault, choices) {
      calls.push(`resolve ${JSON.stringify(choices)}`);
      fail('resolve');
      if (current) current = { ...current, conflicts: [] };
      return outcome({ pushed: true });
    },
    async migrate(_vault, path) {
      calls.push(`migrate ${path}`);
      fail('migrate');
      const from = current?.path ?? '';
      if (current) current = { ...current, path };
      return { state: 'migrated', from, to: path, left: 'kept' };
    },
    async resumeMigration() {
      calls.push('resumeMigration');
      return { state: 'migrated', from: 'a', to: 'b', left: 'deleted' };
    },
    async undoMigration() {
      calls.push('undoMigration');
      return { state: 'undone', from: 'a', to: 'b', left: 'untouched' };
    },
    async deleteRemote() {
      calls.push('deleteRemote');
      fail('deleteRemote');
      return { path: current?.path ?? '', purgeAt: now + 7 * day, restorable: true };
    },
    async destroyRemote(_vault, name) {
      calls.push(`destroyRemote ${name}`);
    },
    async restoreRemote() {
      calls.push('restoreRemote');
      fail('restoreRemote');
    },
    watch(_vault, onOutcome) {
      calls.push('watch');
      watchers.add(onOutcome);
      return () => {
        calls.push('unwatch');
        watchers.delete(onOutcome);
      };
    },
  };
  return { engine, calls, failing, watchers, link: () => current };
}

let opened = 0;
/** A vault handle as the state sees it (the fake engine never reads it); a new id each time. */
function aVault(): Vault {
  opened++;
  return { id: `vault-${opened}`, name: 'Team API' } as unknown as Vault;
}

/** A reopen as the opener does it: the work runs with the vault closed (counted here). */
function reopener() {
  const runs: string[] = [];
  return {
    runs,
    reopen: async (work: () => Promise<void>) => {
      runs.push('closed');
      await work();
      runs.push('opened');
    },
  };
}

describe('the provider state of an open vault', () => {
  it('a link whose first push fails stays off, keeps the error, and runs no watch', async () => {
    const fake = fakeEngine({ local: ['A'] });
    const refused = new ProviderError('hashicorp', 'forbidden', 'write', { status: 403 });
    fake.failing.set('link', refused);
    const provider = createVaultProvider({ engine: fake.engine, vault: aVault() });
    await provider.start();
    await provider.link('coffer/team-api', { autoSync: true });
    expect(provider.failure()).toEqual({ action: 'link', error: refused });
    expect(provider.info()?.link).toBeUndefined();
    expect(provider.watching()).toBe(false);
    expect(fake.calls).not.toContain('watch');
    expect(provider.busy()).toBeUndefined();
    expect(provider.buttonLabel(now)).toBe('Provider: not linked');
  });

  it('a link with keys on both sides waits for a choice, then links with it and watches', async () => {
    const fake = fakeEngine({ local: ['A', 'D'], remote: ['D', 'R'] });
    const { reopen, runs } = reopener();
    const provider = createVaultProvider({ engine: fake.engine, vault: aVault(), reopen });
    await provider.start();
    await provider.link('team/api', { memoryOnly: true, autoSync: true });
    expect(provider.pending()?.diff).toEqual({
      onlyLocal: ['A'],
      onlyRemote: ['R'],
      same: [],
      different: ['D'],
    });
    expect(provider.info()?.link).toBeUndefined();
    expect(provider.watching()).toBe(false);

    await provider.choose('keep-remote');
    // Linked first, then the values move to memory with the vault closed.
    expect(fake.calls).toContain('linkWith team/api keep-remote {"autoSync":true}');
    expect(fake.calls).toContain('setMemoryOnly true {}');
    expect(runs).toEqual(['closed', 'opened']);
    expect(provider.pending()).toBeUndefined();
    expect(provider.info()?.link?.memoryOnly).toBe(true);
    expect(provider.watching()).toBe(true);
  });

  it('links and reports what the link did, with the audit hook passed to the engine', async () => {
    const fake = fakeEngine({ local: ['A'] });
    const provider = createVaultProvider({
      engine: fake.engine,
      vault: aVault(),
      record: () => undefined,
    });
    await provider.start();
    await provider.link('team/api', { autoSync: false });
    expect(fake.calls).toContain('link team/api {"autoSync":false} record=true');
    expect(provider.result()?.summary.details).toEqual(['Pushed to the provider (version 1).']);
    expect(provider.info()?.link?.autoSync).toBe(false);
  });

  it('memory only without a way to reopen the vault fails and changes nothing', async () => {
    const fake = fakeEngine({ link: link() });
    const provider = createVaultProvider({ engine: fake.engine, vault: aVault() });
    await provider.start();
    await provider.setMemoryOnly(true);
    expect(provider.failure()?.error).toBeInstanceOf(VaultMustCloseError);
    expect(linkProblemText(provider.failure()?.error)?.body[0]).toContain('Nothing was changed');
    expect(fake.calls.some((call) => call.startsWith('setMemoryOnly'))).toBe(false);
    expect(provider.info()?.link?.memoryOnly).toBe(false);
  });

  it('a failed choice keeps the question open and the vault unlinked', async () => {
    const fake = fakeEngine({ local: ['D'], remote: ['D'] });
    const provider = createVaultProvider({ engine: fake.engine, vault: aVault() });
    await provider.start();
    await provider.link('team/api', {});
    const refused = new ProviderError('aws', 'throttled', 'write', { status: 400 });
    fake.failing.set('linkWith', refused);
    await provider.choose('keep-local');
    expect(provider.pending()?.path).toBe('team/api');
    expect(provider.failure()).toEqual({ action: 'choose', error: refused });
    expect(provider.info()?.link).toBeUndefined();
    expect(provider.watching()).toBe(false);
  });

  it('watches while the link is on: Save outcomes and errors show, pausing and closing stop it', async () => {
    const fake = fakeEngine({ link: link({ lastSyncAt: now }) });
    const provider = createVaultProvider({ engine: fake.engine, vault: aVault() });
    await provider.start();
    expect(provider.watching()).toBe(true);
    expect(fake.watchers.size).toBe(1);
    for (const onOutcome of fake.watchers) {
      onOutcome({ outcome: outcome({ pushed: true, remoteVersion: asRemoteVersion('3') }) });
    }
    expect(provider.result()?.action).toBe('save');
    expect(provider.result()?.summary.details).toEqual(['Pushed to the provider (version 3).']);
    const conflict = new ProviderError('hashicorp', 'server', 'write', { status: 503 });
    for (const onOutcome of fake.watchers) onOutcome({ error: conflict });
    expect(provider.failure()).toEqual({ action: 'save', error: conflict });

    await provider.setEnabled(false);
    expect(fake.calls).toContain('setOptions {"enabled":false}');
    expect(fake.watchers.size).toBe(0);
    expect(provider.watching()).toBe(false);

    await provider.setEnabled(true);
    expect(fake.calls.slice(-3)).toEqual(['pull record=false', 'vaultSettings', 'watch']);
    expect(provider.watching()).toBe(true);

    provider.stop();
    expect(fake.watchers.size).toBe(0);
    expect(provider.watching()).toBe(false);
  });

  it('pulls when the vault opens when the link is on with auto sync, or memory only', async () => {
    const auto = fakeEngine({ link: link({ autoSync: true }), remote: ['R'] });
    const autoProvider = createVaultProvider({ engine: auto.engine, vault: aVault() });
    await autoProvider.start();
    expect(auto.calls).toContain('pull record=false');
    expect(autoProvider.result()?.summary.headline).toBe('Pull: 1 added.');

    const memory = fakeEngine({ link: link({ autoSync: false, memoryOnly: true }) });
    await createVaultProvider({ engine: memory.engine, vault: aVault() }).start();
    expect(memory.calls).toContain('pull record=false');

    const manual = fakeEngine({ link: link({ autoSync: false }) });
    await createVaultProvider({ engine: manual.engine, vault: aVault() }).start();
    expect(manual.calls.some((call) => call.startsWith('pull'))).toBe(false);

    const paused = fakeEngine({ link: link({ autoSync: true, enabled: false }) });
    const provider = createVaultProvider({ engine: paused.engine, vault: aVault() });
    await provider.start();
    expect(paused.calls.some((call) => call.startsWith('pull'))).toBe(false);
    expect(provider.watching()).toBe(false);

    const moving = fakeEngine({
      link: link({ autoSync: true, migration: { from: 'a', to: 'b', stage: 'copied' } }),
    });
    await createVaultProvider({ engine: moving.engine, vault: aVault() }).start();
    expect(moving.calls.some((call) => call.startsWith('pull'))).toBe(false);
  });

  it('a failed pull keeps the link as it was and says which action failed', async () => {
    const before = link({ lastSyncAt: now - 5 * minute, remoteVersion: asRemoteVersion('4') });
    const fake = fakeEngine({ link: before });
    const provider = createVaultProvider({ engine: fake.engine, vault: aVault() });
    await provider.start();
    const down = new ProviderError('hashicorp', 'unreachable', 'read');
    fake.failing.set('pull', down);
    await provider.pull();
    expect(provider.failure()).toEqual({ action: 'pull', error: down });
    expect(provider.result()).toBeUndefined();
    expect(provider.info()?.link).toEqual(before);
    expect(provider.watching()).toBe(true);
  });

  it('a secret gone from the remote is said, and can be written again', async () => {
    const fake = fakeEngine({ link: link() });
    fake.engine.pull = async () => outcome({ remoteGone: true });
    const provider = createVaultProvider({ engine: fake.engine, vault: aVault() });
    await provider.start();
    await provider.pull();
    expect(provider.result()?.remoteGone).toBe(true);
    expect(provider.result()?.summary.headline).toContain('remote secret is gone');
    await provider.recreate();
    expect(fake.calls).toContain('push recreate');
    expect(provider.result()?.remoteGone).toBeUndefined();
    expect(remoteIsGone(new ProviderLinkError('remote-gone', {}, 'gone'))).toBe(true);
    expect(remoteIsGone(new ProviderLinkError('disabled', {}, 'paused'))).toBe(false);
  });

  it('runs one action at a time', async () => {
    const fake = fakeEngine({ link: link({ autoSync: false }) });
    const provider = createVaultProvider({ engine: fake.engine, vault: aVault() });
    await provider.start();
    const first = provider.pull();
    expect(provider.busy()).toBe('pull');
    await provider.push();
    await first;
    expect(fake.calls.filter((call) => call.startsWith('push'))).toEqual([]);
    expect(fake.calls.filter((call) => call.startsWith('pull'))).toEqual(['pull record=false']);
  });

  it('sends only the choices for keys in conflict', async () => {
    const fake = fakeEngine({ link: link({ conflicts: ['A', 'B'], autoSync: false }) });
    const provider = createVaultProvider({ engine: fake.engine, vault: aVault() });
    await provider.start();
    expect(provider.buttonLabel(now)).toBe('Provider: conflicts (2)');
    await provider.resolve({ A: 'mine', B: 'theirs', OLD: 'mine' });
    expect(fake.calls).toContain('resolve {"A":"mine","B":"theirs"}');
    expect(provider.info()?.link?.conflicts).toEqual([]);
  });

  it('destroys only when the typed path is the linked one', async () => {
    const fake = fakeEngine({ link: link({ path: 'team/api' }) });
    const provider = createVaultProvider({ engine: fake.engine, vault: aVault() });
    await provider.start();
    await provider.destroyRemote('team/ap');
    expect(fake.calls.some((call) => call.startsWith('destroyRemote'))).toBe(false);
    await provider.destroyRemote('team/api');
    expect(fake.calls).toContain('destroyRemote team/api');
  });

  it('a soft delete remembers when the name is freed; restore clears it, a failed one keeps it', async () => {
    const fake = fakeEngine({ link: link() });
    const provider = createVaultProvider({ engine: fake.engine, vault: aVault() });
    await provider.start();
    await provider.deleteRemote();
    expect(provider.deleted()?.purgeAt).toBe(now + 7 * day);
    const refused = new ProviderError('aws', 'forbidden', 'restore');
    fake.failing.set('restoreRemote', refused);
    await provider.restoreRemote();
    expect(provider.deleted()).toBeDefined();
    expect(provider.failure()?.action).toBe('restore-remote');
    fake.failing.delete('restoreRemote');
    await provider.restoreRemote();
    expect(provider.deleted()).toBeUndefined();
  });

  it('stopping a memory-only link with a local copy stores the values first, vault closed', async () => {
    const fake = fakeEngine({ link: link({ memoryOnly: true }) });
    const { reopen, runs } = reopener();
    const provider = createVaultProvider({ engine: fake.engine, vault: aVault(), reopen });
    await provider.start();
    await provider.unlink(true);
    const stored = fake.calls.indexOf('setMemoryOnly false {"keepLocalCopy":true}');
    expect(stored).toBeGreaterThan(-1);
    expect(fake.calls.indexOf('unlink keep=true')).toBeGreaterThan(stored);
    expect(runs).toEqual(['closed', 'opened']);
    expect(provider.info()?.link).toBeUndefined();
    expect(provider.watching()).toBe(false);
  });

  it('stopping without a copy unlinks in place; a failed storage move keeps the link', async () => {
    const fake = fakeEngine({ link: link({ memoryOnly: true }) });
    const { reopen, runs } = reopener();
    const provider = createVaultProvider({ engine: fake.engine, vault: aVault(), reopen });
    await provider.start();
    fake.failing.set('setMemoryOnly', new Error('disk full'));
    await provider.unlink(true);
    expect(provider.failure()?.action).toBe('unlink');
    expect(provider.info()?.link?.memoryOnly).toBe(true);
    expect(fake.calls.some((call) => call.startsWith('unlink'))).toBe(false);
    await provider.unlink(false);
    expect(fake.calls).toContain('unlink keep=false');
    expect(runs).toEqual(['closed']);
  });

  it('memory only off passes the keep-local-copy answer through, with the vault closed', async () => {
    const fake = fakeEngine({ link: link({ memoryOnly: true }) });
    const { reopen, runs } = reopener();
    const provider = createVaultProvider({ engine: fake.engine, vault: aVault(), reopen });
    await provider.start();
    await provider.setMemoryOnly(false, false);
    expect(fake.calls).toContain('setMemoryOnly false {"keepLocalCopy":false}');
    expect(runs).toEqual(['closed', 'opened']);
    expect(provider.info()?.link?.memoryOnly).toBe(false);
  });

  it('a move reports where the old secret went', async () => {
    const fake = fakeEngine({ link: link({ path: 'old/p' }) });
    const provider = createVaultProvider({ engine: fake.engine, vault: aVault(), now: () => now });
    await provider.start();
    await provider.migrate('new/p');
    expect(provider.result()?.summary.headline).toBe('Moved from old/p to new/p.');
    expect(provider.result()?.summary.details[0]).toContain('was kept');
    await provider.undoMigration();
    expect(provider.result()?.summary.headline).toBe(
      'The move was undone: this vault uses a again.',
    );
  });

  it('a settings read that fails is kept as a failure, with no watch', async () => {
    const fake = fakeEngine({ link: link() });
    const broken = new Error('damaged record');
    fake.failing.set('vaultSettings', broken);
    const provider = createVaultProvider({ engine: fake.engine, vault: aVault() });
    await provider.start();
    expect(provider.failure()).toEqual({ action: 'load', error: broken });
    expect(provider.watching()).toBe(false);
  });

  it('a failed override save rejects (for the form) and leaves the settings as read', async () => {
    const fake = fakeEngine();
    const provider = createVaultProvider({ engine: fake.engine, vault: aVault() });
    await provider.start();
    const before = provider.info();
    fake.failing.set('saveOverride', new Error('disk full'));
    await expect(provider.saveOverride(undefined)).rejects.toThrow('disk full');
    expect(provider.info()).toBe(before);
    expect(await provider.useDefaults()).toBe(false);
    expect(provider.failure()?.action).toBe('use-defaults');
  });

  it('a memory-only move that fails still shows after the vault reopens, over its opening pull', async () => {
    const fake = fakeEngine({ link: link({ autoSync: true }) });
    const vault = aVault();
    let reopened: ReturnType<typeof createVaultProvider> | undefined;
    let opening: Promise<void> | undefined;
    const first = createVaultProvider({
      engine: fake.engine,
      vault,
      // As the opener does it: close (stop), run the work, open again with a new state.
      reopen: async (work) => {
        first.stop();
        try {
          await work();
        } finally {
          // The vault opens again a moment later, after the move's failure is known.
          reopened = createVaultProvider({ engine: fake.engine, vault });
          opening = new Promise((resolve) => setTimeout(() => resolve(reopened!.start()), 0));
        }
      },
    });
    await first.start();
    const full = new Error('storage full');
    fake.failing.set('setMemoryOnly', full);
    await first.setMemoryOnly(true);
    await opening;
    expect(fake.calls.filter((call) => call.startsWith('pull')).length).toBe(2);
    expect(reopened!.failure()).toEqual({ action: 'memory-only', error: full });
    expect(reopened!.info()?.link?.memoryOnly).toBe(false);
    // Closing for good drops the message: the next opening starts clean.
    reopened!.stop();
    const later = createVaultProvider({ engine: fake.engine, vault });
    expect(later.failure()).toBeUndefined();
  });

  it('a memory-only move that works says so', async () => {
    const fake = fakeEngine({ link: link({ autoSync: false }) });
    const { reopen } = reopener();
    const provider = createVaultProvider({ engine: fake.engine, vault: aVault(), reopen });
    await provider.start();
    await provider.setMemoryOnly(true);
    expect(provider.result()?.summary.headline).toBe(describeStorageMove(true, undefined));
    expect(describeStorageMove(false, false)).toContain('starting empty');
    expect(describeStorageMove(false, true)).toContain('as they were');
  });

  it('proposes the engine default path for the vault name', () => {
    const fake = fakeEngine();
    expect(createVaultProvider({ engine: fake.engine, vault: aVault() }).defaultPath()).toBe(
      'coffer/team api',
    );
  });
});
