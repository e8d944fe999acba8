import type { VaultId } from '../ids';
import { parseTemplate, type TemplatePart } from '../references';
import { authProblems } from './connection-choices';
import type { EntryReader } from './entry-reader';
import { walkPath } from './request-build';
import type { FieldProblem, IntegrationDraft, IntegrationField } from './types';
import type { VaultChooser } from './vault-names';

/**
 * What `check` finds in a draft without waiting for anything: the default vault, each field's
 * reference syntax, the vaults, grants, entries and fields references name, and the request's
 * connection. Every field with a problem says so, not only the first.
 */
export async function problemsOf(
  draft: IntegrationDraft,
  chooser: VaultChooser,
  entries: EntryReader,
): Promise<FieldProblem[]> {
  const problems: FieldProblem[] = [];
  const problem = (error: unknown, field: IntegrationField) => {
    const coded = error as { code?: string; message?: string; vault?: VaultId };
    problems.push({
      field,
      code: coded.code ?? 'unexpected',
      message: coded.message ?? String(error),
      ...(coded.vault ? { vault: coded.vault } : {}),
    });
  };
  if (draft.defaultVault && !chooser.defaultVault()) {
    problem(
      { code: 'reference-unresolved', message: 'the default vault no longer exists' },
      { part: 'default-vault' },
    );
  }
  // Each field on its own, so every field with a problem says so, not only the first.
  const fieldsOf = (request: IntegrationDraft['request']) => {
    const out: { field: IntegrationField; parts: TemplatePart[] }[] = [];
    const single = (field: IntegrationField, text: string) => {
      try {
        out.push({ field, parts: parseTemplate(text) });
      } catch (error) {
        problem(error, field);
      }
    };
    single({ part: 'url' }, request.url);
    request.query.forEach((pair, index) => {
      single({ part: 'query', index, side: 'name' }, pair.name);
      single({ part: 'query', index, side: 'value' }, pair.value);
    });
    request.headers.forEach((pair, index) => {
      single({ part: 'header', index, side: 'name' }, pair.name);
      single({ part: 'header', index, side: 'value' }, pair.value);
    });
    if (request.body.type !== 'none') single({ part: 'body' }, request.body.text);
    return out;
  };
  problems.push(
    ...(await authProblems(chooser, draft.request.auth, (target) => entries.vault(target))),
  );
  for (const { field, parts } of fieldsOf(draft.request)) {
    for (const part of parts) {
      if (part.kind !== 'reference' || part.reference.scope !== 'vault') continue;
      const reference = part.reference;
      try {
        const target = chooser.find(reference.vault, reference.source, field);
        chooser.require(target, 'read', field);
        const entry = await entries.entry(target, reference.entry);
        if (entry === 'unknown') continue;
        if (!entry) {
          problem(
            {
              code: 'reference-unresolved',
              message: `${reference.source}: vault "${target.name}" has no entry ${reference.entry}`,
            },
            field,
          );
          continue;
        }
        walkPath(entry.value as never, reference, field);
      } catch (error) {
        problem(error, field);
      }
    }
  }
  return problems;
}
