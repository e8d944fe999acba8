/**
 * How an integration's request authenticates, as the editor's Auth control edits it: the auth
 * in the draft (absent means none, as in integrations saved before connections), the
 * connections the integration may use (asked of core, by vault; names and types only, never
 * values), the words the picker shows for each, and the connection dialog's pure parts: where a
 * refused create goes in the form, and the patch "Fill in" sends (only the fields typed).
 */
import { type Accessor, batch, createSignal } from 'solid-js';
import { errorCode } from '../../core/errors';
import type { IntegrationId, VaultId } from '../../core/ids';
import type {
  IntegrationDraft,
  IntegrationsApi,
  RequestTemplate,
  RunFailure,
} from '../../core/integrations';
import type { ConnectionField } from '../../core/vault';
// The catalogue as the entry form has it (with its labels for choices).
import { type ConnectionFieldSpec, connectionTypeSpec } from './connection-types';
import { describeError } from './error-text';
import { type IntegrationsApiSource, requireApi } from './integration-api';

export type { ConnectionFieldSpec };

// Taken from the shapes that carry them, as core/integrations/index.ts does not name them yet.
/** How a request authenticates: none, or a connection entry (core's `RequestAuth`). */
export type RequestAuth = NonNullable<RequestTemplate['auth']>;
/** A connection the Auth picker offers (core's `ConnectionChoice`). */
export type ConnectionChoice = Awaited<ReturnType<IntegrationsApi['connections']>>[number];

/** The connection a run could not use (`RunFailure.connection`). */
export type FailedConnection = NonNullable<RunFailure['connection']>;

const none: RequestAuth = { type: 'none' };

/** The draft's auth; none when absent. */
export function authOf(draft: IntegrationDraft): RequestAuth {
  return draft.request.auth ?? none;
}

/** True when two auths are the same (absent and none are). */
export function sameAuth(a: RequestAuth | undefined, b: RequestAuth | undefined): boolean {
  const left = a ?? none;
  const right = b ?? none;
  if (left.type === 'none' || right.type === 'none') return left.type === right.type;
  return left.vault === right.vault && left.connection === right.connection;
}

/** The draft with its request's auth replaced. The draft itself is not modified. */
export function withAuth(draft: IntegrationDraft, auth: RequestAuth): IntegrationDraft {
  const next: RequestAuth =
    auth.type === 'none'
      ? none
      : { type: 'connection', vault: auth.vault, connection: auth.connection };
  return { ...draft, request: { ...draft.request, auth: next } };
}

/** The value of a connection's option in the picker (a vault and a name, which may hold anything). */
export function connectionKey(vault: VaultId, name: string): string {
  return JSON.stringify([vault, name]);
}

/** The auth an option of the picker stands for, or undefined for an unknown value. */
export function authFromKey(key: string): RequestAuth | undefined {
  try {
    const parsed: unknown = JSON.parse(key);
    if (
      Array.isArray(parsed) &&
      parsed.length === 2 &&
      typeof parsed[0] === 'string' &&
      typeof parsed[1] === 'string'
    )
      return { type: 'connection', vault: parsed[0] as VaultId, connection: parsed[1] };
  } catch {
    // Not one of ours.
  }
  return undefined;
}

/** The connections of one vault, as the picker groups them. */
export interface ConnectionGroup {
  readonly vault: VaultId;
  readonly vaultName: string;
  readonly choices: readonly ConnectionChoice[];
}

/** The choices by vault, in the order core gave them (by vault, then name). */
export function groupConnections(choices: readonly ConnectionChoice[]): ConnectionGroup[] {
  const groups: { vault: VaultId; vaultName: string; choices: ConnectionChoice[] }[] = [];
  for (const choice of choices) {
    const group = groups.find((candidate) => candidate.vault === choice.vault);
    if (group) group.choices.push(choice);
    else groups.push({ vault: choice.vault, vaultName: choice.vaultName, choices: [choice] });
  }
  return groups;
}

/** A type's label ("Bearer token"), or its id for a type this version does not know. */
export function connectionTypeName(type: string): string {
  return connectionTypeSpec(type)?.label ?? type;
}

/** "github (Bearer token)", with " · missing credentials" while required fields are empty. */
export function connectionOptionLabel(choice: ConnectionChoice): string {
  const label = `${choice.name} (${connectionTypeName(choice.type)})`;
  return choice.missing.length > 0 ? `${label} · missing credentials` : label;
}

