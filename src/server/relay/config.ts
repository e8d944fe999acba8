import { fileURLToPath } from 'node:url';
import type { RelayOptions, RelayStorage } from './types';

/** Where `npm start` keeps the relay's rooms when nothing else is configured. */
export const defaultRelayDbFile = fileURLToPath(
  new URL('../../../data/relay.sqlite', import.meta.url),
);

/** A relay setting that cannot be used; says which variable and why, never its secret parts. */
export class RelayConfigError extends Error {
  override readonly name = 'RelayConfigError';
  constructor(
    readonly variable: string,
    readonly problem: string,
  ) {
    super(`${variable} ${problem}`);
  }
}

const maxQuotaMb = 4096;

/**
 * The relay's options from the environment:
 * - DATABASE_URL (postgres:// or postgresql://): rooms in PostgreSQL;
 * - else RELAY_DB_FILE: rooms in this SQLite file (default data/relay.sqlite in the repository);
 * - REDIS_URL (redis:// or rediss://): share rooms live with other instances;
 * - RELAY_ROOM_QUOTA_MB: stored megabytes one room may hold (default 64).
 * Empty values count as unset.
 */
export function relayOptionsFromEnv(
  env: Readonly<Record<string, string | undefined>>,
  defaults: { readonly dbFile?: string } = {},
): RelayOptions {
  const value = (name: string) => {
    const raw = env[name]?.trim();
    return raw ? raw : undefined;
  };
  const databaseUrl = value('DATABASE_URL');
  const dbFile = value('RELAY_DB_FILE');
  if (databaseUrl && dbFile) {
    throw new RelayConfigError(
      'DATABASE_URL',
      'and RELAY_DB_FILE are both set: rooms are stored in one place, so set only one',
    );
  }
  let storage: RelayStorage;
  if (databaseUrl) {
    checkUrl('DATABASE_URL', databaseUrl, ['postgres:', 'postgresql:'], 'postgres://');
    storage = { kind: 'postgres', url: databaseUrl };
  } else {
    storage = { kind: 'sqlite', file: dbFile ?? defaults.dbFile ?? defaultRelayDbFile };
  }
  const redisUrl = value('REDIS_URL');
  if (redisUrl) checkUrl('REDIS_URL', redisUrl, ['redis:', 'rediss:'], 'redis://');
  const quota = value('RELAY_ROOM_QUOTA_MB');
  let roomQuotaBytes: number | undefined;
  if (quota !== undefined) {
    const mb = Number(quota);
    if (!/^\d+(\.\d+)?$/.test(quota) || !(mb > 0) || mb > maxQuotaMb) {
      throw new RelayConfigError(
        'RELAY_ROOM_QUOTA_MB',
        `must be a number of megabytes above 0 and at most ${maxQuotaMb}, got "${quota}"`,
      );
    }
    roomQuotaBytes = Math.round(mb * 1024 * 1024);
  }
  return {
    storage,
    ...(redisUrl ? { redisUrl } : {}),
    ...(roomQuotaBytes !== undefined ? { roomQuotaBytes } : {}),
  };
}

function checkUrl(variable: string, text: string, protocols: string[], example: string): void {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    // The value is not quoted: it may hold a password.
    throw new RelayConfigError(variable, `is not a URL (expected ${example}host:port/...)`);
  }
  if (!protocols.includes(url.protocol)) {
    throw new RelayConfigError(
      variable,
      `must start with ${protocols.map((p) => `${p}//`).join(' or ')}, not ${url.protocol}//`,
    );
  }
  if (!url.hostname) throw new RelayConfigError(variable, 'names no host');
}

/** Where a URL points, without user, password or query (which may hold credentials). */
export function redactUrl(text: string): string {
  try {
    const url = new URL(text);
    return `${url.protocol}//${url.host}${url.pathname === '/' ? '' : url.pathname}`;
  } catch {
    return '(unreadable URL)';
  }
}

/** One line saying where rooms are kept and how they are shared, safe to print. */
export function describeRelayOptions(options: RelayOptions): string {
  const { storage } = options;
  const where =
    storage.kind === 'sqlite'
      ? `SQLite file ${storage.file}`
      : storage.kind === 'postgres'
        ? `PostgreSQL at ${redactUrl(storage.url)}`
        : 'memory (lost on restart)';
  return options.redisUrl
    ? `${where}, shared through Redis at ${redactUrl(options.redisUrl)}`
    : where;
}
