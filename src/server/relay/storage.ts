import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Database } from '@hocuspocus/extension-database';
import { Redis as RedisExtension } from '@hocuspocus/extension-redis';
import { SQLite } from '@hocuspocus/extension-sqlite';
import type { Extension } from '@hocuspocus/server';
import { Redis } from 'ioredis';
import pg from 'pg';
import type { RelayStorage } from './types';

/** Where the relay keeps rooms: a Hocuspocus extension and what it needs to start and stop. */
export interface OpenedStorage {
  readonly extension: Extension;
  /** Resolves once the storage answers (the table exists); rejects with what went wrong. */
  readonly ready: Promise<void>;
  close(): Promise<void>;
}

/** Thrown when the relay's storage cannot be opened; never quotes a URL. */
export class RelayStorageError extends Error {
  override readonly name = 'RelayStorageError';
  constructor(
    readonly kind: RelayStorage['kind'],
    message: string,
  ) {
    super(`relay storage (${kind}): ${message}`);
  }
}

const reasonOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Rooms kept in this process only: they outlive connections, not the relay. */
function memoryStorage(): OpenedStorage {
  const rooms = new Map<string, Uint8Array>();
  return {
    extension: new Database({
      fetch: async ({ documentName }) => rooms.get(documentName) ?? null,
      store: async ({ documentName, state }) => {
        rooms.set(documentName, new Uint8Array(state));
      },
    }),
    ready: Promise.resolve(),
    async close() {
      rooms.clear();
    },
  };
}

/** @hocuspocus/extension-sqlite on a file, opened now so a bad path fails at once. */
function sqliteStorage(file: string): OpenedStorage {
  try {
    mkdirSync(dirname(file), { recursive: true });
  } catch (error) {
    throw new RelayStorageError(
      'sqlite',
      `cannot create the folder of ${file}: ${reasonOf(error)}`,
    );
  }
  const sqlite = new SQLite({ database: file });
  // Its onConfigure opens the file synchronously; Hocuspocus calls it again without waiting
  // (an error there would be an unhandled rejection), so it is opened here, once.
  const open = sqlite.onConfigure.bind(sqlite);
  let failure: unknown;
  open().catch((error: unknown) => {
    failure = error;
  });
  const db = sqlite.db as { close(): void; open: boolean } | undefined;
  sqlite.onConfigure = async () => {};
  if (!db) {
    return {
      extension: sqlite,
      ready: Promise.resolve().then(() => {
        throw new RelayStorageError('sqlite', `cannot open ${file}: ${reasonOf(failure)}`);
      }),
      async close() {},
    };
  }
  return {
    extension: sqlite,
    ready: Promise.resolve(),
    async close() {
      if (db.open) db.close();
    },
  };
}

const createRoomsTable = `CREATE TABLE IF NOT EXISTS coffer_relay_rooms (
  name text PRIMARY KEY,
  state bytea NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
)`;

/**
 * Creates the rooms table once, however many instances start together. PostgreSQL's
 * `CREATE TABLE IF NOT EXISTS` is not safe against itself: of two sessions that run it at once,
 * one fails on pg_type's unique index. A transaction-scoped advisory lock makes them take turns.
 */
async function prepareRoomsTable(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query("SELECT pg_advisory_xact_lock(hashtext('coffer_relay_rooms'))");
    await client.query(createRoomsTable);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

/** @hocuspocus/extension-database over a `pg` pool: one row per room. */
function postgresStorage(url: string): OpenedStorage {
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  // An idle client losing its server must not take the process down; the next query retries.
  pool.on('error', (error) => console.warn(`relay: PostgreSQL connection lost: ${error.message}`));
  const ready = prepareRoomsTable(pool).then(
    () => undefined,
    (error: unknown) => {
      throw new RelayStorageError('postgres', `cannot prepare the rooms table: ${reasonOf(error)}`);
    },
  );
  // Loads and stores wait for the table; a failed start is reported once, through `ready`.
  ready.catch(() => {});
  return {
    extension: new Database({
      fetch: async ({ documentName }) => {
        await ready;
        const result = await pool.query<{ state: Buffer }>(
          'SELECT state FROM coffer_relay_rooms WHERE name = $1',
          [documentName],
        );
        return result.rows[0]?.state ?? null;
      },
      store: async ({ documentName, state }) => {
        await ready;
        await pool.query(
          `INSERT INTO coffer_relay_rooms (name, state, updated_at) VALUES ($1, $2, now())
           ON CONFLICT (name) DO UPDATE SET state = EXCLUDED.state, updated_at = now()`,
          [documentName, state],
        );
      },
    }),
    ready,
    async close() {
      await pool.end();
    },
  };
}

export function openRelayStorage(storage: RelayStorage): OpenedStorage {
  switch (storage.kind) {
    case 'memory':
      return memoryStorage();
    case 'sqlite':
      return sqliteStorage(storage.file);
    case 'postgres':
      return postgresStorage(storage.url);
  }
}

/**
 * @hocuspocus/extension-redis: instances with the same Redis share each room's changes live.
 * Its identifier is unique per process, so two instances given one name still hear each other.
 */
export function redisExtension(url: string, instanceName: string): RedisExtension {
  let warned = false;
  return new RedisExtension({
    prefix: 'coffer-relay',
    identifier: `${instanceName}-${randomUUID()}`,
    createClient: () => {
      const client = new Redis(url, { maxRetriesPerRequest: 3 });
      // ioredis reconnects by itself; say so once instead of an unhandled 'error' per retry.
      client.on('error', (error: Error) => {
        if (warned) return;
        warned = true;
        console.warn(`relay: Redis unreachable (${error.message}); retrying`);
      });
      client.on('ready', () => {
        warned = false;
      });
      return client;
    },
  });
}
