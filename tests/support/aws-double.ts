import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';

/**
 * A test double of AWS Secrets Manager, as a real HTTP server on loopback (Node and browser
 * tests). Written from the AWS Secrets Manager API reference
 * (https://docs.aws.amazon.com/secretsmanager/latest/apireference/); every behaviour cites the
 * section it follows:
 *
 *   API_ListSecrets, API_GetSecretValue, API_PutSecretValue, API_CreateSecret, API_DeleteSecret,
 *   API_RestoreSecret, API_DescribeSecret, API_UpdateSecretVersionStage, CommonErrors,
 *   "Signature Version 4 signing process" (IAM User Guide, "Elements of an AWS API request
 *   signature"), CORS as measured on the real endpoint (AllanZhengYP/cors-test output.md,
 *   in ../shared/research/providers.md §2).
 *
 * Protocol (AWS JSON 1.1): `POST /`, `Content-Type: application/x-amz-json-1.1`,
 * `X-Amz-Target: secretsmanager.<Operation>`, a JSON body; answers are JSON with timestamps as
 * epoch seconds (numbers). Errors are HTTP 400 (500/503 for the service's own failures) with
 * `{"__type": "<Code>", "Message": "..."}` and the code in `x-amzn-ErrorType` too.
 *
 * Every request's SigV4 signature is recomputed here with `@smithy/signature-v4` and
 * `@aws-crypto/sha256-js`, an implementation independent of the aws4fetch that Coffer's
 * client signs with. Order of the checks, as the service reports them: credential scope
 * shape, access key, session token, clock (15 minutes either way), scope date, region, service,
 * signature; then the key's allowed actions (AccessDeniedException), then the operation.
 *
 * Faults (`fail`) are decided after the preflight and before authentication, and change no
 * state, except `delay`, which processes the request at once and answers late, as a slow
 * network returns it (a client that gave up may still have written).
 */

export type AwsDoubleOperation =
  | 'ListSecrets'
  | 'GetSecretValue'
  | 'PutSecretValue'
  | 'CreateSecret'
  | 'DeleteSecret'
  | 'RestoreSecret'
  | 'DescribeSecret'
  | 'UpdateSecretVersionStage';

const OPERATIONS: ReadonlySet<string> = new Set<AwsDoubleOperation>([
  'ListSecrets',
  'GetSecretValue',
  'PutSecretValue',
  'CreateSecret',
  'DeleteSecret',
  'RestoreSecret',
  'DescribeSecret',
  'UpdateSecretVersionStage',
]);

export interface AwsDoubleCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** An STS session token: requests must carry it in X-Amz-Security-Token. */
  readonly sessionToken?: string;
  /** When the session token expires (ms since the epoch, the double's clock). */
  readonly expiresAt?: number;
  /** Actions this key may call (`ListSecrets`, ...); absent: all. Others: AccessDeniedException. */
  readonly allow?: readonly AwsDoubleOperation[];
  /** The IAM user named in AccessDeniedException messages; default `coffer-test`. */
  readonly userName?: string;
}

/** How the double answers CORS: like the real endpoint (`*`), for one origin only, or not at all. */
export type AwsDoubleCors = '*' | 'off' | { readonly origin: string };

export type AwsDoubleFault =
  | {
      readonly kind: 'throttle' | 'internal' | 'unavailable';
      readonly count?: number;
      readonly operation?: AwsDoubleOperation;
    }
  | {
      readonly kind: 'delay';
      readonly ms: number;
      readonly count?: number;
      readonly operation?: AwsDoubleOperation;
    };

export interface AwsDoubleOptions {
  /** The one region this double serves; default us-east-1. */
  readonly region?: string;
  readonly accountId?: string;
  /** Default: `[defaultAwsCredentials]`. */
  readonly credentials?: readonly AwsDoubleCredentials[];
  /** The double's clock (ms since the epoch); default Date.now. `advanceClock` adds to it. */
  readonly now?: () => number;
  /**
   * Page sizes ListSecrets uses, in turn (each capped by MaxResults): `[7, 0, 3]` answers pages
   * of 7, 0, 3, 7, 0, ... secrets, each with a NextToken while more remain. Default `[100]`.
   */
  readonly pageSizes?: readonly number[];
  readonly cors?: AwsDoubleCors;
  /** How `__type` is spelled in error bodies (clients must accept all three). Default bare. */
  readonly errorTypeStyle?: 'bare' | 'namespaced' | 'suffixed';
  /** The message field of error bodies; default `Message`. */
  readonly messageField?: 'Message' | 'message';
}

