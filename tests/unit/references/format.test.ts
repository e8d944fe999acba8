/**
 * The canonical text of a reference: known answers, and the names the grammar cannot write.
 */
import { describe, expect, it } from 'vitest';
import {
  formatAccessor,
  formatReference,
  parseTemplate,
  type ReferenceTarget,
} from '../../../src/core/references';

describe('formatReference', () => {
  it.each<[ReferenceTarget, string]>([
    [{ scope: 'vault', entry: 'API_KEY' }, '@{vault.API_KEY}'],
    [{ scope: 'vault', entry: 'db', path: ['host'] }, '@{vault.db.host}'],
    [{ scope: 'vault', entry: 'db.password' }, '@{vault["db.password"]}'],
    [{ scope: 'vault', entry: 'servers', path: [0, 'url'] }, '@{vault.servers[0].url}'],
    [{ scope: 'vault', entry: 'c', path: ['0', 0] }, '@{vault.c.0[0]}'],
    [{ scope: 'vault', vault: 'my-vault', entry: 'API_KEY' }, '@{vaults.my-vault.API_KEY}'],
    [{ scope: 'vault', vault: 'My vault', entry: 'token' }, '@{vaults["My vault"].token}'],
    [{ scope: 'vault', vault: undefined, entry: 'X', path: [] }, '@{vault.X}'],
    [{ scope: 'keep', entry: 'token' }, '@{keep.token}'],
    [{ scope: 'vault', entry: 'a"b\\c' }, '@{vault["a\\"b\\\\c"]}'],
    [{ scope: 'vault', entry: '' }, '@{vault[""]}'],
    [{ scope: 'vault', entry: 'clé 🔑' }, '@{vault["clé 🔑"]}'],
    [{ scope: 'vault', entry: 'x', path: [9007199254740991] }, '@{vault.x[9007199254740991]}'],
  ])('%j', (target, text) => {
    expect(formatReference(target)).toBe(text);
    const [part] = parseTemplate(text);
    expect(part?.kind === 'reference' && part.reference).toMatchObject({
      scope: target.scope,
      vault: target.vault,
      entry: target.entry,
      path: target.path ?? [],
      source: text,
    });
  });

  it('writes a Reference as parsed, without its spaces', () => {
    const [part] = parseTemplate('@{ vaults[ "ops" ][\t"db" ].host }');
    expect(part?.kind).toBe('reference');
    if (part?.kind === 'reference')
      expect(formatReference(part.reference)).toBe('@{vaults.ops.db.host}');
  });

  it.each<[unknown, Error]>([
    [null, new TypeError('a reference must be an object, got null')],
    [
      { scope: 'env', entry: 'X' },
      new TypeError(`a reference's scope must be 'vault' or 'keep', got "env"`),
    ],
    [
      { scope: 'vault', entry: 1 },
      new TypeError(`a reference's entry must be a string, got number`),
    ],
    [
      { scope: 'vault', vault: 2, entry: 'X' },
      new TypeError(`a reference's vault must be a string or undefined, got number`),
    ],
    [
      { scope: 'keep', vault: 'v', entry: 'X' },
      new RangeError('a kept value belongs to no vault: give no vault with scope "keep"'),
    ],
    [
      { scope: 'vault', entry: 'X', path: 'a' },
      new TypeError(`a reference's path must be an array, got string`),
    ],
    [
      { scope: 'vault', entry: 'X', path: [-1] },
      new RangeError('an index must be an integer from 0 to 9007199254740991'),
    ],
    [
      { scope: 'vault', entry: 'X', path: [1.5] },
      new RangeError('an index must be an integer from 0 to 9007199254740991'),
    ],
    [
      { scope: 'vault', entry: 'X', path: [-0] },
      new RangeError('an index must be an integer from 0 to 9007199254740991'),
    ],
    [
      { scope: 'vault', entry: 'X', path: [true] },
      new TypeError('a name in a reference must be a string or an index, got boolean'),
    ],
    [
      { scope: 'vault', entry: 'a\nb' },
      new RangeError('a name in a reference cannot hold a control character (U+000A, at 1)'),
    ],
    [
      { scope: 'vault', entry: 'ok', path: ['\u007f'] },
      new RangeError('a name in a reference cannot hold a control character (U+007F, at 0)'),
    ],
  ])('refuses %j', (target, error) => {
    expect(() => formatReference(target as ReferenceTarget)).toThrow(error);
  });
});

describe('formatAccessor', () => {
  it.each<[string | number, string]>([
    ['API_KEY', '.API_KEY'],
    ['my-vault', '.my-vault'],
    ['0', '.0'],
    [0, '[0]'],
    [17, '[17]'],
    ['db.password', '["db.password"]'],
    ['My "vault"', '["My \\"vault\\""]'],
    ['back\\slash', '["back\\\\slash"]'],
    ['', '[""]'],
  ])('%j', (segment, text) => {
    expect(formatAccessor(segment)).toBe(text);
  });
});
