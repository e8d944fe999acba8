import type { ProviderFailure } from '../types';

/** An error answer from Secrets Manager, as read from the wire. */
export interface AwsErrorAnswer {
  readonly status: number;
  /** The bare error code: `ResourceNotFoundException`, with namespace and suffix removed. */
  readonly type: string;
  readonly message: string;
}

/**
 * The error code of a JSON 1.1 error answer. AWS "CommonErrors" and the JSON protocol: the code
 * is in the body's `__type`, which may be namespaced (`com.amazonaws.secretsmanager#X`) or carry
 * a `:`-suffix (`X:http://internal.amazon.com/...`), or in the `x-amzn-ErrorType` header (same
 * forms); the message is `Message` or `message`. The SDK strips the same way.
 */
export function readErrorAnswer(
  status: number,
  header: string | null,
  body: unknown,
): AwsErrorAnswer {
  const record = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const raw =
    (typeof record.__type === 'string' && record.__type) ||
    (typeof record.code === 'string' && record.code) ||
    header ||
    '';
  const bare = raw.split(':')[0]?.split('#').pop()?.trim() ?? '';
  const message =
    (typeof record.Message === 'string' && record.Message) ||
    (typeof record.message === 'string' && record.message) ||
    '';
  return { status, type: bare === '' ? `HTTP${status}` : bare, message };
}

const AUTH = new Set([
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'ExpiredTokenException',
  'ExpiredToken',
  'MissingAuthenticationToken',
  'MissingAuthenticationTokenException',
  'AuthFailure',
]);
const SIGNATURE = new Set([
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
  'IncompleteSignature',
]);
const CLOCK = new Set(['RequestExpired', 'RequestTimeTooSkewed', 'RequestInTheFuture']);
const THROTTLED = new Set([
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'RequestLimitExceeded',
]);
const SERVER = new Set([
  'InternalServiceError',
  'InternalFailure',
  'ServiceUnavailable',
  'ServiceUnavailableException',
]);

/** True when Secrets Manager refused because the secret is in its recovery window. */
export function isScheduledForDeletion(answer: AwsErrorAnswer): boolean {
  // API_GetSecretValue / API_PutSecretValue / API_CreateSecret: InvalidRequestException, "You
  // can't perform this operation on the secret because it was marked for deletion." or "...
  // because a secret with this name is already scheduled for deletion."
  return answer.type === 'InvalidRequestException' && /delet/i.test(answer.message);
}

/**
 * What an error answer means for the user (AWS "CommonErrors" plus the operation errors of the
 * Secrets Manager API reference). `LimitExceededException` (a quota, such as versions per
 * secret) is 'refused' with its words: retrying at once does not fix it.
 */
export function failureOf(answer: AwsErrorAnswer): ProviderFailure {
  const { type, message, status } = answer;
  if (AUTH.has(type)) return 'auth';
  if (SIGNATURE.has(type) || CLOCK.has(type)) {
    // "Signature expired: 20260101T000000Z is now earlier than ..." and "Signature not yet
    // current: ..." are the clock; "Credential should be scoped to a valid region" the region.
    if (CLOCK.has(type) || /expired|not yet current|time|skew/i.test(message)) return 'clock-skew';
    if (/region/i.test(message)) return 'region';
    return 'signature';
  }
  if (type === 'AccessDeniedException' || type === 'AccessDenied') return 'forbidden';
  if (THROTTLED.has(type) || status === 429) return 'throttled';
  if (isScheduledForDeletion(answer)) return 'scheduled-for-deletion';
  if (SERVER.has(type) || status >= 500) return 'server';
  return 'refused';
}
