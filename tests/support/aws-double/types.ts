/**
 * The AWS Secrets Manager double's public shapes (re-exported by tests/support/aws-double.ts):
 * the operations it serves, credentials, CORS and fault settings, and what tests can read back.
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

/** Every operation the double serves; others answer UnknownOperationException. */
export const OPERATIONS: ReadonlySet<string> = new Set<AwsDoubleOperation>([
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
