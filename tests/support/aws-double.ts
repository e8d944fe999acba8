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
 *
 * The double's parts are in tests/support/aws-double/: types.ts (the shapes below), state.ts
 * (secrets, versions, staging labels), operations.ts (one per API section), signature.ts
 * (SigV4), cors.ts, handle.ts (one request) and start.ts (the server).
 */
export { startAwsDouble } from './aws-double/start';
export {
  type AwsDouble,
  type AwsDoubleCors,
  type AwsDoubleCredentials,
  type AwsDoubleFault,
  type AwsDoubleOperation,
  type AwsDoubleOptions,
  type AwsDoubleRequest,
  type AwsDoubleSecretView,
  type AwsDoubleVersion,
  defaultAwsCredentials,
} from './aws-double/types';
