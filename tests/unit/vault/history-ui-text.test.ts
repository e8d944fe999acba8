/**
 * The words the history screens show (src/ui/state/entry-history.ts): paths, changes, days
 * left, a version as text (never a write-only value), and the error words for history's codes.
 */
import { describe, expect, it } from 'vitest';
import {
  DeletedEntryNotFoundError,
  type EntryVersion,
  HistorySettingsError,
  VersionNotFoundError,
} from '../../../src/core/vault';
import {
  changesText,
  daysLeft,
  pathText,
  valueText,
  versionText,
} from '../../../src/ui/state/entry-history';
import { errorText } from '../../../src/ui/state/error-text';

const DAY = 86_400_000;

describe('history words', () => {
  it('paths read as people write them', () => {
    expect(pathText(['value', 'servers', 0, 'host'])).toBe('value.servers[0].host');
    expect(pathText(['value', 'a b', '__proto__'])).toBe('value["a b"].__proto__');
    expect(pathText([])).toBe('(whole value)');
    expect(pathText(['fields', 'client-id'])).toBe('fields.client-id');
  });

  it('changes, values and days left', () => {
    expect(changesText(['value', 'name'])).toBe('value changed, renamed');
    expect(changesText([])).toBe('no change');
    expect(valueText(undefined)).toBe('');
    expect(valueText({ a: [1] })).toBe('{"a":[1]}');
    expect(daysLeft(10 * DAY + 1, 0)).toBe(11);
    expect(daysLeft(10 * DAY, 0)).toBe(10);
    expect(daysLeft(0, 5)).toBe(0);
  });

  it('a version as text never carries a hidden or write-only value', () => {
    const base = { index: 0, at: 1, by: 'd', name: 'n', writeOnly: false, changes: [] };
    expect(
      versionText({ ...base, kind: 'secret', writeOnly: true, hidden: true } as EntryVersion),
    ).toBe('');
    const connection = {
      ...base,
      kind: 'connection',
      hidden: false,
      value: {
        type: 'basic-auth',
        fields: {
          user: { value: 'app', secret: false },
          password: { value: 'pw-canary', secret: true },
          key: { value: null, secret: true, writeOnly: true, hidden: true },
        },
      },
    } as EntryVersion;
    const text = versionText(connection);
    expect(text).toContain('user: app');
    expect(text).toContain('password: (secret)');
    expect(text).toContain('key: (write-only)');
    expect(text).not.toContain('pw-canary');
  });

  it('each history error code has words that say nothing changed', () => {
    for (const error of [
      new VersionNotFoundError('abc', 3, 2),
      new DeletedEntryNotFoundError('abc'),
      new HistorySettingsError('deletedDays', 'a whole number from 1 to 3650', '0'),
    ]) {
      expect(errorText(error)).toMatch(/Nothing was changed\.$/);
    }
    expect(
      errorText(new HistorySettingsError('versionsPerEntry', 'a whole number from 1 to 1000', '0')),
    ).toContain('Versions kept per entry must be a whole number from 1 to 1000');
  });
});
