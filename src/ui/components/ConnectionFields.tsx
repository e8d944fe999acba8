import { For, Show } from 'solid-js';
import type { ConnectionValue } from '../../core/vault';
import {
  CONNECTION_TYPES,
  type ConnectionFieldSpec,
  connectionChoiceLabel,
  connectionFieldSpecs,
  connectionTypeSpec,
  droppedWriteOnlyFields,
  isHiddenField,
  type WriteOnlyChoices,
} from '../state/connection-types';
import { SecretField } from './SecretField';

/**
 * A connection's type and one field per credential of that type. Secret fields are masked with
 * Show/Hide; fields with choices are a select; any field may stay empty, which marks the entry
 * "missing credentials" when the field is required. With `onWriteOnly`, each secret field has a
 * write-only checkbox (without it, the catalogue's default is used and said). A saved write-only
 * field of the edited entry comes without its value: its input starts empty and, left empty,
 * keeps what is saved.
 */
export function ConnectionFields(props: {
  id: string;
  type: string;
  texts: Readonly<Record<string, string>>;
  /** The edited entry's connection (as the UI sees it), so its extra fields and unknown type show. */
  original?: ConnectionValue | undefined;
  errors?: Readonly<Record<string, string>> | undefined;
  onType: (type: string) => void;
  onText: (field: string, value: string) => void;
  /** The user's write-only choices by field (see connectionValueFromForm). */
  writeOnly?: WriteOnlyChoices | undefined;
  onWriteOnly?: ((field: string, writeOnly: boolean) => void) | undefined;
}) {
  const specs = () => connectionFieldSpecs(props.type, props.original);
  const fieldId = (name: string) => `${props.id}-field-${name.replace(/[^A-Za-z0-9_-]/g, '_')}`;
  const label = (spec: ConnectionFieldSpec) =>
    spec.required ? spec.label : `${spec.label} (optional)`;
  const hidden = (spec: ConnectionFieldSpec) =>
    isHiddenField(props.original, props.type, spec.name);
  const writeOnly = (spec: ConnectionFieldSpec) =>
    spec.secret && (props.writeOnly?.[spec.name] ?? spec.writeOnly);
  const dropped = () => droppedWriteOnlyFields(props.original, props.type);
  const secretHint = (spec: ConnectionFieldSpec) => {
    if (hidden(spec)) return 'Leave it empty to keep the saved value.';
    if (!props.onWriteOnly && spec.writeOnly) return 'Write-only: never shown again once saved.';
    return undefined;
  };
  return (
    <>
      <div class="field">
        <label for={`${props.id}-type`}>Type</label>
        <select
          id={`${props.id}-type`}
          onChange={(event) => props.onType(event.currentTarget.value)}
          aria-describedby={`${props.id}-type-hint`}
        >
          <For each={CONNECTION_TYPES}>
            {(spec) => (
              <option value={spec.type} selected={spec.type === props.type}>
                {spec.label}
              </option>
            )}
          </For>
          <Show when={props.original && !connectionTypeSpec(props.original.type)}>
            <option value={props.original?.type} selected={props.original?.type === props.type}>
              {props.original?.type}
            </option>
          </Show>
        </select>
        <span id={`${props.id}-type-hint`} class="hint">
          Leave any field empty to fill it in later: the entry is marked “missing credentials”.
        </span>
        <Show when={dropped().length > 0}>
          <p class="notice warning connection-type-change" role="status">
            Changing the type drops the saved write-only values ({dropped().join(', ')}): enter them
            again if the new type needs them.
          </p>
        </Show>
      </div>
      <For each={specs()}>
        {(spec) => (
          <Show
            when={spec.secret}
            fallback={
              <div class="field">
                <label for={fieldId(spec.name)}>{label(spec)}</label>
                <Show
                  when={spec.choices}
                  fallback={
                    <input
                      id={fieldId(spec.name)}
                      type="text"
                      value={props.texts[spec.name] ?? ''}
                      onInput={(event) => props.onText(spec.name, event.currentTarget.value)}
                      autocomplete="off"
                      spellcheck={false}
                      autocapitalize="off"
                      aria-invalid={props.errors?.[spec.name] ? 'true' : undefined}
                      aria-describedby={
                        props.errors?.[spec.name] ? `${fieldId(spec.name)}-error` : undefined
                      }
                    />
                  }
                >
                  {(choices) => {
                    const current = () => props.texts[spec.name] ?? '';
                    // A stored value that is not a choice (written by code) stays selectable.
                    const options = () =>
                      current() === '' || choices().includes(current())
                        ? choices()
                        : [...choices(), current()];
                    return (
                      <select
                        id={fieldId(spec.name)}
                        onChange={(event) => props.onText(spec.name, event.currentTarget.value)}
                        aria-invalid={props.errors?.[spec.name] ? 'true' : undefined}
                        aria-describedby={
                          props.errors?.[spec.name] ? `${fieldId(spec.name)}-error` : undefined
                        }
                      >
                        <option value="" selected={current() === ''}>
                          Default ({choices()[0]})
                        </option>
                        <For each={options()}>
                          {(choice) => (
                            <option value={choice} selected={current() === choice}>
                              {connectionChoiceLabel(choice)}
                            </option>
                          )}
                        </For>
                      </select>
                    );
                  }}
                </Show>
                <Show when={props.errors?.[spec.name]}>
                  <span id={`${fieldId(spec.name)}-error`} class="error-text">
                    {props.errors?.[spec.name]}
                  </span>
                </Show>
              </div>
            }
          >
            <div class="connection-secret">
              <SecretField
                id={fieldId(spec.name)}
                label={label(spec)}
                value={props.texts[spec.name] ?? ''}
                onInput={(value) => props.onText(spec.name, value)}
                error={props.errors?.[spec.name]}
                placeholder={
                  hidden(spec) ? 'Saved, hidden (write-only). Type to replace.' : undefined
                }
                hint={secretHint(spec)}
              />
              <Show when={props.onWriteOnly}>
                {(onWriteOnly) => (
                  <label class="checkbox connection-write-only">
                    <input
                      type="checkbox"
                      checked={writeOnly(spec)}
                      aria-label={`Write-only (never shown again): ${spec.label}`}
                      onChange={(event) => onWriteOnly()(spec.name, event.currentTarget.checked)}
                    />
                    Write-only (never shown again)
                  </label>
                )}
              </Show>
            </div>
          </Show>
        )}
      </For>
    </>
  );
}
