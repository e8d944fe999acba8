/**
 * Teams for real: four Chromium processes (owner, admin, editor, viewer), each with its own
 * profile, over WebRTC and the project's relay. Every device enforces the roles itself: an
 * honest client refuses what its member may not do, and a modified client's envelopes, signed
 * with its genuine device key, are refused by every other device before they touch the vault.
 */
import { expect, test } from '../fixtures';
import {
  CANARY,
  call,
  devices,
  expectNothingReadableAtTheRelay,
  Secrets,
  secret,
} from './sync-devices';

test.describe('team roles between four browsers', () => {
  test('owner, admin, editor and viewer: each does what its role allows, and a modified client is refused by all', async ({
    harness,
    launchDevice,
  }) => {
    test.setTimeout(300_000);
    const from = harness.transcript.length;
    const secrets = new Secrets();
    const [owner, admin, editor, viewer] = await devices(
      launchDevice,
      harness,
      'owner',
      'admin',
      'editor',
      'viewer',
    );
    const vault = `Team ${CANARY}`;
    const shared = secret('shared');
    secrets.add(shared);
    const created = await call(owner, 'createVault', vault);
    await call(owner, 'open', vault);
    await call(owner, 'set', vault, `shared_${CANARY}`, shared, 'item');
    for (const [device, role] of [
      [admin, 'admin'],
      [editor, 'editor'],
      [viewer, 'viewer'],
    ] as const) {
      const link = await call(owner, 'createInvite', vault, {
        expiresInMs: 600_000,
        singleUse: true,
        role,
      });
      secrets.add(link.split('#join=')[1]);
      await call(device, 'join', link);
    }
    const room = await call(owner, 'roomSecrets', vault);
    secrets.add(vault, created.id, room.vaultKey, room.password);
    const everyone = [owner, admin, editor, viewer];
    const expectedTeam = [
      { name: `admin ${CANARY}`, role: 'admin', removed: false, devices: 1 },
      { name: `editor ${CANARY}`, role: 'editor', removed: false, devices: 1 },
      { name: 'Owner', role: 'owner', removed: false, devices: 1 },
      { name: `viewer ${CANARY}`, role: 'viewer', removed: false, devices: 1 },
    ];
    // Every device derives the same members, in whatever order the operations reached it.
    for (const device of everyone)
      await expect
        .poll(() => call(device, 'team', vault), { timeout: 30_000 })
        .toEqual(expectedTeam);
    for (const device of everyone)
      await call(device, 'waitForValue', vault, `shared_${CANARY}`, shared, 30_000);

    // The editor writes: everyone gets it.
    const fromEditor = secret('from-editor');
    secrets.add(fromEditor);
    await call(editor, 'set', vault, `editor_${CANARY}`, fromEditor, 'secret');
    for (const device of [owner, admin, viewer])
      await call(device, 'waitForValue', vault, `editor_${CANARY}`, fromEditor, 30_000);

    // The viewer's honest client refuses its own write, with the reason.
    await expect(call(viewer, 'set', vault, `viewer_${CANARY}`, secret('honest'))).rejects.toThrow(
      /team-not-permitted|not permitted/,
    );
    // The editor may not invite a new member; the viewer may not change roles.
    await expect(
      call(editor, 'createInvite', vault, { expiresInMs: 60_000, singleUse: true, role: 'viewer' }),
    ).rejects.toThrow(/not-a-manager|not permitted/);
    await expect(call(viewer, 'setRole', vault, `viewer ${CANARY}`, 'editor')).rejects.toThrow(
      /not-a-manager|not permitted/,
    );

    // The admin makes the viewer an editor: from then on its edits are taken by all; then a
    // viewer again.
    await call(admin, 'setRole', vault, `viewer ${CANARY}`, 'editor');
    for (const device of everyone)
      await expect
        .poll(
          async () =>
            (await call(device, 'team', vault))?.find((m) => m.name.startsWith('viewer'))?.role,
          {
            timeout: 30_000,
          },
        )
        .toBe('editor');
    const promoted = secret('promoted');
    secrets.add(promoted);
    await call(viewer, 'set', vault, `promoted_${CANARY}`, promoted);
    for (const device of [owner, admin, editor])
      await call(device, 'waitForValue', vault, `promoted_${CANARY}`, promoted, 30_000);

    await call(admin, 'setRole', vault, `viewer ${CANARY}`, 'viewer');
    for (const device of everyone)
      await expect
        .poll(
          async () =>
            (await call(device, 'team', vault))?.find((m) => m.name.startsWith('viewer'))?.role,
          { timeout: 30_000 },
        )
        .toBe('viewer');

    // A modified viewer client signs its edit with its genuine key: all others refuse it. (Its
    // own copy now holds changes nobody else takes: what it writes later is stuck behind them.)
    const refusedBefore = await Promise.all(
      [owner, admin, editor].map(async (d) => (await call(d, 'status', vault)).refused),
    );
    const expected = await call(owner, 'contents', vault);
    await call(viewer, 'skipOwnChecks', vault);
    const forged = secret('forged');
    secrets.add(forged);
    await call(viewer, 'set', vault, `viewer_${CANARY}`, forged);
    await call(viewer, 'set', vault, `shared_${CANARY}`, forged);
    for (const [i, device] of [owner, admin, editor].entries()) {
      await call(device, 'waitForStatus', vault, { minRefused: refusedBefore[i]! + 2 }, 30_000);
      expect(await call(device, 'contents', vault)).toEqual(expected);
    }

    // The owner removes the editor; a modified client there keeps writing, and nobody takes it.
    const editorId = (await call(owner, 'devices', vault)).find((d) =>
      d.name.startsWith('editor'),
    )!.id;
    expect(await call(owner, 'removeDevice', vault, editorId)).toBe(true);
    await expect
      .poll(async () => (await call(editor, 'status', vault)).membership, { timeout: 30_000 })
      .toBe('removed');
    const afterRemoval = await call(owner, 'contents', vault);
    const refusedNow = await Promise.all(
      [owner, admin, viewer].map(async (d) => (await call(d, 'status', vault)).refused),
    );
    await call(editor, 'skipOwnChecks', vault);
    const late = secret('after-removal');
    secrets.add(late);
    await call(editor, 'set', vault, `late_${CANARY}`, late);
    for (const [i, device] of [owner, admin, viewer].entries()) {
      await call(device, 'waitForStatus', vault, { minRefused: refusedNow[i]! + 1 }, 30_000);
      // (The viewer's own copy holds its refused forgeries; what matters is the late write.)
      if (device === viewer)
        expect(Object.keys(await call(device, 'contents', vault))).not.toContain(`late_${CANARY}`);
      else expect(await call(device, 'contents', vault)).toEqual(afterRemoval);
    }

    // The removal started a new key epoch, sealed to the three remaining devices only: what
    // they write now reaches each other, and the removed device, which stays in the room with
    // every key it ever had, cannot open it.
    for (const device of [owner, admin, viewer])
      await expect.poll(() => call(device, 'epoch', vault), { timeout: 30_000 }).toBeGreaterThan(0);
    const epochs = await Promise.all([owner, admin, viewer].map((d) => call(d, 'epoch', vault)));
    expect(new Set(epochs).size).toBe(1);
    const afterRotation = secret('after-rotation');
    secrets.add(afterRotation);
    await call(owner, 'set', vault, `rotated_${CANARY}`, afterRotation);
    for (const device of [admin, viewer])
      await call(device, 'waitForValue', vault, `rotated_${CANARY}`, afterRotation, 30_000);
    await editor.page.waitForTimeout(3000);
    expect(Object.keys(await call(editor, 'contents', vault))).not.toContain(`rotated_${CANARY}`);
    expect(await call(editor, 'epoch', vault)).toBeLessThan(epochs[0]!);
    expectNothingReadableAtTheRelay(harness, from, secrets, room.room);
  });
});
