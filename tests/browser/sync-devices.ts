/**
 * What the sync and team browser tests share: calling a device's `window.harness.sync`
 * bindings, launching devices with a profile, pairing them by invitation, and the check that
 * the relay saw nothing readable.
 */
import { type Device, expect, type ServedApp } from '../fixtures';

type SyncApi = Window['harness']['sync'];
type Method = {
  [K in keyof SyncApi]: SyncApi[K] extends (...args: never[]) => unknown ? K : never;
}[keyof SyncApi];
type Outcome<K extends Method> = Awaited<ReturnType<SyncApi[K]>>;
type ValueOf<K extends Method> = [Extract<Outcome<K>, { ok: true }>] extends [never]
  ? Outcome<K>
  : Extract<Outcome<K>, { ok: true }> extends { value: infer V }
    ? V
    : never;

/** Calls a binding in the page; a binding's `{ ok: false, error }` becomes a thrown Error. */
export async function call<K extends Method>(
  device: Device,
  method: K,
  ...args: Parameters<SyncApi[K]>
): Promise<ValueOf<K>> {
  const result = (await device.page.evaluate(
    ([name, list]) =>
      (window.harness.sync as unknown as Record<string, (...a: unknown[]) => unknown>)[name]!(
        ...list,
      ),
    [method, args as unknown[]] as const,
  )) as unknown;
  if (result && typeof result === 'object' && 'ok' in result) {
    const outcome = result as { ok: boolean; value?: unknown; error?: unknown };
    if (!outcome.ok)
      throw new Error(`${device.name}: ${method} failed: ${JSON.stringify(outcome.error)}`);
    return outcome.value as ValueOf<K>;
  }
  return result as ValueOf<K>;
}

/** Distinctive text put in every name and value, so the transcript check can look for it. */
export const CANARY = `CANARY-7f3a${Math.random().toString(16).slice(2, 10)}`;
export const secret = (label: string) =>
  `${label}-${CANARY}-${Math.random().toString(36).slice(2)}`;

/** A device with the harness page loaded and a new profile. */
export async function device(
  launchDevice: (name: string) => Promise<Device>,
  harness: ServedApp,
  name: string,
): Promise<Device> {
  const launched = await launchDevice(name);
  await launched.page.goto(harness.url);
  await expect(launched.page.locator('#status')).toHaveText('ready');
  await call(launched, 'start', `${name} ${CANARY}`);
  return launched;
}

export async function devices<const Names extends readonly string[]>(
  launchDevice: (name: string) => Promise<Device>,
  harness: ServedApp,
  ...names: Names
): Promise<{ [I in keyof Names]: Device }> {
  return (await Promise.all(names.map((name) => device(launchDevice, harness, name)))) as {
    [I in keyof Names]: Device;
  };
}

/** Everything a test put in a vault, and what derives from it, that the relay must never see. */
export class Secrets {
  readonly strings = new Set<string>([CANARY]);
  add(...values: unknown[]): void {
    for (const value of values) {
      if (typeof value === 'string' && value.length >= 8) this.strings.add(value);
      else if (value && typeof value === 'object')
        for (const inner of Object.values(value)) this.add(inner);
    }
  }
}

/** A creates a vault with `entries`, invites B by link, and B joins: both have the vault open. */
/** A single-use invitation to `vault` made on `from`; its secret is one the relay must not see. */
export async function invitation(
  from: Device,
  vault: string,
  secrets: Secrets,
  role?: 'admin' | 'editor' | 'viewer',
): Promise<string> {
  const link = await call(from, 'createInvite', vault, {
    expiresInMs: 600_000,
    singleUse: true,
    ...(role ? { role } : {}),
  });
  secrets.add(link.split('#join=')[1]);
  return link;
}

export async function pair(
  a: Device,
  b: Device,
  vault: string,
  entries: Record<string, unknown>,
  secrets: Secrets,
  /** The role B gets (default: the invitation's default, editor). */
  role?: 'admin' | 'editor' | 'viewer',
) {
  const created = await call(a, 'createVault', vault);
  await call(a, 'open', vault);
  for (const [name, value] of Object.entries(entries)) {
    const kind = isConnection(value) ? 'connection' : name.includes('secret') ? 'secret' : 'item';
    await call(a, 'set', vault, name, value as never, kind);
  }
  const link = await invitation(a, vault, secrets, role);
  const joined = await call(b, 'join', link);
  expect(joined.name).toBe(vault);
  const room = await call(a, 'roomSecrets', vault);
  secrets.add(vault, created.id, entries, Object.keys(entries), room.vaultKey, room.password);
  return { id: created.id, link, room };
}

export const isConnection = (value: unknown) =>
  typeof value === 'object' && value !== null && 'type' in value && 'fields' in value;

/**
 * The relay's share of this test: every message since `from`. None may hold a secret of the
 * test, and every topic must be a room name derived from a key (docs/sync.md, invariant 8).
 */
export function expectNothingReadableAtTheRelay(
  harness: ServedApp,
  from: number,
  secrets: Secrets,
  room: string,
) {
  const messages = harness.transcript.slice(from);
  const all = messages.join('\n');
  // The vault's room went through the relay: the check looks at the traffic that mattered.
  expect(all).toContain(room);
  for (const text of secrets.strings) expect(all, `the relay saw ${text}`).not.toContain(text);
  const topics = new Set<string>();
  for (const message of messages) {
    const parsed = JSON.parse(message) as { topic?: string; topics?: string[] };
    if (parsed.topic) topics.add(parsed.topic);
    for (const topic of parsed.topics ?? []) topics.add(topic);
  }
  for (const topic of topics) expect(topic).toMatch(/^coffer-(invite-)?[A-Za-z0-9_-]{43}$/);
}
