import type { HashicorpSettings, ProviderKind, ProviderSettings } from '../../core/providers';

/** The credential fields, which the form never fills from saved settings. */
export type ProviderSecretField = 'token' | 'secretId' | 'secretAccessKey' | 'sessionToken';

/** Every field of the form; the names are those core's ProviderSettingsError uses, flattened. */
export type ProviderField =
  | 'kind'
  | 'address'
  | 'namespace'
  | 'enginePath'
  | 'authMethod'
  | 'token'
  | 'roleId'
  | 'secretId'
  | 'approleMount'
  | 'region'
  | 'endpoint'
  | 'accessKeyId'
  | 'secretAccessKey'
  | 'sessionToken';

/** What the user typed. Secret fields hold only a newly typed value ('' when none). */
export interface ProviderForm {
  readonly kind: ProviderKind;
  readonly address: string;
  readonly namespace: string;
  readonly enginePath: string;
  readonly authMethod: 'token' | 'approle';
  readonly token: string;
  readonly roleId: string;
  readonly secretId: string;
  readonly approleMount: string;
  readonly region: string;
  readonly endpoint: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  /**
   * Per secret field: true keeps the saved value (the field shows "saved" and Replace), false
   * uses what is typed. A field with nothing saved ignores it.
   */
  readonly keep: Readonly<Record<ProviderSecretField, boolean>>;
}

export type ProviderFieldErrors = Partial<Record<ProviderField, string>>;

export const emptyProviderForm: ProviderForm = {
  kind: 'hashicorp',
  address: '',
  namespace: '',
  enginePath: 'secret',
  authMethod: 'token',
  token: '',
  roleId: '',
  secretId: '',
  approleMount: '',
  region: '',
  endpoint: '',
  accessKeyId: '',
  secretAccessKey: '',
  sessionToken: '',
  keep: { token: true, secretId: true, secretAccessKey: true, sessionToken: true },
};

/**
 * The saved value of a secret field, when the saved settings have one for the provider and
 * login method the form shows now. For building settings only: never for display.
 */
function savedSecret(
  saved: ProviderSettings | undefined,
  field: ProviderSecretField,
  form: Pick<ProviderForm, 'kind' | 'authMethod'>,
): string | undefined {
  if (saved === undefined || saved.kind !== form.kind) return undefined;
  if (saved.kind === 'hashicorp') {
    if (saved.auth.method !== form.authMethod) return undefined;
    if (field === 'token' && saved.auth.method === 'token') return saved.auth.token;
    if (field === 'secretId' && saved.auth.method === 'approle') return saved.auth.secretId;
    return undefined;
  }
  if (field === 'secretAccessKey') return saved.secretAccessKey;
  if (field === 'sessionToken') return saved.sessionToken;
  return undefined;
}

/** Whether the field has a saved value the form would keep: the "saved" state and Replace. */
export function hasSavedSecret(
  saved: ProviderSettings | undefined,
  field: ProviderSecretField,
  form: Pick<ProviderForm, 'kind' | 'authMethod'>,
): boolean {
  return savedSecret(saved, field, form) !== undefined;
}

/** Whether a secret field shows its "saved" state (and the typed input is hidden). */
export function showsSaved(
  saved: ProviderSettings | undefined,
  field: ProviderSecretField,
  form: ProviderForm,
): boolean {
  return form.keep[field] && hasSavedSecret(saved, field, form);
}

/** The form for saved settings (or an empty one): every secret field empty, marked kept. */
export function providerFormFrom(saved: ProviderSettings | undefined): ProviderForm {
  if (saved === undefined) return emptyProviderForm;
  if (saved.kind === 'hashicorp') {
    return {
      ...emptyProviderForm,
      kind: 'hashicorp',
      address: saved.address,
      namespace: saved.namespace ?? '',
      enginePath: saved.enginePath,
      authMethod: saved.auth.method,
      roleId: saved.auth.method === 'approle' ? saved.auth.roleId : '',
      approleMount: saved.auth.method === 'approle' ? (saved.auth.mount ?? '') : '',
    };
  }
  return {
    ...emptyProviderForm,
    kind: 'aws',
    region: saved.region,
    endpoint: saved.endpoint ?? '',
    accessKeyId: saved.accessKeyId,
  };
}

/** Loopback hosts, which browsers treat as secure: an https page may call them over http. */
export function isLoopback(host: string): boolean {
  return (
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    host === '[::1]' ||
    /^127\.\d+\.\d+\.\d+$/.test(host)
  );
}

/** An http(s) origin from what was typed, or why not (never quoting it). */
function parseOrigin(
  text: string,
  example: string,
): { readonly origin: string } | { readonly problem: string } {
  let value = text.trim();
  if (value === '') return { problem: 'Required.' };
  // One trailing slash is how addresses are often copied; it names the same origin.
  if (value.endsWith('/') && !value.endsWith('//')) value = value.slice(0, -1);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return { problem: `Not an address. Write it as ${example}.` };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    return { problem: 'Start it with https:// (or http:// for a server on this computer).' };
  if (url.username !== '' || url.password !== '')
    return {
      problem: 'Take the user name or password out of the address: credentials go in their fields.',
    };
  if (url.pathname !== '/' || url.search !== '' || url.hash !== '')
    return { problem: `Give the origin only, with no path: ${example}.` };
  return { origin: url.origin };
}

/**
 * A path of segments (`secret`, `kv/team`, `admin/team-a`). Leading and trailing slashes are
 * dropped, as people copy them from Vault's CLI output (`secret/`).
 */
