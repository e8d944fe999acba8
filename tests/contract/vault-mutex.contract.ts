/**
 * The vault mutex's contract, written once and run against both lock managers: the in-memory
 * twin in Node (tests/unit/lock/vault-mutex.test.ts) and `navigator.locks` in real Chromium
 * (tests/browser/vault-mutex.test.ts, through the harness).
 *
 * Scenarios are plain async functions with no test-runner import, so the harness page can bundle
 * them. Each throws on failure. Timing: grants and hand-offs must happen within a few seconds,
 * "at once" means well under a second, and "still waiting" is checked after a short pause.
 */
import {
  InvalidLockRequestError,
  type Lease,
  LockWaitAbortedError,
  VaultBusyError,
  type VaultMutex,
} from '../../src/core/lock';

/** One tab: its own VaultMutex over the lock space and holder channel all clients share. */
export interface ContractClient {
  /** The client's holder label, which other clients see in whoHolds and VaultBusyError. */
  readonly label: string;
  readonly mutex: VaultMutex;
}

export interface VaultMutexContractEnv {
  /** A new client with its own mutex, labelled `label` (unique within a scenario). */
  client(label: string): Promise<ContractClient>;
  /** Ends the client as a closed or crashed tab ends: its locks are freed, its waits dropped. */
  crash(client: ContractClient): Promise<void>;
  /** How many hold `lockName` and how many wait for it, as the platform's query() says. */
  snapshot(lockName: string): Promise<{ held: number; pending: number }>;
  /** A lock name no other scenario run uses. */
  lockName(hint: string): string;
}

export interface VaultMutexScenario {
  readonly name: string;
  run(env: VaultMutexContractEnv): Promise<void>;
}

export class ContractAssertionError extends Error {
  override readonly name = 'ContractAssertionError';
}

function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new ContractAssertionError(message);
}

