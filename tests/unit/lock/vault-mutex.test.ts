import { describe, expect, it } from 'vitest';
import {
  createMemoryChannelHub,
  createMemoryLockManager,
  createVaultMutex,
  type HolderChannel,
  type LockManagerLike,
  type VaultMutex,
} from '../../../src/core/lock';
import { parseHolderMessage } from '../../../src/core/lock/holder-protocol';
import { createManualScheduler } from '../../../src/core/time';
import {
  type ContractClient,
  type VaultMutexContractEnv,
  vaultMutexScenarios,
} from '../../contract/vault-mutex.contract';

// The platform's objects satisfy the structural interfaces: `npm run typecheck` fails if not.
type Fits<T, U> = T extends U ? true : false;
const platformFits: [Fits<LockManager, LockManagerLike>, Fits<BroadcastChannel, HolderChannel>] = [
  true,
  true,
];

/**
 * Every holder in the scenarios answers; a long reply timeout only keeps a slow machine from
 * turning a late answer into an unknown holder.
 */
const replyTimeoutMs = 2000;

/** Each scenario gets a fresh lock space and channel hub: one origin with its tabs. */
function memoryEnv(): VaultMutexContractEnv {
  const locks = createMemoryLockManager();
  const hub = createMemoryChannelHub();
  const channels = new Map<ContractClient, HolderChannel>();
  let names = 0;
  return {
    async client(label) {
      const channel = hub.channel();
      const client = {
        label,
        mutex: createVaultMutex({
          locks: locks.forClient(label),
          channel,
          holderLabel: label,
          holderReplyTimeoutMs: replyTimeoutMs,
        }),
      };
      channels.set(client, channel);
      return client;
    },
    async crash(client) {
      locks.crashClient(client.label);
      channels.get(client)?.close();
    },
    async snapshot(lockName) {
      const { held = [], pending = [] } = await locks.query();
      return {
        held: held.filter((lock) => lock.name === lockName).length,
        pending: pending.filter((lock) => lock.name === lockName).length,
      };
    },
    lockName: (hint) => `coffer/test/${hint}/${names++}`,
  };
}

it('navigator.locks and BroadcastChannel fit LockManagerLike and HolderChannel', () => {
  expect(platformFits).toEqual([true, true]);
});

describe('vault mutex contract, over the in-memory twin', () => {
  for (const scenario of vaultMutexScenarios) {
    it(scenario.name, () => scenario.run(memoryEnv()));
  }
});

/** Lets the lock manager serve what is queued (it works in microtasks), then goes on. */
const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));
const never = new Promise<never>(() => {});

/** Records in `events` when `promise` settles, as `<name>:resolved` or `<name>:rejected`. */
function noteSettled(events: string[], name: string, promise: Promise<unknown>): void {
  promise.then(
    () => events.push(`${name}:resolved`),
    () => events.push(`${name}:rejected`),
  );
}

