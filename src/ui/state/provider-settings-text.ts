import type { ConnectionReport } from '../../core/providers';
import { isLoopback, type ProviderField } from './provider-form';

/** Each field's label, as the form shows it (for messages that name a field). */
export const providerFieldLabels: Readonly<Record<ProviderField, string>> = {
  kind: 'Provider',
  address: 'Address',
  namespace: 'Namespace',
  enginePath: 'Engine path',
  authMethod: 'Authentication',
  token: 'Token',
  roleId: 'Role ID',
  secretId: 'Secret ID',
  approleMount: 'AppRole mount',
  region: 'Region',
  endpoint: 'Endpoint override',
  accessKeyId: 'Access key ID',
  secretAccessKey: 'Secret access key',
  sessionToken: 'Session token',
};

/**
 * The form field a core ProviderSettingsError names (`auth.token`, `endpoint`, ...), so a
 * refusal by core shows under the right input; undefined for one the form has no input for.
 */
export function formFieldOf(coreField: string): ProviderField | undefined {
  const map: Readonly<Record<string, ProviderField>> = {
    kind: 'kind',
    address: 'address',
    namespace: 'namespace',
    enginePath: 'enginePath',
    'auth.method': 'authMethod',
    'auth.token': 'token',
    'auth.roleId': 'roleId',
    'auth.secretId': 'secretId',
    'auth.mount': 'approleMount',
    region: 'region',
    endpoint: 'endpoint',
    accessKeyId: 'accessKeyId',
    secretAccessKey: 'secretAccessKey',
    sessionToken: 'sessionToken',
  };
  return Object.hasOwn(map, coreField) ? map[coreField] : undefined;
}

/**
 * A warning for an address the browser will refuse before sending (an https page calling a
 * plain http address that is not this computer): mixed content.
 */
export function mixedContentWarning(address: string, pageOrigin: string): string | undefined {
  let target: URL;
  let page: URL;
  try {
    target = new URL(address.trim());
    page = new URL(pageOrigin);
  } catch {
    return undefined;
  }
  if (page.protocol !== 'https:' || target.protocol !== 'http:' || isLoopback(target.hostname))
    return undefined;
  return 'This page is served over https, so the browser will block calls to an http address (mixed content). Use https, or run Coffer over http on localhost.';
}

/**
 * The success line of Test connection.
 * @example
 * connectedText({ kind: 'hashicorp', kvVersion: 2, mount: 'secret', secretsSeen: 12 }); // 'Connected: KV v2 at secret, 12 secrets.'
 */
export function connectedText(report: ConnectionReport): string {
  const count = `${report.secretsSeen.toLocaleString('en')} ${report.secretsSeen === 1 ? 'secret' : 'secrets'}`;
  const where =
    report.kind === 'hashicorp'
      ? `KV ${report.kvVersion === undefined ? '' : `v${report.kvVersion} `}at ${report.mount ?? 'the engine path'}`
      : 'AWS Secrets Manager';
  return `Connected: ${where}, ${count}.`;
}

/** Who the credentials are, as the remote said, for the line under the success text. */
export function identityText(report: ConnectionReport): string | undefined {
  if (report.identity === undefined || report.identity === '') return undefined;
  return report.kind === 'aws' ? `As ${report.identity}.` : `Logged in as ${report.identity}.`;
}
