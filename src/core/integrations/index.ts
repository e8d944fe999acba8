/**
 * Integrations: HTTP requests with before and after hooks that use vault entries through
 * references (`@{vault.KEY}`), with grants, masking and run history (docs/integrations.md).
 *
 * Contract:
 * - `session.integrations` (an IntegrationsApi) keeps integrations, grants and run history in
 *   the profile, each record sealed under the profile key; names are unique ignoring case.
 * - No grant, no access: a reference, `withVault` or the `vault` object reaches only vaults
 *   the integration was granted; a write needs "read and write". A missing grant is
 *   GrantMissingError naming the integration and the vault.
 * - A run checks every reference before anything runs or is sent, and stops at the field with
 *   a problem. References are substituted by the page, only into the request it sends; text
 *   they put there is never scanned again.
 * - A run opens vaults one at a time and closes each before the request goes out; hooks' vaults
 *   are closed when the hook ends, whatever happened. Runs of one tab take turns per vault; a
 *   vault the tab already has open is shared in turn, never asked for again (no deadlock).
 * - Every secret a run touched is masked (src/core/masking) in what the run shows and keeps:
 *   debug lines, results, errors, and the views of request and response (bodies cut at 64 KiB).
 * - Requests go only to https addresses (plain http only to this machine), never follow
 *   redirects, and their failures say why: CORS (with the headers the API would have to send),
 *   unreachable, timeout, too large (10 MiB), an HTTP error status.
 * - A request's `auth` may name a connection (`{ type: 'connection', vault, connection }`): it
 *   is read at every run (needs a read grant), a run with required fields empty stops before
 *   sending (`connection-incomplete`, with `failure.connection` for "Fill in"), and an OAuth2
 *   access token is made fresh first when due (one refresh at a time per connection: a Web
 *   Lock in this browser, a refresh lease in the vault document between devices). A 401 that
 *   a new token may cure gets one refresh and one retry. Token state is written into the
 *   connection (only its token fields), with the read grant: it is the connection's upkeep.
 * - `run` resolves with the run's record whatever happened (its `status` and `failure` say);
 *   it rejects only when the record cannot be saved or the profile is locked.
 */
export { asIntegrationId, type IntegrationId, isIntegrationId } from '../ids';
export { LEASE_SETTLE_MS, LEASE_WAIT_MS } from './connection-auth';
export {
  GrantMissingError,
  IntegrationNameTakenError,
  IntegrationNotFoundError,
  type IntegrationProblem,
  InvalidIntegrationError,
  ReferenceUnresolvedError,
  RequestFailedError,
  type RequestFailure,
  RunCancelledError,
  type UnresolvedReason,
} from './errors';
export { checkRequestUrl, MAX_RESPONSE_BYTES } from './http';
export { emptyRequest, MAX_INTEGRATION_NAME } from './integration-model';
export { type IntegrationPlatform, Integrations, type IntegrationsDeps } from './integrations';
export { DEFAULT_HOOK_TIME_MS } from './run';
export { DEFAULT_REQUEST_TIMEOUT_MS } from './run-send';
export { VIEW_BYTES } from './run-views';
export {
  type BodyType,
  type ConnectionChoice,
  type DebugLine,
  type FieldProblem,
  type Grant,
  type GrantAccess,
  type HttpMethod,
  httpMethods,
  type Integration,
  type IntegrationDraft,
  type IntegrationField,
  type IntegrationSummary,
  type IntegrationsApi,
  type ReceivedResponse,
  type ReferenceNames,
  type RequestAuth,
  type RequestPair,
  type RequestTemplate,
  type RunEvent,
  type RunFailure,
  type RunOptions,
  type RunRecord,
  type RunStatus,
  type SentRequest,
} from './types';
export type { VaultDirectory } from './vault-access';
