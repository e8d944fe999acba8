import { expect, test } from '../fixtures';

test('two browsers find each other through the project relay and sync a Yjs document over WebRTC', async ({
  harness,
  launchDevice,
}) => {
  const [a, b] = await Promise.all([launchDevice('a'), launchDevice('b')]);
  for (const device of [a, b]) {
    await device.page.goto(harness.url);
    await expect(device.page.locator('#status')).toHaveText('ready');
    await device.page.evaluate(() =>
      window.harness.rooms.set('r', window.harness.joinPlainRoom('coffer-test-room')),
    );
  }
  await a.page.evaluate(() => window.harness.rooms.get('r')?.set('greeting', 'hello from a'));
  await expect
    .poll(() => b.page.evaluate(() => window.harness.rooms.get('r')?.get('greeting')), {
      timeout: 20_000,
    })
    .toBe('hello from a');
  // The update crossed a WebRTC data channel, not only the relay or a BroadcastChannel.
  expect(await b.page.evaluate(() => window.harness.rooms.get('r')?.peerCount())).toBe(1);
  expect(harness.transcript.some((message) => message.includes('coffer-test-room'))).toBe(true);
});
