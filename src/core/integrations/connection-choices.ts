import { connectionTypeSpec, missingFields, missingOfEmpty } from '../connections';
import type { VaultId } from '../ids';
import type { EntrySummary, Vault } from '../vault';
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