function parsePath(
  text: string,
  required: boolean,
): { readonly path: string | undefined } | { readonly problem: string } {
  const value = text.trim().replace(/^\/+|\/+$/g, '');
  if (value === '') return required ? { problem: 'Required.' } : { path: undefined };
  const segments = value.split('/');
  if (segments.some((segment) => segment === ''))
    return { problem: 'Remove the empty part (//) from the path.' };
  if (segments.some((segment) => segment === '.' || segment === '..'))
    return { problem: 'A path cannot contain . or .. parts.' };
  if (/\s/.test(value)) return { problem: 'A path cannot contain spaces.' };
  return { path: value };
}

/** The shape of an AWS region code (`us-east-1`, `us-gov-west-1`), as core checks it. */
const REGION_SHAPE = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

/**
 * A credential as pasted: spaces at the ends are a copy slip (no token or key has them), spaces
 * inside are not a credential at all.
 */
function credential(
  text: string,
  name: string,
): { readonly value: string } | { readonly problem: string } {
  const value = text.trim();
  if (value === '') return { problem: 'Required.' };
  if (/\s/.test(value))
    return { problem: `${name} has spaces or line breaks inside; paste it again.` };
  return { value };
}

/** What a secret field holds: the kept saved value, or the typed one. */
function secretInput(
  form: ProviderForm,
  saved: ProviderSettings | undefined,
  field: ProviderSecretField,
): string {
  const kept = form.keep[field] ? savedSecret(saved, field, form) : undefined;
  return kept ?? form[field];
}

/**
 * Builds ProviderSettings from the form: the settings, or a message for each field that is
 * wrong. `saved` gives the secrets the form keeps. Messages never contain what was typed.
 * @example
 * settingsFromProviderForm({ ...emptyProviderForm, address: 'https://vault:8200', token: 'hvs.x' }, undefined);
 * // { settings: { kind: 'hashicorp', address: 'https://vault:8200', enginePath: 'secret', auth: { method: 'token', token: 'hvs.x' } } }
 */
export function settingsFromProviderForm(
  form: ProviderForm,
  saved: ProviderSettings | undefined,
):
  | { readonly settings: ProviderSettings; readonly errors?: undefined }
  | { readonly errors: ProviderFieldErrors; readonly settings?: undefined } {
  const errors: ProviderFieldErrors = {};
  if (form.kind === 'hashicorp') {
    const address = parseOrigin(form.address, 'https://vault.example.com:8200');
    if ('problem' in address) errors.address = address.problem;
    const namespace = parsePath(form.namespace, false);
    if ('problem' in namespace) errors.namespace = namespace.problem;
    const enginePath = parsePath(form.enginePath, true);
    if ('problem' in enginePath) errors.enginePath = enginePath.problem;
    let auth: HashicorpSettings['auth'] | undefined;
    if (form.authMethod === 'token') {
      const token = credential(secretInput(form, saved, 'token'), 'The token');
      if ('problem' in token) errors.token = token.problem;
      else auth = { method: 'token', token: token.value };
    } else {
      const roleId = credential(form.roleId, 'The role ID');
      if ('problem' in roleId) errors.roleId = roleId.problem;
      const secretId = credential(secretInput(form, saved, 'secretId'), 'The secret ID');
      if ('problem' in secretId) errors.secretId = secretId.problem;
      const mount = parsePath(form.approleMount, false);
      if ('problem' in mount) errors.approleMount = mount.problem;
      if (!('problem' in roleId) && !('problem' in secretId) && !('problem' in mount))
        auth = {
          method: 'approle',
          roleId: roleId.value,
          secretId: secretId.value,
          ...(mount.path === undefined ? {} : { mount: mount.path }),
        };
    }
    if (
      'problem' in address ||
      'problem' in namespace ||
      'problem' in enginePath ||
      enginePath.path === undefined ||
      auth === undefined
    )
      return { errors };
    return {
      settings: {
        kind: 'hashicorp',
        address: address.origin,
        ...(namespace.path === undefined ? {} : { namespace: namespace.path }),
        enginePath: enginePath.path,
        auth,
      },
    };
  }

  const region = form.region.trim();
  if (region === '') errors.region = 'Required.';
  else if (!REGION_SHAPE.test(region))
    errors.region = 'Not a region code: write it like us-east-1 or eu-west-3.';
  let endpoint: string | undefined;
  if (form.endpoint.trim() !== '') {
    const parsed = parseOrigin(form.endpoint, 'http://localhost:4566');
    if ('problem' in parsed) errors.endpoint = parsed.problem;
    else endpoint = parsed.origin;
  }
  const accessKeyId = credential(form.accessKeyId, 'The access key ID');
  if ('problem' in accessKeyId) errors.accessKeyId = accessKeyId.problem;
  const secretAccessKey = credential(
    secretInput(form, saved, 'secretAccessKey'),
    'The secret access key',
  );
  if ('problem' in secretAccessKey) errors.secretAccessKey = secretAccessKey.problem;
  const sessionTokenText = secretInput(form, saved, 'sessionToken');
  let sessionToken: string | undefined;
  if (sessionTokenText.trim() !== '') {
    const parsed = credential(sessionTokenText, 'The session token');
    if ('problem' in parsed) errors.sessionToken = parsed.problem;
    else sessionToken = parsed.value;
  }
  if ('problem' in accessKeyId || 'problem' in secretAccessKey || Object.keys(errors).length > 0)
    return { errors };
  return {
    settings: {
      kind: 'aws',
      region,
      ...(endpoint === undefined ? {} : { endpoint }),
      accessKeyId: accessKeyId.value,
      secretAccessKey: secretAccessKey.value,
      ...(sessionToken === undefined ? {} : { sessionToken }),
    },
  };
}
