import type { HashicorpSettings } from '../types';
import type { VaultAnswer } from './http';

/** Where secrets live: the real mount, its KV version, and the folder inside it. */
export interface KvMount {
  /** The mount path, no trailing slash (`secret`, `team/kv`). */
  readonly mount: string;
  readonly version: 1 | 2;
  /** The rest of enginePath below the mount, '' when enginePath is the mount. */
  readonly prefix: string;
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** What the ui/mounts lookup can end in, besides a mount: the caller maps these. */
export type MountProblem = {
  readonly problem: 'no-mount' | 'not-kv';
  readonly status: number;
  readonly detail?: string;
};

/**
 * Reads Vault's answer to GET /v1/[<ns>/]sys/internal/ui/mounts/<enginePath>
 * (api-docs/system/internal-ui-mounts), as the CLI's kvPreflightVersionRequest does:
 * `data.type` kv/generic is KV; `data.options.version` "2" is v2, anything else v1; `data.path`
 * is the real mount, the rest of enginePath a folder inside it. A 404 is a Vault too old to have
 * the endpoint: KV v1 at enginePath. (Vault answers 403 both for "no such mount" and "cannot see
 * it", so that the endpoint cannot enumerate mounts; the caller handles 403 before this.)
 */
export function interpretMount(
  settings: HashicorpSettings,
  answer: VaultAnswer,
): KvMount | MountProblem | undefined {
  if (answer.status === 404) return { mount: settings.enginePath, version: 1, prefix: '' };
  if (answer.status === 400) return { problem: 'no-mount', status: 400 };
  if (answer.status !== 200) return undefined;
  const data = record(answer.body?.data);
  const type = data?.type;
  if (type !== 'kv' && type !== 'generic') {
    return {
      problem: 'not-kv',
      status: 200,
      detail: `the mount is a ${typeof type === 'string' && type !== '' ? type : 'non-KV'} engine`,
    };
  }
  const options = record(data?.options);
  const version = options?.version === '2' ? 2 : 1;
  let mount = typeof data?.path === 'string' ? data.path.replace(/\/+$/, '') : '';
  // Some versions name the mount with its namespace in front; enginePath is below the namespace.
  const ns = settings.namespace;
  if (ns !== undefined && mount.startsWith(`${ns}/`)) mount = mount.slice(ns.length + 1);
  const path = settings.enginePath;
  if (mount === path) return { mount, version, prefix: '' };
  if (mount !== '' && path.startsWith(`${mount}/`))
    return { mount, version, prefix: path.slice(mount.length + 1) };
  return {
    problem: 'no-mount',
    status: 200,
    detail: 'Vault named a mount that does not contain enginePath',
  };
}
