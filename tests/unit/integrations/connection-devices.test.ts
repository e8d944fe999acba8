/**
 * Two devices holding one vault, each running an integration with the same rotating OAuth2
 * connection at once: the refresh lease in the vault document lets only one spend the refresh
 * token; the other takes the tokens that arrive by sync. Sync is carried by hand (envelopes
 * delivered between the devices' peers), time by one manual scheduler shared with the server.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { TOKEN_STATE_FIELDS } from '../../../src/core/connections';
import type { RunEvent, RunRecord } from '../../../src/core/integrations';
import type { Session, ThisDevice } from '../../../src/core/profile';
import { SyncPeer } from '../../../src/core/sync/peer';
import { createManualScheduler } from '../../../src/core/time';
import {
  type ConnectionValue,
  handleOf,
  type VaultHandle,
  vaultKeyOf,
} from '../../../src/core/vault';
import { testCoffer } from '../../support/coffer';
import { defaultClient, type OAuthServer, startOAuthServer } from '../../support/oauth-server';

const servers: OAuthServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

interface Device {
  readonly name: string;
  readonly session: Session;
  readonly device: ThisDevice;
  readonly vault: VaultHandle;
  readonly peer: SyncPeer;
  readonly outbox: Uint8Array[];
}

let clockBase = 1_900_000_000_000;
/** Requests on the wire: time stands still while one is, so no wait runs out on a slow machine. */
let inFlight = 0;
const countingFetch: typeof fetch = async (input, init) => {
  inFlight += 1;
  try {
    return await fetch(input, init);
  } finally {
    inFlight -= 1;
  }
};

/** Two devices of one vault, each its own profile and database (as tests/unit/sync does). */
async function twoDevices(time: ReturnType<typeof createManualScheduler>): Promise<Device[]> {
  const out: Device[] = [];
  for (const name of ['A', 'B']) {
    const { coffer } = testCoffer({
      integrations: {
        scheduler: time,
        fetch: countingFetch,
        tokenLease: { settleMs: 1_000, waitMs: 20_000 },
      },
    });
    const session = await coffer.createProfile('pw');
    const device = await session.device();
    if (name === 'A') {
      await session.createVault('shared');
    } else {
      await session.addJoinedVault({
        id: out[0]!.vault.id,
        name: 'shared',
        key: vaultKeyOf(out[0]!.vault),
        introducedBy: out[0]!.device.id,
      });
    }
    const vault = handleOf(await session.openVault('shared'));
    clockBase += 1_000_000;
    let now = clockBase;
    const peer = new SyncPeer({ vault, device, clock: () => now++ });
    const outbox: Uint8Array[] = [];
    vault.onLocalChange((change) => outbox.push(peer.sealChange(change).bytes));
    await vault.members.claimDevice({ id: device.id, name }, name === 'A');
    if (name === 'B') {
      await out[0]!.vault.members.addDevice({
        id: device.id,
        name,
        addedAt: Date.now(),
        addedBy: out[0]!.device.id,
      });
    }
    out.push({ name, session, device, vault, peer, outbox });
  }
  return out;
}

const deliver = (from: Device, to: Device) =>
  to.peer.receive([from.peer.sealCheckpoint().bytes, ...from.outbox]);

describe('a rotating refresh token shared by two devices', () => {
  it('both run at once: one refresh request, no reuse detected, both runs use the one new token', async () => {
    const time = createManualScheduler({ start: Date.UTC(2026, 0, 1) });
    const server = await startOAuthServer({ now: () => time.now(), expiresInSeconds: 3600 });
    servers.push(server);
    const [a, b] = await twoDevices(time);
    const seed = server.seedGrant(defaultClient.id);
    await a!.vault.set(
      'crm',
      {
        type: 'oauth2-refresh-token',
        fields: {
          token_url: { value: server.tokenUrl, secret: false },
          client_id: { value: defaultClient.id, secret: false },
          client_secret: { value: defaultClient.secret!, secret: true, writeOnly: true },
          refresh_token: { value: seed.refreshToken, secret: true, writeOnly: true },
        },
      },
      { kind: 'connection' },
    );
    await deliver(a!, b!);
    await deliver(b!, a!);
    expect(a!.vault.members.devices()).toHaveLength(2);
    expect(b!.vault.members.devices()).toHaveLength(2);
    expect(await b!.vault.get('crm')).toEqual(await a!.vault.get('crm'));

    const runs: Promise<RunRecord>[] = [];
    const events: Record<string, RunEvent[]> = { A: [], B: [] };
    for (const d of [a!, b!]) {
      const api = d.session.integrations;
      const integration = await api.create('crm-sync');
      await api.setGrant({ integration: integration.id, vault: d.vault.id, access: 'read' });
      await api.save(integration.id, {
        name: 'crm-sync',
        defaultVault: d.vault.id,
        request: {
          auth: { type: 'connection', vault: d.vault.id, connection: 'crm' },
          method: 'GET',
          url: `${server.apiUrl}/contacts`,
          query: [],
          headers: [],
          body: { type: 'none', text: '' },
        },
        beforeHook: '',
        afterHook: '',
      });
      runs.push(api.run(integration.id, { onEvent: (e) => events[d.name]!.push(e) }));
    }
    const records: (RunRecord | undefined)[] = [undefined, undefined];
    runs.forEach((run, i) => {
      void run.then((record) => {
        records[i] = record;
      });
    });
    // Sync both ways and move time in small steps until both runs end; time moves only while
    // no request is on the wire (a token request takes no time, as far as the leases can tell).
    for (let step = 0; step < 5_000 && records.some((r) => r === undefined); step++) {
      await new Promise((resolve) => setTimeout(resolve, 2));
      await deliver(a!, b!);
      await deliver(b!, a!);
      if (inFlight === 0) time.advance(100);
    }
    expect(records.map((r) => r?.status)).toEqual(['succeeded', 'succeeded']);
    const tokenRequests = server.requests.filter((r) => r.path === '/oauth/token');
    expect(tokenRequests).toHaveLength(1);
    expect(server.reuseDetections).toEqual([]);
    await deliver(a!, b!);
    await deliver(b!, a!);
    const va = (await a!.vault.get('crm')) as ConnectionValue;
    const vb = (await b!.vault.get('crm')) as ConnectionValue;
    expect(va.fields[TOKEN_STATE_FIELDS.accessToken]?.value).toBe(
      vb.fields[TOKEN_STATE_FIELDS.accessToken]?.value,
    );
    const token = va.fields[TOKEN_STATE_FIELDS.accessToken]?.value;
    const api = server.requests.filter((r) => r.path.startsWith('/api'));
    expect(api.map((r) => r.headers.authorization)).toEqual([`Bearer ${token}`, `Bearer ${token}`]);
    // Both found the refresh due at once; only one got a token (the other waited for it).
    const steps = [...events.A!, ...events.B!].flatMap((e) => (e.type === 'token' ? [e.step] : []));
    expect(steps.filter((step) => step === 'refreshing')).toHaveLength(2);
    expect(steps.filter((step) => step === 'done')).toHaveLength(1);
    expect(steps.filter((step) => step === 'waiting-for-device').length).toBeLessThanOrEqual(1);
  });
});
