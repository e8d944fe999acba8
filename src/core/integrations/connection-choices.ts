import {
  connectionTypeSpec,
  isUpkeepField,
  missingFields,
  missingOfEmpty,
  TOKEN_ERROR_FIELD,
  TOKEN_STATE_FIELDS,
} from '../connections';
import type { VaultId } from '../ids';
import type { ConnectionField, EntrySummary, Vault } from '../vault';
import { AUTH_FIELD, readConnection } from './connection-auth';
import type { ConnectionChoice, FieldProblem, RequestAuth } from './types';
import type { VaultChooser, VaultListing } from './vault-names';

/**
 * The connection side of the editor: what the Auth picker offers, the "+" and "Fill in"
 * writes, and the auth problems `check` reports. Names and types only are read for the
 * picker; values only to count missing fields.
 */

/** The picker's choices from one vault's entry list (no values read). */
export function choicesOf(
  vault: VaultListing,
  entries: readonly EntrySummary[],
): ConnectionChoice[] {
  return entries
    .filter((entry) => entry.kind === 'connection')
    .map((entry) => {
      const type = entry.connectionType ?? '';
      const missing = missingOfEmpty(type, entry.emptyFields ?? [], entry.fieldNames);
      return { vault: vault.id, vaultName: vault.name, name: entry.name, type, missing };
    });
}

/** The fields whose change makes the stored access token stale (it was got with the old ones). */
const CREDENTIALS = new Set([
  'token_url',
  'client_id',
  'client_secret',
  'scope',
  'audience',
  'auth_method',
  TOKEN_STATE_FIELDS.refreshToken,
]);

/**
 * `fields` for `vault.update`, plus the removal of the token state when a credential changes,
 * so the next run gets a token with the new credentials. Upkeep fields cannot be set this way.
 */
export function fillInPatch(
  fields: Readonly<Record<string, ConnectionField | null>>,
): Record<string, ConnectionField | null> {
  const patch: Record<string, ConnectionField | null> = {};
  let credentialChanged = false;
  for (const [name, field] of Object.entries(fields)) {
    if (isUpkeepField(name)) continue;
    patch[name] = field;
    if (CREDENTIALS.has(name)) credentialChanged = true;
  }
  if (credentialChanged) {
    patch[TOKEN_STATE_FIELDS.accessToken] = null;
    patch[TOKEN_STATE_FIELDS.expiresAt] = null;
    patch[TOKEN_STATE_FIELDS.obtainedAt] = null;
    patch[TOKEN_ERROR_FIELD] = null;
  }
  return patch;
}

/**
 * What would stop the request's connection from being used, found without waiting: the vault
 * gone, no read grant, no such entry or not a connection, required fields empty. `vault` is
 * the vault if it is readable now (undefined: busy elsewhere, checked at the run).
 */
export async function authProblems(
  chooser: VaultChooser,
  auth: RequestAuth | undefined,
  open: (target: VaultListing) => Promise<Vault | undefined>,
): Promise<FieldProblem[]> {
  if (auth?.type !== 'connection') return [];
  const problem = (error: unknown): FieldProblem => {
    const coded = error as { code?: string; message?: string; vault?: VaultId };
    return {
      field: AUTH_FIELD,
      code: coded.code ?? 'unexpected',
      message: coded.message ?? String(error),
      ...(coded.vault ? { vault: coded.vault } : {}),
    };
  };
  try {
    const target = chooser.byId(auth.vault);
    if (!target) {
      return [
        problem({
          code: 'reference-unresolved',
          message: `the vault of the connection ${auth.connection} no longer exists; choose another connection`,
        }),
      ];
    }
    chooser.require(target, 'read', AUTH_FIELD);
    const vault = await open(target);
    if (!vault) return [];
    const connection = await readConnection(vault, auth.connection);
    const missing = missingFields(connection.value);
    if (missing.length === 0) return [];
    const labels = missing.map(
      (name) =>
        connectionTypeSpec(connection.value.type)?.fields.find((f) => f.name === name)?.label ??
        name,
    );
    return [
      problem({
        code: 'connection-incomplete',
        message: `the connection ${connection.name} is missing ${labels.join(', ')}: fill them in before running`,
      }),
    ];
  } catch (error) {
    return [problem(error)];
  }
}
