/**
 * The double's secrets and versions (API_CreateSecret, API_PutSecretValue, staging labels,
 * recovery windows), the AwsFault every failure is thrown as, and the value checks the
 * operations share. No HTTP here: operations.ts and handle.ts answer with it.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { AwsDoubleSecretView, AwsDoubleVersion } from './types';

/** API_PutSecretValue: "SecretString ... Maximum length of 65536". */
export const MAX_SECRET_BYTES = 65_536;
export const DAY_MS = 86_400_000;

export interface Version {
  readonly id: string;
  readonly string?: string;
  readonly binary?: Buffer;
  readonly created: number;
  readonly stages: Set<string>;
}

export interface Secret {
  readonly name: string;
  readonly arn: string;
  readonly created: number;
  lastChanged: number;
  deleted?: number;
  deletionDate?: number;
  description?: string;
  readonly versions: Map<string, Version>;
}

export class AwsFault extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

export const notFound = () =>
  new AwsFault('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
/** API_GetSecretValue / API_PutSecretValue on a secret in its recovery window (InvalidRequestException). */
export const markedForDeletion = () =>
  new AwsFault(
    'InvalidRequestException',
    "You can't perform this operation on the secret because it was marked for deletion.",
  );

export const seconds = (ms: number) => ms / 1000;

export function current(s: Secret): Version | undefined {
  for (const v of s.versions.values()) if (v.stages.has('AWSCURRENT')) return v;
  return undefined;
}

/**
 * Attaches `stage` to `version`, taking it from any other version (a label is on one version
 * at a time). Moving AWSCURRENT gives AWSPREVIOUS to the version it left
 * (API_UpdateSecretVersionStage, API_PutSecretValue).
 */
export function attach(s: Secret, version: Version, stage: string): void {
  for (const v of s.versions.values()) {
    if (v === version || !v.stages.has(stage)) continue;
    v.stages.delete(stage);
    if (stage === 'AWSCURRENT') attach(s, v, 'AWSPREVIOUS');
  }
  version.stages.add(stage);
}

export function readValue(
  body: Record<string, unknown>,
): { string?: string; binary?: Buffer } | undefined {
  const { SecretString: text, SecretBinary: binary } = body;
  if (text !== undefined && binary !== undefined) {
    throw new AwsFault(
      'InvalidParameterException',
      "You can't specify both SecretString and SecretBinary.",
    );
  }
  if (text !== undefined) {
    if (typeof text !== 'string')
      throw new AwsFault('SerializationException', 'SecretString must be a string.');
    if (Buffer.byteLength(text, 'utf8') > MAX_SECRET_BYTES) {
      throw new AwsFault(
        'InvalidParameterException',
        'The SecretString value exceeds the maximum length of 65536 bytes.',
      );
    }
    return { string: text };
  }
  if (binary !== undefined) {
    if (typeof binary !== 'string')
      throw new AwsFault('SerializationException', 'SecretBinary must be base64.');
    return { binary: Buffer.from(binary, 'base64') };
  }
  return undefined;
}

export function sameValue(v: Version, value: { string?: string; binary?: Buffer }): boolean {
  if (v.string !== undefined || value.string !== undefined) return v.string === value.string;
  return v.binary !== undefined && value.binary !== undefined && v.binary.equals(value.binary);
}

export function token(body: Record<string, unknown>): string {
  const t = body.ClientRequestToken;
  if (t === undefined) return randomUUID();
  // API_PutSecretValue: ClientRequestToken, length 32 to 64.
  if (typeof t !== 'string' || t.length < 32 || t.length > 64) {
    throw new AwsFault(
      'InvalidParameterException',
      'ClientRequestToken must be 32 to 64 characters long.',
    );
  }
  return t;
}

export function listEntry(s: Secret) {
  const stages: Record<string, string[]> = {};
  for (const v of s.versions.values()) if (v.stages.size > 0) stages[v.id] = [...v.stages];
  return {
    ARN: s.arn,
    Name: s.name,
    ...(s.description === undefined ? {} : { Description: s.description }),
    LastChangedDate: seconds(s.lastChanged),
    CreatedDate: seconds(s.created),
    SecretVersionsToStages: stages,
    ...(s.deleted === undefined ? {} : { DeletedDate: seconds(s.deleted) }),
    Tags: [],
  };
}

export function view(v: Version): AwsDoubleVersion {
  return {
    versionId: v.id,
    stages: [...v.stages].sort(),
    ...(v.string === undefined ? {} : { secretString: v.string }),
    ...(v.binary === undefined ? {} : { secretBinary: new Uint8Array(v.binary) }),
    createdDate: v.created,
  };
}

/** The secrets of one double, and what changes them outside the API (tests' direct writes). */
export interface SecretStore {
  readonly region: string;
  readonly accountId: string;
  readonly secrets: Map<string, Secret>;
  now(): number;
  purge(): void;
  arnFor(name: string): string;
  find(id: unknown): Secret | undefined;
  addVersion(
    s: Secret,
    id: string,
    value: { string?: string; binary?: Buffer },
    stages: readonly string[],
  ): Version;
  putValue(name: string, value: { string?: string; binary?: Buffer }): string;
}

export function createSecretStore(
  region: string,
  accountId: string,
  now: () => number,
): SecretStore {
  const secrets = new Map<string, Secret>();

  /** API_DeleteSecret: at DeletionDate the secret is removed for good. */
  function purge(): void {
    const t = now();
    for (const [name, s] of secrets)
      if (s.deletionDate !== undefined && s.deletionDate <= t) secrets.delete(name);
  }

  function arnFor(name: string): string {
    // AWS appends a hyphen and six random characters to the name in the ARN (API_CreateSecret).
    const suffix = randomBytes(6).toString('base64url').replace(/[-_]/g, 'x').slice(0, 6);
    return `arn:aws:secretsmanager:${region}:${accountId}:secret:${name}-${suffix}`;
  }

  /** SecretId is "the ARN or name of the secret" (API_GetSecretValue, Request Parameters). */
  function find(id: unknown): Secret | undefined {
    if (typeof id !== 'string' || id === '')
      throw new AwsFault('InvalidParameterException', 'SecretId is required.');
    purge();
    const byName = secrets.get(id);
    if (byName !== undefined) return byName;
    for (const s of secrets.values()) if (s.arn === id) return s;
    return undefined;
  }

  function addVersion(
    s: Secret,
    id: string,
    value: { string?: string; binary?: Buffer },
    stages: readonly string[],
  ): Version {
    const version: Version = {
      id,
      ...(value.string === undefined ? {} : { string: value.string }),
      ...(value.binary === undefined ? {} : { binary: value.binary }),
      created: now(),
      stages: new Set(),
    };
    s.versions.set(id, version);
    for (const stage of stages) attach(s, version, stage);
    s.lastChanged = now();
    return version;
  }

  function putValue(name: string, value: { string?: string; binary?: Buffer }): string {
    purge();
    let s = secrets.get(name);
    if (s === undefined) {
      s = { name, arn: arnFor(name), created: now(), lastChanged: now(), versions: new Map() };
      secrets.set(name, s);
    }
    return addVersion(s, randomUUID(), value, ['AWSCURRENT']).id;
  }

  return { region, accountId, secrets, now, purge, arnFor, find, addVersion, putValue };
}

/** A secret as tests read it back (AwsDouble.secret). */
export function secretView(store: SecretStore, name: string): AwsDoubleSecretView | undefined {
  store.purge();
  const s = store.secrets.get(name);
  if (s === undefined) return undefined;
  const cur = current(s);
  let currentValues: unknown;
  if (cur?.string !== undefined) {
    try {
      currentValues = JSON.parse(cur.string);
    } catch {
      currentValues = undefined;
    }
  }
  return {
    name: s.name,
    arn: s.arn,
    ...(s.deleted === undefined ? {} : { deletedDate: s.deleted }),
    ...(s.deletionDate === undefined ? {} : { deletionDate: s.deletionDate }),
    ...(cur === undefined ? {} : { current: view(cur) }),
    ...(currentValues === undefined ? {} : { currentValues }),
    versions: [...s.versions.values()].map(view),
  };
}
