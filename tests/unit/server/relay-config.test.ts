import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultRoomQuotaBytes } from '../../../src/core/relay';
import {
  createRelay,
  defaultRelayDbFile,
  describeRelayOptions,
  RelayConfigError,
  RelayStorageError,
  relayOptionsFromEnv,
} from '../../../src/server/relay/index';

function configError(env: Record<string, string>): RelayConfigError {
  try {
    relayOptionsFromEnv(env);
  } catch (error) {
    if (error instanceof RelayConfigError) return error;
    throw error;
  }
  throw new Error('no RelayConfigError');
}

describe('relayOptionsFromEnv', () => {
  it('defaults to the SQLite file data/relay.sqlite of the repository', () => {
    expect(relayOptionsFromEnv({})).toEqual({
      storage: { kind: 'sqlite', file: defaultRelayDbFile },
    });
    expect(defaultRelayDbFile).toMatch(/[/\\]data[/\\]relay\.sqlite$/);
    expect(defaultRelayDbFile).not.toMatch(/src[/\\]/);
  });

  it('reads every variable', () => {
    expect(
      relayOptionsFromEnv({
        DATABASE_URL: 'postgres://coffer:pw@db.example:5432/coffer',
        REDIS_URL: 'rediss://:pw@cache.example:6380',
        RELAY_ROOM_QUOTA_MB: '8',
      }),
    ).toEqual({
      storage: { kind: 'postgres', url: 'postgres://coffer:pw@db.example:5432/coffer' },
      redisUrl: 'rediss://:pw@cache.example:6380',
      roomQuotaBytes: 8 * 1024 * 1024,
    });
    expect(relayOptionsFromEnv({ RELAY_DB_FILE: '/srv/rooms.sqlite', REDIS_URL: ' ' })).toEqual({
      storage: { kind: 'sqlite', file: '/srv/rooms.sqlite' },
    });
    expect(relayOptionsFromEnv({ RELAY_ROOM_QUOTA_MB: '0.5' }).roomQuotaBytes).toBe(512 * 1024);
  });

  it.each([
    [{ RELAY_ROOM_QUOTA_MB: '0' }, 'RELAY_ROOM_QUOTA_MB', 'above 0'],
    [{ RELAY_ROOM_QUOTA_MB: '-3' }, 'RELAY_ROOM_QUOTA_MB', 'got "-3"'],
    [{ RELAY_ROOM_QUOTA_MB: 'lots' }, 'RELAY_ROOM_QUOTA_MB', 'number of megabytes'],
    [{ RELAY_ROOM_QUOTA_MB: '99999' }, 'RELAY_ROOM_QUOTA_MB', 'at most 4096'],
    [{ REDIS_URL: 'http://secret@cache:6379' }, 'REDIS_URL', 'redis:// or rediss://'],
    [{ REDIS_URL: 'not a url with pw' }, 'REDIS_URL', 'is not a URL'],
    [{ DATABASE_URL: 'mysql://u:secret@db/x' }, 'DATABASE_URL', 'postgres:// or postgresql://'],
    [{ DATABASE_URL: 'postgres://x/y', RELAY_DB_FILE: 'a.sqlite' }, 'DATABASE_URL', 'only one'],
  ])('says what is wrong with %o', (env, variable, says) => {
    const error = configError(env);
    expect(error.variable).toBe(variable);
    expect(error.message).toContain(says);
    expect(error.message).not.toContain('secret');
    expect(error.message).not.toContain(' pw');
  });

  it('describes where rooms go without any credential', () => {
    const text = describeRelayOptions({
      storage: {
        kind: 'postgres',
        url: 'postgres://coffer:pg-secret@db.example:5432/coffer?password=q',
      },
      redisUrl: 'redis://:redis-secret@cache.example:6379/0',
    });
    expect(text).toBe(
      'PostgreSQL at postgres://db.example:5432/coffer, shared through Redis at redis://cache.example:6379/0',
    );
    expect(describeRelayOptions({ storage: { kind: 'sqlite', file: '/srv/r.sqlite' } })).toBe(
      'SQLite file /srv/r.sqlite',
    );
  });
});

describe('createRelay options', () => {
  it('refuses a quota that is not a positive whole number', () => {
    expect(() => createRelay({ storage: { kind: 'memory' }, roomQuotaBytes: 0 })).toThrow(
      /roomQuotaBytes/,
    );
    expect(defaultRoomQuotaBytes).toBe(64 * 1024 * 1024);
  });

  it('says when the SQLite file cannot be opened', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'coffer-relay-'));
    try {
      // A file where the database's folder should be.
      writeFileSync(join(dir, 'taken'), 'x');
      expect(() =>
        createRelay({ storage: { kind: 'sqlite', file: join(dir, 'taken', 'relay.sqlite') } }),
      ).toThrow(RelayStorageError);
      // A folder where the database file should be.
      const relay = createRelay({ storage: { kind: 'sqlite', file: dir } });
      await expect(relay.ready).rejects.toThrow(/cannot open/);
      await relay.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
