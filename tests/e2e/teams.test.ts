/**
 * Teams through the app, as people use them: the owner invites someone as a viewer from the
 * share dialog, the viewer's screens say what a viewer may not do, the owner changes the role
 * and removes the member in the Members dialog, and the audit log shows what happened.
 */
import { expect, test } from '../fixtures';
import { joinByLink } from './pairing';
import { addItem, createProfile, createVault, snap } from './support';

test('an owner invites a viewer, makes it an editor, then removes it; the audit log shows it all', async ({
  app,
  launchDevice,
}, testInfo) => {
  test.setTimeout(240_000);
  const [a, b] = await Promise.all([launchDevice('owner'), launchDevice('guest')]);
  await createProfile(a.page, app.url);
  await createVault(a.page, 'Crew');
  await addItem(a.page, 'db', '{"host":"one"}');

  // The invitation is for someone else, as a viewer.
  await a.page.getByRole('button', { name: 'Add a device' }).click();
  const share = a.page.getByRole('dialog', { name: 'Add a device or share this vault' });
  await share.getByRole('radio', { name: 'Someone else' }).check();
  await share.getByRole('textbox', { name: 'Their name' }).fill('Ana');
  await share.getByRole('combobox', { name: 'Their role' }).selectOption('viewer');
  await expect(share.getByText(/gets this vault as a viewer/)).toBeVisible();
  await share.getByRole('button', { name: 'Create invitation' }).click();
  const link = await share.getByRole('textbox', { name: 'Invitation link' }).inputValue();
  await snap(a.page, testInfo, 'teams-invite-viewer');
  await share.getByRole('button', { name: 'Done' }).click();

  await createProfile(b.page, app.url);
  await joinByLink(b, link);
  const join = b.page.getByRole('dialog', { name: 'Join a shared vault' });
  await join.getByRole('button', { name: 'Join vault' }).click();
  await join.getByRole('button', { name: 'Done' }).click({ timeout: 60_000 });
  await expect(b.page.getByRole('button', { name: 'db', exact: true })).toBeVisible({
    timeout: 30_000,
  });

  // The viewer reads, and is told why it cannot change anything.
  await expect(
    b.page.getByText(
      'You are a viewer in this vault: viewers read entries but cannot change them.',
    ),
  ).toBeVisible({ timeout: 30_000 });
  await expect(b.page.getByRole('button', { name: 'New entry' })).toBeDisabled();
  await b.page.getByRole('button', { name: 'db', exact: true }).click();
  await expect(b.page.getByRole('button', { name: 'Edit', exact: true })).toBeDisabled();
  await b.page.getByRole('button', { name: 'Back to entries' }).click();

  // The owner sees two members, and makes the viewer an editor.
  await a.page.getByRole('button', { name: /^Members \(2\)$/ }).click();
  const members = a.page.getByRole('dialog', { name: 'Members of this vault' });
  const role = members.getByRole('combobox', { name: 'Role of Ana' });
  await expect(role).toHaveValue('viewer');
  await snap(a.page, testInfo, 'teams-members');
  await role.selectOption('editor');
  await expect(b.page.getByRole('button', { name: 'New entry' })).toBeEnabled({
    timeout: 30_000,
  });
  await addItem(b.page, 'from_guest', '{"n":2}');
  await expect(a.page.getByRole('button', { name: 'from_guest', exact: true })).toBeVisible({
    timeout: 30_000,
  });

  // The owner removes the member: the guest is told, and can change nothing any more.
  await members.getByRole('button', { name: /^Remove member / }).click();
  await members.getByRole('button', { name: 'Remove member', exact: true }).click();
  await expect(members.getByText('removed', { exact: true }).first()).toBeVisible({
    timeout: 30_000,
  });
  await members.getByRole('button', { name: 'Close' }).click();
  await expect(b.page.getByText('This device was removed from the vault')).toBeVisible({
    timeout: 30_000,
  });

  // What the owner wrote after the removal is under a new key: the guest never sees it.
  await addItem(a.page, 'after_removal', '{"x":1}');
  await b.page.waitForTimeout(3000);
  await expect(
    b.page.getByText('This device was removed from this vault: it can no longer change entries.'),
  ).toBeVisible();
  await expect(b.page.getByRole('button', { name: 'New entry' })).toBeDisabled();
  await expect(b.page.getByRole('button', { name: 'after_removal', exact: true })).toHaveCount(0);

  // The audit log: verified, with the invitation, the role changes and the key rotation.
  await a.page.getByRole('button', { name: 'Audit log' }).click();
  const audit = a.page.getByRole('dialog', { name: /^Audit log of Crew/ });
  await expect(audit.getByText(/All \d+ records verified/)).toBeVisible({ timeout: 30_000 });
  for (const words of [/invitation/i, /role/i, /key/i, /db/, 'Ana: editor', 'Ana: removed'])
    await expect(audit.getByRole('table').getByText(words).first()).toBeVisible();
  await snap(a.page, testInfo, 'teams-audit-log');
});