export interface AwsDoubleRequest {
  /** The operation from X-Amz-Target, or the method and path when there is none. */
  readonly operation: string;
  /** Lower-case header names only: never a value (a signature, a token). */
  readonly headerNames: readonly string[];
  readonly accessKeyId?: string;
  /** 0 until the answer is sent (a delayed request shows 0 meanwhile). */
  status: number;
  errorType?: string;
}

export interface AwsDoubleVersion {
  readonly versionId: string;
  readonly stages: readonly string[];
  readonly secretString?: string;
  readonly secretBinary?: Uint8Array;
  readonly createdDate: number;
}

export interface AwsDoubleSecretView {
  readonly name: string;
  readonly arn: string;
  /** When DeleteSecret ran (ms), while in the recovery window. */
  readonly deletedDate?: number;
  /** When the double will purge it (ms). */
  readonly deletionDate?: number;
  readonly current?: AwsDoubleVersion;
  /** The AWSCURRENT value parsed as JSON, when it parses. */
  readonly currentValues?: unknown;
  readonly versions: readonly AwsDoubleVersion[];
}

export interface AwsDouble {
  /** `http://127.0.0.1:<port>` (an origin, no trailing slash). */
  readonly url: string;
  readonly region: string;
  close(): Promise<void>;
  addCredentials(credentials: AwsDoubleCredentials): void;
  setCors(cors: AwsDoubleCors): void;
  setPageSizes(sizes: readonly number[]): void;
  /** The next `count` (default 1) requests (of `operation`, if given) meet the fault. */
  fail(fault: AwsDoubleFault): void;
  /** A concurrent writer: creates the secret or adds a version that takes AWSCURRENT. */
  putDirect(name: string, values: unknown): string;
  /** Stores a raw value (plain text or binary) as a new AWSCURRENT version. */
  putRaw(
    name: string,
    value: { readonly secretString: string } | { readonly secretBinary: Uint8Array },
  ): string;
  secret(name: string): AwsDoubleSecretView | undefined;
  /** Moves the double's clock; the recovery windows that end are purged. */
  advanceClock(ms: number): void;
  now(): number;
  readonly requests: AwsDoubleRequest[];
}

export const defaultAwsCredentials: AwsDoubleCredentials = {
  accessKeyId: 'AKIACOFFERDOUBLE0001',
  secretAccessKey: 'double/Secret+Access/Key0000000000000000',
};

/** CORS as the real endpoint answers it (providers.md §2). */
const CORS_ALLOW_HEADERS =
  'content-type,x-amz-target,x-amz-date,authorization,x-amz-security-token,x-amz-user-agent,amz-sdk-invocation-id,amz-sdk-request,x-amz-content-sha256';
const CORS_EXPOSE_HEADERS = 'x-amzn-RequestId,x-amzn-ErrorType,x-amzn-ErrorMessage,Date';

/** API_PutSecretValue: "SecretString ... Maximum length of 65536". */
const MAX_SECRET_BYTES = 65_536;
/** "Elements of an AWS API request signature": requests older or newer than 15 minutes fail. */
const MAX_SKEW_MS = 15 * 60_000;
const DAY_MS = 86_400_000;

interface Version {
  readonly id: string;
  readonly string?: string;
  readonly binary?: Buffer;
  readonly created: number;
  readonly stages: Set<string>;
}

interface Secret {
  readonly name: string;
  readonly arn: string;
  readonly created: number;
  lastChanged: number;
  deleted?: number;
  deletionDate?: number;
  description?: string;
  readonly versions: Map<string, Version>;
}

class AwsFault extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

