import { type Accessor, batch, createSignal } from 'solid-js';
import type { Coffer, Session } from '../../core/profile';
import { createRecoveryKit, type RecoveryKit } from './recovery';
import { defaultSettings, parseSettings, type Settings } from './settings';

export type Phase =
  | { readonly name: 'starting' }
  | { readonly name: 'first-run' }
  | { readonly name: 'locked' }
  | { readonly name: 'unlocked'; readonly session: Session };

export type LockReason = 'manual' | 'idle' | 'other-tab';

/** What the session channel carries between tabs. Never a key or a secret. */
type SessionMessage = { type: 'lock'; reason?: LockReason } | { type: 'activity'; at: number };

export interface AppStateOptions {
  readonly coffer: Coffer;
  /** Tabs of this browser profile: "lock all" and activity travel on it. */
  readonly channel: {
    postMessage(message: unknown): void;
    addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  };
  readonly clock?: () => number;
  /** Where user activity is observed (the document). */
  readonly activityTarget: {
    addEventListener(type: string, listener: () => void, options?: AddEventListenerOptions): void;
  };
  readonly setInterval: (fn: () => void, ms: number) => unknown;
}

export interface AppState {
  readonly phase: Accessor<Phase>;
  /** 0..1 while the passphrase is being turned into a key, else null. */
  readonly kdfProgress: Accessor<number | null>;
  readonly settings: Accessor<Settings>;
  /** Why the profile was last locked, for the unlock screen to say. */
  readonly lastLockReason: Accessor<LockReason | null>;
  start(): Promise<void>;
  /**
   * Starts loading the code an open profile runs (the Session, the vault core): the first
   * screen does not carry it, and calls this once it has painted.
   */
  preloadSession(): void;
  createProfile(passphrase: string): Promise<void>;
  unlock(passphrase: string): Promise<void>;
  /** Forgot the passphrase: the recovery code opens the profile under a new passphrase. */
  recover(code: string, newPassphrase: string): Promise<void>;
  /** The recovery kit: make, remove, status, and the offer after first run. */
  readonly recovery: RecoveryKit;
  lock(reason?: LockReason): Promise<void>;
  updateSettings(patch: Partial<Settings>): Promise<void>;
  /** The unlocked session; throws when locked (components only call it while unlocked). */
  session(): Session;
}

const activityBroadcastMs = 10_000;
const idleCheckMs = 5_000;

/**
 * The profile's lifecycle for the UI: first run, locked, unlocked; "lock all" across tabs;
 * auto-lock after idle minutes counted across every tab.
 */
