import type { ProfileKey } from '../crypto';
import { randomBytes } from '../crypto';
import { type IntegrationId, integrationIdLength, integrationIdOf, type VaultId } from '../ids';
import {
  type CofferDatabase,
  CorruptDataError,
  deleteIntegrationRecords,
  mapStorageError,
  openIntegrationRecord,
  readGrantsRecord,
  readIntegrationRow,
  readIntegrationRows,
  sealIntegrationRecord,
  writeGrantsRecord,
} from '../storage';
import { IntegrationNameTakenError, IntegrationNotFoundError } from './errors';
import {
  checkDraft,
  checkIntegrationName,
  emptyRequest,
  integrationFromJson,
  integrationToJson,
  sameIntegrationName,
} from './integration-model';
import type {
  Grant,
  GrantAccess,
  Integration,
  IntegrationDraft,
  IntegrationSummary,
} from './types';

/**
 * Integrations and grants at rest: create, read, change and delete, each record sealed under
 * the profile key. Name uniqueness is checked inside the write's transaction (records open
 * synchronously), so two tabs cannot both take one name.
 */
export interface StoreDeps {
  readonly db: CofferDatabase;
  readonly profileKey: (doing: string) => ProfileKey;
  readonly clock: () => number;
}

export class IntegrationStore {
  constructor(private readonly deps: StoreDeps) {}

  async list(): Promise<{ integrations: Integration[]; damaged: CorruptDataError[] }> {
    const key = this.deps.profileKey('listing integrations');
    const rows = await readIntegrationRows(this.deps.db);
    const integrations: Integration[] = [];
    const damaged: CorruptDataError[] = [];
    for (const row of rows) {
      try {
        integrations.push(this.#open(key, row));
      } catch (error) {
        if (error instanceof CorruptDataError) damaged.push(error);
        else throw error;
      }
    }
    integrations.sort((a, b) => a.name.localeCompare(b.name));
    return { integrations, damaged };
  }

  async summaries(): Promise<IntegrationSummary[]> {
    const { integrations } = await this.list();
    return integrations.map(({ id, name, updatedAt }) => ({ id, name, updatedAt }));
  }

  async get(id: IntegrationId): Promise<Integration> {
    const key = this.deps.profileKey('reading an integration');
    const row = await readIntegrationRow(this.deps.db, id);
    if (!row) throw new IntegrationNotFoundError(id);
    return this.#open(key, row);
  }

  async create(name: string, from?: IntegrationDraft): Promise<Integration> {
    const now = this.deps.clock();
    const id = integrationIdOf(randomBytes(integrationIdLength));
    const draft = checkDraft({
      ...(from ?? { request: emptyRequest, beforeHook: '', afterHook: '' }),
      name,
    });
    const integration: Integration = { ...draft, id, createdAt: now, updatedAt: now };
    await this.#write(integration, 'saving an integration');
    return integration;
  }

  async save(id: IntegrationId, draft: IntegrationDraft): Promise<Integration> {
    const checked = checkDraft(draft);
    const current = await this.get(id);
    const integration: Integration = {
      ...checked,
      id,
      createdAt: current.createdAt,
      updatedAt: Math.max(this.deps.clock(), current.updatedAt),
    };
    await this.#write(integration, 'saving an integration');
    return integration;
  }

  async rename(id: IntegrationId, name: string): Promise<Integration> {
    const current = await this.get(id);
    return this.save(id, { ...current, name: checkIntegrationName(name) });
  }

  /** A free name for a copy: "<name> copy", then "<name> copy 2", and so on. */
  async copyName(name: string): Promise<string> {
    const { integrations } = await this.list();
    const taken = (candidate: string) =>
      integrations.some((other) => sameIntegrationName(other.name, candidate));
    let candidate = `${name} copy`;
    for (let n = 2; taken(candidate); n++) candidate = `${name} copy ${n}`;
    return candidate;
  }

  async delete(id: IntegrationId): Promise<void> {
    await this.get(id);
    await deleteIntegrationRecords(this.deps.db, id);
    const grants = await this.grants();
    if (grants.some((grant) => grant.integration === id)) {
      await this.#writeGrants(grants.filter((grant) => grant.integration !== id));
    }
  }

  async grants(): Promise<Grant[]> {
    const json = await readGrantsRecord(
      this.deps.db,
      this.deps.profileKey('reading vault permissions'),
    );
    if (json === undefined) return [];
    if (!Array.isArray(json)) {
      throw new CorruptDataError({ store: 'profile', id: 'grants' }, 'malformed');
    }
    return json.filter(isGrant);
  }

  async setGrant(grant: Grant): Promise<void> {
    await this.get(grant.integration);
    const others = (await this.grants()).filter(
      (other) => other.integration !== grant.integration || other.vault !== grant.vault,
    );
    await this.#writeGrants([
      ...others,
      { integration: grant.integration, vault: grant.vault, access: grant.access },
    ]);
  }

  async removeGrant(integration: IntegrationId, vault: VaultId): Promise<void> {
    const grants = await this.grants();
    await this.#writeGrants(
      grants.filter((grant) => grant.integration !== integration || grant.vault !== vault),
    );
  }

  async #writeGrants(grants: readonly Grant[]): Promise<void> {
    await writeGrantsRecord(this.deps.db, this.deps.profileKey('saving vault permissions'), grants);
  }

  #open(key: ProfileKey, row: { id: string; sealed: Uint8Array }): Integration {
    const json = openIntegrationRecord(key, row);
    try {
      return integrationFromJson(json, row.id);
    } catch (error) {
      throw new CorruptDataError({ store: 'integrations', id: row.id }, 'malformed', {
        cause: error,
      });
    }
  }

  /** Writes `integration`, refusing a name another integration has, in one transaction. */
  async #write(integration: Integration, doing: string): Promise<void> {
    const key = this.deps.profileKey(doing);
    const table = this.deps.db.strict.integrations;
    const row = sealIntegrationRecord(key, integration.id, integrationToJson(integration));
    try {
      await this.deps.db.strict.transaction('rw', table, async () => {
        const rows = await table.toArray();
        for (const other of rows) {
          if (other.id === integration.id) continue;
          let name: string;
          try {
            name = this.#open(key, other).name;
          } catch {
            continue;
          }
          if (sameIntegrationName(name, integration.name)) {
            throw new IntegrationNameTakenError(integration.name);
          }
        }
        await table.put(row);
      });
    } catch (error) {
      if (error instanceof IntegrationNameTakenError) throw error;
      throw mapStorageError(error, doing);
    }
  }
}

const accesses: readonly GrantAccess[] = ['read', 'read-write'];

function isGrant(value: unknown): value is Grant {
  if (typeof value !== 'object' || value === null) return false;
  const grant = value as Record<string, unknown>;
  return (
    typeof grant.integration === 'string' &&
    typeof grant.vault === 'string' &&
    accesses.includes(grant.access as GrantAccess)
  );
}
