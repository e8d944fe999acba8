import { createMemo, createSignal, For, onMount, Show } from 'solid-js';
import type { EntryKind } from '../../core/vault';
import {
  checkEntryForm,
  type EntryForm as EntryFormState,
  type EntryOrigin,
  type FormErrors,
  keepsWriteOnlyValue,
  saveEntryForm,
} from '../state/entry-form';
import { KIND_LABELS } from '../state/entry-view';
import { nameProblem, nameRuleHint } from '../state/field-checks';
import type { OpenVault } from '../state/open-vault';
import { ConnectionFields } from './ConnectionFields';
import { JsonEditor } from './JsonEditor';
import { PasswordGenerator } from './PasswordGenerator';
import { SecretField } from './SecretField';
import '../styles/entries.css';

const kinds: readonly EntryKind[] = ['item', 'secret', 'connection'];

/**
 * The fields of the entry dialog: kind, name (checked as typed against the vault's naming
 * style) and the value for the kind. A failed save keeps everything as typed and puts each
 * error next to its field, or at the top.
 */
export function EntryForm(props: {
  vault: OpenVault;
  initial: EntryFormState;
  /** The entry being edited; absent when creating. */
  origin?: EntryOrigin | undefined;
  onCancel: () => void;
  onSaved: (name: string) => void;
}) {
  const id = `entry-form-${Math.random().toString(36).slice(2)}`;
  let formElement!: HTMLFormElement;
  let nameInput!: HTMLInputElement;
  const [form, setForm] = createSignal<EntryFormState>(props.initial);
  // Untouched, an empty name is not an error yet: it shows once typed in or on Save. (Not on
  // blur: the message appearing under the field would move what the user is clicking.)
  // A save is one change (name, kind and value together), so the origin never moves.
  const origin = () => props.origin;
  const [saveErrors, setSaveErrors] = createSignal<FormErrors>({});
  const [nameTouched, setNameTouched] = createSignal(props.origin !== undefined);
  const [submitted, setSubmitted] = createSignal(false);
  const [busy, setBusy] = createSignal(false);
  const [generatorOpen, setGeneratorOpen] = createSignal(false);
  const update = (patch: Partial<EntryFormState>) => {
    setForm({ ...form(), ...patch });
    // What the user changes may fix what the last save refused: recheck as they type instead.
    setSaveErrors({});
  };
  const checks = createMemo(() => checkEntryForm(form(), origin(), props.vault.nameStyle()));
  const liveName = createMemo(() =>
    nameTouched() || submitted() ? nameProblem(form().name, props.vault.nameStyle()) : null,
  );
  const nameError = () => liveName()?.message ?? saveErrors().name;
  const valueError = () => (submitted() ? checks().value : undefined) ?? saveErrors().value;
  const editingWriteOnly = () =>
    origin()?.kind === 'secret' && origin()?.writeOnly === true && form().kind === 'secret';

  onMount(() => nameInput.focus());

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    if (busy()) return;
    setSubmitted(true);
    setBusy(true);
    const outcome = await saveEntryForm(props.vault, form(), origin());
    setBusy(false);
    if (outcome.ok) {
      props.onSaved(outcome.name);
      return;
    }
    setSaveErrors(outcome.errors);
    // Keyboard and screen-reader users land on the first field to fix.
    queueMicrotask(() => {
      const invalid = formElement.querySelector<HTMLElement>('[aria-invalid="true"]');
      if (invalid) invalid.focus();
    });
  };

  return (
    <form ref={formElement} onSubmit={submit} noValidate class="entry-form">
      <Show when={saveErrors().form}>
        <p class="notice danger" role="alert">
          {saveErrors().form}
        </p>
      </Show>
      <div class="field">
        <label for={`${id}-name`}>Name</label>
        <input
          ref={nameInput}
          id={`${id}-name`}
          type="text"
          value={form().name}
          onInput={(event) => {
            setNameTouched(true);
            update({ name: event.currentTarget.value });
          }}
          autocomplete="off"
          spellcheck={false}
          autocapitalize="off"
          aria-invalid={nameError() ? 'true' : undefined}
          aria-describedby={nameError() ? `${id}-name-error ${id}-name-hint` : `${id}-name-hint`}
        />
        <Show when={nameError()}>
          <span id={`${id}-name-error`} class="error-text">
            {nameError()}
          </span>
        </Show>
        <Show when={liveName()?.suggestion}>
          {(suggestion) => (
            <button
              type="button"
              class="secondary small name-suggestion"
              onClick={() => update({ name: suggestion() })}
            >
              Use {suggestion()}
            </button>
          )}
        </Show>
        <span id={`${id}-name-hint`} class="hint">
          {nameRuleHint(props.vault.nameStyle())}
        </span>
      </div>

      <div class="field">
        <span id={`${id}-kind`} class="label">
          Kind
        </span>
        <div class="kind-choice" role="radiogroup" aria-labelledby={`${id}-kind`}>
          <For each={kinds}>
            {(kind) => (
              <label class="checkbox">
                <input
                  type="radio"
                  name={`${id}-kind`}
                  value={kind}
                  checked={form().kind === kind}
                  onChange={() => update({ kind })}
                />
                {KIND_LABELS[kind]}
              </label>
            )}
          </For>
        </div>
      </div>

      <Show when={form().kind === 'item'}>
        <JsonEditor
          id={`${id}-item`}
          label="Value (JSON)"
          value={form().itemText}
          onInput={(itemText) => update({ itemText })}
          error={saveErrors().value}
        />
      </Show>

      <Show when={form().kind === 'secret'}>
        <Show when={editingWriteOnly()}>
          <p class="notice">This secret is write-only: its value cannot be shown.</p>
        </Show>
        <SecretField
          id={`${id}-secret`}
          label="Secret value"
          value={form().secretText}
          onInput={(secretText) => update({ secretText })}
          error={valueError()}
          placeholder={editingWriteOnly() ? 'Unchanged' : undefined}
          hint={
            editingWriteOnly()
              ? 'Enter a new value to replace it, or leave the field empty to keep the current one.'
              : form().secretIsJson
                ? 'This secret holds JSON: what you enter is read as JSON.'
                : undefined
          }
        />
        <div class="field">
          <button
            type="button"
            class="secondary small"
            aria-expanded={generatorOpen()}
            aria-controls={`${id}-generator`}
            onClick={() => setGeneratorOpen(!generatorOpen())}
          >
            {generatorOpen() ? 'Hide password generator' : 'Generate a password'}
          </button>
        </div>
        <Show when={generatorOpen()}>
          <div id={`${id}-generator`}>
            <PasswordGenerator
              id={`${id}-generator-form`}
              onUse={(password) => {
                update({ secretText: password, secretIsJson: false });
                setGeneratorOpen(false);
              }}
            />
          </div>
        </Show>
        <label class="checkbox">
          <input
            type="checkbox"
            checked={form().writeOnly}
            onChange={(event) => update({ writeOnly: event.currentTarget.checked })}
          />
          Write-only (can be replaced, never shown again)
        </label>
        <Show when={keepsWriteOnlyValue(form(), origin()) && !form().writeOnly}>
          <span class="hint">
            The current value stays write-only: enter a new value to make the secret readable.
          </span>
        </Show>
      </Show>

      <Show when={form().kind === 'connection'}>
        <ConnectionFields
          id={`${id}-connection`}
          type={form().connectionType}
          texts={form().connectionTexts}
          original={origin()?.connection}
          errors={saveErrors().fields}
          onType={(connectionType) => update({ connectionType })}
          onText={(field, text) =>
            update({ connectionTexts: { ...form().connectionTexts, [field]: text } })
          }
          writeOnly={form().connectionWriteOnly}
          onWriteOnly={(field, writeOnly) =>
            update({ connectionWriteOnly: { ...form().connectionWriteOnly, [field]: writeOnly } })
          }
        />
      </Show>

      <div class="dialog-actions">
        <button type="button" class="secondary" onClick={() => props.onCancel()}>
          Cancel
        </button>
        <button type="submit" disabled={busy()} aria-busy={busy()}>
          Save
        </button>
      </div>
    </form>
  );
}