const notFound = () =>
  new AwsFault('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
/** API_GetSecretValue / API_PutSecretValue on a secret in its recovery window (InvalidRequestException). */
const markedForDeletion = () =>
  new AwsFault(
    'InvalidRequestException',
    "You can't perform this operation on the secret because it was marked for deletion.",
  );

function amzDateToMs(value: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (m === null) return undefined;
  return Date.UTC(
    Number(m[1]),
    Number(m[2]) - 1,
    Number(m[3]),
    Number(m[4]),
    Number(m[5]),
    Number(m[6]),
  );
}

function toAmzDate(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

const seconds = (ms: number) => ms / 1000;

/**
 * Starts the double on 127.0.0.1 at a free port.
 * @example
 * const aws = await startAwsDouble({ pageSizes: [7, 0] });
 * aws.putDirect('team/app', { KEY: 'value' });
 */
export async function startAwsDouble(options: AwsDoubleOptions = {}): Promise<AwsDouble> {
  const region = options.region ?? 'us-east-1';
  const accountId = options.accountId ?? '123456789012';
  const credentials = new Map<string, AwsDoubleCredentials>();
  for (const c of options.credentials ?? [defaultAwsCredentials]) credentials.set(c.accessKeyId, c);
  const baseNow = options.now ?? Date.now;
  let offset = 0;
  const now = () => baseNow() + offset;
  let pageSizes: readonly number[] = [100];
  let cors: AwsDoubleCors = options.cors ?? '*';
  const checkPageSizes = (sizes: readonly number[]) => {
    if (sizes.length === 0 || !sizes.some((n) => Number.isInteger(n) && n > 0)) {
      throw new Error('aws double: page sizes must let paging advance (one size above 0)');
    }
  };
  if (options.pageSizes !== undefined) {
    checkPageSizes(options.pageSizes);
    pageSizes = options.pageSizes;
  }
  const faults: { fault: AwsDoubleFault; left: number }[] = [];
  const secrets = new Map<string, Secret>();
  const requests: AwsDoubleRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();

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

  function current(s: Secret): Version | undefined {
    for (const v of s.versions.values()) if (v.stages.has('AWSCURRENT')) return v;
    return undefined;
  }

  /**
   * Attaches `stage` to `version`, taking it from any other version (a label is on one version
   * at a time). Moving AWSCURRENT gives AWSPREVIOUS to the version it left
   * (API_UpdateSecretVersionStage, API_PutSecretValue).
   */
  function attach(s: Secret, version: Version, stage: string): void {
    for (const v of s.versions.values()) {
      if (v === version || !v.stages.has(stage)) continue;
      v.stages.delete(stage);
      if (stage === 'AWSCURRENT') attach(s, v, 'AWSPREVIOUS');
    }
    version.stages.add(stage);
  }

  function readValue(
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

  function sameValue(v: Version, value: { string?: string; binary?: Buffer }): boolean {
    if (v.string !== undefined || value.string !== undefined) return v.string === value.string;
    return v.binary !== undefined && value.binary !== undefined && v.binary.equals(value.binary);
  }

  function token(body: Record<string, unknown>): string {
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

  function listEntry(s: Secret) {
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

  const handlers: Record<
    AwsDoubleOperation,
    (body: Record<string, unknown>) => Record<string, unknown>
  > = {
    /** API_ListSecrets: MaxResults 1–100; NextToken while more remain; pages may be short or empty. */
    ListSecrets(body) {
      purge();
      const max = body.MaxResults ?? 100;
      if (typeof max !== 'number' || !Number.isInteger(max) || max < 1 || max > 100) {
        throw new AwsFault('InvalidParameterException', 'MaxResults must be between 1 and 100.');
      }
      let start = 0;
      let page = 0;
      if (body.NextToken !== undefined) {
        try {
          const parsed = JSON.parse(
            Buffer.from(String(body.NextToken), 'base64url').toString('utf8'),
          ) as unknown;
          if (typeof parsed !== 'object' || parsed === null) throw new Error('shape');
          const o = (parsed as { o?: unknown }).o;
          const p = (parsed as { p?: unknown }).p;
          if (typeof o !== 'number' || typeof p !== 'number') throw new Error('shape');
          start = o;
          page = p;
        } catch {
          throw new AwsFault('InvalidNextTokenException', 'The NextToken value is invalid.');
        }
      }
      let list = [...secrets.values()];
      if (body.IncludePlannedDeletion !== true) list = list.filter((s) => s.deleted === undefined);
      const filters = Array.isArray(body.Filters)
        ? (body.Filters as { Key?: unknown; Values?: unknown }[])
        : [];
      for (const f of filters) {
        // Filters, Key "name": a prefix match, not case sensitive.
        if (f.Key === 'name' && Array.isArray(f.Values)) {
          const prefixes = f.Values.map((v) => String(v).toLowerCase());
          list = list.filter((s) => prefixes.some((p) => s.name.toLowerCase().startsWith(p)));
        }
      }
      list.sort((a, b) => a.created - b.created);
      if (body.SortOrder === 'desc') list.reverse();
      const size = Math.min(max, pageSizes[page % pageSizes.length] ?? 100);
      const slice = list.slice(start, start + size);
      const end = start + slice.length;
      const next =
        end < list.length
          ? Buffer.from(JSON.stringify({ o: end, p: page + 1 })).toString('base64url')
          : undefined;
      return {
        SecretList: slice.map(listEntry),
        ...(next === undefined ? {} : { NextToken: next }),
      };
    },

    /** API_GetSecretValue: AWSCURRENT unless VersionId or VersionStage says otherwise. */
    GetSecretValue(body) {
      const s = find(body.SecretId);
      if (s === undefined) throw notFound();
      if (s.deleted !== undefined) throw markedForDeletion();
      let v: Version | undefined;
      if (typeof body.VersionId === 'string') {
        v = s.versions.get(body.VersionId);
        if (v === undefined) {
          throw new AwsFault(
            'ResourceNotFoundException',
            `Secrets Manager can't find the specified secret value for VersionId: ${body.VersionId}`,
          );
        }
      } else {
        const stage = typeof body.VersionStage === 'string' ? body.VersionStage : 'AWSCURRENT';
        for (const candidate of s.versions.values()) if (candidate.stages.has(stage)) v = candidate;
        if (v === undefined) {
          throw new AwsFault(
            'ResourceNotFoundException',
            `Secrets Manager can't find the specified secret value for staging label: ${stage}`,
          );
        }
      }
      return {
        ARN: s.arn,
        Name: s.name,
        VersionId: v.id,
        ...(v.string === undefined ? {} : { SecretString: v.string }),
        ...(v.binary === undefined ? {} : { SecretBinary: v.binary.toString('base64') }),
        VersionStages: [...v.stages],
        CreatedDate: seconds(v.created),
      };
    },

    /**
     * API_PutSecretValue: a new version, labelled VersionStages (default AWSCURRENT). The token
     * becomes the VersionId; "If a version with this value already exists and that version's
     * SecretString and SecretBinary values are the same as those in the request, then the
     * request is ignored"; different values fail ("you can't modify an existing version").
     */
    PutSecretValue(body) {
      const s = find(body.SecretId);
      if (s === undefined) throw notFound();
      if (s.deleted !== undefined) throw markedForDeletion();
      const value = readValue(body);
      if (value === undefined) {
        throw new AwsFault(
          'InvalidParameterException',
          'You must provide either SecretString or SecretBinary.',
        );
      }
      const id = token(body);
      const existing = s.versions.get(id);
      if (existing !== undefined) {
        if (!sameValue(existing, value)) {
          throw new AwsFault(
            'ResourceExistsException',
            'A resource with the ID you requested already exists.',
          );
        }
        return {
          ARN: s.arn,
          Name: s.name,
          VersionId: existing.id,
          VersionStages: [...existing.stages],
        };
      }
      let stages: string[] = ['AWSCURRENT'];
      if (body.VersionStages !== undefined) {
        if (
          !Array.isArray(body.VersionStages) ||
          body.VersionStages.some((x) => typeof x !== 'string')
        ) {
          throw new AwsFault(
            'InvalidParameterException',
            'VersionStages must be a list of strings.',
          );
        }
        stages = body.VersionStages as string[];
      }
      const v = addVersion(s, id, value, stages);
      return { ARN: s.arn, Name: s.name, VersionId: v.id, VersionStages: [...v.stages] };
    },

    /**
     * API_CreateSecret: fails with ResourceExistsException when the name is taken, and with
     * InvalidRequestException when it is held by a secret scheduled for deletion. The same
     * ClientRequestToken and value again is ignored (idempotency).
     */
    CreateSecret(body) {
      const name = body.Name;
      if (typeof name !== 'string' || !/^[A-Za-z0-9/_+=.@!-]{1,512}$/.test(name)) {
        throw new AwsFault(
          'InvalidParameterException',
          'Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!',
        );
      }
      const value = readValue(body);
      const id = token(body);
      const existing = find(name);
      if (existing !== undefined) {
        if (existing.deleted !== undefined) {
          throw new AwsFault(
            'InvalidRequestException',
            "You can't create this secret because a secret with this name is already scheduled for deletion.",
          );
        }
        const same = existing.versions.get(id);
        if (same !== undefined && value !== undefined && sameValue(same, value)) {
          return { ARN: existing.arn, Name: existing.name, VersionId: same.id };
        }
        throw new AwsFault(
          'ResourceExistsException',
          `The operation failed because the secret ${name} already exists.`,
        );
      }
      const s: Secret = {
        name,
        arn: arnFor(name),
        created: now(),
        lastChanged: now(),
        versions: new Map(),
      };
      if (typeof body.Description === 'string') s.description = body.Description;
      secrets.set(name, s);
      if (value === undefined) return { ARN: s.arn, Name: s.name };
      const v = addVersion(s, id, value, ['AWSCURRENT']);
      return { ARN: s.arn, Name: s.name, VersionId: v.id };
    },

    /**
     * API_DeleteSecret: RecoveryWindowInDays 7–30 (default 30) or ForceDeleteWithoutRecovery,
     * not both. DeletionDate in the answer; RestoreSecret until then.
     */
    DeleteSecret(body) {
      const force = body.ForceDeleteWithoutRecovery === true;
      if (force && body.RecoveryWindowInDays !== undefined) {
        throw new AwsFault(
          'InvalidParameterException',
          "You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.",
        );
      }
      const days = body.RecoveryWindowInDays ?? 30;
      if (typeof days !== 'number' || !Number.isInteger(days) || days < 7 || days > 30) {
        throw new AwsFault(
          'InvalidParameterException',
          'The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).',
        );
      }
      const s = find(body.SecretId);
      if (s === undefined) throw notFound();
      if (force) {
        secrets.delete(s.name);
        return { ARN: s.arn, Name: s.name, DeletionDate: seconds(now()) };
      }
      if (s.deleted !== undefined) {
        throw new AwsFault(
          'InvalidRequestException',
          "You can't perform this operation on the secret because it was already scheduled for deletion.",
        );
      }
      s.deleted = now();
      s.deletionDate = now() + days * DAY_MS;
      return { ARN: s.arn, Name: s.name, DeletionDate: seconds(s.deletionDate) };
    },

    /** API_RestoreSecret: cancels the deletion; versions and labels are as before. */
    RestoreSecret(body) {
      const s = find(body.SecretId);
      if (s === undefined) throw notFound();
      delete s.deleted;
      delete s.deletionDate;
      return { ARN: s.arn, Name: s.name };
    },

    /** API_DescribeSecret: metadata, VersionIdsToStages, DeletedDate; answers for deleted secrets too. */
    DescribeSecret(body) {
      const s = find(body.SecretId);
      if (s === undefined) throw notFound();
      const stages: Record<string, string[]> = {};
      for (const v of s.versions.values()) if (v.stages.size > 0) stages[v.id] = [...v.stages];
      return {
        ARN: s.arn,
        Name: s.name,
        ...(s.description === undefined ? {} : { Description: s.description }),
        LastChangedDate: seconds(s.lastChanged),
        CreatedDate: seconds(s.created),
        ...(s.deleted === undefined ? {} : { DeletedDate: seconds(s.deleted) }),
        VersionIdsToStages: stages,
        Tags: [],
      };
    },

    /**
     * API_UpdateSecretVersionStage: "If the staging label is already attached to a different
     * version of the secret, then you must also specify the RemoveFromVersionId parameter ...
     * If the label is attached and you either do not specify RemoveFromVersionId, or the version
     * ID does not match, then the operation fails." Moving AWSCURRENT sets AWSPREVIOUS on the
     * version it left.
     */
    UpdateSecretVersionStage(body) {
      const s = find(body.SecretId);
      if (s === undefined) throw notFound();
      if (s.deleted !== undefined) throw markedForDeletion();
      const stage = body.VersionStage;
      if (typeof stage !== 'string' || stage === '') {
        throw new AwsFault('InvalidParameterException', 'VersionStage is required.');
      }
      const moveTo = typeof body.MoveToVersionId === 'string' ? body.MoveToVersionId : undefined;
      const removeFrom =
        typeof body.RemoveFromVersionId === 'string' ? body.RemoveFromVersionId : undefined;
      if (moveTo === undefined && removeFrom === undefined) {
        throw new AwsFault(
          'InvalidParameterException',
          'You must specify MoveToVersionId or RemoveFromVersionId.',
        );
      }
      let holder: Version | undefined;
      for (const v of s.versions.values()) if (v.stages.has(stage)) holder = v;
      if (moveTo !== undefined) {
        const target = s.versions.get(moveTo);
        if (target === undefined) {
          throw new AwsFault(
            'ResourceNotFoundException',
            `Secrets Manager can't find the specified secret value for VersionId: ${moveTo}`,
          );
        }
        if (holder !== undefined && holder !== target && removeFrom !== holder.id) {
          throw new AwsFault(
            'InvalidParameterException',
            `The parameter RemoveFromVersionId doesn't match. Staging label ${stage} is currently attached to version ${holder.id}, so you must explicitly reference that version in RemoveFromVersionId.`,
          );
        }
        attach(s, target, stage);
      } else if (removeFrom !== undefined) {
        if (holder === undefined || holder.id !== removeFrom) {
          throw new AwsFault(
            'InvalidParameterException',
            `The staging label ${stage} is not attached to version ${removeFrom}.`,
          );
        }
        if (stage === 'AWSCURRENT') {
          throw new AwsFault(
            'InvalidParameterException',
            "You can't remove the staging label AWSCURRENT without moving it to another version.",
          );
        }
        holder.stages.delete(stage);
      }
      s.lastChanged = now();
      return { ARN: s.arn, Name: s.name };
    },
  };

  function corsHeaders(req: IncomingMessage, res: ServerResponse, preflight: boolean): void {
    if (cors === 'off') return;
    const origin = req.headers.origin;
    if (cors !== '*') {
      res.setHeader('Vary', 'Origin');
      if (origin !== cors.origin) return;
    }
    res.setHeader('Access-Control-Allow-Origin', cors === '*' ? '*' : cors.origin);
    if (preflight) {
      res.setHeader('Access-Control-Allow-Headers', CORS_ALLOW_HEADERS);
      res.setHeader('Access-Control-Allow-Methods', 'POST');
      res.setHeader('Access-Control-Max-Age', '172800');
    } else {
      res.setHeader('Access-Control-Expose-Headers', CORS_EXPOSE_HEADERS);
    }
  }

  function errorBody(fault: AwsFault): Record<string, string> {
    const type =
      options.errorTypeStyle === 'namespaced'
        ? `com.amazonaws.secretsmanager#${fault.type}`
        : options.errorTypeStyle === 'suffixed'
          ? `${fault.type}:http://internal.amazon.com/coral/com.amazonaws.secretsmanager/`
          : fault.type;
    return { __type: type, [options.messageField ?? 'Message']: fault.message };
  }

  /** CommonErrors and SigV4: who is calling, or the AwsFault that says why not. */
  async function authenticate(
    req: IncomingMessage,
    body: string,
    port: number,
  ): Promise<AwsDoubleCredentials> {
    const header = req.headers.authorization;
    if (header === undefined) {
      throw new AwsFault('MissingAuthenticationTokenException', 'Missing Authentication Token');
    }
    const m =
      /^AWS4-HMAC-SHA256 Credential=([^/,\s]+)\/(\d{8})\/([^/,\s]+)\/([^/,\s]+)\/aws4_request,\s*SignedHeaders=([a-z0-9;-]+),\s*Signature=([0-9a-f]{64})$/.exec(
        header,
      );
    if (m === null) {
      throw new AwsFault(
        'IncompleteSignatureException',
        "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters.",
      );
    }
    const [
      ,
      keyId = '',
      scopeDate = '',
      scopeRegion = '',
      scopeService = '',
      signedHeaders = '',
      signature = '',
    ] = m;
    const key = credentials.get(keyId);
    if (key === undefined) {
      throw new AwsFault(
        'UnrecognizedClientException',
        'The security token included in the request is invalid.',
      );
    }
    const token = req.headers['x-amz-security-token'];
    if ((key.sessionToken ?? undefined) !== (typeof token === 'string' ? token : undefined)) {
      throw new AwsFault(
        'UnrecognizedClientException',
        'The security token included in the request is invalid.',
      );
    }
    if (key.expiresAt !== undefined && key.expiresAt <= now()) {
      throw new AwsFault(
        'ExpiredTokenException',
        'The security token included in the request is expired',
      );
    }
    const dateHeader = req.headers['x-amz-date'];
    const signedAt = typeof dateHeader === 'string' ? amzDateToMs(dateHeader) : undefined;
    if (signedAt === undefined || typeof dateHeader !== 'string') {
      throw new AwsFault(
        'IncompleteSignatureException',
        "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.",
      );
    }
    const t = now();
    if (signedAt < t - MAX_SKEW_MS) {
      throw new AwsFault(
        'InvalidSignatureException',
        `Signature expired: ${dateHeader} is now earlier than ${toAmzDate(t - MAX_SKEW_MS)} (${toAmzDate(t)} - 15 min.)`,
      );
    }
    if (signedAt > t + MAX_SKEW_MS) {
      throw new AwsFault(
        'InvalidSignatureException',
        `Signature not yet current: ${dateHeader} is still later than ${toAmzDate(t + MAX_SKEW_MS)} (${toAmzDate(t)} + 15 min.)`,
      );
    }
    if (scopeDate !== dateHeader.slice(0, 8)) {
      throw new AwsFault(
        'InvalidSignatureException',
        `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${scopeDate}' != '${dateHeader.slice(0, 8)}', from '${dateHeader}'.`,
      );
    }
    if (scopeRegion !== region) {
      throw new AwsFault(
        'InvalidSignatureException',
        'Credential should be scoped to a valid region. ',
      );
    }
    if (scopeService !== 'secretsmanager') {
      throw new AwsFault(
        'InvalidSignatureException',
        "Credential should be scoped to correct service: 'secretsmanager'. ",
      );
    }
    const names = signedHeaders.split(';');
    if (!names.includes('host')) {
      throw new AwsFault(
        'InvalidSignatureException',
        "'Host' must be a 'SignedHeader' in the AWS Authorization.",
      );
    }
    const headers: Record<string, string> = {};
    for (const name of names) {
      const value = req.headers[name];
      if (value === undefined) {
        throw new AwsFault(
          'InvalidSignatureException',
          `Signed header ${name} is missing from the request.`,
        );
      }
      headers[name] = Array.isArray(value) ? value.join(',') : value;
    }
    // A declared payload hash must be the body's, or a changed body would pass.
    const declared = headers['x-amz-content-sha256'];
    if (
      declared !== undefined &&
      declared !== createHash('sha256').update(body, 'utf8').digest('hex')
    ) {
      throw new AwsFault(
        'InvalidSignatureException',
        'The provided x-amz-content-sha256 header does not match what was computed.',
      );
    }
    // Recompute with an independent SigV4 implementation. The session token is passed only
    // when the client signed it, so smithy signs exactly the headers the client named.
    const signer = new SignatureV4({
      service: 'secretsmanager',
      region,
      credentials: {
        accessKeyId: key.accessKeyId,
        secretAccessKey: key.secretAccessKey,
        ...(key.sessionToken !== undefined && names.includes('x-amz-security-token')
          ? { sessionToken: key.sessionToken }
          : {}),
      },
      sha256: Sha256,
      applyChecksum: false,
      uriEscapePath: true,
    });
    const signed = await signer.sign(
      {
        method: req.method ?? 'POST',
        protocol: 'http:',
        hostname: '127.0.0.1',
        port,
        path: (req.url ?? '/').split('?')[0] ?? '/',
        query: Object.fromEntries(new URL(req.url ?? '/', 'http://x').searchParams),
        headers,
        body,
      },
      { signingDate: new Date(signedAt), signingRegion: region, signingService: 'secretsmanager' },
    );
    const expected = String(signed.headers.authorization ?? '');
    const expectedSignature = /Signature=([0-9a-f]{64})/.exec(expected)?.[1];
    const expectedHeaders = /SignedHeaders=([^,]+)/.exec(expected)?.[1];
    if (expectedSignature !== signature || expectedHeaders !== signedHeaders) {
      throw new AwsFault(
        'InvalidSignatureException',
        'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
      );
    }
    return key;
  }

  function takeFault(operation: string): AwsDoubleFault | undefined {
    const index = faults.findIndex(
      (f) => f.fault.operation === undefined || f.fault.operation === operation,
    );
    if (index < 0) return undefined;
    const entry = faults[index];
    if (entry === undefined) return undefined;
    entry.left -= 1;
    if (entry.left <= 0) faults.splice(index, 1);
    return entry.fault;
  }

  function readBody(req: IncomingMessage): Promise<string> {
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      req.on('error', reject);
    });
  }

  async function handle(req: IncomingMessage, res: ServerResponse, port: number): Promise<void> {
    const target = req.headers['x-amz-target'];
    const operation =
      typeof target === 'string' && target.startsWith('secretsmanager.')
        ? target.slice('secretsmanager.'.length)
        : `${req.method} ${req.url}`;
    const entry: AwsDoubleRequest = {
      operation,
      headerNames: Object.keys(req.headers).sort(),
      status: 0,
    };
    requests.push(entry);
    const answer = (
      status: number,
      payload: Record<string, unknown> | undefined,
      errorType?: string,
    ) => {
      entry.status = status;
      if (errorType !== undefined) entry.errorType = errorType;
      res.statusCode = status;
      res.setHeader('x-amzn-RequestId', randomUUID());
      res.setHeader('Date', new Date(now()).toUTCString());
      if (errorType !== undefined) res.setHeader('x-amzn-ErrorType', errorType);
      if (payload === undefined) {
        res.end();
        return;
      }
      res.setHeader('Content-Type', 'application/x-amz-json-1.1');
      res.end(JSON.stringify(payload));
    };

    if (req.method === 'OPTIONS') {
      corsHeaders(req, res, true);
      if (cors === 'off') {
        answer(403, undefined);
        return;
      }
      answer(200, undefined);
      return;
    }
    corsHeaders(req, res, false);
    const body = await readBody(req);
    if (req.method !== 'POST' || (req.url ?? '/').split('?')[0] !== '/') {
      // Not an API call (a browser's no-cors reachability probe, say): the service answers.
      answer(404, { message: 'Not Found' });
      return;
    }
    const fail = (fault: AwsFault) => answer(fault.status, errorBody(fault), fault.type);
    if (typeof target !== 'string' || !OPERATIONS.has(operation)) {
      fail(new AwsFault('UnknownOperationException', 'The requested operation is not recognized.'));
      return;
    }
    const fault = takeFault(operation);
    if (fault !== undefined && fault.kind !== 'delay') {
      // CommonErrors: ThrottlingException (400), InternalFailure (500), ServiceUnavailable (503).
      if (fault.kind === 'throttle') fail(new AwsFault('ThrottlingException', 'Rate exceeded'));
      else if (fault.kind === 'internal')
        fail(new AwsFault('InternalServiceError', 'An error occurred on the server side.', 500));
      else
        fail(
          new AwsFault(
            'ServiceUnavailable',
            'The request has failed due to a temporary failure of the server.',
            503,
          ),
        );
      return;
    }
    let status = 200;
    let payload: Record<string, unknown>;
    let errorType: string | undefined;
    try {
      const key = await authenticate(req, body, port);
      (entry as { accessKeyId?: string }).accessKeyId = key.accessKeyId;
      const contentType = req.headers['content-type'] ?? '';
      if (!contentType.startsWith('application/x-amz-json-1.1')) {
        throw new AwsFault(
          'SerializationException',
          'Content-Type must be application/x-amz-json-1.1.',
        );
      }
      let input: unknown;
      try {
        input = body === '' ? {} : JSON.parse(body);
      } catch {
        throw new AwsFault('SerializationException', 'The request body is not valid JSON.');
      }
      if (typeof input !== 'object' || input === null || Array.isArray(input)) {
        throw new AwsFault('SerializationException', 'The request body must be a JSON object.');
      }
      const op = operation as AwsDoubleOperation;
      if (key.allow !== undefined && !key.allow.includes(op)) {
        const resource =
          (input as { SecretId?: unknown; Name?: unknown }).SecretId ??
          (input as { Name?: unknown }).Name;
        const arn = `arn:aws:iam::${accountId}:user/${key.userName ?? 'coffer-test'}`;
        const on = typeof resource === 'string' ? (find(resource)?.arn ?? resource) : '*';
        throw new AwsFault(
          'AccessDeniedException',
          `User: ${arn} is not authorized to perform: secretsmanager:${op} on resource: ${on} because no identity-based policy allows the secretsmanager:${op} action`,
        );
      }
      payload = handlers[op](input as Record<string, unknown>);
    } catch (error) {
      if (!(error instanceof AwsFault)) throw error;
      status = error.status;
      payload = errorBody(error);
      errorType = error.type;
    }
    if (fault?.kind === 'delay') {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          timers.delete(timer);
          resolve();
        }, fault.ms);
        timers.add(timer);
      });
    }
    answer(status, payload, errorType);
  }

  const server = createServer((req, res) => {
    const port = (server.address() as AddressInfo).port;
    handle(req, res, port).catch((error: unknown) => {
      res.statusCode = 500;
      res.end(JSON.stringify({ __type: 'InternalFailure', Message: String(error) }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  function putValue(name: string, value: { string?: string; binary?: Buffer }): string {
    purge();
    let s = secrets.get(name);
    if (s === undefined) {
      s = { name, arn: arnFor(name), created: now(), lastChanged: now(), versions: new Map() };
      secrets.set(name, s);
    }
    return addVersion(s, randomUUID(), value, ['AWSCURRENT']).id;
  }

  function view(v: Version): AwsDoubleVersion {
    return {
      versionId: v.id,
      stages: [...v.stages].sort(),
      ...(v.string === undefined ? {} : { secretString: v.string }),
      ...(v.binary === undefined ? {} : { secretBinary: new Uint8Array(v.binary) }),
      createdDate: v.created,
    };
  }

  return {
    url,
    region,
    requests,
    now,
    async close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
    addCredentials(c) {
      credentials.set(c.accessKeyId, c);
    },
    setCors(next) {
      cors = next;
    },
    setPageSizes(sizes) {
      checkPageSizes(sizes);
      pageSizes = sizes;
    },
    fail(fault) {
      faults.push({ fault, left: fault.count ?? 1 });
    },
    putDirect(name, values) {
      return putValue(name, { string: JSON.stringify(values) });
    },
    putRaw(name, value) {
      return 'secretString' in value
        ? putValue(name, { string: value.secretString })
        : putValue(name, { binary: Buffer.from(value.secretBinary) });
    },
    secret(name) {
      purge();
      const s = secrets.get(name);
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
    },
    advanceClock(ms) {
      offset += ms;
      purge();
    },
  };
}
