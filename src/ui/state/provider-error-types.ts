import type { ProviderError, ProviderFailure, ProviderSettings } from '../../core/providers';

/** A failure as the UI needs it; core's ProviderError is one. */
export type ProviderFailureInfo = Pick<
  ProviderError,
  'provider' | 'reason' | 'operation' | 'status' | 'detail' | 'path'
>;

export interface ProviderErrorContext {
  /** The settings the failed call used (for the address, namespace, engine path, region). */
  readonly settings?: ProviderSettings | undefined;
  /** This page's origin (`location.origin`), which CORS must allow. */
  readonly pageOrigin: string;
  /** This device's clock (ms since the epoch), shown for clock skew; Date.now() if absent. */
  readonly now?: number | undefined;
  /** The KV mount, when known (ConnectionReport.mount); else the engine path's first part. */
  readonly mount?: string | undefined;
  /** The mount's KV version, when known; policies are written for v2 otherwise. */
  readonly kvVersion?: 1 | 2 | undefined;
}

/** A block to copy: a command, a policy, a setting. */
export interface ProviderSnippetText {
  readonly label: string;
  readonly text: string;
}

export interface ProviderErrorExplanation {
  /** One line: what went wrong. */
  readonly title: string;
  /** Paragraphs: why, and what to do. */
  readonly body: readonly string[];
  /** The main command to run, when there is one (also the first of `snippets`). */
  readonly command?: string;
  /** Every block to copy, the command first: show these rather than `command` alone. */
  readonly snippets: readonly ProviderSnippetText[];
}

/** Every ProviderFailure, checked complete by the compiler (a new one must be added here). */
const failures: Readonly<Record<ProviderFailure, true>> = {
  unreachable: true,
  cors: true,
  'mixed-content': true,
  auth: true,
  forbidden: true,
  'no-mount': true,
  'not-kv': true,
  region: true,
  signature: true,
  'clock-skew': true,
  'scheduled-for-deletion': true,
  'not-an-object': true,
  throttled: true,
  server: true,
  timeout: true,
  refused: true,
};
export const PROVIDER_FAILURES = Object.keys(failures) as readonly ProviderFailure[];

/** The headers Coffer's signed AWS requests carry, which a CORS preflight must allow. */
export const AWS_CORS_HEADERS = [
  'content-type',
  'x-amz-target',
  'x-amz-date',
  'authorization',
  'x-amz-security-token',
] as const;

/** True for a provider failure: core's ProviderError, or anything shaped like one. */
export function isProviderFailure(error: unknown): error is ProviderFailureInfo {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as Record<string, unknown>;
  return (
    (e.provider === 'aws' || e.provider === 'hashicorp') &&
    typeof e.reason === 'string' &&
    Object.hasOwn(failures, e.reason) &&
    typeof e.operation === 'string'
  );
}

/** An explanation being written, before credentials are scrubbed from it. */
export type Draft = {
  title: string;
  body: string[];
  snippets: ProviderSnippetText[];
  command?: string;
};
