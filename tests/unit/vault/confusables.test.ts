import prototypes from 'unhomoglyph/data.json' with { type: 'json' };
import { beforeAll, describe, expect, it } from 'vitest';
import {
  asciiPrototypes,
  confusablesLoaded,
  findConfusable,
  loadConfusables,
  nameSkeleton,
} from '../../../src/core/vault/confusables';
import type { EntryInput } from '../../../src/core/vault/entry-model';
import { ConfusableNameError, InvalidNameError } from '../../../src/core/vault/errors';
import * as vault from '../../../src/core/vault/index';
import { describeCharacter } from '../../../src/core/vault/model-describe';
import { validateEntryName, validateVaultName } from '../../../src/core/vault/names';
import { contents, replica, send, thrown, updatesOf } from './support';

const secret = (value: string): EntryInput => ({ kind: 'secret', value });

function nameError(fn: () => unknown): InvalidNameError {
  const error = thrown(fn);
  expect(error).toBeInstanceOf(InvalidNameError);
  return error as InvalidNameError;
}

function confusableError(fn: () => unknown): ConfusableNameError {
  const error = thrown(fn);
  expect(error).toBeInstanceOf(ConfusableNameError);
  return error as ConfusableNameError;
}

describe('vault names: invisible characters', () => {
  it('refuses a zero width space, naming it', () => {
    const error = nameError(() => validateVaultName('pro\u200Bd'));
    expect(error.rule).toBe('invisible-character');
    expect(error.subject).toBe('vault');
    expect(error.message).toBe(
      '"pro\u200Bd" is not a valid vault name: character 4 is U+200B ZERO WIDTH SPACE, an invisible character; vault names cannot contain invisible characters, which make two different names look the same',
    );
  });

  it.each([
    ['pro\u200Cd', 4, 'U+200C ZERO WIDTH NON-JOINER'],
    ['pro\u00ADd', 4, 'U+00AD SOFT HYPHEN'],
    ['pro\u2060d', 4, 'U+2060 WORD JOINER'],
    ['pro\uFEFFd', 4, 'U+FEFF ZERO WIDTH NO-BREAK SPACE'],
    ['p\u034Frod', 2, 'U+034F COMBINING GRAPHEME JOINER'],
    ['\u3164prod', 1, 'U+3164 HANGUL FILLER'],
    ['prod\u2064', 5, 'U+2064 INVISIBLE PLUS'],
    ['pr\uFE00od', 3, 'U+FE00 VARIATION SELECTOR-1'],
    ['prod\u{E0061}', 5, 'U+E0061 TAG LATIN SMALL LETTER A'],
    ['  a\u180Eb', 4, 'U+180E MONGOLIAN VOWEL SEPARATOR'],
  ])('refuses %j: character %i is %s', (name, position, shown) => {
    const error = nameError(() => validateVaultName(name));
    expect(error.rule).toBe('invisible-character');
    expect(error.message).toContain(
      `character ${position} is ${shown}, an invisible character; vault names cannot contain invisible characters`,
    );
  });

  it('names an unassigned default-ignorable by code point only', () => {
    const error = nameError(() => validateVaultName('a\u2065b'));
    expect(error.rule).toBe('invisible-character');
    expect(error.message).toContain('character 2 is the invisible character U+2065;');
  });

  it('trims a BOM at either end, as it trims spaces', () => {
    expect(validateVaultName('\uFEFFprod\uFEFF')).toBe('prod');
  });
});

