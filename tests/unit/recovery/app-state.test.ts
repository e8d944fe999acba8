/**
 * The recovery kit through the UI's app state: the offer after first run and after a
 * recovery, the kit made and read back, and a failed recovery that leaves the app locked.
 */
import { describe, expect, it } from 'vitest';
import { createAppState } from '../../../src/ui/state/app-state';
import { recoverErrorText, recoveryKitErrorText } from '../../../src/ui/state/recovery-text';
import { testCoffer } from '../../support/coffer';

function appFor(coffer: ReturnType<typeof testCoffer>['coffer']) {
  return createAppState({
    coffer,
    channel: { postMessage: () => undefined, addEventListener: () => undefined },
    activityTarget: { addEventListener: () => undefined },
    setInterval: () => undefined,
  });
}

describe('recovery in the app state', () => {
  it('offers a kit after first run; a recovery unlocks and offers a new code', async () => {
    const { coffer } = testCoffer();
    const app = appFor(coffer);
    await app.start();
    await app.createProfile('first passphrase');
    expect(app.recovery.offer()).toBe('first-run');
    const { code } = await app.recovery.make('first passphrase');
    // Still offered until the dialog that shows the code closes.
    expect(app.recovery.offer()).toBe('first-run');
    expect((await app.recovery.status()).state).toBe('set');
    await app.session().createVault('kept');
    await app.lock();
    expect(app.recovery.offer()).toBeNull();

    await app.recover(code, 'second passphrase');
    expect(app.phase().name).toBe('unlocked');
    expect(app.recovery.offer()).toBe('recovered');
    expect((await app.session().listVaults()).map((vault) => vault.name)).toEqual(['kept']);
  });

  it('a failed recovery leaves the app locked and says why, without the code', async () => {
    const { coffer } = testCoffer();
    const app = appFor(coffer);
    await app.start();
    await app.createProfile('first passphrase');
    const { code } = await app.recovery.make('first passphrase');
    await app.lock();
    const typo = `${code.slice(0, 2)}${code[2] === 'Z' ? 'Y' : 'Z'}${code.slice(3)}`;
    const error = await app.recover(typo, 'second passphrase').catch((caught: unknown) => caught);
    expect(app.phase().name).toBe('locked');
    const text = recoverErrorText(error);
    expect(text).toContain('Group 1');
    for (const group of code.split('-')) expect(text).not.toContain(group);
    const wrong = await app.recovery.make('nope').catch((caught: unknown) => caught);
    expect(recoveryKitErrorText(wrong)).toContain('not right');
  });
});
