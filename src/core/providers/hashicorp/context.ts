import type { JsonValue } from '../../vault';
import type { VaultAnswer, VaultHttp, VaultRequest } from './http';
import type { KvMount } from './mount';

/** The policy capability a request needs (docs concepts/policies), named in 'forbidden'. */
export type Capability = 'list' | 'read' | 'create' | 'update' | 'delete';

export type Values = Readonly<Record<string, JsonValue>>;

/** A request before the session adds its token. */
export type Call = Omit<VaultRequest, 'token'>;

/** What a 403 that survives a re-login means for this request. */
export interface On403 {
  readonly reason: 'forbidden' | 'no-mount';
  readonly detail: string;
}

/** What the KV operations (kv1.ts, kv2.ts) need from the provider. */
export interface KvContext {
  readonly http: VaultHttp;
  /** Sends with a fresh token; maps a lasting 403 (see provider.ts). */
  authed(call: Call, on403: On403): Promise<VaultAnswer>;
}

export function forbidden(capability: Capability, path: string): On403 {
  return { reason: 'forbidden', detail: `the token's policies lack "${capability}" on ${path}` };
}

/** The path inside the mount: enginePath's folder, then the secret path. */
export function inMount(m: KvMount, path: string): string {
  return m.prefix === '' ? path : `${m.prefix}/${path}`;
}

export function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}
