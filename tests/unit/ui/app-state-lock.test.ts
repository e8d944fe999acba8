import { describe, expect, it, vi } from 'vitest';
import { type AppState, createAppState } from '../../../src/ui/state/app-state';
import { testCoffer } from '../../support/coffer';

/**
 * Two tabs' app states over one profile, with what the browser would give them: a shared
 * clock, a session channel that delivers to the other tabs in a later task (as BroadcastChannel
 * does), and idle timers the test fires itself, in the order it chooses. The end-to-end test
 * (tests/e2e/autolock.test.ts) cannot choose which tab's timer fires first; this one tries both.
 */
async function twoTabs() {
  const tabs = testCoffer();
  let now = 1_700_000_000_000;
  const listeners = new Set<(event: MessageEvent) => void>();
  const make = (coffer: typeof tabs.coffer) => {
    let own: ((event: MessageEvent) => void) | undefined;
    let idleCheck: (() => void) | undefined;
    const app = createAppState({
      coffer,
      clock: () => now,
      channel: {
        postMessage(message) {
          const data = structuredClone(message);
          for (const listener of listeners) {
            if (listener !== own) setTimeout(() => listener({ data } as MessageEvent), 0);
          }
        },
        addEventListener(_type, listener) {
          own = listener;
          listeners.add(listener);
        },
      },
      activityTarget: { addEventListener: () => undefined },
      setInterval: (fn) => {
        idleCheck = fn;
      },
    });
    return { app, idleCheck: () => idleCheck!() };
  };
  const bCoffer = tabs.anotherTab();
  const a = make(tabs.coffer);
  const b = make(bCoffer);
  await a.app.start();
  await a.app.createProfile('pw');
  await a.app.updateSettings({ autoLockMinutes: 1 });
  await b.app.start();
  await b.app.unlock('pw');
  return {
    a,
    b,
    bCoffer,
    pass: (ms: number) => {
      now += ms;
    },
  };
}

/** Lets every message posted so far be delivered. */
const delivered = () => new Promise((resolve) => setTimeout(resolve, 0));

const reasons = (...apps: AppState[]) =>
  apps.map((app) => [app.phase().name, app.lastLockReason()]);

describe('why a tab says it locked', () => {
  it.each(['a', 'b'] as const)(
    'after the idle time, every tab says idle, whichever timer fires first (%s)',
    async (first) => {
      const { a, b, pass } = await twoTabs();
      pass(65_000);
      const [early, late] = first === 'a' ? [a, b] : [b, a];
      early.idleCheck();
      await delivered();
      late.idleCheck();
      await delivered();
      expect(reasons(a.app, b.app)).toEqual([
        ['locked', 'idle'],
        ['locked', 'idle'],
      ]);
    },
  );

  it('the broadcast alone locks the other tab as idle (its own timer never fired)', async () => {
    const { a, b, pass } = await twoTabs();
    pass(65_000);
    a.idleCheck();
    await delivered();
    expect(reasons(a.app, b.app)).toEqual([
      ['locked', 'idle'],
      ['locked', 'idle'],
    ]);
  });

  it('"Lock" in one tab: "Locked." there, "from another tab" in the others', async () => {
    const { a, b } = await twoTabs();
    await a.app.lock();
    await delivered();
    expect(reasons(a.app, b.app)).toEqual([
      ['locked', 'manual'],
      ['locked', 'other-tab'],
    ]);
  });

  it('a lock asked for as idle tells the other tabs so, like the timer', async () => {
    const { a, b } = await twoTabs();
    await a.app.lock('idle');
    await delivered();
    expect(reasons(a.app, b.app)).toEqual([
      ['locked', 'idle'],
      ['locked', 'idle'],
    ]);
  });

  it('before the idle time, nothing locks', async () => {
    const { a, b, pass } = await twoTabs();
    pass(55_000);
    a.idleCheck();
    b.idleCheck();
    await delivered();
    expect(reasons(a.app, b.app)).toEqual([
      ['unlocked', null],
      ['unlocked', null],
    ]);
  });

  it('a tab still unlocking when "lock all" comes ends locked, not unlocked', async () => {
    const { a, b, bCoffer } = await twoTabs();
    await a.app.lock();
    await delivered();
    // Hold b's unlock (its key derivation) until the lock from a has been delivered.
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const unlock = bCoffer.unlock.bind(bCoffer);
    vi.spyOn(bCoffer, 'unlock').mockImplementation(async (...args) => {
      const session = await unlock(...args);
      await held;
      return session;
    });
    await a.app.unlock('pw');
    const unlocking = b.app.unlock('pw');
    await a.app.lock();
    await delivered();
    release();
    await unlocking;
    expect(reasons(a.app, b.app)).toEqual([
      ['locked', 'manual'],
      ['locked', 'other-tab'],
    ]);
  });
});
