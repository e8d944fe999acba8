/**
 * What the first screen defers (src/app/lazy-transport.ts, src/app/lazy-join.ts): a room or an
 * invitation asked for before its code has loaded behaves as the loaded one does, afterwards.
 */
import { describe, expect, it } from 'vitest';
import { lazyJoinState } from '../../../src/app/lazy-join';
import { lazyTransport } from '../../../src/app/lazy-transport';
import type { Transport, TransportFactory, TransportStatus } from '../../../src/core/sync';
import type { JoinPhase, JoinState } from '../../../src/ui/state/join';

const room = { name: 'room', password: 'pw', doc: undefined as never };
const connecting: TransportStatus = { state: 'connecting', peers: 0, peerDevices: [] };

/** A transport whose status the test sets, recording whether it was destroyed. */
function fakeTransport() {
  let status: TransportStatus = { state: 'online', peers: 1, peerDevices: ['d1'] };
  const listeners = new Set<(status: TransportStatus) => void>();
  const transport: Transport & { destroyed: boolean; set(next: TransportStatus): void } = {
    destroyed: false,
    status: () => status,
    onStatus(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async destroy() {
      transport.destroyed = true;
      status = { state: 'offline', peers: 0, peerDevices: [] };
    },
    set(next) {
      status = next;
      for (const listener of listeners) listener(next);
    },
  };
  return transport;
}

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((yes, no) => {
    resolve = yes;
    reject = no;
  });
  return { promise, resolve, reject };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('a transport whose code loads with the first room', () => {
  it('is connecting until loaded, then reports the real transport and its changes', async () => {
    const code = deferred<TransportFactory>();
    let loads = 0;
    const connect = lazyTransport(
      () => {
        loads++;
        return code.promise;
      },
      () => connecting,
    );
    const transport = connect(room);
    const heard: TransportStatus[] = [];
    transport.onStatus((status) => heard.push(status));
    expect(transport.status()).toEqual(connecting);
    const real = fakeTransport();
    code.resolve(() => real);
    await tick();
    expect(transport.status().state).toBe('online');
    real.set({ state: 'connecting', peers: 0, peerDevices: [] });
    expect(heard.map((status) => status.state)).toEqual(['online', 'connecting']);
    connect(room);
    expect(loads).toBe(1);
    await transport.destroy();
    expect(real.destroyed).toBe(true);
    real.set({ state: 'online', peers: 2, peerDevices: [] });
    expect(heard).toHaveLength(2);
  });

  it('never makes the real transport of a room left before the code loaded', async () => {
    const code = deferred<TransportFactory>();
    const connect = lazyTransport(
      () => code.promise,
      () => connecting,
    );
    const transport = connect(room);
    let made = 0;
    const left = transport.destroy();
    code.resolve(() => {
      made++;
      return fakeTransport();
    });
    await left;
    expect(made).toBe(0);
    expect(transport.status().state).toBe('offline');
  });

  it('stays offline when the code fails to load, and the next room tries again', async () => {
    let loads = 0;
    const connect = lazyTransport(
      () => {
        loads++;
        return loads === 1 ? Promise.reject(new Error('offline')) : Promise.resolve(fakeTransport);
      },
      () => connecting,
    );
    const warn = console.warn;
    console.warn = () => undefined;
    try {
      const first = connect(room);
      await tick();
      expect(first.status().state).toBe('offline');
      const second = connect(room);
      await tick();
      expect(second.status().state).toBe('online');
      expect(loads).toBe(2);
    } finally {
      console.warn = warn;
    }
  });
});

describe('an invitation whose code loads on first use', () => {
  /** A JoinState that records calls; `offer` makes the phase ready. */
  function fakeJoin(calls: string[]): JoinState {
    let phase: JoinPhase | undefined;
    return {
      phase: () => phase,
      offer(text) {
        calls.push(`offer ${text}`);
        phase = { step: 'failed', message: text };
      },
      async join() {
        calls.push('join');
        return undefined;
      },
      dismiss() {
        calls.push('dismiss');
        phase = undefined;
      },
    };
  }

  it('replays what was asked before loading, in order, and then delegates', async () => {
    const calls: string[] = [];
    const code = deferred<JoinState>();
    const join = lazyJoinState(() => code.promise);
    join.offer('#join=first');
    join.dismiss();
    join.offer('#join=second');
    expect(join.phase()).toBeUndefined();
    code.resolve(fakeJoin(calls));
    await tick();
    expect(calls).toEqual(['offer #join=first', 'dismiss', 'offer #join=second']);
    expect(join.phase()).toEqual({ step: 'failed', message: '#join=second' });
    join.offer('#join=third');
    expect(calls.at(-1)).toBe('offer #join=third');
  });

  it('says so when the code cannot load, and loads it again on the next try', async () => {
    let loads = 0;
    const calls: string[] = [];
    const join = lazyJoinState(() =>
      ++loads === 1 ? Promise.reject(new Error('no network')) : Promise.resolve(fakeJoin(calls)),
    );
    join.offer('#join=x');
    await tick();
    expect(join.phase()?.step).toBe('failed');
    expect(calls).toEqual([]);
    join.dismiss();
    await tick();
    expect(loads).toBe(2);
    expect(join.phase()).toBeUndefined();
  });
});