describe('the in-memory lock manager (Web Locks semantics)', () => {
  it('resolves the request with the callback result after the lock is released', async () => {
    const locks = createMemoryLockManager();
    const events: string[] = [];
    let release!: (value: string) => void;
    let granted!: () => void;
    const grant = new Promise<void>((resolve) => (granted = resolve));
    const request = locks.request('a', {}, () => {
      granted();
      return new Promise<string>((r) => (release = r));
    });
    noteSettled(events, 'request', request);
    await grant;
    expect((await locks.query()).held).toEqual([
      { name: 'a', mode: 'exclusive', clientId: 'default' },
    ]);
    events.push('released');
    release('done');
    const value = await request;
    // Settled after the release, not when the callback returned its promise.
    expect(events).toEqual(['released', 'request:resolved']);
    expect(value).toBe('done');
    expect((await locks.query()).held).toEqual([]);
  });

  it('rejects the request with what the callback throws, and frees the lock', async () => {
    const locks = createMemoryLockManager();
    const boom = new Error('boom');
    await expect(
      locks.request('a', {}, () => {
        throw boom;
      }),
    ).rejects.toBe(boom);
    expect(await locks.request('a', { ifAvailable: true }, (lock) => lock?.name)).toBe('a');
  });

  it('runs the callback later, never inside request()', async () => {
    const locks = createMemoryLockManager();
    let called = false;
    const request = locks.request('a', {}, () => {
      called = true;
    });
    expect(called).toBe(false);
    await request;
    expect(called).toBe(true);
  });

  it('calls an ifAvailable callback with null while held or queued, and resolves with its result', async () => {
    const locks = createMemoryLockManager();
    void locks.request('a', {}, () => never);
    void locks.request('a', {}, () => 'second');
    await nextTask();
    expect(await locks.request('a', { ifAvailable: true }, (lock) => lock)).toBeNull();
    expect((await locks.query()).pending).toHaveLength(1);
  });

  it('steal rejects the holder with AbortError, grants at once, and keeps the queue behind it', async () => {
    const locks = createMemoryLockManager();
    const a = locks.forClient('tab-a');
    const holder = a.request('a', {}, () => never);
    const waiter = a.request('a', {}, () => 'waiter');
    await nextTask();
    const order: string[] = [];
    const stealer = locks
      .forClient('tab-b')
      .request('a', { steal: true }, () => order.push('stealer'));
    await expect(holder).rejects.toMatchObject({ name: 'AbortError' });
    await stealer;
    expect(await waiter).toBe('waiter');
    expect(order).toEqual(['stealer']);
  });

  it("a stolen callback settling late does not release the stealer's lock", async () => {
    const locks = createMemoryLockManager();
    let finishStolen!: () => void;
    const stolen = locks.request('a', {}, () => new Promise<void>((r) => (finishStolen = r)));
    await nextTask();
    void locks.request('a', { steal: true }, () => never);
    await expect(stolen).rejects.toMatchObject({ name: 'AbortError' });
    finishStolen();
    await nextTask();
    expect(await locks.request('a', { ifAvailable: true }, (lock) => lock)).toBeNull();
  });

  it('rejects the option combinations the specification refuses, with its error names', async () => {
    const locks = createMemoryLockManager();
    const signal = new AbortController().signal;
    const cases = [
      [{ steal: true, ifAvailable: true }, 'NotSupportedError'],
      [{ steal: true, signal }, 'NotSupportedError'],
      [{ ifAvailable: true, signal }, 'NotSupportedError'],
      [{ mode: 'shared' }, 'NotSupportedError'],
      [{ mode: 'sideways' }, 'TypeError'],
    ] as const;
    for (const [options, name] of cases) {
      await expect(locks.request('a', options as never, () => 0)).rejects.toMatchObject({ name });
    }
    await expect(locks.request('-a', {}, () => 0)).rejects.toMatchObject({
      name: 'NotSupportedError',
    });
  });

  it('rejects with the signal reason: at once if already aborted, or when aborted while queued', async () => {
    const locks = createMemoryLockManager();
    const reason = new Error('stop');
    await expect(locks.request('a', { signal: AbortSignal.abort(reason) }, () => 0)).rejects.toBe(
      reason,
    );
    void locks.request('a', {}, () => never);
    const controller = new AbortController();
    const waiting = locks.request('a', { signal: controller.signal }, () => 0);
    await nextTask();
    controller.abort();
    await expect(waiting).rejects.toMatchObject({ name: 'AbortError' });
    expect((await locks.query()).pending).toEqual([]);
  });

  it('query lists held and pending locks in request order, each with its client id', async () => {
    const locks = createMemoryLockManager();
    void locks.forClient('tab-1').request('x', {}, () => never);
    void locks.forClient('tab-2').request('y', {}, () => never);
    void locks.forClient('tab-3').request('x', {}, () => never);
    void locks.forClient('tab-2').request('y', {}, () => never);
    void locks.forClient('tab-1').request('x', {}, () => never);
    await nextTask();
    const snapshot = await locks.query();
    expect(snapshot.held?.map((l) => `${l.name}@${l.clientId}`)).toEqual(['x@tab-1', 'y@tab-2']);
    expect(snapshot.pending?.map((l) => `${l.name}@${l.clientId}`)).toEqual([
      'x@tab-3',
      'y@tab-2',
      'x@tab-1',
    ]);
  });

  it('crashClient frees held locks, drops pending requests, and closes the client', async () => {
    const locks = createMemoryLockManager();
    const tab1 = locks.forClient('tab-1');
    const tab2 = locks.forClient('tab-2');
    void tab2.request('b', {}, () => never);
    const held = tab1.request('a', {}, () => never);
    const queued = tab1.request('b', {}, () => 'never granted');
    const settled: string[] = [];
    noteSettled(settled, 'held', held);
    noteSettled(settled, 'queued', queued);
    await nextTask();
    expect((await locks.query()).pending).toEqual([
      { name: 'b', mode: 'exclusive', clientId: 'tab-1' },
    ]);
    locks.crashClient('tab-1');
    expect(await locks.request('a', { ifAvailable: true }, (lock) => lock?.name)).toBe('a');
    const { held: nowHeld = [], pending = [] } = await locks.query();
    expect(nowHeld.map((l) => `${l.name}@${l.clientId}`)).toEqual(['b@tab-2']);
    expect(pending).toEqual([]);
    await expect(tab1.request('c', {}, () => 0)).rejects.toMatchObject({
      name: 'InvalidStateError',
    });
    // The same id later is a new tab.
    expect(await locks.forClient('tab-1').request('c', {}, () => 'reopened')).toBe('reopened');
    // Nobody is left to see the crashed tab's promises: through all of the above (the crash,
    // the locks it freed granted, the new tab served), neither settled.
    expect(settled).toEqual([]);
  });
});