describe('vault names: bidirectional formatting characters', () => {
  it('refuses a right-to-left override, which shows "\\u202Edorp" as "prod"', () => {
    const error = nameError(() => validateVaultName('\u202Edorp'));
    expect(error.rule).toBe('bidi-control');
    expect(error.message).toBe(
      '"\u202Edorp" is not a valid vault name: character 1 is U+202E RIGHT-TO-LEFT OVERRIDE, an invisible character that changes the direction of text; vault names cannot contain bidirectional formatting characters, which can show a name\'s characters in another order than they are written',
    );
  });

  it.each([
    ['\u202D', 'U+202D LEFT-TO-RIGHT OVERRIDE'],
    ['\u202E', 'U+202E RIGHT-TO-LEFT OVERRIDE'],
    ['\u202A', 'U+202A LEFT-TO-RIGHT EMBEDDING'],
    ['\u202B', 'U+202B RIGHT-TO-LEFT EMBEDDING'],
    ['\u202C', 'U+202C POP DIRECTIONAL FORMATTING'],
    ['\u2066', 'U+2066 LEFT-TO-RIGHT ISOLATE'],
    ['\u2067', 'U+2067 RIGHT-TO-LEFT ISOLATE'],
    ['\u2068', 'U+2068 FIRST STRONG ISOLATE'],
    ['\u2069', 'U+2069 POP DIRECTIONAL ISOLATE'],
    ['\u200E', 'U+200E LEFT-TO-RIGHT MARK'],
    ['\u200F', 'U+200F RIGHT-TO-LEFT MARK'],
    ['\u061C', 'U+061C ARABIC LETTER MARK'],
  ])('refuses %j (%s)', (character, shown) => {
    const error = nameError(() => validateVaultName(`ab${character}c`));
    expect(error.rule).toBe('bidi-control');
    expect(error.message).toContain(`character 3 is ${shown}, an invisible character that`);
  });

  it('reports rules in order: control, then bidi, then invisible, then surrogate', () => {
    expect(nameError(() => validateVaultName('\u200B\u202Ea\tb')).rule).toBe('control-character');
    expect(nameError(() => validateVaultName('\u200Ba\u202E')).rule).toBe('bidi-control');
    expect(nameError(() => validateVaultName('\udc00a\u200B')).rule).toBe('invisible-character');
  });
});

describe('vault names: emoji keep their invisible parts', () => {
  it.each([
    '👩‍💻 dev', // ZWJ between two emoji
    '☕️ coffee', // VS16 after an emoji
    '☕︎ text style', // VS15
    '🏳️‍🌈 pride', // VS16 then ZWJ
    '👩🏽‍💻', // skin tone then ZWJ
    '👨‍👩‍👧‍👦 family',
    '1️⃣ first', // keycap
    '❤️',
    '🏴\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F} Scotland', // subdivision flag
  ])('accepts %j', (name) => {
    expect(validateVaultName(name)).toBe(name.normalize('NFC'));
  });

  it.each([
    ['a\u200Db', 2, 'a zero width joiner is allowed only between two emoji'],
    ['👩\u200D', 2, 'a zero width joiner is allowed only between two emoji'],
    ['\u200D💻', 1, 'a zero width joiner is allowed only between two emoji'],
    ['prod\uFE0F', 5, 'it is allowed only right after an emoji'],
    ['☕\uFE0F\uFE0F', 3, 'it is allowed only right after an emoji'],
    ['🏴\u{E0061}\u{E007F}', 2, ''], // one tag letter is not a subdivision
    ['a\u{E0067}\u{E0062}\u{E007F}', 2, ''], // tags without the black flag
  ])('refuses %j at character %i', (name, position, hint) => {
    const error = nameError(() => validateVaultName(name));
    expect(error.rule).toBe('invisible-character');
    expect(error.message).toContain(`character ${position} is `);
    if (hint !== '') expect(error.message).toContain(hint);
  });
});

describe('entry names: invisible characters are named', () => {
  it('says that "API\\u200BKEY" has an invisible character', () => {
    const error = nameError(() => validateEntryName('API\u200BKEY', 'environment'));
    expect(error.rule).toBe('character');
    expect(error.message).toContain(
      'character 4 is U+200B ZERO WIDTH SPACE, an invisible character; use only A–Z, 0–9 and "_"',
    );
    const inDefault = nameError(() => validateEntryName('api\u200Bkey', 'default'));
    expect(inDefault.message).toContain('character 4 is U+200B ZERO WIDTH SPACE, an invisible');
  });

  it('says that a right-to-left override changes the direction of text', () => {
    const error = nameError(() => validateEntryName('KEY\u202E', 'environment'));
    expect(error.message).toContain(
      'character 4 is U+202E RIGHT-TO-LEFT OVERRIDE, an invisible character that changes the direction of text',
    );
  });

  it('names letters that pass for Latin ones', () => {
    expect(describeCharacter('о')).toBe('U+043E CYRILLIC SMALL LETTER O');
    expect(describeCharacter('Р')).toBe('U+0420 CYRILLIC CAPITAL LETTER ER');
    expect(describeCharacter('і')).toBe('U+0456 CYRILLIC SMALL LETTER BYELORUSSIAN-UKRAINIAN I');
    expect(describeCharacter('Ο')).toBe('U+039F GREEK CAPITAL LETTER OMICRON');
    expect(describeCharacter('ς')).toBe('U+03C2 GREEK SMALL LETTER FINAL SIGMA');
    expect(describeCharacter('Σ')).toBe('U+03A3 GREEK CAPITAL LETTER SIGMA');
    expect(describeCharacter('ｌ')).toBe('U+FF4C FULLWIDTH LATIN SMALL LETTER L');
    expect(describeCharacter('\uFE0F')).toBe(
      'U+FE0F VARIATION SELECTOR-16, an invisible character',
    );
    expect(describeCharacter('ä')).toBe('"ä" (U+00E4)');
    const error = nameError(() => validateEntryName('KЕY', 'environment'));
    expect(error.message).toContain('character 2 is U+0415 CYRILLIC CAPITAL LETTER IE;');
  });
});

