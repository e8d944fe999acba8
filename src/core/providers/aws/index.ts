/**
 * AWS Secrets Manager as a SecretsProvider (src/core/providers/types.ts), over `fetch` with the
 * JSON 1.1 protocol and SigV4 signatures from aws4fetch (no hand-written signing). Each
 * behaviour cites the section of the Secrets Manager API reference it follows
 * (https://docs.aws.amazon.com/secretsmanager/latest/apireference/: API_ListSecrets,
 * API_GetSecretValue, API_PutSecretValue, API_CreateSecret, API_DeleteSecret, API_RestoreSecret,
 * API_DescribeSecret, API_UpdateSecretVersionStage, CommonErrors).
 *
 * Contract:
 * - `validateAwsSettings(input)` returns typed AwsSettings or throws ProviderSettingsError naming
 *   the field and the problem, never the value: region shaped like `us-east-1` (and, without an
 *   endpoint, one AWS has), endpoint an http(s) origin, access key id and secret non-empty.
 * - `createAwsProvider(settings, deps)`: one path = one secret whose SecretString is a JSON object
 *   of KEY: value, written with JSON.stringify exactly (numbers, booleans, null and nested values
 *   round-trip; never String(v)). Version = the AWS VersionId of the AWSCURRENT version.
 * - `list` follows NextToken through every page (pages may be short or empty while it goes on),
 *   leaves out secrets in their recovery window, and returns names sorted. `test` lists one page.
 * - `read` is undefined for no secret and for one in its recovery window; a SecretBinary, a plain
 *   text or a non-object JSON value is ProviderError 'not-an-object'.
 * - `write` is an atomic compare-and-swap (`cas: 'atomic'`):
 *   'absent' → CreateSecret, refused by AWS when the name exists (RemoteConflictError) or is held
 *   by a secret scheduled for deletion (ProviderError 'scheduled-for-deletion').
 *   A version → PutSecretValue with VersionStages ['AWSPENDING'] (AWSCURRENT stays put), then
 *   UpdateSecretVersionStage moving AWSCURRENT to the new version with RemoveFromVersionId =
 *   expected, which AWS refuses when AWSCURRENT is elsewhere. A refused move is a lost race:
 *   RemoteConflictError (with the current version from DescribeSecret when it answers) and the
 *   AWSPENDING label is taken off the new version, best effort. **That losing value still exists
 *   in AWS as a non-current, unlabelled version** until AWS ages it out (it keeps 100 versions
 *   and every version from the last 24 hours): readers never see it, but it is stored there.
 *   A won write also takes AWSPENDING off its version, best effort.
 * - `delete` starts a 30-day recovery window (`purgeAt` = DeletionDate, restorable); `destroy`
 *   is ForceDeleteWithoutRecovery (nothing left to destroy is success); `restore` is RestoreSecret.
 * - Failures are ProviderError('aws', reason, operation, { status, detail, path }) with `detail`
 *   = `<__type>: <message>` from AWS, never a value, key or token. Throttling is retried 3 times
 *   with exponential back-off (deps.sleep) before 'throttled'; each request times out after
 *   30 s ('timeout', also for an aborted signal). A fetch with no answer is 'cors' when a no-cors
 *   probe of the endpoint's origin answers, else 'unreachable'. Before any request: an https page
 *   and an http endpoint (not loopback) is 'mixed-content'; a region AWS does not have, with no
 *   endpoint override, is 'region'.
 */
export {
  type AwsProviderDeps,
  createAwsProvider,
  MAX_SECRET_BYTES,
  RECOVERY_WINDOW_DAYS,
} from './provider';
export { endpointOrigin, isRegionShaped, KNOWN_AWS_REGIONS, validateAwsSettings } from './settings';
export { REQUEST_TIMEOUT_MS, THROTTLE_RETRIES } from './transport';