describe('the vault mutex, beyond the contract', () => {
  function twoTabs(options: { channel?: boolean; clock?: () => number } = {}) {
    const locks = createMemoryLockManager();
    const hub = createMemoryChannelHub();
    const make = (label: string): VaultMutex =>
      createVaultMutex({
        locks: locks.forClient(label),
        holderLabel: label,
        holderReplyTimeoutMs: 50,
        ...(options.channel === false ? {} : { channel: hub.channel() }),
        ...(options.clock ? { clock: options.clock } : {}),
      });
    return { locks, tab1: make('tab-1'), tab2: make('tab-2') };
  }

  it('takes since from the given clock', async () => {
    const { tab1, tab2 } = twoTabs({ clock: () => 1_700_000_000_000 });
    const lease = await tab1.acquire('v');
    expect(lease.since).toBe(1_700_000_000_000);
    expect(await tab2.whoHolds('v')).toEqual({
      label: 'tab-1',
      since: 1_700_000_000_000,
      heldHere: false,
    });
  });

  it('without a holder channel, whoHolds says held with the label unknown', async () => {
    const { tab1, tab2 } = twoTabs({ channel: false });
    await tab1.acquire('v');
    expect(await tab2.whoHolds('v')).toEqual({
      label: undefined,
      since: undefined,
      heldHere: false,
    });
    const busy = tab2.acquire('v', { ifAvailable: true });
    await expect(busy).rejects.toMatchObject({
      name: 'VaultBusyError',
      message: 'lock "v" is held by another tab or worker',
    });
  });

  it('says "timed out" only for a TimeoutError reason', async () => {
    const { tab1, tab2 } = twoTabs();
    await tab1.acquire('v');
    const timeoutReason = new DOMException('took too long', 'TimeoutError');
    await expect(
      tab2.acquire('v', { signal: AbortSignal.abort(timeoutReason) }),
    ).rejects.toMatchObject({ timedOut: true, message: 'waiting for lock "v" timed out' });
    await expect(tab2.acquire('v', { signal: AbortSignal.abort() })).rejects.toMatchObject({
      timedOut: false,
      message: 'waiting for lock "v" was aborted',
    });
  });

  it('announces acquire and release on the channel, and ignores foreign messages', async () => {
    // Messages move when the test moves time: advance(0) delivers every message posted, and
    // every answer those messages draw.
    const time = createManualScheduler({ start: 5 });
    const hub = createMemoryChannelHub({ scheduler: time });
    const listener = hub.channel();
    const heard: unknown[] = [];
    listener.addEventListener('message', (event) => heard.push(event.data));
    const mutex = createVaultMutex({
      locks: createMemoryLockManager(),
      channel: hub.channel(),
      holderLabel: 'tab-1',
      scheduler: time,
    });
    // Garbage from another tab or another protocol is ignored, not thrown on, nor answered.
    listener.postMessage({ protocol: 'coffer/lock-holder/1', type: 'who-holds' });
    listener.postMessage('hello');
    time.advance(0);
    const lease = await mutex.acquire('v');
    await lease.release();
    time.advance(0);
    expect(time.pending).toBe(0);
    expect(heard).toEqual([
      {
        protocol: 'coffer/lock-holder/1',
        type: 'acquired',
        lockName: 'v',
        label: 'tab-1',
        since: 5,
      },
      { protocol: 'coffer/lock-holder/1', type: 'released', lockName: 'v' },
    ]);
  });

  it('keeps the lease when the channel was closed under it', async () => {
    const hub = createMemoryChannelHub();
    const channel = hub.channel();
    const mutex = createVaultMutex({ locks: createMemoryLockManager(), channel });
    channel.close();
    const warn = console.warn;
    console.warn = () => {};
    try {
      const lease = await mutex.acquire('v');
      await lease.release();
      expect(await lease.lost).toBe('released');
    } finally {
      console.warn = warn;
    }
  });

  it('whoHolds says held, holder unknown, once a holder that cannot answer has had its time', async () => {
    const time = createManualScheduler();
    const locks = createMemoryLockManager();
    const hub = createMemoryChannelHub({ scheduler: time });
    const silent = createVaultMutex({ locks: locks.forClient('tab-1') }); // on no channel
    const asker = createVaultMutex({
      locks: locks.forClient('tab-2'),
      channel: hub.channel(),
      scheduler: time,
      holderReplyTimeoutMs: 60_000,
    });
    await silent.acquire('v');
    const asking = asker.whoHolds('v');
    // The question is out once its wait is scheduled (after the asker saw the lock held).
    while (time.pending === 0) await nextTask();
    time.advance(60_000);
    expect(await asking).toEqual({ label: undefined, since: undefined, heldHere: false });
    expect(time.pending).toBe(0);
  });

  it('rejects a lock manager that is not one when created', () => {
    expect(() => createVaultMutex({ locks: {} as LockManagerLike })).toThrow(
      /invalid options.locks: expected a LockManager/,
    );
  });
});