describe('the confusables table', () => {
  it('loads on demand; its ASCII rows are the ones kept inline for entry names', async () => {
    const asciiRows = Object.fromEntries(
      Object.entries(prototypes as Record<string, string>).filter(
        ([source]) => source.codePointAt(0)! < 0x80,
      ),
    );
    expect(asciiPrototypes).toEqual(asciiRows);
    // ASCII names need nothing loaded.
    expect(nameSkeleton('KEY_1')).toBe('KEY_l');
    await loadConfusables();
    expect(confusablesLoaded()).toBe(true);
    expect(nameSkeleton('prоd')).toBe(nameSkeleton('prod'));
  });
});

describe('nameSkeleton', () => {
  beforeAll(() => loadConfusables());

  it('maps look-alikes to one prototype (UTS #39)', () => {
    expect(nameSkeleton('prоd')).toBe('prod');
    expect(nameSkeleton('pаypal')).toBe('paypal');
    expect(nameSkeleton('KEY_1')).toBe('KEY_l');
    expect(nameSkeleton('KEY_I')).toBe('KEY_l');
    expect(nameSkeleton('KEY_|')).toBe('KEY_l');
    expect(nameSkeleton('m')).toBe('rn');
    expect(nameSkeleton('O0')).toBe('OO');
    expect(nameSkeleton('ｌ')).toBe('l'); // fullwidth
    expect(nameSkeleton('ΚΕΥ')).toBe('KEY');
  });

  it('is NFD, and drops default-ignorable characters', () => {
    expect(nameSkeleton('caf\u00e9')).toBe(nameSkeleton('cafe\u0301'));
    expect(nameSkeleton('pro\u200Bd')).toBe('prod');
    expect(nameSkeleton('☕\uFE0F')).toBe(nameSkeleton('☕'));
  });

  it('takes the same path for ASCII as for any text', () => {
    // The ASCII fast path must agree with the general one: a trailing "é" forces the latter.
    for (let a = 0x20; a < 0x7f; a++) {
      for (let b = 0x20; b < 0x7f; b += 7) {
        const text = String.fromCharCode(a, b);
        expect(nameSkeleton(`${text}é`)).toBe(`${nameSkeleton(text)}e\u0301`);
      }
    }
  });

  it('is exported by the vault module, with findConfusable and ConfusableNameError', () => {
    expect(vault.nameSkeleton).toBe(nameSkeleton);
    expect(vault.findConfusable).toBe(findConfusable);
    expect(vault.ConfusableNameError).toBe(ConfusableNameError);
  });
});

describe('findConfusable', () => {
  beforeAll(() => loadConfusables());

  it.each([
    ['prоd', 'prod'], // Cyrillic о
    ['pаypal', 'paypal'], // Cyrillic а
    ['Prod', 'prod'], // letter case
    ['PRОD', 'prod'], // letter case and a Cyrillic О
    ['KEY_l', 'KEY_1'],
    ['KEY_I', 'KEY_1'],
    ['rnodem', 'modem'],
    ['O', '0'],
    ['café', 'cafe\u0301'],
    ['👩💻', '👩‍💻'],
  ])('finds that %j looks like %j', (name, existing) => {
    expect(findConfusable(name, ['other', existing, 'more'])).toBe(existing);
    expect(findConfusable(existing, [name])).toBe(name);
  });

  it.each([
    ['prod', 'prod2'],
    ['KEY_1', 'KEY_2'],
    ['prod', 'staging'],
    ['dev', 'deb'],
  ])('does not report %j and %j', (a, b) => {
    expect(findConfusable(a, [b])).toBeUndefined();
    expect(findConfusable(b, [a])).toBeUndefined();
  });

  it('does not report a name as confusable with itself, and takes any iterable', () => {
    expect(findConfusable('prod', ['prod'])).toBeUndefined();
    function* names() {
      yield 'prod';
      yield 'Prod';
    }
    expect(findConfusable('prod', names())).toBe('Prod');
    expect(findConfusable('prod', new Set<string>())).toBeUndefined();
  });
});