function assertEqual<T>(actual: T, expected: T, what: string): void {
  if (!Object.is(actual, expected)) {
    throw new ContractAssertionError(
      `${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`,
    );
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** How long "at once" may take: a round trip to the browser's lock service and back. */
const atOnceMs = 1000;
/** How long a grant or hand-off may take. */
const handOffMs = 5000;
/** The pause after which something that should wait is taken to be waiting. */
const settleMs = 100;

const never = Symbol('never');

/** The promise's value if it settles within `ms`, `never` otherwise; rejections propagate. */
async function within<T>(promise: Promise<T>, ms: number): Promise<T | typeof never> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<typeof never>((resolve) => {
    timer = setTimeout(() => resolve(never), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The promise's value; fails if it does not settle within `ms`. */
async function settles<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  const value = await within(promise, ms);
  if (value === never) throw new ContractAssertionError(`${what}: did not happen within ${ms} ms`);
  return value;
}

/** Fails if the promise settles within `ms` (it should still be waiting). */
async function stillPending(promise: Promise<unknown>, what: string, ms = settleMs): Promise<void> {
  const value = await within(
    promise.then(
      () => 'resolved',
      () => 'rejected',
    ),
    ms,
  );
  if (value !== never) throw new ContractAssertionError(`${what}: expected to wait, but ${value}`);
}

/** The error the promise rejects with; fails if it resolves or hangs. */
async function rejection(
  promise: Promise<unknown>,
  what: string,
  ms = handOffMs,
): Promise<unknown> {
  const outcome = await settles(
    promise.then(
      (value) => ({ ok: true as const, value }),
      (error: unknown) => ({ ok: false as const, error }),
    ),
    ms,
    what,
  );
  if (outcome.ok) throw new ContractAssertionError(`${what}: expected a rejection, it resolved`);
  return outcome.error;
}

/** Calls `fn`, failing if it throws synchronously: async APIs reject, never throw. */
function noThrow<T>(fn: () => Promise<T>, what: string): Promise<T> {
  try {
    return fn();
  } catch (error) {
    throw new ContractAssertionError(`${what}: threw synchronously (${String(error)})`);
  }
}

async function waitFor(what: string, check: () => Promise<boolean>, ms = handOffMs): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new ContractAssertionError(`${what}: not within ${ms} ms`);
    await sleep(5);
  }
}

async function waitForPending(env: VaultMutexContractEnv, lockName: string, count: number) {
  await waitFor(`${count} request(s) pending`, async () => {
    const snapshot = await env.snapshot(lockName);
    return snapshot.pending === count;
  });
}

/** Rejects with VaultBusyError at once, and returns it. */
async function expectBusy(client: ContractClient, lockName: string): Promise<VaultBusyError> {
  const error = await rejection(
    client.mutex.acquire(lockName, { ifAvailable: true }),
    `${client.label} ifAvailable`,
    atOnceMs,
  );
  assert(error instanceof VaultBusyError, `expected VaultBusyError, got ${String(error)}`);
  assertEqual(error.lockName, lockName, 'VaultBusyError.lockName');
  return error;
}

/** Acquires with ifAvailable: it must be granted at once. */
function expectFree(client: ContractClient, lockName: string): Promise<Lease> {
  return settles(
    client.mutex.acquire(lockName, { ifAvailable: true }),
    atOnceMs,
    `${client.label} ifAvailable on a free lock`,
  );
}

const scenarios: VaultMutexScenario[] = [];
const scenario = (name: string, run: (env: VaultMutexContractEnv) => Promise<void>) => {
  scenarios.push({ name, run });
};

scenario(
  'a free lock is granted at once, with its name and the time it was granted',
  async (env) => {
    const name = env.lockName('free');
    const a = await env.client('tab-A');
    const before = Date.now();
    const lease = await settles(a.mutex.acquire(name), atOnceMs, 'acquiring a free lock');
    const after = Date.now();
    assertEqual(lease.name, name, 'lease.name');
    assert(
      lease.since >= before && lease.since <= after,
      `lease.since ${lease.since} should be between ${before} and ${after}`,
    );
    assertEqual((await env.snapshot(name)).held, 1, 'locks held while leased');
    await lease.release();
    assertEqual((await env.snapshot(name)).held, 0, 'locks held after release');
  },
);

scenario('exclusive: 3 clients × 20 cycles never hold it together (counter 60)', async (env) => {
  const name = env.lockName('exclusive');
  const clients = await Promise.all(['tab-A', 'tab-B', 'tab-C'].map((label) => env.client(label)));
  const shared = { counter: 0, holders: 0, maxHolders: 0 };
  await Promise.all(
    clients.map(async (client, index) => {
      for (let cycle = 0; cycle < 20; cycle++) {
        const lease = await client.mutex.acquire(name);
        shared.holders += 1;
        shared.maxHolders = Math.max(shared.maxHolders, shared.holders);
        // A read-modify-write across an await: only mutual exclusion keeps every increment.
        const read = shared.counter;
        await sleep((cycle + index) % 3);
        shared.counter = read + 1;
        shared.holders -= 1;
        await lease.release();
      }
    }),
  );
  assertEqual(shared.counter, 60, 'counter after 60 increments');
  assertEqual(shared.maxHolders, 1, 'most holders at once');
});

scenario('FIFO: on release, waiters are granted in the order they asked', async (env) => {
  const name = env.lockName('fifo');
  const a = await env.client('tab-A');
  const held = await a.mutex.acquire(name);
  const order: string[] = [];
  /** Asks for the lock and waits until the request is queued, so the next one comes after. */
  const enqueue = async (label: string, position: number) => {
    const client = await env.client(label);
    const waiting = client.mutex.acquire(name).then((lease) => {
      order.push(label);
      return lease;
    });
    await waitForPending(env, name, position);
    return { waiting };
  };
  const { waiting: waitingB } = await enqueue('tab-B', 1);
  const { waiting: waitingC } = await enqueue('tab-C', 2);
  const { waiting: waitingD } = await enqueue('tab-D', 3);
  await stillPending(waitingB, 'tab-B while tab-A holds');
  await held.release();
  const leaseB = await settles(waitingB, handOffMs, 'hand-off to tab-B');
  await stillPending(waitingC, 'tab-C while tab-B holds');
  assertEqual(order.join(','), 'tab-B', 'grant order after one release');
  await leaseB.release();
  const leaseC = await settles(waitingC, handOffMs, 'hand-off to tab-C');
  await leaseC.release();
  const leaseD = await settles(waitingD, handOffMs, 'hand-off to tab-D');
  await leaseD.release();
  assertEqual(order.join(','), 'tab-B,tab-C,tab-D', 'grant order');
});

scenario(
  'ifAvailable: VaultBusyError at once while held, naming the holder; granted when free',
  async (env) => {
    const name = env.lockName('if-available');
    const [a, b] = await Promise.all([env.client('tab-A'), env.client('tab-B')]);
    const leaseA = await a.mutex.acquire(name);
    const busy = await expectBusy(b, name);
    assertEqual(busy.holder?.label, 'tab-A', 'VaultBusyError.holder.label');
    assertEqual(busy.holder?.since, leaseA.since, 'VaultBusyError.holder.since');
    assertEqual(busy.holder?.heldHere, false, 'VaultBusyError.holder.heldHere');
    assert(busy.message.includes('tab-A'), `the message names the holder: ${busy.message}`);
    // The holder asking again is told it holds the lock itself.
    const own = await expectBusy(a, name);
    assertEqual(own.holder?.heldHere, true, 'heldHere for the holder itself');
    // Refusals leave the holder alone and queue nothing.
    await stillPending(leaseA.lost, "tab-A's lease after the refusals");
    assertEqual((await env.snapshot(name)).pending, 0, 'pending after ifAvailable refusals');
    await leaseA.release();
    const leaseB = await expectFree(b, name);
    await leaseB.release();
  },
);

scenario(
  'a signal timeout rejects with LockWaitAbortedError saying "timed out"; the lock still works',
  async (env) => {
    const name = env.lockName('timeout');
    const [a, b, c] = await Promise.all([
      env.client('tab-A'),
      env.client('tab-B'),
      env.client('tab-C'),
    ]);
    const leaseA = await a.mutex.acquire(name);
    const started = Date.now();
    const error = await rejection(
      b.mutex.acquire(name, { signal: AbortSignal.timeout(150) }),
      'tab-B waiting with a 150 ms timeout',
    );
    assert(
      error instanceof LockWaitAbortedError,
      `expected LockWaitAbortedError, got ${String(error)}`,
    );
    assert(Date.now() - started >= 100, 'the wait lasted about as long as the timeout');
    assertEqual(error.lockName, name, 'LockWaitAbortedError.lockName');
    assertEqual(error.timedOut, true, 'LockWaitAbortedError.timedOut');
    assert(/timed out/.test(error.message), `the message says timed out: ${error.message}`);
    assertEqual((error.reason as { name?: unknown }).name, 'TimeoutError', 'reason.name');
    // The aborted request left the queue: tab-A still holds, and nobody waits.
    assertEqual((await env.snapshot(name)).pending, 0, 'pending after the timeout');
    await stillPending(leaseA.lost, "tab-A's lease after tab-B gave up");
    await leaseA.release();
    // The timed-out waiter never gets the lock: tab-C finds it free.
    const leaseC = await expectFree(c, name);
    assertEqual((await a.mutex.whoHolds(name))?.label, 'tab-C', 'holder after the hand-off');
    await leaseC.release();
    const leaseB = await settles(b.mutex.acquire(name), atOnceMs, 'tab-B trying again');
    await leaseB.release();
  },
);

scenario(
  'an abort while waiting rejects with LockWaitAbortedError saying "aborted", with the reason',
  async (env) => {
    const name = env.lockName('abort');
    const [a, b] = await Promise.all([env.client('tab-A'), env.client('tab-B')]);
    const leaseA = await a.mutex.acquire(name);
    const controller = new AbortController();
    const waiting = b.mutex.acquire(name, { signal: controller.signal });
    await waitForPending(env, name, 1);
    const reason = new Error('the user closed the dialog');
    controller.abort(reason);
    const error = await rejection(waiting, 'tab-B after the abort', atOnceMs);
    assert(
      error instanceof LockWaitAbortedError,
      `expected LockWaitAbortedError, got ${String(error)}`,
    );
    assertEqual(error.timedOut, false, 'LockWaitAbortedError.timedOut');
    assert(/aborted/.test(error.message), `the message says aborted: ${error.message}`);
    assert(
      !/timed out/.test(error.message),
      `the message does not say timed out: ${error.message}`,
    );
    assertEqual(error.reason, reason as unknown, 'LockWaitAbortedError.reason');
    assertEqual((await env.snapshot(name)).pending, 0, 'pending after the abort');
    await leaseA.release();
  },
);

scenario(
  'an already-aborted signal rejects at once and queues nothing, held or free',
  async (env) => {
    const name = env.lockName('pre-aborted');
    const [a, b] = await Promise.all([env.client('tab-A'), env.client('tab-B')]);
    const free = await rejection(
      b.mutex.acquire(name, { signal: AbortSignal.abort() }),
      'an aborted signal on a free lock',
      atOnceMs,
    );
    assert(
      free instanceof LockWaitAbortedError,
      `expected LockWaitAbortedError, got ${String(free)}`,
    );
    assertEqual((await env.snapshot(name)).held, 0, 'held after a pre-aborted request');
    const leaseA = await a.mutex.acquire(name);
    const held = await rejection(
      b.mutex.acquire(name, { signal: AbortSignal.abort() }),
      'an aborted signal on a held lock',
      atOnceMs,
    );
    assert(
      held instanceof LockWaitAbortedError,
      `expected LockWaitAbortedError, got ${String(held)}`,
    );
    assertEqual((await env.snapshot(name)).pending, 0, 'pending after a pre-aborted request');
    await leaseA.release();
  },
);

scenario('aborting the signal of a granted lease does nothing', async (env) => {
  const name = env.lockName('abort-after-grant');
  const [a, b] = await Promise.all([env.client('tab-A'), env.client('tab-B')]);
  const controller = new AbortController();
  const lease = await a.mutex.acquire(name, { signal: controller.signal });
  controller.abort(new Error('too late'));
  await stillPending(lease.lost, 'the lease after a late abort');
  await expectBusy(b, name);
  assertEqual((await b.mutex.whoHolds(name))?.label, 'tab-A', 'holder after a late abort');
  await lease.release();
  assertEqual(await lease.lost, 'released', 'lease.lost');
});

scenario(
  'steal: granted at once; the old lease is lost as stolen and its release leaves the lock alone',
  async (env) => {
    const name = env.lockName('steal');
    const [a, b, c] = await Promise.all([
      env.client('tab-A'),
      env.client('tab-B'),
      env.client('tab-C'),
    ]);
    const leaseA = await a.mutex.acquire(name);
    const leaseB = await settles(b.mutex.acquire(name, { steal: true }), atOnceMs, 'the steal');
    assertEqual(await settles(leaseA.lost, atOnceMs, "tab-A's lost"), 'stolen', "tab-A's lost");
    // The old holder releasing (as its handle closes) must not free the stealer's lock.
    await settles(leaseA.release(), atOnceMs, "tab-A's release after the steal");
    await leaseA.release();
    const busy = await expectBusy(c, name);
    assertEqual(busy.holder?.label, 'tab-B', 'holder after the steal');
    assertEqual(busy.holder?.since, leaseB.since, 'holder since after the steal');
    await stillPending(leaseB.lost, "tab-B's lease after tab-A's release");
    await leaseB.release();
    assertEqual(await leaseB.lost, 'released', "tab-B's lost");
    const leaseC = await expectFree(c, name);
    await leaseC.release();
  },
);

scenario('steal goes ahead of waiters, who stay queued for the stealer', async (env) => {
  const name = env.lockName('steal-queue');
  const [a, b, c] = await Promise.all([
    env.client('tab-A'),
    env.client('tab-B'),
    env.client('tab-C'),
  ]);
  const leaseA = await a.mutex.acquire(name);
  const waitingC = c.mutex.acquire(name);
  await waitForPending(env, name, 1);
  const leaseB = await settles(b.mutex.acquire(name, { steal: true }), atOnceMs, 'the steal');
  await stillPending(waitingC, 'tab-C after the steal');
  assertEqual(await leaseA.lost, 'stolen', "tab-A's lost");
  await leaseB.release();
  const leaseC = await settles(waitingC, handOffMs, 'hand-off to tab-C');
  await leaseC.release();
});

scenario("a crashed holder's lock is released and a waiter gets in", async (env) => {
  const name = env.lockName('crash-holder');
  const [a, b] = await Promise.all([env.client('tab-A'), env.client('tab-B')]);
  await a.mutex.acquire(name);
  const waitingB = b.mutex.acquire(name);
  await waitForPending(env, name, 1);
  await stillPending(waitingB, 'tab-B while tab-A holds');
  await env.crash(a);
  const leaseB = await settles(waitingB, handOffMs, 'tab-B after tab-A crashed');
  assertEqual((await b.mutex.whoHolds(name))?.heldHere, true, 'tab-B holds it');
  await leaseB.release();
});

scenario("a crashed waiter's request is dropped from the queue", async (env) => {
  const name = env.lockName('crash-waiter');
  const [a, b, c] = await Promise.all([
    env.client('tab-A'),
    env.client('tab-B'),
    env.client('tab-C'),
  ]);
  const leaseA = await a.mutex.acquire(name);
  void b.mutex.acquire(name).catch(() => {});
  await waitForPending(env, name, 1);
  const waitingC = c.mutex.acquire(name);
  await waitForPending(env, name, 2);
  await env.crash(b);
  await waitForPending(env, name, 1);
  await leaseA.release();
  const leaseC = await settles(waitingC, handOffMs, 'tab-C after tab-B crashed');
  await leaseC.release();
});

scenario('release is idempotent, and resolves once the lock is free', async (env) => {
  const name = env.lockName('release');
  const [a, b] = await Promise.all([env.client('tab-A'), env.client('tab-B')]);
  const leaseA = await a.mutex.acquire(name);
  await settles(Promise.all([leaseA.release(), leaseA.release()]), atOnceMs, 'two releases');
  assertEqual(await leaseA.lost, 'released', 'lease.lost');
  // Released means released: another tab gets it at once, with no retry.
  const leaseB = await expectFree(b, name);
  // A late release of the old lease leaves the new holder's lock alone.
  await settles(leaseA.release(), atOnceMs, 'a third release');
  await stillPending(leaseB.lost, "tab-B's lease after tab-A's late release");
  await expectBusy(a, name);
  await leaseB.release();
  await leaseB.release();
  assertEqual((await env.snapshot(name)).held, 0, 'held after every release');
});

scenario("whoHolds: undefined when free; the holder's label and since when held", async (env) => {
  const name = env.lockName('who-holds');
  const [a, b] = await Promise.all([env.client('tab-A'), env.client('tab-B')]);
  assertEqual(await b.mutex.whoHolds(name), undefined, 'whoHolds of a free lock');
  const leaseA = await a.mutex.acquire(name);
  const seen = await settles(b.mutex.whoHolds(name), atOnceMs, 'whoHolds');
  assertEqual(seen?.label, 'tab-A', 'whoHolds().label');
  assertEqual(seen?.since, leaseA.since, 'whoHolds().since');
  assertEqual(seen?.heldHere, false, 'whoHolds().heldHere');
  // A waiter asks too.
  const waitingB = b.mutex.acquire(name);
  await waitForPending(env, name, 1);
  assertEqual((await b.mutex.whoHolds(name))?.label, 'tab-A', 'whoHolds from a waiter');
  const own = await a.mutex.whoHolds(name);
  assertEqual(own?.heldHere, true, 'whoHolds().heldHere for the holder');
  assertEqual(own?.label, 'tab-A', "the holder's own label");
  await leaseA.release();
  const leaseB = await settles(waitingB, handOffMs, 'hand-off to tab-B');
  assertEqual((await a.mutex.whoHolds(name))?.label, 'tab-B', 'whoHolds after the hand-off');
  await leaseB.release();
  assertEqual(await a.mutex.whoHolds(name), undefined, 'whoHolds after the last release');
});

scenario('invalid arguments reject (never throw) with InvalidLockRequestError', async (env) => {
  const name = env.lockName('invalid');
  const a = await env.client('tab-A');
  const cases: { what: string; call: () => Promise<unknown>; argument: string; says: RegExp }[] = [
    {
      what: 'an empty lock name',
      call: () => a.mutex.acquire(''),
      argument: 'lockName',
      says: /non-empty string.*got ""/,
    },
    {
      what: 'a lock name that is not a string',
      call: () => a.mutex.acquire(42 as unknown as string),
      argument: 'lockName',
      says: /got 42/,
    },
    {
      what: 'a reserved lock name',
      call: () => a.mutex.acquire('-reserved'),
      argument: 'lockName',
      says: /"-"/,
    },
    {
      what: 'steal with ifAvailable',
      call: () => a.mutex.acquire(name, { steal: true, ifAvailable: true }),
      argument: 'options',
      says: /steal.*ifAvailable.*got both/,
    },
    {
      what: 'a signal with steal',
      call: () => a.mutex.acquire(name, { steal: true, signal: new AbortController().signal }),
      argument: 'options',
      says: /no signal with steal/,
    },
    {
      what: 'a signal with ifAvailable',
      call: () =>
        a.mutex.acquire(name, { ifAvailable: true, signal: new AbortController().signal }),
      argument: 'options',
      says: /no signal with ifAvailable/,
    },
    {
      what: 'a signal that is not an AbortSignal',
      call: () => a.mutex.acquire(name, { signal: 'soon' as unknown as AbortSignal }),
      argument: 'options.signal',
      says: /AbortSignal.*got "soon"/,
    },
    {
      what: 'whoHolds with an empty name',
      call: () => a.mutex.whoHolds(''),
      argument: 'lockName',
      says: /non-empty string/,
    },
  ];
  for (const { what, call, argument, says } of cases) {
    const error = await rejection(noThrow(call, what), what, atOnceMs);
    assert(error instanceof InvalidLockRequestError, `${what}: got ${String(error)}`);
    assertEqual(error.argument, argument, `${what}: argument`);
    assert(says.test(error.message), `${what}: message ${JSON.stringify(error.message)}`);
  }
  const snapshot = await env.snapshot(name);
  assertEqual(snapshot.held + snapshot.pending, 0, 'locks taken by invalid calls');
});

scenario('hasWaiters: false while nobody waits, true while a tab is queued', async (env) => {
  const name = env.lockName('waiters');
  const a = await env.client('tab-A');
  const b = await env.client('tab-B');
  assertEqual(await a.mutex.hasWaiters(name), false, 'waiters for a free lock');
  const held = await settles(a.mutex.acquire(name), handOffMs, 'A acquires');
  assertEqual(await b.mutex.hasWaiters(name), false, 'waiters while only held');
  const waiting = b.mutex.acquire(name);
  await waitFor('B queued', () => a.mutex.hasWaiters(name));
  assertEqual(await a.mutex.hasWaiters(`${name}-other`), false, 'waiters for another lock');
  await held.release();
  const second = await settles(waiting, handOffMs, 'B acquires after A releases');
  assertEqual(await a.mutex.hasWaiters(name), false, 'waiters once granted');
  await second.release();
});

/** Every scenario of the contract, in a stable order. */
export const vaultMutexScenarios: readonly VaultMutexScenario[] = scenarios;
