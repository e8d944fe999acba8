/**
 * The mailbox relay on the engines it scales with: rooms in a real PostgreSQL, and two relay
 * instances sharing rooms live through a real Redis (both Debian servers on loopback, started by
 * tests/support/services.ts).
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { type RunningService, startPostgres, startRedis } from '../../support/services';
import {
  connectDevice,
  filledBytes,
  newRoom,
  relayTestBed,
  startRelay,
  synced,
  until,
} from './relay-support';

let postgres: RunningService;
let redis: RunningService;
const bed = relayTestBed();
const instance = bed.relay;
const device = bed.device;
const bytes = filledBytes;

beforeAll(async () => {
  [postgres, redis] = await Promise.all([startPostgres(), startRedis()]);
}, 120_000);

afterAll(async () => {
  await Promise.all([postgres?.stop(), redis?.stop()]);
});

describe('mailbox relay on PostgreSQL and Redis', () => {
  it('keeps rooms in PostgreSQL across a restart, in its own table', async () => {
    const room = newRoom();
    const first = await startRelay({ storage: { kind: 'postgres', url: postgres.url } });
    const a = connectDevice(first.url, room);
    await synced(a);
    a.envelopes.set('a.1', bytes(300, 1));
    await until(() => first.relay.stats().rooms === 1, 'room loaded');
    await new Promise((resolve) => setTimeout(resolve, 50));
    a.destroy();
    await first.close();

    const client = new pg.Client({ connectionString: postgres.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ name: string; state: Buffer; updated_at: Date }>(
        'SELECT name, state, updated_at FROM coffer_relay_rooms',
      );
      expect(rows.map((row) => row.name)).toEqual([room.room]);
      const stored = new Y.Doc();
      Y.applyUpdate(stored, rows[0]?.state ?? new Uint8Array());
      expect(stored.getMap('envelopes').get('a.1')).toEqual(bytes(300, 1));
      expect(rows[0]?.updated_at).toBeInstanceOf(Date);
    } finally {
      await client.end();
    }

    const second = await instance({ storage: { kind: 'postgres', url: postgres.url } });
    const b = device(second.url, room);
    await synced(b);
    await until(() => b.envelopes.has('a.1'), 'B gets it from PostgreSQL');
  });

  it('lets several instances start at once on an empty database', async () => {
    // PostgreSQL's CREATE TABLE IF NOT EXISTS is not safe when two sessions run it together: the
    // loser fails on pg_type's unique index. A fleet restarted at once on a new database does that.
    const admin = new pg.Client({ connectionString: postgres.url });
    await admin.connect();
    const database = `coffer_race_${Date.now()}`;
    try {
      await admin.query(`CREATE DATABASE ${database}`);
    } finally {
      await admin.end();
    }
    const url = new URL(postgres.url);
    url.pathname = `/${database}`;
    const relay = await import('../../../src/server/relay/index');
    const relays = Array.from({ length: 8 }, () =>
      relay.createRelay({ storage: { kind: 'postgres', url: url.toString() } }),
    );
    try {
      const outcomes = await Promise.allSettled(relays.map((started) => started.ready));
      expect(outcomes.filter((outcome) => outcome.status === 'rejected')).toEqual([]);
    } finally {
      await Promise.all(relays.map((started) => started.close()));
    }
  });

  it('says why when PostgreSQL cannot be reached, without the URL', async () => {
    const relay = await import('../../../src/server/relay/index');
    const broken = relay.createRelay({
      storage: { kind: 'postgres', url: 'postgres://user:hunter2@127.0.0.1:1/db' },
    });
    const error = await broken.ready.then(
      () => undefined,
      (reason: unknown) => reason,
    );
    await broken.close();
    expect(error).toBeInstanceOf(relay.RelayStorageError);
    expect(String(error)).not.toContain('hunter2');
  });

  it('shares a room live between two instances through Redis', async () => {
    const storage = { kind: 'postgres', url: postgres.url } as const;
    const one = await instance({ storage, redisUrl: redis.url, instanceName: 'one' });
    const two = await instance({ storage, redisUrl: redis.url, instanceName: 'two' });
    const room = newRoom();
    const a = device(one.url, room);
    const b = device(two.url, room);
    await Promise.all([synced(a), synced(b)]);
    a.envelopes.set('a.1', bytes(100, 1));
    await until(() => b.envelopes.has('a.1'), 'B on instance two gets A from instance one');
    b.envelopes.set('b.1', bytes(100, 2));
    await until(() => a.envelopes.has('b.1'), 'A gets B back');
    expect(a.envelopes.get('b.1')).toEqual(bytes(100, 2));
  });

  it('keeps quota and mailbox checks on changes that come through Redis', async () => {
    const storage = { kind: 'memory' } as const;
    const one = await instance({ storage, redisUrl: redis.url, roomQuotaBytes: 30_000 });
    const two = await instance({ storage, redisUrl: redis.url, roomQuotaBytes: 30_000 });
    const room = newRoom();
    const a = device(one.url, room);
    const b = device(two.url, room);
    await Promise.all([synced(a), synced(b)]);
    a.envelopes.set('a.1', bytes(20_000, 1));
    await until(() => b.envelopes.has('a.1'), 'B sees it through Redis');
    await until(() => (two.relay.stats().roomBytes.get(room.room) ?? 0) > 20_000, 'counted');
    // Instance two knows the room holds 20 KB from A: B's 20 KB more is over the quota.
    b.envelopes.set('b.1', bytes(20_000, 2));
    await until(() => b.stateless.length > 0, 'refusal on instance two');
    expect(JSON.parse(b.stateless[0] ?? '{}')).toMatchObject({ reason: 'room-quota' });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(a.envelopes.has('b.1')).toBe(false);
  });
});
