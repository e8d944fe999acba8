/**
 * Provider settings as the Settings → Providers screen and a vault's override edit them: the
 * form's fields (plain strings), the ProviderSettings built from them with a message per field
 * that is wrong, and a thin wrapper over `session.providers` for saving, testing and Pull All.
 *
 * Secrets (a Vault token, an AppRole secret id, an AWS secret key or session token) are never
 * put back into a form: a saved one is only marked "saved", and kept unless the user chooses to
 * replace it. So the DOM never holds a saved credential, and no message here ever quotes a
 * field's value (tests/unit/ui/provider-settings.test.ts checks both with canaries).
 */
import { type Accessor, createSignal } from 'solid-js';
import { errorCode } from '../../core/errors';
import type { Session } from '../../core/profile';
import type {
  ConnectionReport,
  HashicorpSettings,
  Progress,
  ProviderError,
  ProviderKind,
  ProviderSettings,
  ProviderSettingsError,
} from '../../core/providers';

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
function isLoopback(host: string): boolean {
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

// ---------------------------------------------------------------------------------------------
// State over session.providers: the profile default, Test connection and Pull All.

/** What Pull All reports (the engine's result, restated so the UI depends on its shape only). */
export interface PullAllResult {
  readonly created: readonly { readonly path: string; readonly vaultId: string }[];
  readonly linkedAlready: readonly string[];
  readonly skipped: readonly { readonly path: string; readonly reason: string }[];
}

/** The part of `session.providers` these screens use. */
export interface ProviderSettingsApi {
  defaults(): Promise<ProviderSettings | undefined>;
  saveDefaults(settings: ProviderSettings | undefined): Promise<void>;
  testConnection(settings: ProviderSettings, signal?: AbortSignal): Promise<ConnectionReport>;
  pullAll(options: {
    memoryOnly?: boolean;
    onProgress?: (progress: Progress) => void;
    signal?: AbortSignal;
  }): Promise<PullAllResult>;
}

/**
 * The unlocked session's providers (components reach them only through here). Throws while
 * locked, as `app.session()` does; components call it only while unlocked.
 */
export function providersOf(session: Session): ProviderSettingsApi {
  return session.providers;
}

/** True for core's ProviderError, told by its stable code (not `instanceof`, not its message). */
export function isProviderError(error: unknown): error is ProviderError {
  return errorCode(error) === 'provider-failed';
}

/**
 * Why saving was refused: core's ProviderSettingsError goes under its field (its problem, never
 * the value, is in it); anything else is one line for the form.
 */
export function saveFailure(error: unknown): {
  readonly field?: ProviderField;
  readonly text: string;
} {
  if (errorCode(error) === 'provider-settings-invalid') {
    const refused = error as ProviderSettingsError;
    const field = formFieldOf(refused.field);
    const problem = refused.problem.charAt(0).toUpperCase() + refused.problem.slice(1);
    const text = /[.!?]$/.test(problem) ? problem : `${problem}.`;
    return field === undefined ? { text: `${refused.field}: ${text}` } : { field, text };
  }
  if (errorCode(error) === 'profile-locked')
    return { text: 'Coffer is locked: unlock it and save again.' };
  return {
    text: `Not saved: ${error instanceof Error ? error.message : 'something went wrong'}. What was saved before is unchanged.`,
  };
}

/**
 * Save of the form: builds the settings (nothing is saved when a field is wrong) and hands them
 * to `save`; a refusal comes back under its field, or as one line. What was saved before stays
 * as it was in both cases (`save` writes all or nothing).
 */
export async function saveProviderForm(
  form: ProviderForm,
  saved: ProviderSettings | undefined,
  save: (settings: ProviderSettings) => Promise<void>,
): Promise<
  | { readonly ok: true; readonly settings: ProviderSettings }
  | { readonly ok: false; readonly errors: ProviderFieldErrors; readonly text: string }
> {
  const built = settingsFromProviderForm(form, saved);
  if (built.errors)
    return { ok: false, errors: built.errors, text: 'Check the fields marked above.' };
  try {
    await save(built.settings);
    return { ok: true, settings: built.settings };
  } catch (error) {
    const failure = saveFailure(error);
    return failure.field
      ? {
          ok: false,
          errors: { [failure.field]: failure.text },
          text: 'Not saved: check the field marked above.',
        }
      : { ok: false, errors: {}, text: failure.text };
  }
}

/** Where Test connection stands. */
export type ProviderTestOutcome =
  | { readonly state: 'running' }
  | { readonly state: 'ok'; readonly report: ConnectionReport; readonly settings: ProviderSettings }
  | { readonly state: 'failed'; readonly error: ProviderError; readonly settings: ProviderSettings }
  /** Not a provider failure (a bug, a lock): its words. */
  | { readonly state: 'error'; readonly text: string };

export interface ProviderTestState {
  readonly outcome: Accessor<ProviderTestOutcome | undefined>;
  /** Tests these settings; a test already running is cancelled (only the last one reports). */
  run(settings: ProviderSettings): Promise<void>;
  cancel(): void;
  /** Forgets the result (the form changed, so it no longer describes it). */
  clear(): void;
}

export function createProviderTest(api: () => ProviderSettingsApi): ProviderTestState {
  const [outcome, setOutcome] = createSignal<ProviderTestOutcome | undefined>();
  let current: AbortController | undefined;
  return {
    outcome,
    async run(settings) {
      current?.abort();
      const mine = new AbortController();
      current = mine;
      setOutcome({ state: 'running' });
      try {
        const report = await api().testConnection(settings, mine.signal);
        if (current === mine) setOutcome({ state: 'ok', report, settings });
      } catch (error) {
        if (current !== mine) return;
        if (isProviderError(error)) setOutcome({ state: 'failed', error, settings });
        else if (mine.signal.aborted) setOutcome(undefined);
        else if (errorCode(error) === 'provider-settings-invalid') {
          const refused = saveFailure(error);
          const label =
            refused.field === undefined ? undefined : providerFieldLabels[refused.field];
          setOutcome({
            state: 'error',
            text: `Not tested: ${label === undefined ? '' : `${label}: `}${refused.text}`,
          });
        } else
          setOutcome({
            state: 'error',
            text: `The test could not run: ${error instanceof Error ? error.message : 'something went wrong'}.`,
          });
      } finally {
        if (current === mine) current = undefined;
      }
    },
    cancel() {
      current?.abort();
      current = undefined;
      setOutcome(undefined);
    },
    clear() {
      if (current === undefined) setOutcome(undefined);
    },
  };
}

/** Where Pull All stands. */
export type PullAllState =
  | { readonly state: 'idle' }
  | { readonly state: 'running'; readonly progress: Progress | undefined }
  | { readonly state: 'done'; readonly result: PullAllResult }
  | { readonly state: 'cancelled'; readonly progress: Progress | undefined }
  | { readonly state: 'failed'; readonly error: unknown };

export interface ProviderPullAll {
  readonly state: Accessor<PullAllState>;
  start(options: { readonly memoryOnly: boolean }): Promise<void>;
  cancel(): void;
}

export function createProviderPullAll(api: () => ProviderSettingsApi): ProviderPullAll {
  const [state, setState] = createSignal<PullAllState>({ state: 'idle' });
  let current: AbortController | undefined;
  return {
    state,
    async start(options) {
      if (current !== undefined) return;
      const mine = new AbortController();
      current = mine;
      let last: Progress | undefined;
      setState({ state: 'running', progress: undefined });
      try {
        const result = await api().pullAll({
          memoryOnly: options.memoryOnly,
          signal: mine.signal,
          onProgress: (progress) => {
            last = progress;
            if (current === mine) setState({ state: 'running', progress });
          },
        });
        setState({ state: 'done', result });
      } catch (error) {
        setState(
          mine.signal.aborted ? { state: 'cancelled', progress: last } : { state: 'failed', error },
        );
      } finally {
        current = undefined;
      }
    },
    cancel() {
      current?.abort();
    },
  };
}

/** "12 of 100", for the progress bar's text and its aria-valuetext. */
export function progressText(progress: Progress | undefined): string {
  if (progress === undefined) return 'Listing the remote secrets…';
  return `${progress.done.toLocaleString('en')} of ${progress.total.toLocaleString('en')}`;
}

/** One line per group of Pull All's result. */
export function pullAllSummary(result: PullAllResult): string {
  const vaults = (n: number) => `${n.toLocaleString('en')} ${n === 1 ? 'vault' : 'vaults'}`;
  const parts = [`${vaults(result.created.length)} created`];
  parts.push(`${result.linkedAlready.length.toLocaleString('en')} already linked`);
  if (result.skipped.length > 0)
    parts.push(`${result.skipped.length.toLocaleString('en')} skipped`);
  return `${parts.join(', ')}.`;
}
