import { For, Show } from 'solid-js';
import type { ConnectionValue } from '../../core/vault';
import {
  CONNECTION_TYPES,
  connectionFieldSpecs,
  connectionTypeSpec,
} from '../state/connection-types';
import { SecretField } from './SecretField';

/**
 * A connection's type and one field per credential of that type. Secret fields are masked with
 * Show/Hide; any field may stay empty, which marks the entry "missing credentials".
 */
export function ConnectionFields(props: {
  id: string;
  type: string;
  texts: Readonly<Record<string, string>>;
  /** The edited entry's connection (shape only), so its extra fields and unknown type show. */
  original?: ConnectionValue | undefined;
  errors?: Readonly<Record<string, string>> | undefined;
  onType: (type: string) => void;
  onText: (field: string, value: string) => void;
}) {
  const specs = () => connectionFieldSpecs(props.type, props.original);
  const fieldId = (name: string) => `${props.id}-field-${name.replace(/[^A-Za-z0-9_-]/g, '_')}`;
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
      </div>
      <For each={specs()}>
        {(spec) => (
          <Show
            when={spec.secret}
            fallback={
              <div class="field">
                <label for={fieldId(spec.name)}>{spec.label}</label>
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
                <Show when={props.errors?.[spec.name]}>
                  <span id={`${fieldId(spec.name)}-error`} class="error-text">
                    {props.errors?.[spec.name]}
                  </span>
                </Show>
              </div>
            }
          >
            <SecretField
              id={fieldId(spec.name)}
              label={spec.label}
              value={props.texts[spec.name] ?? ''}
              onInput={(value) => props.onText(spec.name, value)}
              error={props.errors?.[spec.name]}
            />
          </Show>
        )}
      </For>
    </>
  );
}
