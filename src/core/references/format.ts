/**
 * The formatter of the reference grammar: writes a reference, or one accessor, in its canonical
 * form (names quoted only when they need it), which template.ts's scanner reads back to the same
 * scope, vault, entry and path.
 */

import { show } from './errors';
import { isControl, kindOf } from './template';
import type { PathSegment } from './types';

/**
 * What formatReference takes: a Reference, or just its names.
 * @example
 * const target: ReferenceTarget = { scope: 'vault', entry: 'db', path: ['host'] };
 */
export interface ReferenceTarget {
  readonly scope: 'vault' | 'keep';
  readonly vault?: string | undefined;
  readonly entry: string;
  readonly path?: readonly PathSegment[] | undefined;
}

/**
 * The canonical text of a reference: no spaces, `.name` where the name allows it, `["..."]`
 * otherwise, `[n]` for indexes. Parsing it gives back the same scope, vault, entry and path.
 * @throws TypeError for arguments of the wrong kind; RangeError for a name with a control
 *   character (the grammar cannot write one), an index that is not a non-negative safe
 *   integer, or a vault given for keep.
 * @example
 * formatReference({ scope: 'vault', entry: 'db.password' }); // '@{vault["db.password"]}'
 * formatReference({ scope: 'vault', vault: 'My vault', entry: 'API', path: ['hosts', 0] });
 * // '@{vaults["My vault"].API.hosts[0]}'
 */
export function formatReference(target: ReferenceTarget): string {
  if (typeof target !== 'object' || target === null)
    throw new TypeError(`a reference must be an object, got ${kindOf(target)}`);
  const { scope, vault, entry, path = [] } = target;
  if (scope !== 'vault' && scope !== 'keep')
    throw new TypeError(
      `a reference's scope must be 'vault' or 'keep', got ${describeArgument(scope)}`,
    );
  if (vault !== undefined && typeof vault !== 'string')
    throw new TypeError(`a reference's vault must be a string or undefined, got ${kindOf(vault)}`);
  if (scope === 'keep' && vault !== undefined)
    throw new RangeError('a kept value belongs to no vault: give no vault with scope "keep"');
  if (typeof entry !== 'string')
    throw new TypeError(`a reference's entry must be a string, got ${kindOf(entry)}`);
  if (!Array.isArray(path))
    throw new TypeError(`a reference's path must be an array, got ${kindOf(path)}`);
  const head =
    scope === 'keep'
      ? `keep${formatAccessor(entry)}`
      : vault === undefined
        ? `vault${formatAccessor(entry)}`
        : `vaults${formatAccessor(vault)}${formatAccessor(entry)}`;
  return `@{${head}${path.map((segment) => formatAccessor(segment)).join('')}}`;
}

/**
 * One accessor in its canonical form: `.name`, `["name"]` or `[index]`. Completions insert it.
 * @throws as formatReference does.
 * @example
 * formatAccessor('API_KEY'); // '.API_KEY'
 * formatAccessor('My "vault"'); // '["My \\"vault\\""]'
 * formatAccessor(0); // '[0]'
 */
export function formatAccessor(segment: PathSegment): string {
  if (typeof segment === 'number') {
    if (!Number.isSafeInteger(segment) || segment < 0 || Object.is(segment, -0))
      throw new RangeError(`an index must be an integer from 0 to ${Number.MAX_SAFE_INTEGER}`);
    return `[${segment}]`;
  }
  if (typeof segment !== 'string')
    throw new TypeError(
      `a name in a reference must be a string or an index, got ${kindOf(segment)}`,
    );
  if (/^[A-Za-z0-9_-]+$/.test(segment)) return `.${segment}`;
  for (let index = 0; index < segment.length; index++) {
    if (isControl(segment.charCodeAt(index)))
      throw new RangeError(
        `a name in a reference cannot hold a control character (U+${segment
          .charCodeAt(index)
          .toString(16)
          .toUpperCase()
          .padStart(4, '0')}, at ${index})`,
      );
  }
  return `["${segment.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"]`;
}

function describeArgument(value: unknown): string {
  return typeof value === 'string' ? show(value) : kindOf(value);
}