describe('ConfusableNameError', () => {
  it('says which existing name and which character, with data', () => {
    const error = new ConfusableNameError({
      rejectedName: 'prоd',
      existingName: 'prod',
      subject: 'vault',
    });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('ConfusableNameError');
    expect(error.message).toBe(
      '"prоd" looks the same as the existing vault "prod": character 3 is U+043E CYRILLIC SMALL LETTER O, which looks like "o"; choose a name that cannot be mistaken for it',
    );
    expect(error).toMatchObject({
      rejectedName: 'prоd',
      existingName: 'prod',
      subject: 'vault',
      position: 3,
      rejectedCharacters: 'о',
      existingCharacters: 'o',
    });
  });

  it.each([
    [
      'KEY_l',
      'KEY_1',
      'character 5 is "l" (small letter L), which looks like "1" (digit one)',
      [5, 'l', '1'],
    ],
    [
      'Prod',
      'prod',
      'the names differ only in letter case (character 1 is "P", not "p")',
      [1, 'P', 'p'],
    ],
    [
      'PrОd',
      'prod',
      'character 3 is U+041E CYRILLIC CAPITAL LETTER O, which looks like "o"',
      [3, 'О', 'o'],
    ],
    ['rn', 'm', 'characters 1–2 are "rn", which look like "m"', [1, 'rn', 'm']],
    [
      '👩💻',
      '👩‍💻',
      'character 2 of the existing name is U+200D ZERO WIDTH JOINER, an invisible character, which this one lacks',
      [2, '', '\u200D'],
    ],
  ])('%j beside %j: %s', (rejectedName, existingName, problem, [position, ours, theirs]) => {
    const error = new ConfusableNameError({ rejectedName, existingName, subject: 'entry' });
    expect(error.message).toBe(
      `${JSON.stringify(rejectedName)} looks the same as the existing entry ${JSON.stringify(existingName)}: ${problem}; choose a name that cannot be mistaken for it`,
    );
    expect([error.position, error.rejectedCharacters, error.existingCharacters]).toEqual([
      position,
      ours,
      theirs,
    ]);
  });
});

