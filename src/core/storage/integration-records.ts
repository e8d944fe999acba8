import { associatedData, type ProfileKey, seal, utf8 } from '../crypto';
import type { CofferDatabase, IntegrationRow } from './db';
import { CorruptDataError, mapStorageError } from './errors';
import { openSealedJson as openJson } from './sealed-json';

/**
 * Integrations, their grants and their run history at rest (docs/crypto.md, "Records"):
 *
 *   integration row = { id, sealed: seal(profile key, UTF-8 JSON, ad("integration", id)) }
 *   grants row      = { id: "grants", sealed: seal(profile key, UTF-8 JSON, ad("grants")) }
 *   run row         = { integration, seq, sealed: seal(profile key, UTF-8 JSON, ad("run", integration, seq)) }
 *
 * Only random ids and sequence numbers are in the clear. The JSON's shape is checked by
 * src/core/integrations, which owns it; here a record either opens and parses, or is a
 * CorruptDataError naming it.
 */

/** How many runs each integration keeps: older ones are deleted as new ones are saved. */
export const RUNS_KEPT = 50;

const integrationContext = (id: string) => associatedData('integration', id);
const runContext = (integration: string, seq: number) => associatedData('run', integration, seq);
const grantsContext = () => associatedData('grants');

export function sealIntegrationRecord(
  profileKey: ProfileKey,
  id: string,
  value: unknown,
): IntegrationRow {
  return { id, sealed: seal(profileKey, utf8(JSON.stringify(value)), integrationContext(id)) };
}

/** Opens an integration row: its JSON, or a CorruptDataError naming it. */
export function openIntegrationRecord(profileKey: ProfileKey, row: IntegrationRow): unknown {
  return openJson(profileKey, row.sealed, integrationContext(row.id), {
    store: 'integrations',
    id: row.id,
  });
}

export async function readIntegrationRows(db: CofferDatabase): Promise<IntegrationRow[]> {
  try {
    return await db.strict.integrations.toArray();
  } catch (error) {
    throw mapStorageError(error, 'reading integrations');
  }
}

export async function readIntegrationRow(
  db: CofferDatabase,
  id: string,
): Promise<IntegrationRow | undefined> {
  try {
    return await db.strict.integrations.get(id);
  } catch (error) {
    throw mapStorageError(error, 'reading an integration');
  }
}

export async function writeIntegrationRow(db: CofferDatabase, row: IntegrationRow): Promise<void> {
  try {
    await db.strict.integrations.put(row);
  } catch (error) {
    throw mapStorageError(error, 'saving an integration');
  }
}

/** Deletes an integration and its run history in one transaction. */
export async function deleteIntegrationRecords(db: CofferDatabase, id: string): Promise<void> {
  try {
    await db.strict.transaction('rw', db.strict.integrations, db.strict.runs, async () => {
      await db.strict.integrations.delete(id);
      await db.strict.runs
        .where('[integration+seq]')
        .between([id, -Infinity], [id, Infinity])
        .delete();
    });
  } catch (error) {
    throw mapStorageError(error, 'deleting an integration');
  }
}

/** The grants record's JSON, or `undefined` when none was saved. */
export async function readGrantsRecord(
  db: CofferDatabase,
  profileKey: ProfileKey,
): Promise<unknown> {
  let row: { sealed: Uint8Array } | undefined;
  try {
    row = await db.strict.profile.get('grants');
  } catch (error) {
    throw mapStorageError(error, 'reading vault permissions');
  }
  if (!row) return undefined;
  return openJson(profileKey, row.sealed, grantsContext(), { store: 'profile', id: 'grants' });
}

export async function writeGrantsRecord(
  db: CofferDatabase,
  profileKey: ProfileKey,
  value: unknown,
): Promise<void> {
  const sealed = seal(profileKey, utf8(JSON.stringify(value)), grantsContext());
  try {
    await db.strict.profile.put({ id: 'grants', sealed });
  } catch (error) {
    throw mapStorageError(error, 'saving vault permissions');
  }
}

/**
 * Appends a run to an integration's history and deletes what falls past the last RUNS_KEPT,
 * in one transaction. The record is sealed inside it, synchronously (no await between the
 * read of the last sequence number and the write), so two tabs cannot take the same number.
 * Resolves with the run's sequence number.
 */
export async function appendRunRecord(
  db: CofferDatabase,
  profileKey: ProfileKey,
  integration: string,
  makeRecord: (seq: number) => unknown,
): Promise<number> {
  // Relaxed durability, as the vault log's rows: a run's record survives a crash of the tab or
  // the browser, and a run does not wait for the disk to flush (keys and catalog do).
  const table = db.relaxed.runs;
  try {
    return await db.relaxed.transaction('rw', table, async () => {
      const range = table
        .where('[integration+seq]')
        .between([integration, -Infinity], [integration, Infinity]);
      const last = await range.last();
      const seq = (last?.seq ?? 0) + 1;
      const sealed = seal(
        profileKey,
        utf8(JSON.stringify(makeRecord(seq))),
        runContext(integration, seq),
      );
      await table.add({ integration, seq, sealed });
      const oldest = seq - RUNS_KEPT;
      if (oldest >= 1) {
        await table
          .where('[integration+seq]')
          .between([integration, -Infinity], [integration, oldest], true, true)
          .delete();
      }
      return seq;
    });
  } catch (error) {
    throw mapStorageError(error, 'saving a run');
  }
}

/** The runs of an integration, newest first: each one's JSON, or the error naming a damaged one. */
export async function readRunRecords(
  db: CofferDatabase,
  profileKey: ProfileKey,
  integration: string,
): Promise<(unknown | CorruptDataError)[]> {
  let rows: { integration: string; seq: number; sealed: Uint8Array }[];
  try {
    rows = await db.strict.runs
      .where('[integration+seq]')
      .between([integration, -Infinity], [integration, Infinity])
      .reverse()
      .toArray();
  } catch (error) {
    throw mapStorageError(error, 'reading run history');
  }
  return rows.map((row) => {
    try {
      return openJson(profileKey, row.sealed, runContext(integration, row.seq), {
        store: 'runs',
        id: integration,
        seq: row.seq,
      });
    } catch (error) {
      if (error instanceof CorruptDataError) return error;
      throw error;
    }
  });
}

export async function deleteRunRecords(db: CofferDatabase, integration: string): Promise<void> {
  try {
    await db.strict.runs
      .where('[integration+seq]')
      .between([integration, -Infinity], [integration, Infinity])
      .delete();
  } catch (error) {
    throw mapStorageError(error, 'clearing run history');
  }
}
