import { createUniqueId, For, Match, Show, Switch } from 'solid-js';
import { formatLabels, type ImportFlow, type ImportFormat } from '../state/import';
import { PassphraseInput } from './PassphraseInput';

const formats: readonly ImportFormat[] = ['dotenv', 'json', 'csv', 'bitwarden', 'kdbx'];

/**
 * The file to import and how to read it: the format (guessed from the file, changeable), and
 * the format's own fields: the kind values become (.env, JSON), nested JSON, the CSV column
 * mapping, the KeePass password and key file.
 */
export function ImportFileOptions(props: { flow: ImportFlow }) {
  const id = createUniqueId();
  const flow = () => props.flow;
  return (
    <>
      <div class="field">
        <label for={`${id}-file`}>File</label>
        <input
          id={`${id}-file`}
          type="file"
          accept=".env,.json,.csv,.kdbx,.txt,text/plain,application/json,text/csv"
          onChange={(event) => void flow().choose(event.currentTarget.files?.[0])}
        />
      </div>
      <Show when={flow().file()}>
        <div class="field">
          <label for={`${id}-format`}>Format</label>
          <select
            id={`${id}-format`}
            value={flow().format()}
            onChange={(event) => void flow().setFormatTo(event.currentTarget.value as ImportFormat)}
          >
            <For each={formats}>
              {(format) => <option value={format}>{formatLabels[format]}</option>}
            </For>
          </select>
        </div>
        <Switch>
          <Match when={flow().format() === 'dotenv' || flow().format() === 'json'}>
            <div class="field">
              <label for={`${id}-kind`}>Import values as</label>
              <select
                id={`${id}-kind`}
                value={flow().choices().kind}
                onChange={(event) =>
                  flow().setChoices({ kind: event.currentTarget.value as 'secret' | 'item' })
                }
              >
                <option value="secret">Secrets (masked)</option>
                <option value="item">Items (shown)</option>
              </select>
            </div>
            <Show when={flow().format() === 'json'}>
              <div class="field">
                <label for={`${id}-nested`}>Nested objects</label>
                <select
                  id={`${id}-nested`}
                  value={flow().choices().nested}
                  onChange={(event) =>
                    flow().setChoices({
                      nested: event.currentTarget.value as 'top-level' | 'flatten',
                    })
                  }
                >
                  <option value="top-level">One entry per top-level key</option>
                  <option value="flatten">Flatten to dotted paths (db.host)</option>
                </select>
              </div>
            </Show>
          </Match>
          <Match when={flow().format() === 'csv'}>
            <fieldset class="field">
              <legend>Columns</legend>
              <label for={`${id}-csv-name`}>Name column</label>
              <select
                id={`${id}-csv-name`}
                value={flow().choices().csvName}
                onChange={(event) =>
                  flow().setChoices({ csvName: Number(event.currentTarget.value) })
                }
              >
                <For each={flow().columns()}>
                  {(column, index) => (
                    <option value={index()}>{column || `Column ${index() + 1}`}</option>
                  )}
                </For>
              </select>
              <label for={`${id}-csv-value`}>Value column</label>
              <select
                id={`${id}-csv-value`}
                value={flow().choices().csvValue}
                onChange={(event) =>
                  flow().setChoices({ csvValue: Number(event.currentTarget.value) })
                }
              >
                <For each={flow().columns()}>
                  {(column, index) => (
                    <option value={index()}>{column || `Column ${index() + 1}`}</option>
                  )}
                </For>
              </select>
              <label class="checkbox">
                <input
                  type="checkbox"
                  checked={flow().choices().csvSecret}
                  onChange={(event) =>
                    flow().setChoices({ csvSecret: event.currentTarget.checked })
                  }
                />
                Values are secrets (masked)
              </label>
            </fieldset>
          </Match>
          <Match when={flow().format() === 'kdbx'}>
            <PassphraseInput
              id={`${id}-kdbx-password`}
              label="KeePass password"
              value={flow().password()}
              onInput={(value) => flow().setPassword(value)}
              autocomplete="current-password"
            />
            <div class="field">
              <label for={`${id}-kdbx-key`}>Key file (if the database uses one)</label>
              <input
                id={`${id}-kdbx-key`}
                type="file"
                onChange={(event) => flow().setKeyFile(event.currentTarget.files?.[0])}
              />
            </div>
          </Match>
          <Match when={flow().format() === 'bitwarden'}>
            <p class="hint">
              Logins become connections (password and hidden fields masked); notes become items.
              Names are made from the folder and the item's name.
            </p>
          </Match>
        </Switch>
      </Show>
    </>
  );
}
