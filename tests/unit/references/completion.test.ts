/**
 * Completion for the template editor: which name is being typed at the cursor, what has been
 * typed, and which span a choice replaces. The cursor is written as "|" in each case.
 */
import { describe, expect, it } from 'vitest';
import {
  type Completion,
  formatAccessor,
  parseTemplate,
  referenceCompletion,
} from '../../../src/core/references';

/** Completion at the "|" in `marked` (the "|" itself is removed). */
function at(marked: string): Completion | undefined {
  const cursor = marked.indexOf('|');
  return referenceCompletion(marked.slice(0, cursor) + marked.slice(cursor + 1), cursor);
}

describe('referenceCompletion', () => {
  it.each<[string, Completion]>([
    ['@{|', { from: 2, to: 2, context: 'root', prefix: '' }],
    ['x @{ |', { from: 5, to: 5, context: 'root', prefix: '' }],
    ['@{va|', { from: 2, to: 4, context: 'root', prefix: 'va' }],
    ['@{vault|', { from: 2, to: 7, context: 'root', prefix: 'vault' }],
    ['@{ke|ep.x}', { from: 2, to: 7, context: 'root', prefix: 'ke' }],
    ['@{|}', { from: 2, to: 2, context: 'root', prefix: '' }],
    ['@{vault.|', { from: 7, to: 8, context: 'entry', prefix: '' }],
    ['@{vault.AP|', { from: 7, to: 10, context: 'entry', prefix: 'AP' }],
    ['@{vault.AP|I_KEY}', { from: 7, to: 15, context: 'entry', prefix: 'AP' }],
    ['a: @{vault.API_KEY|}', { from: 10, to: 18, context: 'entry', prefix: 'API_KEY' }],
    ['@{vault[|', { from: 7, to: 8, context: 'entry', prefix: '' }],
    ['@{vault[ "db.p|', { from: 7, to: 14, context: 'entry', prefix: 'db.p' }],
    ['@{vault["db.p|assword"].x}', { from: 7, to: 22, context: 'entry', prefix: 'db.p' }],
    ['@{vault["a\\"b|', { from: 7, to: 13, context: 'entry', prefix: 'a"b' }],
    ['@{vault["ab\\|', { from: 7, to: 12, context: 'entry', prefix: 'ab' }],
    ['@{vaults.|', { from: 8, to: 9, context: 'vault-name', prefix: '' }],
    ['@{vaults.my|', { from: 8, to: 11, context: 'vault-name', prefix: 'my' }],
    ['@{vaults["My v|', { from: 8, to: 14, context: 'vault-name', prefix: 'My v' }],
    ['@{vaults.my-vault.|', { from: 17, to: 18, context: 'entry', vault: 'my-vault', prefix: '' }],
    [
      '@{vaults["My vault"].to|',
      { from: 20, to: 23, context: 'entry', vault: 'My vault', prefix: 'to' },
    ],
    ['@{keep.|', { from: 6, to: 7, context: 'keep', prefix: '' }],
    ['@{keep.tok|en}', { from: 6, to: 12, context: 'keep', prefix: 'tok' }],
    ['@{vault.A} and @{vault.B|', { from: 22, to: 24, context: 'entry', prefix: 'B' }],
    ['@{ x} @{vault.B|', { from: 13, to: 15, context: 'entry', prefix: 'B' }],
    ['@@@{@{keep.|', { from: 10, to: 11, context: 'keep', prefix: '' }],
  ])('%s', (marked, completion) => {
    expect(at(marked)).toEqual(completion);
  });

  it.each([
    ['plain text|'],
    ['|@{vault.X}'],
    ['@|{'],
    ['@@{|'],
    ['@@{vault.|'],
    ['x@@{va|'],
    ['@{vault.X}|'],
    ['@{vault.X} |'],
    ['@{vault.X |'],
    ['@{vault.db.|'],
    ['@{vault.db.ho|'],
    ['@{vault.db[|'],
    ['@{vault.db[0|'],
    ['@{vault["x"]|'],
    ['@{vault[1|'],
    ['@{env|'],
    ['@{vault-|'],
    ['@{vault .|'],
    ['@{vaults.v.e.|'],
    ['@{vault.\n|'],
  ])('offers nothing at %j', (marked) => {
    expect(at(marked)).toBeUndefined();
  });

  it('gives a span whose replacement by formatAccessor makes the reference', () => {
    const text = 'Bearer @{vault["db.p';
    const completion = referenceCompletion(text, text.length)!;
    const done = `${text.slice(0, completion.from)}${formatAccessor('db.password')}${text.slice(completion.to)}}`;
    expect(done).toBe('Bearer @{vault["db.password"]}');
    expect(parseTemplate(done)).toHaveLength(2);
  });

  it('checks its arguments', () => {
    expect(() => referenceCompletion(1 as never, 0)).toThrow(
      new TypeError('text must be a string, got number'),
    );
    expect(() => referenceCompletion('ab', 3)).toThrow(
      new RangeError('cursor must be an integer from 0 to 2, got 3'),
    );
    expect(() => referenceCompletion('ab', 0.5)).toThrow(RangeError);
    expect(() => referenceCompletion('ab', '1' as never)).toThrow(TypeError);
  });
});
