/**
 * Sentences for the provider errors (src/core/providers) where the generic error line shows
 * them. The Provider dialog and Settings → Providers explain them at length
 * (provider-errors.ts, vault-provider.ts); this stays small so the first screen's bundle does
 * not carry those explanations.
 */
import type {
  ProviderError,
  ProviderLinkError,
  ProviderSettingsError,
  RemoteConflictError,
} from '../../core/providers';

export type ProviderCoreError =
  | ProviderError
  | ProviderLinkError
  | ProviderSettingsError
  | RemoteConflictError;

const failureText: Readonly<Record<ProviderError['reason'], string>> = {
  unreachable: 'Nothing answered at the provider address.',
  cors: 'The provider answers but does not allow this page (CORS): Settings → Providers says what to change.',
  'mixed-content': 'This https page cannot call an http provider address.',
  auth: 'The provider refused the credentials.',
  forbidden: 'The provider credentials are not allowed to do this on that path.',
  'no-mount': 'There is no KV secrets engine at the engine path.',
  'not-kv': 'The engine path is not a KV secrets engine.',
  region: 'That AWS region does not exist or does not match the endpoint.',
  signature: 'AWS refused the signature: check the secret access key.',
  'clock-skew': "This device's clock is too far from the provider's.",
  'scheduled-for-deletion': 'AWS holds this name for a secret scheduled for deletion.',
  'not-an-object': 'The remote secret is not a JSON object of KEY: value.',
  throttled: 'The provider is limiting requests; try again shortly.',
  server: 'The provider failed to answer (a server error).',
  timeout: 'The provider took too long to answer.',
  refused: 'The provider refused the request.',
};

const linkText: Readonly<Record<ProviderLinkError['problem'], string>> = {
  'invalid-record': "This vault's provider settings are damaged; save them again.",
  'not-linked': 'This vault is not linked to a provider.',
  'already-linked': 'This vault is already linked to a provider.',
  'no-settings': 'No provider is set up: add one in Settings → Providers.',
  disabled: 'Sync with the provider is turned off for this vault.',
  'confirm-mismatch': 'The path typed does not match the remote path; nothing was deleted.',
  'remote-gone': 'The remote secret is gone; push again to recreate it.',
  'migration-pending': 'A path move is unfinished: resume or undo it first.',
  'no-migration': 'There is no path move to resume or undo.',
  'migration-mismatch':
    'The copy at the new path does not match the old one; nothing was switched.',
  'bad-path': 'That remote path cannot be used.',
};

/** What a provider error means, in a sentence; never a value or a credential. */
export function providerErrorText(error: ProviderCoreError): string {
  switch (error.code) {
    case 'provider-settings-invalid':
      return `The provider setting "${error.field}" ${error.problem.replace(/\.$/, '')}.`;
    case 'provider-failed':
      return failureText[error.reason];
    case 'provider-conflict':
      return 'The remote secret changed since Coffer last read it, so nothing was written: pull, then try again.';
    case 'provider-link-invalid':
      return linkText[error.problem];
  }
}
