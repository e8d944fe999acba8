/**
 * Sync between devices for real: separate Chromium processes with their own profiles, WebRTC
 * data channels, and the project's own signaling relay (the `harness` fixture's server, whose
 * transcript records everything the relay received). Each device drives one profile through
 * `window.harness.sync` (tests/browser/harness/sync.ts); waits and timings run in the pages.
 */
import { type Device, expect, test } from '../fixtures';
import {
  CANARY,
  call,
  devices,
  expectNothingReadableAtTheRelay,
  invitation,
  pair,
  Secrets,
  secret,
} from './sync-devices';

const median = (values: number[]) => {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.floor(sorted.length / 2)]!;
};

test.describe('sync between separate browsers over WebRTC and the project relay', () => {
  test('a device paired by invitation link gets the entries, and edits reach the other device', async ({
    harness,
    launchDevice,
  }) => {
    const from = harness.transcript.length;
    const secrets = new Secrets();
    const [a, b] = await devices(launchDevice, harness, 'a', 'b');
    const vault = `Team ${CANARY}`;
    const entries = {
      [`api_key_secret_${CANARY}`]: secret('sk-live'),
      [`settings_${CANARY}`]: { region: `eu-west-${CANARY}`, retries: 3 },
      [`db_${CANARY}`]: {
        type: 'postgres',
        fields: {
          host: { value: `db.${CANARY}.internal`, secret: false },
          password: { value: secret('pg'), secret: true },
        },
      },
    };
    const { room } = await pair(a, b, vault, entries, secrets);

    await call(b, 'waitForContents', vault, entries, 30_000);
    const fromB = secret('edited-on-b');
    secrets.add(fromB);
    await call(b, 'set', vault, `settings_${CANARY}`, { region: fromB, retries: 4 });
    await call(
      a,
      'waitForValue',
      vault,
      `settings_${CANARY}`,
      { region: fromB, retries: 4 },
      20_000,
    );

    const names = async (d: Device) =>
      (await call(d, 'devices', vault)).map((record) => record.name).sort();
    expect(await names(a)).toEqual([`a ${CANARY}`, `b ${CANARY}`]);
    expect(await names(b)).toEqual(await names(a));
    expect(await call(b, 'status', vault)).toMatchObject({
      state: 'online',
      membership: 'member',
      refused: 0,
    });
    // A connection can drop and be made again right after the first sync when the machine is
    // saturated (one run in about fifty here, and once in CI): y-webrtc mends it, and the
    // device is connected to a peer again within seconds.
    await call(b, 'waitForStatus', vault, { state: 'online', minPeers: 1 }, 20_000);

    // One edit at a time, the receiver listening before the writer writes.
    const latencies: number[] = [];
    for (let i = 0; i < 5; i++) {
      const [writer, reader] = i % 2 === 0 ? [a, b] : [b, a];
      const value = secret(`edit-${i}`);
      secrets.add(value);
      const watch = await call(reader, 'watch', vault, `api_key_secret_${CANARY}`, value, 20_000);
      const written = await call(writer, 'set', vault, `api_key_secret_${CANARY}`, value);
      const seen = await call(reader, 'watched', watch);
      latencies.push(seen.at - written.at);
    }
    console.log(
      `sync: one edit reached a peer in ${Math.round(median(latencies))} ms (median of ${latencies.length}: ${latencies.map((ms) => Math.round(ms)).join(', ')} ms)`,
    );
    expect(await call(a, 'contents', vault)).toEqual(await call(b, 'contents', vault));
    expectNothingReadableAtTheRelay(harness, from, secrets, room.room);
  });

  test('a removed device with its clock set back or forward cannot write again', async ({
    harness,
    launchDevice,
  }) => {
    const secrets = new Secrets();
    const [a, b] = await devices(launchDevice, harness, 'a', 'b');
    const vault = `Removal ${CANARY}`;
    const entries = { [`shared_${CANARY}`]: secret('shared') };
    await pair(a, b, vault, entries, secrets);
    await call(b, 'waitForContents', vault, entries, 30_000);
    // b writes while a member: a takes it, and b's chain so far stands after the removal.
    const before = secret('before-removal');
    await call(b, 'set', vault, `from_b_${CANARY}`, before);
    await call(a, 'waitForValue', vault, `from_b_${CANARY}`, before, 20_000);
    const bId = (await call(a, 'devices', vault)).find((d) => d.name === `b ${CANARY}`)!.id;
    expect(await call(a, 'removeDevice', vault, bId)).toBe(true);
    await expect
      .poll(async () => (await call(b, 'status', vault)).membership, { timeout: 20_000 })
      .toBe('removed');
    const expected = await call(a, 'contents', vault);
    expect(expected).toEqual({ ...entries, [`from_b_${CANARY}`]: before });

    // b sets its clock back ten minutes (below every sequence number a has seen of it), then
    // forward a day, opening the vault again each time (as a reload would) and writing.
    let refused = (await call(a, 'status', vault)).refused;
    for (const [offset, label] of [
      [-10 * 60_000, 'back'],
      [24 * 3600_000, 'forward'],
    ] as const) {
      await call(b, 'setClockOffset', offset);
      await call(b, 'close', vault);
      await call(b, 'open', vault);
      // An honest client refuses to write once removed; this one is modified not to.
      await call(b, 'skipOwnChecks', vault);
      await call(b, 'set', vault, `after_${label}_${CANARY}`, secret(label));
      await call(b, 'set', vault, `shared_${CANARY}`, secret(`overwritten-${label}`));
      // Its checkpoint on opening and both changes reach a, which refuses them.
      await call(a, 'waitForStatus', vault, { minRefused: refused + 3 }, 30_000);
      refused = (await call(a, 'status', vault)).refused;
      expect(await call(a, 'contents', vault)).toEqual(expected);
    }
    // b still holds its own writes: only the other device refuses them.
    expect(Object.keys(await call(b, 'contents', vault))).toContain(`after_forward_${CANARY}`);
    // a keeps syncing as before.
    expect(await call(a, 'status', vault)).toMatchObject({ state: 'online', membership: 'member' });
  });

  test('edits made while one device is offline merge on both; the entry edited on both sides is marked for review', async ({
    harness,
    launchDevice,
  }) => {
    const from = harness.transcript.length;
    const secrets = new Secrets();
    const [a, b] = await devices(launchDevice, harness, 'a', 'b');
    const vault = `Offline ${CANARY}`;
    const field = (value: string, isSecret = false) => ({ value, secret: isSecret });
    const db = (host: string, user: string) => ({
      type: 'postgres',
      fields: {
        host: field(host),
        user: field(user),
        password: field(`pw-${CANARY}-1`, true),
      },
    });
    const entries = {
      [`db_${CANARY}`]: db(`one.${CANARY}`, `app_${CANARY}`),
      [`flag_${CANARY}`]: `on-${CANARY}`,
    };
    const { room } = await pair(a, b, vault, entries, secrets);
    await call(b, 'waitForContents', vault, entries, 30_000);

    await b.context.setOffline(true);
    await call(b, 'waitForStatus', vault, { state: 'offline', peers: 0 }, 10_000);
    await call(a, 'waitForStatus', vault, { peers: 0 }, 20_000);

    // Different fields of one entry on each side, and entries of their own.
    await call(a, 'set', vault, `db_${CANARY}`, db(`two.${CANARY}`, `app_${CANARY}`));
    await call(a, 'set', vault, `only_a_${CANARY}`, `from-a-${CANARY}`);
    await call(b, 'set', vault, `db_${CANARY}`, db(`one.${CANARY}`, `admin_${CANARY}`));
    await call(b, 'set', vault, `only_b_${CANARY}`, `from-b-${CANARY}`);
    await call(b, 'set', vault, `flag_${CANARY}`, `off-${CANARY}`);
    // Apart for real: nothing crossed while B was offline.
    await b.page.waitForTimeout(1_000);
    expect(await call(a, 'list', vault)).not.toContain(`only_b_${CANARY}`);
    expect(await call(b, 'list', vault)).not.toContain(`only_a_${CANARY}`);

    await b.context.setOffline(false);
    // Back online, the two must find each other again before anything can merge.
    await Promise.all([
      call(a, 'waitForStatus', vault, { state: 'online', minPeers: 1 }, 30_000),
      call(b, 'waitForStatus', vault, { state: 'online', minPeers: 1 }, 30_000),
    ]);
    const merged = {
      [`db_${CANARY}`]: db(`two.${CANARY}`, `admin_${CANARY}`),
      [`flag_${CANARY}`]: `off-${CANARY}`,
      [`only_a_${CANARY}`]: `from-a-${CANARY}`,
      [`only_b_${CANARY}`]: `from-b-${CANARY}`,
    };
    await Promise.all([
      call(a, 'waitForContents', vault, merged, 30_000),
      call(b, 'waitForContents', vault, merged, 30_000),
    ]);
    await Promise.all([
      call(a, 'waitForReviews', vault, [`db_${CANARY}`], 10_000),
      call(b, 'waitForReviews', vault, [`db_${CANARY}`], 10_000),
    ]);
    expect(await call(a, 'contents', vault)).toEqual(await call(b, 'contents', vault));
    expect((await call(a, 'status', vault)).reviews).toBe(1);
    expectNothingReadableAtTheRelay(harness, from, secrets, room.room);
  });

  test('three devices: A invites B and C, and an edit on any of them reaches the other two', async ({
    harness,
    launchDevice,
  }) => {
    const from = harness.transcript.length;
    const secrets = new Secrets();
    const [a, b, c] = await devices(launchDevice, harness, 'a', 'b', 'c');
    const vault = `Three ${CANARY}`;
    const entries = { [`shared_${CANARY}`]: `start-${CANARY}` };
    const { room } = await pair(a, b, vault, entries, secrets);
    const link = await invitation(a, vault, secrets);
    expect((await call(c, 'join', link)).name).toBe(vault);
    await Promise.all([
      call(b, 'waitForContents', vault, entries, 30_000),
      call(c, 'waitForContents', vault, entries, 30_000),
    ]);

    for (const [writer, readers] of [
      [a, [b, c]],
      [b, [a, c]],
      [c, [a, b]],
    ] as const) {
      const name = `from_${writer.name}_${CANARY}`;
      const value = secret(`by-${writer.name}`);
      secrets.add(name, value);
      await call(writer, 'set', vault, name, value);
      await Promise.all(
        readers.map((reader) => call(reader, 'waitForValue', vault, name, value, 20_000)),
      );
    }
    const contentsA = await call(a, 'contents', vault);
    expect(Object.keys(contentsA)).toHaveLength(4);
    expect(await call(b, 'contents', vault)).toEqual(contentsA);
    expect(await call(c, 'contents', vault)).toEqual(contentsA);
    for (const d of [a, b, c]) expect(await call(d, 'devices', vault)).toHaveLength(3);
    expectNothingReadableAtTheRelay(harness, from, secrets, room.room);
  });

  test('a device whose invitation is answered by a member other than the inviter gets the whole vault', async ({
    harness,
    launchDevice,
  }) => {
    const from = harness.transcript.length;
    const secrets = new Secrets();
    const [a, b, c] = await devices(launchDevice, harness, 'a', 'b', 'c');
    const vault = `Relayed ${CANARY}`;
    const entries = { [`from_a_${CANARY}`]: `written-on-a-${CANARY}` };
    // B is an admin: a device answers an invitation only if its own role may admit the
    // newcomer (an editor's would not be believed by the others).
    const { room } = await pair(a, b, vault, entries, secrets, 'admin');
    await call(b, 'waitForContents', vault, entries, 30_000);
    const link = await invitation(a, vault, secrets);
    await expect
      .poll(async () => (await call(b, 'invites', vault)).length, { timeout: 20_000 })
      .toBe(2);
    // A steps away: B is the only device left to answer, and the only one C trusts at first.
    await call(a, 'close', vault);
    expect((await call(c, 'join', link)).name).toBe(vault);
    await call(c, 'waitForContents', vault, entries, 30_000);
    expect(await call(c, 'devices', vault)).toHaveLength(3);
    expectNothingReadableAtTheRelay(harness, from, secrets, room.room);
  });

  test('a vault of 10,000 entries reaches a newly paired device, its checkpoint deflated', async ({
    harness,
    launchDevice,
  }) => {
    test.setTimeout(300_000);
    const from = harness.transcript.length;
    const secrets = new Secrets();
    const [a, b, peer] = await devices(launchDevice, harness, 'a', 'b', 'peer');
    const vault = `Large ${CANARY}`;
    const created = await call(a, 'createVault', vault);
    await call(a, 'open', vault);
    const filled = await call(a, 'fill', vault, `svc_${CANARY}_`, 10_000, 1_000, CANARY);
    const link = await invitation(a, vault, secrets);
    const room = await call(a, 'roomSecrets', vault);
    secrets.add(vault, created.id, room.vaultKey, room.password);

    const joined = await call(b, 'join', link, 120_000);
    const arrived = await call(b, 'waitForCount', vault, 10_000, 240_000);
    const total = arrived.at - joined.startedAt;
    console.log(
      `sync: 10,000 entries reached a new device in ${Math.round(total)} ms (invitation answered after ${Math.round(joined.answeredAt - joined.startedAt)} ms, vault open after ${Math.round(joined.openedAt - joined.startedAt)} ms; writing them on A took ${Math.round(filled.ms)} ms)`,
    );
    const [digestA, digestB] = await Promise.all([
      call(a, 'digest', vault),
      call(b, 'digest', vault),
    ]);
    expect(digestB).toEqual(digestA);
    expect(digestA.count).toBe(10_000);
    expectNothingReadableAtTheRelay(harness, from, secrets, room.room);

    // What a peer in the room (or a relay) holds of it: A's checkpoint as a version 0x04
    // envelope, its bulk deflated, a fraction of the vault's Yjs state (docs/crypto.md). B's may
    // still be the small one it sealed on joining, before the vault's entries came (0x02).
    await call(peer, 'rogueJoin', room.room, room.password);
    await expect
      .poll(
        async () => (await call(peer, 'rogueEnvelopes')).filter((e) => e.key.endsWith('.c')).length,
        { timeout: 60_000 },
      )
      .toBe(2);
    const checkpoints = (await call(peer, 'rogueEnvelopes')).filter((e) => e.key.endsWith('.c'));
    expect(filled.stateBytes).toBeGreaterThan(2_500_000);
    const large = checkpoints.filter((c) => c.bytes >= 64 * 1024);
    expect(large.length, JSON.stringify(checkpoints)).toBeGreaterThanOrEqual(1);
    for (const checkpoint of large) {
      expect(checkpoint.version, JSON.stringify(checkpoints)).toBe(4);
      expect(checkpoint.bytes).toBeLessThan(filled.stateBytes / 3);
    }
    for (const checkpoint of checkpoints) expect([2, 4]).toContain(checkpoint.version);
  });

  test('rogues in the room (no password; password without the key; key without a place in the device list) change nothing, and sync goes on', async ({
    harness,
    launchDevice,
  }) => {
    test.setTimeout(180_000);
    const from = harness.transcript.length;
    const secrets = new Secrets();
    const [a, b, r] = await devices(launchDevice, harness, 'a', 'b', 'rogue');
    const vault = `Rogues ${CANARY}`;
    const entries = {
      [`keep_${CANARY}`]: `kept-${CANARY}`,
      [`target_${CANARY}`]: `original-${CANARY}`,
      [`victim_${CANARY}`]: { owner: `me-${CANARY}` },
    };
    const { id, room } = await pair(a, b, vault, entries, secrets);
    await call(b, 'waitForContents', vault, entries, 30_000);
    const deviceIds = async (d: Device) =>
      (await call(d, 'devices', vault)).map((record) => record.id).sort();
    const devicesBefore = await deviceIds(a);
    expect(devicesBefore).toHaveLength(2);
    const memberId = devicesBefore[0]!;
    const unchanged = async () => {
      expect(await call(a, 'contents', vault)).toEqual(entries);
      expect(await call(b, 'contents', vault)).toEqual(entries);
      expect(await deviceIds(a)).toEqual(devicesBefore);
      expect(await deviceIds(b)).toEqual(devicesBefore);
      expect(await call(a, 'reviews', vault)).toEqual([]);
    };

    // (a) The room name alone: the relay passes its messages on, but no device can read them.
    await call(r, 'rogueJoin', room.room);
    await expect
      .poll(async () => (await call(r, 'rogueState')).signaling, { timeout: 10_000 })
      .toBe(true);
    await call(r, 'rogueScribble');
    await r.page.waitForTimeout(5_000);
    expect(await call(r, 'rogueState')).toMatchObject({ peers: 0 });
    expect((await call(r, 'rogueState')).keys.every((key) => key.startsWith('scribble.'))).toBe(
      true,
    );
    // It did speak in the room, in the clear, and the relay passed that on.
    const inTheClear = harness.transcript.slice(from).some((message) => {
      const parsed = JSON.parse(message) as { topic?: string; data?: unknown };
      return parsed.topic === room.room && typeof parsed.data === 'object';
    });
    expect(inTheClear).toBe(true);
    expect((await call(b, 'status', vault)).refused).toBe(0);
    await unchanged();

    // (b) The room name and password, not the vault key: a peer, with only the envelopes.
    await r.page.reload();
    await expect(r.page.locator('#status')).toHaveText('ready');
    await call(r, 'rogueJoin', room.room, room.password);
    const seen = await call(r, 'rogueWaitForEnvelopes', 2, 30_000);
    expect(seen.keys.some((key) => key.startsWith(memberId))).toBe(true);
    expect((await call(r, 'rogueState')).peers).toBeGreaterThanOrEqual(1);
    for (const mode of ['truncate', 'garbage', 'delete'] as const) {
      await call(r, 'rogueVandalize', mode);
      await call(r, 'rogueWaitForHealed', 20_000);
    }
    const [refusedA, refusedB] = [
      (await call(a, 'status', vault)).refused,
      (await call(b, 'status', vault)).refused,
    ];
    expect(refusedA).toBeGreaterThan(0);
    expect(refusedB).toBeGreaterThan(0);
    await call(r, 'rogueVandalize', 'junk');
    await call(a, 'waitForStatus', vault, { minRefused: refusedA + 10 }, 20_000);
    await call(b, 'waitForStatus', vault, { minRefused: refusedB + 10 }, 20_000);
    await unchanged();

    // (c) The vault key, under a device identity no member admitted; and a member's id forged.
    await r.page.reload();
    await expect(r.page.locator('#status')).toHaveText('ready');
    await call(r, 'rogueJoin', room.room, room.password);
    await call(r, 'rogueWaitForEnvelopes', 2, 30_000);
    // Let the rest of the map (the previous rogue's junk) arrive before counting.
    await r.page.waitForTimeout(1_000);
    const refusedBeforeForgery = (await call(b, 'status', vault)).refused;
    const forged = await call(r, 'rogueForge', {
      vaultKey: room.vaultKey,
      vaultId: id,
      memberId,
      changeName: `target_${CANARY}`,
      deleteName: `victim_${CANARY}`,
      addName: `added_by_rogue_${CANARY}`,
      value: `rogue-${CANARY}`,
    });
    // The rogue could read the vault, so its change is a well-formed edit of real entries.
    expect(forged).toMatchObject({ changed: true, deleted: true });
    expect(forged.opened).toBeGreaterThanOrEqual(2);
    await call(b, 'waitForStatus', vault, { minRefused: refusedBeforeForgery + 1 }, 20_000);
    await r.page.waitForTimeout(2_000);
    await unchanged();

    // Syncing goes on, both ways.
    const after = `after-rogues-${CANARY}`;
    await call(a, 'set', vault, `after_${CANARY}`, after);
    await call(b, 'waitForValue', vault, `after_${CANARY}`, after, 20_000);
    await call(b, 'set', vault, `after_b_${CANARY}`, after);
    await call(a, 'waitForValue', vault, `after_b_${CANARY}`, after, 20_000);
    expect(await call(a, 'contents', vault)).toEqual(await call(b, 'contents', vault));
    expectNothingReadableAtTheRelay(harness, from, secrets, room.room);
  });
});
