/**
 * The cross-device refresh lease (lease.ts): with fake deps (an in-memory value, a manual clock,
 * a `waitForChange` that moves the clock), then two devices over two Yjs replicas of one vault
 * document. No timers, no sleeps: time moves only when the protocol waits.
 */
import { describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import {
  claimRefresh,
  type LeaseDeps,
  type LeaseOutcome,
  leaseBase,
  REFRESH_LEASE_FIELD,
  type RefreshLease,
  readLease,
  TOKEN_STATE_FIELDS,
  withToken,
} from '../../../src/core/connections';
import { createManualScheduler } from '../../../src/core/time';
import type { ConnectionValue } from '../../../src/core/vault';
import { replica, send } from '../vault/support';

const SETTLE = 1_000;
const WAIT = 10_000;
let nonces = 0;
/** Nonces unique across this file: lease.ts remembers first sightings per nonce. */
const freshNonce = (who: string) => `${who}-nonce-${++nonces}-${Math.random()}`;

function connection(refreshToken = 'rt-one', accessToken?: string): ConnectionValue {
  return {
    type: 'oauth2-refresh-token',
    fields: {
      token_url: { value: 'https://auth.example.com/token', secret: false },
      client_id: { value: 'app', secret: false },
      refresh_token: { value: refreshToken, secret: true, writeOnly: true },
      ...(accessToken
        ? { access_token: { value: accessToken, secret: true, writeOnly: true } }
        : {}),
    },
  };
}

function withLeaseText(value: ConnectionValue, text: string): ConnectionValue {
  return {
    type: value.type,
    fields: { ...value.fields, [REFRESH_LEASE_FIELD]: { value: text, secret: false } },
  };
}

interface Fake {
  deps: LeaseDeps;
  value(): ConnectionValue;
  set(value: ConnectionValue): void;
  readonly writes: (RefreshLease & { at: number })[];
  readonly waits: number[];
  clock(): number;
  waitingCalls(): number;
}

/**
 * Deps over one in-memory value. `onWait(ms, fake)` runs at each wait, before the clock moves;
 * it returns how far the clock moves (default: all of `ms`, as a timeout would).
 */
function fake(
  start: ConnectionValue,
  onWait: (ms: number, f: Fake) => number | undefined = () => undefined,
  startAt = 50_000,
): Fake {
  let value = start;
  let now = startAt;
  let waiting = 0;
  const writes: (RefreshLease & { at: number })[] = [];
  const waits: number[] = [];
  const self: Fake = {
    deps: {
      device: 'device-me',
      read: async () => value,
      writeLease: async (lease) => {
        writes.push({ ...lease, at: now });
        value = withLeaseText(value, JSON.stringify(lease));
      },
      waitForChange: async (ms) => {
        waits.push(ms);
        if (waits.length > 100) throw new Error('the protocol keeps waiting');
        const moved = onWait(ms, self);
        now += Math.min(ms, moved ?? ms);
      },
      now: () => now,
      nonce: () => freshNonce('me'),
      settleMs: SETTLE,
      waitMs: WAIT,
      onWaiting: () => {
        waiting += 1;
      },
    },
    value: () => value,
    set: (next) => {
      value = next;
    },
    writes,
    waits,
    clock: () => now,
    waitingCalls: () => waiting,
  };
  return self;
}

describe('claimRefresh (one device, fake deps)', () => {
  it('no competing lease: writes its lease for this refresh token, waits out the settle time, refreshes', async () => {
    const f = fake(connection('rt-one', 'at-old'));
    const outcome = await claimRefresh(f.deps);
    expect(outcome).toEqual({ kind: 'refresh' });
    expect(f.writes).toHaveLength(1);
    expect(f.writes[0]).toMatchObject({
      device: 'device-me',
      base: leaseBase(connection('rt-one')),
      at: 50_000,
    });
    expect(readLease(f.value())).toMatchObject({ device: 'device-me', nonce: f.writes[0]!.nonce });
    // The whole settle time, and no more.
    expect(f.waits.reduce((a, b) => a + b, 0)).toBe(SETTLE);
    expect(f.clock()).toBe(50_000 + SETTLE);
    expect(f.waitingCalls()).toBe(0);
  });

  it('settles the whole time even when other changes wake it early', async () => {
    // Each wait ends after a quarter of what was asked (an unrelated change arrived).
    const f = fake(connection(), (ms) => Math.ceil(ms / 4));
    expect(await claimRefresh(f.deps)).toEqual({ kind: 'refresh' });
    expect(f.waits.length).toBeGreaterThan(1);
    expect(f.clock()).toBeGreaterThanOrEqual(50_000 + SETTLE);
    expect(f.writes).toHaveLength(1);
  });

  it("another device's lease for the same token: waits for it, and returns `changed` with its tokens", async () => {
    const other: RefreshLease = {
      device: 'device-other',
      nonce: freshNonce('other'),
      base: leaseBase(connection('rt-one')),
    };
    const start = withLeaseText(connection('rt-one', 'at-old'), JSON.stringify(other));
    const arrived = withToken(connection('rt-one', 'at-old'), {
      accessToken: 'at-from-other-device',
      refreshToken: 'rt-two',
      obtainedAt: 51_000,
      expiresAt: 51_000 + 3_600_000,
    });
    const f = fake(start, (ms, self) => {
      // The other device's tokens arrive during the second wait, by sync.
      if (self.waits.length === 2) {
        self.set(arrived);
        return 10;
      }
      return ms / 10;
    });
    const outcome = await claimRefresh(f.deps);
    expect(outcome).toEqual({ kind: 'changed', value: arrived });
    expect(f.writes).toEqual([]);
    expect(f.waitingCalls()).toBe(1);
    expect(f.waits).toHaveLength(2);
  });

  it('a new access token alone (same refresh token, no rotation) also counts as changed', async () => {
    const other: RefreshLease = {
      device: 'device-other',
      nonce: freshNonce('other'),
      base: leaseBase(connection('rt-one')),
    };
    const start = withLeaseText(connection('rt-one', 'at-old'), JSON.stringify(other));
    const arrived = withToken(connection('rt-one', 'at-old'), {
      accessToken: 'at-new-same-refresh',
      obtainedAt: 1,
      expiresAt: null,
    });
    const f = fake(start, (_ms, self) => {
      self.set(arrived);
      return 1;
    });
    const outcome = (await claimRefresh(f.deps)) as Extract<LeaseOutcome, { kind: 'changed' }>;
    expect(outcome.kind).toBe('changed');
    expect(outcome.value.fields[TOKEN_STATE_FIELDS.accessToken]?.value).toBe('at-new-same-refresh');
    expect(f.writes).toEqual([]);
  });

  it('a lease for another refresh token (an old one) is ignored', async () => {
    const stale: RefreshLease = {
      device: 'device-other',
      nonce: freshNonce('other'),
      base: leaseBase(connection('rt-zero')),
    };
    const f = fake(withLeaseText(connection('rt-one'), JSON.stringify(stale)));
    expect(await claimRefresh(f.deps)).toEqual({ kind: 'refresh' });
    expect(f.waitingCalls()).toBe(0);
    // Straight to its own lease: written at the start, then only the settle time.
    expect(f.writes).toHaveLength(1);
    expect(f.writes[0]!.at).toBe(50_000);
    expect(f.waits).toEqual([SETTLE]);
  });

  it('a lease that is not a lease (not JSON, missing parts) holds nobody back', async () => {
    for (const text of ['garbage', '{"device":"x","nonce":"y"}', 'null']) {
      const f = fake(withLeaseText(connection(), text));
      expect(await claimRefresh(f.deps), text).toEqual({ kind: 'refresh' });
      expect(f.writes, text).toHaveLength(1);
      expect(f.waitingCalls(), text).toBe(0);
    }
  });

  it("another device's lease that never resolves: takeover after waitMs from first sight, by this device's clock", async () => {
    const base = leaseBase(connection('rt-one'));
    // The writer claims a time far in the future: the protocol never reads writer clocks.
    const text = JSON.stringify({
      device: 'device-gone',
      nonce: freshNonce('gone'),
      base,
      at: 9_999_999_999_999,
      until: 9_999_999_999_999,
      expiresAt: 9_999_999_999_999,
    });
    // Wakes early all the time (unrelated changes), which must not restart the count.
    const f = fake(withLeaseText(connection('rt-one'), text), (ms) => Math.ceil(ms / 3));
    const outcome = await claimRefresh(f.deps);
    expect(outcome).toEqual({ kind: 'refresh' });
    expect(f.waitingCalls()).toBe(1);
    expect(f.writes).toHaveLength(1);
    // First seen at 50 000 (this device's clock): the takeover lease is written at 60 000.
    expect(f.writes[0]!.at).toBe(50_000 + WAIT);
    expect(f.writes[0]).toMatchObject({ device: 'device-me', base });
    expect(f.clock()).toBe(50_000 + WAIT + SETTLE);
  });

  it('the wait is counted from when this device first saw the lease, not from each claim', async () => {
    const lease: RefreshLease = {
      device: 'device-slow',
      nonce: freshNonce('slow'),
      base: leaseBase(connection('rt-one')),
    };
    const value = withLeaseText(connection('rt-one'), JSON.stringify(lease));
    // A first claim waits 6 s, then is cancelled (its run was).
    const first = fake(value, (_ms, self) => {
      if (self.clock() >= 56_000) throw new Error('cancelled');
      return 6_000;
    });
    await expect(claimRefresh(first.deps)).rejects.toThrow('cancelled');
    // A second claim at 57 000 on the same device waits only the 3 s left of the 10 s.
    const second = fake(value, undefined, 57_000);
    expect(await claimRefresh(second.deps)).toEqual({ kind: 'refresh' });
    expect(second.writes[0]!.at).toBe(60_000);
  });
});

/**
 * One device over its own replica of the vault document: reads and writes the connection
 * entry, wakes at remote changes or at the shared manual clock's timeout.
 */
function deviceOn(
  doc: Y.Doc,
  store: ReturnType<typeof replica>['store'],
  device: string,
  scheduler: ReturnType<typeof createManualScheduler>,
  nonce: string,
): LeaseDeps {
  const id = () => store.get('crm')!.id;
  return {
    device,
    read: async () => store.get('crm')!.value as ConnectionValue,
    writeLease: async (lease) => {
      store.update(id(), {
        fields: { [REFRESH_LEASE_FIELD]: { value: JSON.stringify(lease), secret: false } },
      });
    },
    waitForChange: (ms) =>
      new Promise<void>((resolve) => {
        const done = () => {
          doc.off('update', onUpdate);
          cancel();
          resolve();
        };
        const onUpdate = (_update: Uint8Array, origin: unknown) => {
          if (origin === 'remote') done();
        };
        doc.on('update', onUpdate);
        const cancel = scheduler.after(ms, done);
      }),
    now: () => scheduler.now(),
    nonce: () => nonce,
    settleMs: SETTLE,
    waitMs: WAIT,
  };
}

const flush = async () => {
  for (let i = 0; i < 10; i++) await new Promise((resolve) => setImmediate(resolve));
};

async function twoDevices(clientIds: [number, number]) {
  const a = replica({ clientID: clientIds[0], prefix: 'a' });
  a.store.set('crm', { kind: 'connection', value: connection('rt-one', 'at-old') });
  const b = replica({ clientID: clientIds[1], prefix: 'b', from: a.doc });
  const scheduler = createManualScheduler({ start: 1_000_000 });
  const nonceA = freshNonce('A');
  const nonceB = freshNonce('B');
  const outcomes: Record<string, LeaseOutcome | undefined> = { A: undefined, B: undefined };
  const refreshes: string[] = [];
  const sync = () => {
    send(a.doc, b.doc);
    send(b.doc, a.doc);
  };
  const run = (name: 'A' | 'B', r: typeof a, nonce: string) =>
    claimRefresh(deviceOn(r.doc, r.store, `device-${name}`, scheduler, nonce)).then((outcome) => {
      outcomes[name] = outcome;
      if (outcome.kind === 'refresh') {
        refreshes.push(name);
        // The winner spends the refresh token and writes its result (lease cleared) in one set.
        const current = r.store.get('crm')!.value as ConnectionValue;
        r.store.set('crm', {
          kind: 'connection',
          value: withToken(current, {
            accessToken: `at-by-${name}`,
            refreshToken: `rt-by-${name}`,
            obtainedAt: scheduler.now(),
            expiresAt: scheduler.now() + 3_600_000,
          }),
        });
      }
    });
  const both = Promise.all([run('A', a, nonceA), run('B', b, nonceB)]);
  // Both write their leases before either hears of the other's; then sync carries them.
  await flush();
  const leasesBeforeSync = [
    readLease(a.store.get('crm')!.value as ConnectionValue),
    readLease(b.store.get('crm')!.value as ConnectionValue),
  ];
  for (let step = 0; step < 400 && (!outcomes.A || !outcomes.B); step++) {
    sync();
    await flush();
    scheduler.advance(100);
    await flush();
  }
  sync();
  await flush();
  await both;
  return { a, b, outcomes, refreshes, leasesBeforeSync, nonceA, nonceB };
}

describe('claimRefresh (two devices, two replicas of the vault document)', () => {
  it.each([
    [1, 2],
    [2, 1],
  ] as [number, number][])(
    'both claim at once: the merge picks one lease, exactly one refreshes, the other takes its tokens (clientIDs %i, %i)',
    async (first, second) => {
      const { a, b, outcomes, refreshes, leasesBeforeSync, nonceA, nonceB } = await twoDevices([
        first,
        second,
      ]);
      // Each had written its own lease before sync.
      expect(leasesBeforeSync.map((l) => l?.nonce)).toEqual([nonceA, nonceB]);
      expect(refreshes).toHaveLength(1);
      const winner = refreshes[0]!;
      const loser = winner === 'A' ? 'B' : 'A';
      expect(outcomes[loser]?.kind).toBe('changed');
      const got = outcomes[loser] as Extract<LeaseOutcome, { kind: 'changed' }>;
      expect(got.value.fields[TOKEN_STATE_FIELDS.accessToken]?.value).toBe(`at-by-${winner}`);
      expect(got.value.fields[TOKEN_STATE_FIELDS.refreshToken]?.value).toBe(`rt-by-${winner}`);
      // Both replicas agree, and the lease was cleared by the winner's token write.
      const va = a.store.get('crm')!.value as ConnectionValue;
      const vb = b.store.get('crm')!.value as ConnectionValue;
      expect(va).toEqual(vb);
      expect(va.fields[REFRESH_LEASE_FIELD]).toBeUndefined();
    },
  );
});