describe('the entry store refuses look-alike names', () => {
  function seeded() {
    const r = replica();
    r.store.set('KEY_1', secret('one'));
    r.store.set('modem', secret('two'));
    return r;
  }

  it('on create, changing nothing', () => {
    const { doc, store } = seeded();
    const before = contents(store);
    const updates = updatesOf(doc, () => {
      const error = confusableError(() => store.set('KEY_l', secret('new')));
      expect(error).toMatchObject({
        rejectedName: 'KEY_l',
        existingName: 'KEY_1',
        subject: 'entry',
        position: 5,
      });
      expect(error.message).toContain('"KEY_l" looks the same as the existing entry "KEY_1"');
      expect(() => store.set('KEY_I', secret('new'), { mode: 'create' })).toThrow(
        ConfusableNameError,
      );
      expect(() => store.set('rnodem', secret('new'))).toThrow(ConfusableNameError);
      expect(() => store.set('Modem', secret('new'))).toThrow(ConfusableNameError);
    });
    expect(updates).toEqual([]);
    expect(contents(store)).toEqual(before);
    expect(store.get('KEY_1')?.value).toBe('one');
    expect(store.has('KEY_l')).toBe(false);
  });

  it('allows names that only share letters, and updates of existing entries', () => {
    const { store } = seeded();
    store.set('KEY_2', secret('three'));
    store.set('KEY_11', secret('four'));
    store.set('KEY_1', secret('changed'));
    expect(store.get('KEY_1')?.value).toBe('changed');
    expect(store.list().map((entry) => entry.name)).toEqual(['KEY_1', 'KEY_11', 'KEY_2', 'modem']);
  });

  it('on rename and renameById, changing nothing', () => {
    const { doc, store } = seeded();
    store.set('OTHER', secret('three'));
    const id = store.get('OTHER')!.id;
    const before = contents(store);
    const updates = updatesOf(doc, () => {
      const error = confusableError(() => store.rename('OTHER', 'KEY_I'));
      expect(error.existingName).toBe('KEY_1');
      expect(() => store.renameById(id, 'rnodem')).toThrow(ConfusableNameError);
    });
    expect(updates).toEqual([]);
    expect(contents(store)).toEqual(before);
  });

  it('allows renaming an entry to a look-alike of its own name', () => {
    const { store } = seeded();
    const id = store.get('KEY_1')!.id;
    store.rename('KEY_1', 'KEY_l');
    expect(store.get('KEY_l')).toMatchObject({ id, value: 'one' });
    store.renameById(id, 'KEY_I');
    expect(store.get('KEY_I')).toMatchObject({ id, value: 'one' });
    expect(store.has('KEY_l')).toBe(false);
    expect(() => store.set('KEY_1', secret('x'))).toThrow(ConfusableNameError);
    // Once renamed away, the old names are free again: the index follows renames.
    store.rename('KEY_I', 'DIFFERENT');
    store.set('KEY_1', secret('again'));
    expect(store.get('KEY_1')?.value).toBe('again');
  });

  it('in setMany, against existing names and within the batch, writing nothing', () => {
    const { doc, store } = seeded();
    const before = contents(store);
    const updates = updatesOf(doc, () => {
      const existing = confusableError(() =>
        store.setMany([
          { name: 'FIRST', input: secret('a') },
          { name: 'KEY_1', input: secret('update') },
          { name: 'KEY_l', input: secret('b') },
        ]),
      );
      expect(existing.existingName).toBe('KEY_1');
      const batch = confusableError(() =>
        store.setMany([
          { name: 'NEW_0', input: secret('a') },
          { name: 'SECOND', input: secret('b') },
          { name: 'NEW_O', input: secret('c') },
        ]),
      );
      expect(batch).toMatchObject({ rejectedName: 'NEW_O', existingName: 'NEW_0' });
    });
    expect(updates).toEqual([]);
    expect(contents(store)).toEqual(before);
    // A name given twice in one batch is one entry, not a look-alike of itself.
    store.setMany([
      { name: 'TWICE', input: secret('a') },
      { name: 'TWICE', input: secret('b') },
      { name: 'OTHER', input: secret('c') },
    ]);
    expect(store.get('TWICE')?.value).toBe('b');
  });

  it('keeps look-alikes that are already there readable and editable', () => {
    // Two devices apart each create a name; merged, the names are look-alikes.
    const a = replica({ prefix: 'dev-a-', clientID: 2 });
    const b = replica({ prefix: 'dev-b-', clientID: 3 });
    a.store.set('KEY_1', secret('from a'));
    b.store.set('KEY_l', secret('from b'));
    send(a.doc, b.doc);
    send(b.doc, a.doc);
    for (const { store } of [a, b]) {
      expect(store.get('KEY_1')?.value).toBe('from a');
      expect(store.get('KEY_l')?.value).toBe('from b');
      store.set('KEY_l', secret('edited'));
      expect(store.get('KEY_l')?.value).toBe('edited');
      // A third look-alike is still refused, and a rename between the two as well.
      expect(() => store.set('KEY_I', secret('x'))).toThrow(ConfusableNameError);
      expect(() => store.rename('KEY_l', 'KEY_I')).toThrow(ConfusableNameError);
    }
  });

  it('follows remote changes once its index is built', () => {
    const local = replica({ prefix: 'local-', clientID: 2 });
    const remote = replica({ prefix: 'remote-', clientID: 3 });
    local.store.set('FIRST', secret('a')); // builds the index
    remote.store.set('KEY_1', secret('b'));
    remote.store.set('ZERO_0', secret('b'));
    send(remote.doc, local.doc);
    expect(() => local.store.set('KEY_l', secret('c'))).toThrow(ConfusableNameError);
    expect(() => local.store.set('ZERO_O', secret('c'))).toThrow(ConfusableNameError);
    remote.store.rename('KEY_1', 'RENAMED');
    remote.store.delete('ZERO_0');
    send(remote.doc, local.doc);
    local.store.set('KEY_l', secret('now free'));
    local.store.set('ZERO_O', secret('now free'));
    expect(local.store.get('KEY_l')?.value).toBe('now free');
    expect(local.store.get('ZERO_O')?.value).toBe('now free');
  });

  it('checks against the entries of a document opened with entries in it', () => {
    const first = replica();
    first.store.set('KEY_1', secret('one'));
    const reopened = replica({ prefix: 'reopened-', from: first.doc });
    expect(() => reopened.store.set('KEY_l', secret('x'))).toThrow(ConfusableNameError);
  });
});