/** The choice the auth names, if the integration may use it. */
export function chosenConnection(
  auth: RequestAuth,
  choices: readonly ConnectionChoice[],
): ConnectionChoice | undefined {
  if (auth.type !== 'connection') return undefined;
  return choices.find((choice) => choice.vault === auth.vault && choice.name === auth.connection);
}

/**
 * The fields "Fill in" shows: the type's own (the missing ones first, so they are seen), or,
 * for a type this version does not know, the missing fields by name (secret, to be safe).
 */
export function fillInSpecs(
  type: string | undefined,
  missing: readonly string[],
): ConnectionFieldSpec[] {
  const known = type === undefined ? undefined : connectionTypeSpec(type);
  if (known === undefined)
    return missing.map((name) => ({
      name,
      label: name,
      secret: true,
      required: true,
      writeOnly: false,
    }));
  const fields = [...known.fields];
  const isMissing = (spec: ConnectionFieldSpec) => missing.includes(spec.name);
  return [...fields.filter(isMissing), ...fields.filter((spec) => !isMissing(spec))];
}

/** The patch "Fill in" saves: only the fields typed; the others keep what they hold. */
export function fillInPatch(
  specs: readonly ConnectionFieldSpec[],
  texts: Readonly<Record<string, string>>,
): Record<string, ConnectionField> {
  const patch: Record<string, ConnectionField> = {};
  for (const spec of specs) {
    const text = texts[spec.name] ?? '';
    if (text === '') continue;
    patch[spec.name] = {
      value: text,
      secret: spec.secret,
      ...(spec.secret && spec.writeOnly ? { writeOnly: true } : {}),
    };
  }
  return patch;
}

/** The required fields still empty once `patch` is applied to a connection missing `missing`. */
export function stillMissing(
  type: string | undefined,
  missing: readonly string[],
  patch: Readonly<Record<string, ConnectionField>>,
): string[] {
  const filled = (name: string) => (patch[name]?.value ?? '').trim() !== '';
  const known = type === undefined ? undefined : connectionTypeSpec(type);
  // Only what was missing can still be: the other required fields hold something.
  const required = known
    ? known.fields.filter((spec) => spec.required).map((spec) => spec.name)
    : missing;
  return required.filter((name) => missing.includes(name) && !filled(name));
}

/** Where a refused create or fill-in is shown in the dialog: the name, a field, or the form. */
export interface ConnectionDialogErrors {
  readonly name?: string;
  readonly fields?: Readonly<Record<string, string>>;
  readonly form?: string;
}

/** Puts an error from `createConnection` / `updateConnection` next to what it is about. */
export function connectionDialogErrors(error: unknown): ConnectionDialogErrors {
  const message = describeError(error);
  switch (errorCode(error)) {
    case 'invalid-name':
    case 'confusable-name':
    case 'name-taken':
      return { name: message };
    case 'invalid-entry': {
      const field = (error as { field?: unknown }).field;
      const name =
        typeof field === 'string' ? /^value\.fields\.(.+)\.(value|secret)$/.exec(field)?.[1] : '';
      return name ? { fields: { [name]: message } } : { form: message };
    }
    default:
      return { form: message };
  }
}

/** The connections one integration's draft may use, for its Auth picker. */
export interface ConnectionChoices {
  readonly choices: Accessor<readonly ConnectionChoice[]>;
  /** Why they could not be listed (the last try); undefined once they are. */
  readonly error: Accessor<string | undefined>;
  /** Asks core again; an older answer never replaces a newer one's. */
  refresh(): Promise<void>;
  /** Answers arriving later change nothing. */
  dispose(): void;
}

export function createConnectionChoices(
  api: IntegrationsApiSource,
  id: IntegrationId,
  draft: Accessor<IntegrationDraft | undefined>,
): ConnectionChoices {
  const need = requireApi(api);
  const [choices, setChoices] = createSignal<readonly ConnectionChoice[]>([]);
  const [error, setError] = createSignal<string | undefined>();
  let asked = 0;
  let disposed = false;

  async function refresh(): Promise<void> {
    const current = draft();
    if (current === undefined) return;
    const mine = ++asked;
    try {
      const found = await need().connections({ ...current, id });
      if (mine !== asked || disposed) return;
      batch(() => {
        setChoices(found);
        setError(undefined);
      });
    } catch (failure) {
      if (mine === asked && !disposed) setError(describeError(failure));
    }
  }

  return {
    choices,
    error,
    refresh,
    dispose() {
      disposed = true;
    },
  };
}
