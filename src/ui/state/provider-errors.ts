/**
 * What a provider failure means and what to do about it, for Test connection, a vault's sync
 * bar and Pull All. Chosen by the failure's `reason` (core's ProviderFailure), never by matching
 * its message; the remote's own words (`detail`) are quoted at the end as evidence.
 *
 * Nothing here ever contains a credential: the settings' token, secret id, role id, access key
 * id, secret key and session token are removed from every string returned, even if a remote
 * echoed one in its error (tests/unit/ui/provider-errors.test.ts checks with canaries).
 *
 * The pieces: provider-error-types.ts (shapes, reasons), provider-error-explain.ts (per reason),
 * provider-policies.ts (Vault and IAM policies), provider-error-words.ts (names, scrubbing).
 */
import { errorCode } from '../../core/errors';
import { explain } from './provider-error-explain';
import {
  type Draft,
  isProviderFailure,
  type ProviderErrorContext,
  type ProviderErrorExplanation,
} from './provider-error-types';
import { credentialsOf, providerName, scrub } from './provider-error-words';

/** Any other error (a conflict, refused settings, a lock): its own words, which name no value. */
function explainOther(error: unknown): Draft {
  const code = errorCode(error);
  if (code === 'provider-conflict') {
    return {
      title: 'The remote secret changed meanwhile',
      body: [
        'Someone else wrote it since Coffer last read it, so nothing was written. Pull to see their change, then save again.',
      ],
      snippets: [],
    };
  }
  const message = error instanceof Error ? error.message : '';
  const sentence = message === '' ? '' : message.charAt(0).toUpperCase() + message.slice(1);
  return {
    title:
      code === 'provider-settings-invalid' ? 'The settings cannot work' : 'Something went wrong',
    body: sentence === '' ? [] : [/[.!?]$/.test(sentence) ? sentence : `${sentence}.`],
    snippets: [],
  };
}

/**
 * What a provider failure means, with what to do and, where it helps, the command or policy to
 * copy. Works for any `reason` (and any other error, in its own words); never contains a
 * credential from `context.settings`.
 * @example
 * explainProviderError(error, { settings, pageOrigin: location.origin }).title;
 * // 'Vault answers, but does not allow this page (CORS)'
 */
export function explainProviderError(
  error: unknown,
  context: ProviderErrorContext,
): ProviderErrorExplanation {
  const secrets = credentialsOf(context.settings);
  let draft: Draft;
  let body: string[];
  if (isProviderFailure(error)) {
    draft = explain(error, context);
    const said: string[] = [];
    // Only what the server answered: with no answer (CORS, unreachable), the detail is ours.
    if (error.status !== undefined && error.detail !== undefined && error.detail !== '')
      said.push(`“${error.detail}”`);
    if (error.status !== undefined) said.push(`HTTP ${error.status}`);
    const where = `${error.operation}${error.path === undefined ? '' : ` ${error.path}`}`;
    body = [
      ...draft.body,
      said.length > 0 ? `${providerName(error.provider)} said (${where}): ${said.join(', ')}.` : '',
    ].filter((line) => line !== '');
  } else {
    draft = explainOther(error);
    body = draft.body;
  }
  return {
    title: scrub(draft.title, secrets),
    body: body.map((line) => scrub(line, secrets)),
    ...(draft.command === undefined ? {} : { command: scrub(draft.command, secrets) }),
    snippets: draft.snippets.map((s) => ({ label: s.label, text: scrub(s.text, secrets) })),
  };
}
