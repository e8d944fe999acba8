import type { ProviderSettings } from '../../core/providers';
import type { ProviderErrorContext, ProviderFailureInfo } from './provider-error-types';

/** How far AWS lets a request's signing time be from its own clock. */
export const AWS_SKEW_MINUTES = 15;

export function providerName(kind: ProviderFailureInfo['provider']): string {
  return kind === 'aws' ? 'AWS Secrets Manager' : 'Vault';
}

/** The origin requests went to, as far as the settings say. */
export function targetOf(
  info: ProviderFailureInfo,
  settings: ProviderSettings | undefined,
): string {
  if (settings?.kind === 'hashicorp') return settings.address;
  if (settings?.kind === 'aws') {
    if (settings.endpoint !== undefined) return settings.endpoint;
    const suffix = settings.region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
    return `https://secretsmanager.${settings.region}.${suffix}`;
  }
  return info.provider === 'aws' ? 'the AWS endpoint' : 'the Vault address';
}

/** Every credential in the settings, to be kept out of any text. */
export function credentialsOf(settings: ProviderSettings | undefined): string[] {
  if (settings === undefined) return [];
  if (settings.kind === 'hashicorp') {
    return settings.auth.method === 'token'
      ? [settings.auth.token]
      : [settings.auth.roleId, settings.auth.secretId];
  }
  return [settings.accessKeyId, settings.secretAccessKey, settings.sessionToken ?? ''];
}

export function scrub(text: string, secrets: readonly string[]): string {
  let out = text;
  // Longest first, so a secret containing another is removed whole.
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
    if (secret.length >= 4) out = out.split(secret).join('[redacted]');
  }
  return out;
}

/** The KV mount and the folder under it, from the report or the engine path. */
export function mountAndPrefix(context: ProviderErrorContext): { mount: string; prefix: string } {
  const enginePath =
    context.settings?.kind === 'hashicorp' ? context.settings.enginePath : 'secret';
  const mount =
    context.mount?.replace(/\/+$/, '') ||
    enginePath.split('/')[0] ||
    /* never empty: the engine path is required */ 'secret';
  const rest = enginePath.startsWith(`${mount}/`) ? enginePath.slice(mount.length + 1) : '';
  return { mount, prefix: rest === '' ? '' : `${rest}/` };
}

export function clockText(now: number): string {
  return `${new Date(now).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}