export function createAppState(options: AppStateOptions): AppState {
  const clock = options.clock ?? Date.now;
  const [phase, setPhase] = createSignal<Phase>({ name: 'starting' });
  const [kdfProgress, setKdfProgress] = createSignal<number | null>(null);
  const [settings, setSettings] = createSignal<Settings>(defaultSettings);
  const [lastLockReason, setLastLockReason] = createSignal<LockReason | null>(null);
  const recovery = createRecoveryKit(options.coffer, () => {
    const current = phase();
    if (current.name !== 'unlocked') throw new Error('the profile is locked');
    return current.session;
  });

  let lastActivity = clock();
  let lastBroadcast = 0;
  /**
   * Counts locks (here or from another tab). An unlock that was under way when a lock came
   * (its key derivation takes a second) must not end unlocked: "lock all" means every tab,
   * including one that was just being unlocked.
   */
  let locks = 0;
  let lastLock: LockReason = 'manual';

  const post = (message: SessionMessage) => options.channel.postMessage(message);

  /** Makes `session` this tab's, unless a lock came since `locksBefore` (then it is locked). */
  async function enter(session: Session, locksBefore: number): Promise<void> {
    let saved: unknown;
    try {
      saved = await session.loadSettings();
    } catch {
      // A damaged settings record must not keep anyone out: defaults apply until saved again.
      saved = undefined;
    }
    if (locks !== locksBefore) {
      await session.lock();
      batch(() => {
        setLastLockReason(lastLock);
        setPhase({ name: 'locked' });
      });
      return;
    }
    lastActivity = clock();
    batch(() => {
      setSettings(parseSettings(saved));
      setLastLockReason(null);
      setPhase({ name: 'unlocked', session });
    });
    // Auto sync (issue 16): pull every linked vault that asks for it, and fill memory-only
    // ones, once per unlock. In the background; a vault that fails says so when opened.
    void session.providers.autoSyncOnUnlock().then(
      (report) => {
        if (report.failed.length > 0) {
          console.warn(`auto sync: ${report.failed.length} vault(s) could not be pulled`);
        }
      },
      () => undefined,
    );
  }

  async function withProgress<T>(
    work: (onProgress: (fraction: number) => void) => Promise<T>,
  ): Promise<T> {
    setKdfProgress(0);
    try {
      return await work((fraction) => setKdfProgress(fraction));
    } finally {
      setKdfProgress(null);
    }
  }

  async function lockHere(reason: LockReason): Promise<void> {
    locks++;
    lastLock = reason;
    const current = phase();
    if (current.name !== 'unlocked') return;
    batch(() => {
      setLastLockReason(reason);
      setSettings(defaultSettings);
      recovery.setOffer(null);
      setPhase({ name: 'locked' });
    });
    await current.session.lock();
  }

  /**
   * Locks this tab and every other one, telling them why: the one way a lock starts here, so
   * the reason the other tabs show never depends on which tab or which path locked first.
   */
  async function lockAll(reason: LockReason): Promise<void> {
    post({ type: 'lock', reason });
    await lockHere(reason);
  }

  options.channel.addEventListener('message', (event: MessageEvent) => {
    const message = event.data as SessionMessage;
    // An idle lock is idle for every tab (activity is shared); any other lock came from elsewhere.
    if (message?.type === 'lock') void lockHere(message.reason === 'idle' ? 'idle' : 'other-tab');
    else if (message?.type === 'activity' && typeof message.at === 'number')
      lastActivity = Math.max(lastActivity, message.at);
  });

  const onActivity = () => {
    const now = clock();
    lastActivity = now;
    if (phase().name === 'unlocked' && now - lastBroadcast > activityBroadcastMs) {
      lastBroadcast = now;
      post({ type: 'activity', at: now });
    }
  };
  for (const type of ['pointerdown', 'keydown', 'wheel', 'touchstart']) {
    options.activityTarget.addEventListener(type, onActivity, { passive: true, capture: true });
  }
  options.setInterval(() => {
    if (phase().name !== 'unlocked') return;
    if (clock() - lastActivity >= settings().autoLockMinutes * 60_000) void lockAll('idle');
  }, idleCheckMs);

  return {
    phase,
    kdfProgress,
    settings,
    lastLockReason,
    recovery,
    async start() {
      setPhase((await options.coffer.hasProfile()) ? { name: 'locked' } : { name: 'first-run' });
    },
    preloadSession() {
      options.coffer.preloadSession();
    },
    async createProfile(passphrase) {
      const locksBefore = locks;
      const session = await withProgress((onProgress) =>
        options.coffer.createProfile(passphrase, { onProgress }),
      );
      recovery.setOffer('first-run');
      await enter(session, locksBefore);
    },
    async recover(code, newPassphrase) {
      const locksBefore = locks;
      const session = await withProgress((onProgress) =>
        options.coffer.recover(code, newPassphrase, { onProgress }),
      );
      recovery.setOffer('recovered');
      await enter(session, locksBefore);
    },
    async unlock(passphrase) {
      const locksBefore = locks;
      const session = await withProgress((onProgress) =>
        options.coffer.unlock(passphrase, { onProgress }),
      );
      await enter(session, locksBefore);
    },
    async lock(reason = 'manual') {
      await lockAll(reason);
    },
    async updateSettings(patch) {
      const next = { ...settings(), ...patch };
      await this.session().saveSettings({ ...next });
      setSettings(next);
    },
    session() {
      const current = phase();
      if (current.name !== 'unlocked') throw new Error('the profile is locked');
      return current.session;
    },
  };
}
