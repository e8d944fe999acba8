import { ProviderSettingsError } from '../errors';
import type { AwsSettings } from '../types';

/**
 * AWS region codes in service today (AWS General Reference, "Regions and Zones"; Secrets
 * Manager is offered in every commercial region). A region outside this list is refused before
 * any request when Coffer derives the endpoint from it: the derived host would not resolve, and
 * "no such region" says more than "unreachable". With an endpoint override (LocalStack, a VPC
 * endpoint) any region of the right shape is accepted. Add codes here when AWS opens regions.
 */
export const KNOWN_AWS_REGIONS: ReadonlySet<string> = new Set([
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
  'af-south-1',
  'ap-east-1',
  'ap-east-2',
  'ap-south-1',
  'ap-south-2',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-southeast-3',
  'ap-southeast-4',
  'ap-southeast-5',
  'ap-southeast-6',
  'ap-southeast-7',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-northeast-3',
  'ca-central-1',
  'ca-west-1',
  'eu-central-1',
  'eu-central-2',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'eu-south-1',
  'eu-south-2',
  'eu-north-1',
  'il-central-1',
  'me-south-1',
  'me-central-1',
  'mx-central-1',
  'sa-east-1',
  'us-gov-east-1',
  'us-gov-west-1',
  'cn-north-1',
  'cn-northwest-1',
]);

/** The shape of a region code: `us-east-1`, `ap-southeast-4`, `us-gov-west-1`. */
const REGION_SHAPE = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

/** True when `region` has the shape of a region code (not whether AWS has it). */
export function isRegionShaped(region: string): boolean {
  return REGION_SHAPE.test(region);
}

/**
 * The origin requests go to: the override, or the regional endpoint (AWS General Reference,
 * "AWS Secrets Manager endpoints and quotas"; the China regions live under `amazonaws.com.cn`).
 */
export function endpointOrigin(settings: AwsSettings): string {
  if (settings.endpoint !== undefined) {
    // Settings that skipped validateAwsSettings still fail with the typed error.
    if (!URL.canParse(settings.endpoint)) {
      throw new ProviderSettingsError(
        'endpoint',
        'expected an http(s) address such as http://localhost:4566',
      );
    }
    return new URL(settings.endpoint).origin;
  }
  const suffix = settings.region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
  return `https://secretsmanager.${settings.region}.${suffix}`;
}

function field(
  input: Record<string, unknown>,
  name: string,
  optional: boolean,
): string | undefined {
  const value = input[name];
  if (value === undefined && optional) return undefined;
  if (typeof value !== 'string') throw new ProviderSettingsError(name, 'expected a string');
  return value;
}

/**
 * Checks settings typed by a user (or read back from storage) and returns them typed.
 * Messages name the field and the problem, never the value (a secret key may be in it).
 * @example
 * validateAwsSettings({ kind: 'aws', region: 'eu-west-1', accessKeyId: 'AKIA…', secretAccessKey: '…' });
 */
export function validateAwsSettings(input: unknown): AwsSettings {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new ProviderSettingsError('settings', 'expected an object');
  }
  const record = input as Record<string, unknown>;
  if (record.kind !== 'aws') throw new ProviderSettingsError('kind', "expected 'aws'");
  const region = field(record, 'region', false) as string;
  if (!isRegionShaped(region)) {
    throw new ProviderSettingsError('region', 'expected a region code such as us-east-1');
  }
  let endpoint = field(record, 'endpoint', true);
  if (endpoint === '') endpoint = undefined;
  if (endpoint !== undefined) {
    let url: URL;
    try {
      url = new URL(endpoint);
    } catch {
      throw new ProviderSettingsError(
        'endpoint',
        'expected an http(s) address such as http://localhost:4566',
      );
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new ProviderSettingsError('endpoint', 'expected an http or https address');
    }
    if (url.username !== '' || url.password !== '') {
      throw new ProviderSettingsError('endpoint', 'must not carry a user name or password');
    }
    if ((url.pathname !== '/' && url.pathname !== '') || url.search !== '' || url.hash !== '') {
      // JSON 1.1 requests go to the root; a path would be signed and sent, and silently ignored
      // by some servers and not others.
      throw new ProviderSettingsError(
        'endpoint',
        'expected an origin only, without a path or query',
      );
    }
    endpoint = url.origin;
  } else if (!KNOWN_AWS_REGIONS.has(region)) {
    throw new ProviderSettingsError(
      'region',
      'is not an AWS region Coffer knows; check the code or set an endpoint',
    );
  }
  const accessKeyId = (field(record, 'accessKeyId', false) as string).trim();
  if (accessKeyId === '') throw new ProviderSettingsError('accessKeyId', 'is empty');
  if (/\s/.test(accessKeyId))
    throw new ProviderSettingsError('accessKeyId', 'contains white space');
  const secretAccessKey = field(record, 'secretAccessKey', false) as string;
  if (secretAccessKey.trim() === '') throw new ProviderSettingsError('secretAccessKey', 'is empty');
  if (secretAccessKey !== secretAccessKey.trim()) {
    throw new ProviderSettingsError(
      'secretAccessKey',
      'has white space at an end (a copy-paste slip?)',
    );
  }
  const sessionToken = field(record, 'sessionToken', true);
  const settings: AwsSettings = {
    kind: 'aws',
    region,
    accessKeyId,
    secretAccessKey,
    ...(endpoint === undefined ? {} : { endpoint }),
    ...(sessionToken === undefined || sessionToken.trim() === ''
      ? {}
      : { sessionToken: sessionToken.trim() }),
  };
  return settings;
}
