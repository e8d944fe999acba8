/**
 * Vault names that cannot deceive: invisible and bidirectional characters are refused, and so
 * is a name that looks like another vault's (UTS #39 confusables), with what was wrong said.
 * Nothing already saved changes when a name is refused.
 */
import { describe, expect, it } from 'vitest';
import { VaultNameTakenError } from '../../../src/core/profile';
import { ConfusableNameError, InvalidNameError, loadConfusables } from '../../../src/core/vault';
import { vaultNameProblem } from '../../../src/ui/state/vaults';
import { testCoffer } from '../../support/coffer';

describe('vault names in a profile', () => {
  it('refuses look-alikes, invisible and bidi characters; the vaults there are untouched', async () => {
    const { coffer } = testCoffer();
    const session = await coffer.createProfile('pw');
    const prod = await session.createVault('prod');
    await session.withVault({ id: prod.id }, (vault) => vault.set('KEY', 'v'));

    const cyrillic = await session.createVault('pr\u043Ed').catch((error: unknown) => error);
    expect(cyrillic).toBeInstanceOf(ConfusableNameError);
    expect((cyrillic as ConfusableNameError).existingName).toBe('prod');
    expect((cyrillic as Error).message).toBe(
      '"prоd" looks the same as the existing vault "prod": character 3 is U+043E CYRILLIC SMALL LETTER O, which looks like "o"; choose a name that cannot be mistaken for it',
    );
    const zeroWidth = await session.createVault('pro\u200Bd').catch((error: unknown) => error);
    expect(zeroWidth).toBeInstanceOf(InvalidNameError);
    expect((zeroWidth as InvalidNameError).rule).toBe('invisible-character');
    expect((zeroWidth as Error).message).toMatch(/character 4 is U\+200B ZERO WIDTH SPACE/);
    const override = await session.createVault('\u202Edorp').catch((error: unknown) => error);
    expect((override as InvalidNameError).rule).toBe('bidi-control');
    await expect(session.createVault('PROD')).rejects.toBeInstanceOf(VaultNameTakenError);

    // A rename onto a look-alike of another vault is refused; of its own name, allowed.
    const other = await session.createVault('staging');
    await expect(session.renameVault({ id: other.id }, 'pr0d')).rejects.toBeInstanceOf(
      ConfusableNameError,
    );
    await session.renameVault({ id: prod.id }, 'Prod');
    expect((await session.listVaults()).map((vault) => vault.name)).toEqual(['Prod', 'staging']);
    expect(await session.withVault({ id: prod.id }, (vault) => vault.get('KEY'))).toBe('v');
  });

  it('a joined vault whose name looks like one here gets a name of its own', async () => {
    const { coffer } = testCoffer();
    const session = await coffer.createProfile('pw');
    await session.createVault('prod');
    const key = new Uint8Array(32).fill(7);
    const joined = await session.addJoinedVault({
      id: 'AAAAAAAAAAAAAAAAAAAAAA',
      name: 'pr\u043Ed',
      key: key as never,
      introducedBy: 'inviter',
    });
    expect(joined.name).toBe('pr\u043Ed (2)');
    const hidden = await session.addJoinedVault({
      id: 'BBBBBBBBBBBBBBBBBBBBBA',
      name: 'team\u200B',
      key: key as never,
      introducedBy: 'inviter',
    });
    expect(hidden.name).toBe('team');
  });

  it('the name field says so as the user types, once the table is loaded', async () => {
    await loadConfusables();
    const vaults = [{ id: 'a', name: 'paypal' }];
    expect(vaultNameProblem('p\u0430ypal', vaults)).toMatch(
      /^"pаypal" looks the same as the existing vault "paypal": character 2 is U\+0430 CYRILLIC SMALL LETTER A/,
    );
    expect(vaultNameProblem('p\u0430ypal', vaults, 'a')).toBeUndefined();
    expect(vaultNameProblem('paypal2', vaults)).toBeUndefined();
  });
});
