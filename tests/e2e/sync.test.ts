/**
 * Sync through the app, as people use it: "Add a device" on one browser, the invitation link
 * opened in another browser's unlocked Coffer, entries appearing there, edits flowing back, the
 * devices list, and review marks after edits made apart. Each device is a separate Chromium
 * with its own profile; they meet through the app server's own signaling relay.
 */
import type { Page } from '@playwright/test';
import { expect, test } from '../fixtures';
import { invite, joinByLink, pair } from './pairing';
import { addItem, createProfile, createVault, unlock, watchCsp } from './support';

const sidebar = (page: Page) => page.getByRole('navigation', { name: 'Vaults' });

async function editValue(page: Page, name: string, json: string) {
  await page.getByRole('button', { name, exact: true }).click();
  await page.getByRole('button', { name: 'Edit' }).click();
  const dialog = page.getByRole('dialog', { name: 'Edit entry' });
  await dialog.getByLabel('Value (JSON)').fill(json);
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden();
  await page.getByRole('button', { name: 'Back to entries' }).click();
}

test('pair a second browser by invitation link; entries appear there and edits flow both ways', async ({
  app,
  launchDevice,
}) => {
  test.setTimeout(180_000);
  const [a, b] = await Promise.all([launchDevice('a'), launchDevice('b')]);
  const csp = await watchCsp(a.page);
  await createProfile(a.page, app.url);
  await createVault(a.page, 'Team CANARY-vault-4b1e');
  await addItem(a.page, 'CANARY_ENTRY_91c2', '{"token":"CANARY-value-77aa"}');
  await expect(a.page.getByRole('status').filter({ hasText: /Online|Connected/ })).toBeVisible({
    timeout: 30_000,
  });
  const link = await invite(a.page);
  expect(link).toMatch(/#join=[A-Za-z0-9_-]+$/);

  await createProfile(b.page, app.url);
  await joinByLink(b, link);
  const join = b.page.getByRole('dialog', { name: 'Join a shared vault' });
  await join.getByRole('button', { name: 'Join vault' }).click();
  await expect(join.getByText(/Added “Team CANARY-vault-4b1e”/)).toBeVisible({ timeout: 60_000 });
  await join.getByRole('button', { name: 'Done' }).click();
  await expect(b.page.getByRole('button', { name: 'CANARY_ENTRY_91c2', exact: true })).toBeVisible({
    timeout: 30_000,
  });
  await expect(b.page.getByRole('status').filter({ hasText: 'Connected to 1 device' })).toBeVisible(
    {
      timeout: 30_000,
    },
  );
  await expect(a.page.getByRole('status').filter({ hasText: 'Connected to 1 device' })).toBeVisible(
    {
      timeout: 30_000,
    },
  );

  await addItem(b.page, 'from_b', '{"n":2}');
  await expect(a.page.getByRole('button', { name: 'from_b', exact: true })).toBeVisible({
    timeout: 30_000,
  });
  await expect(a.page.getByText(/last change received/)).toBeVisible();

  // One member (the owner: the invitation was for another of one's own devices) with both
  // devices, on both sides; this one is marked.
  await a.page.getByRole('button', { name: /^Members \(1\)$/ }).click();
  const members = a.page.getByRole('dialog', { name: 'Members of this vault' });
  await expect(
    members.getByRole('list', { name: 'Devices of Owner' }).getByRole('listitem'),
  ).toHaveCount(2);
  await expect(members.getByText('this device')).toHaveCount(1);
  await expect(members.getByText('online now')).toHaveCount(1);
  await members.getByRole('button', { name: 'Close' }).click();

  // The relay saw derived room names only.
  const transcript = app.transcript.join('\n');
  for (const secret of [
    'CANARY-vault-4b1e',
    'CANARY_ENTRY_91c2',
    'CANARY-value-77aa',
    link.split('#join=')[1]!,
  ]) {
    expect(transcript).not.toContain(secret);
  }
  expect(csp).toEqual([]);
});

test('edits made while one device is offline merge when it is back, and are marked for review on both', async ({
  app,
  launchDevice,
}) => {
  test.setTimeout(240_000);
  const [a, b] = await Promise.all([launchDevice('a'), launchDevice('b')]);
  await pair(a, b, app.url, 'Ops', ['db', '{"host":"one"}']);
  await addItem(a.page, 'other', '{"n":1}');
  await expect(b.page.getByRole('button', { name: 'other', exact: true })).toBeVisible({
    timeout: 30_000,
  });

  await b.context.setOffline(true);
  await expect(b.page.getByRole('status').filter({ hasText: 'Offline' })).toBeVisible();
  await editValue(a.page, 'db', '{"host":"from-a"}');
  await editValue(b.page, 'db', '{"host":"from-b"}');
  await addItem(b.page, 'made_offline', '{"b":true}');
  await b.context.setOffline(false);

  for (const page of [a.page, b.page]) {
    await expect(page.getByRole('button', { name: 'made_offline', exact: true })).toBeVisible({
      timeout: 45_000,
    });
    await expect(
      page.getByRole('listitem').filter({ hasText: 'db' }).getByText('review', { exact: true }),
    ).toBeVisible({ timeout: 30_000 });
  }
  // Both ended with the same value (one of the two edits, the same on both).
  const valueOn = async (page: Page) => {
    await page.getByRole('button', { name: 'db', exact: true }).click();
    return page.locator('pre.value-view').textContent();
  };
  const [onA, onB] = [await valueOn(a.page), await valueOn(b.page)];
  expect(onA).toBe(onB);
  expect(onA).toMatch(/from-a|from-b/);
  await expect(b.page.getByText('Changed on two devices while they were apart.')).toBeVisible();
  await b.page.getByRole('button', { name: 'Mark as reviewed' }).click();
  await expect(a.page.getByText('Changed on two devices while they were apart.')).toBeHidden({
    timeout: 30_000,
  });

  // A removes B: B is told, and what B writes from now on no longer reaches A.
  await a.page.getByRole('button', { name: 'Back to entries' }).click();
  await a.page.getByRole('button', { name: /^Members \(1\)$/ }).click();
  const members = a.page.getByRole('dialog', { name: 'Members of this vault' });
  await members.getByRole('button', { name: /^Remove device / }).click();
  await members.getByRole('button', { name: 'Remove device', exact: true }).click();
  await expect(members.getByText('removed', { exact: true })).toBeVisible();
  await members.getByRole('button', { name: 'Close' }).click();
  await expect(b.page.getByText('This device was removed from the vault')).toBeVisible({
    timeout: 30_000,
  });
  // B's own copy refuses to change any more, and says why; A writes on, under a new key.
  await b.page.getByRole('button', { name: 'Back to entries' }).click();
  await expect(b.page.getByRole('button', { name: 'New entry' })).toBeDisabled();
  await expect(
    b.page.getByText('This device was removed from this vault: it can no longer change entries.'),
  ).toBeVisible();
  await addItem(a.page, 'after_removal', '{"x":1}');
  await b.page.waitForTimeout(3000);
  await expect(b.page.getByRole('button', { name: 'after_removal', exact: true })).toHaveCount(0);
});

test('a used single-use invitation is refused with a clear message; a locked profile joins after unlocking', async ({
  app,
  launchDevice,
}) => {
  test.setTimeout(240_000);
  const [a, b, c] = await Promise.all([launchDevice('a'), launchDevice('b'), launchDevice('c')]);
  const link = await pair(a, b, app.url, 'Shared', ['token', '{"t":1}']);

  // c opens the same link: refused, and nothing is added.
  await createProfile(c.page, app.url);
  await joinByLink(c, link);
  const join = c.page.getByRole('dialog', { name: 'Join a shared vault' });
  await join.getByRole('button', { name: 'Join vault' }).click();
  await expect(join.getByRole('alert')).toHaveText(
    'This invitation was for one device and has been used already; ask for a new one.',
    { timeout: 60_000 },
  );
  await join.getByRole('button', { name: 'Close' }).click();
  await expect(sidebar(c.page).getByText('No vaults yet.')).toBeVisible();

  // A fresh invitation, opened while c's profile is locked: it waits for the unlock.
  const second = await invite(a.page);
  await c.page.getByRole('button', { name: 'Lock', exact: true }).click();
  await c.page.goto(second);
  await unlock(c.page);
  const again = c.page.getByRole('dialog', { name: 'Join a shared vault' });
  await again.getByRole('button', { name: 'Join vault' }).click();
  await again.getByRole('button', { name: 'Done' }).click({ timeout: 60_000 });
  await expect(c.page.getByRole('button', { name: 'token', exact: true })).toBeVisible({
    timeout: 30_000,
  });
  // A mistyped link says what is wrong.
  await c.page.getByRole('button', { name: 'Join with an invitation' }).click();
  const paste = c.page.getByRole('dialog', { name: 'Join a shared vault' });
  await paste.getByLabel('Invitation link').fill(`${second.slice(0, -12)}`);
  await paste.getByRole('button', { name: 'Continue' }).click();
  await expect(paste.getByRole('alert')).toHaveText(
    'This is not a Coffer invitation, or part of it was lost when it was copied.',
  );
});