describe('the holder protocol', () => {
  const base = { protocol: 'coffer/lock-holder/1', lockName: 'v' };

  it('reads the messages it knows, and cuts long labels', () => {
    expect(parseHolderMessage({ ...base, type: 'who-holds', ask: 'q1' })).toEqual({
      ...base,
      type: 'who-holds',
      ask: 'q1',
    });
    expect(parseHolderMessage({ ...base, type: 'acquired', since: 1 })).toEqual({
      ...base,
      type: 'acquired',
      since: 1,
    });
    const long = parseHolderMessage({
      ...base,
      type: 'held',
      ask: 'q',
      label: 'x'.repeat(500),
      since: 1,
    });
    expect(long).toMatchObject({ label: 'x'.repeat(200) });
  });

  it.each([
    ['another protocol', { ...base, protocol: 'y-webrtc', type: 'released' }],
    ['no lock name', { ...base, lockName: '', type: 'released' }],
    ['an unknown type', { ...base, type: 'stolen' }],
    ['a question without an id', { ...base, type: 'who-holds' }],
    ['an answer without an id', { ...base, type: 'held', since: 1 }],
    ['a label that is not text', { ...base, type: 'acquired', label: 42, since: 1 }],
    ['a since that is not a time', { ...base, type: 'acquired', since: Number.NaN }],
    ['not an object', 'held'],
  ])('ignores %s', (_what, data) => {
    expect(parseHolderMessage(data)).toBeUndefined();
  });
});

describe('the in-memory channel hub', () => {
  it('delivers a clone to every other open channel, later, and never to the sender', () => {
    const time = createManualScheduler();
    const hub = createMemoryChannelHub({ scheduler: time });
    const [a, b, c] = [hub.channel(), hub.channel(), hub.channel()];
    const got: Record<string, unknown[]> = { a: [], b: [], c: [] };
    a.addEventListener('message', (e) => got.a!.push(e.data));
    b.addEventListener('message', (e) => got.b!.push(e.data));
    c.addEventListener('message', (e) => got.c!.push(e.data));
    const message = { n: 1 };
    a.postMessage(message);
    expect(got.b).toEqual([]);
    c.close();
    time.advance(0);
    expect(got).toEqual({ a: [], b: [{ n: 1 }], c: [] });
    expect(got.b![0]).not.toBe(message);
    expect(() => c.postMessage('x')).toThrow(/closed/);
  });
});
