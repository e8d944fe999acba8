import { For, Show } from 'solid-js';
import type { ClashChoice, ImportFlow } from '../state/import';
import { describePlace } from '../state/import-words';

const choiceLabels: Readonly<Record<ClashChoice, string>> = {
  skip: 'Skip (keep the vault’s entry)',
  overwrite: 'Overwrite',
  'keep-both': 'Keep both (import with a suffix)',
};
const choices = Object.keys(choiceLabels) as ClashChoice[];

/**
 * What the import will do, before anything is written: counts, the names that clash with
 * entries (a choice for all, and per name), the records the vault refuses and why, names the
 * file gives twice, and the importer's warnings.
 */
export function ImportPreviewView(props: { flow: ImportFlow }) {
  const preview = () => props.flow.preview()!;
  return (
    <section aria-label="Import preview">
      <p role="status">
        {preview().total} {preview().total === 1 ? 'entry' : 'entries'} in the file:{' '}
        {preview().fresh.length} new, {preview().clashes.length} already in the vault,{' '}
        {preview().refused.length} refused.
      </p>
      <Show when={preview().clashes.length > 0}>
        <fieldset class="field">
          <legend>Names already in the vault</legend>
          <label>
            For all of them{' '}
            <select
              value={props.flow.all()}
              onChange={(event) => props.flow.setAll(event.currentTarget.value as ClashChoice)}
            >
              <For each={choices}>
                {(choice) => <option value={choice}>{choiceLabels[choice]}</option>}
              </For>
            </select>
          </label>
          <ul class="import-clashes">
            <For each={preview().clashes}>
              {(clash) => (
                <li>
                  <label>
                    <code>{clash.name}</code>{' '}
                    <span class="muted">
                      ({describePlace(clash.from)}; the vault has a {clash.existingKind}
                      {clash.existingWriteOnly ? ', write-only' : ''})
                    </span>{' '}
                    <select
                      aria-label={`What to do with ${clash.name}`}
                      value={props.flow.choiceFor(clash.name)}
                      onChange={(event) =>
                        props.flow.setChoice(clash.name, event.currentTarget.value as ClashChoice)
                      }
                    >
                      <For each={choices}>
                        {(choice) => <option value={choice}>{choiceLabels[choice]}</option>}
                      </For>
                    </select>
                  </label>
                </li>
              )}
            </For>
          </ul>
        </fieldset>
      </Show>
      <Show when={preview().refused.length > 0}>
        <div class="notice warning">
          <p>
            <strong>Not imported</strong> (the vault refuses these names or values):
          </p>
          <ul aria-label="Refused entries">
            <For each={preview().refused}>
              {(refused) => (
                <li>
                  {describePlace(refused.from)}: {refused.problem}
                </li>
              )}
            </For>
          </ul>
        </div>
      </Show>
      <Show when={preview().duplicates.length > 0}>
        <ul class="hint" aria-label="Names given twice">
          <For each={preview().duplicates}>
            {(duplicate) => (
              <li>
                {describePlace(duplicate.from)}: <code>{duplicate.name}</code> is in the file more
                than once; this one is imported as <code>{duplicate.renamedTo}</code>.
              </li>
            )}
          </For>
        </ul>
      </Show>
      <Show when={preview().warnings.length > 0}>
        <ul class="hint" aria-label="Warnings">
          <For each={preview().warnings}>
            {(warning) => (
              <li>
                {describePlace(warning.from)}: {warning.message}
              </li>
            )}
          </For>
        </ul>
      </Show>
    </section>
  );
}
