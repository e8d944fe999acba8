import { createSignal, createUniqueId, For, Match, Show, Switch } from 'solid-js';
import { Portal } from 'solid-js/web';
import type { VaultId } from '../../core/ids';
import type { ConnectionField, ConnectionValue } from '../../core/vault';
import {
  connectionChoiceLabel,
  connectionFieldSpecs,
  connectionValueFromForm,
  DEFAULT_CONNECTION_TYPE,
  type WriteOnlyChoices,
} from '../state/connection-types';
import {
  type ConnectionDialogErrors,
  type ConnectionFieldSpec,
  connectionDialogErrors,
  connectionTypeName,
  fillInPatch,
  fillInSpecs,
  stillMissing,
} from '../state/integration-auth';
import { ConnectionFields } from './ConnectionFields';
import { Dialog } from './Dialog';
import { SecretField } from './SecretField';

/** A vault the new connection may go to. */
export interface VaultOption {
  readonly id: VaultId;
  readonly name: string;
}

/** "+" in the Auth control: a new connection, in any vault of the profile. */
export interface CreateConnectionProps {
  readonly mode: 'create';
  readonly vaults: readonly VaultOption[];
  /** Chosen at first (the integration's default vault), when among `vaults`. */
  readonly defaultVault: VaultId | undefined;
  /** Rejects with core's error, shown in the dialog (what was typed stays). */
  readonly onCreate: (vault: VaultId, name: string, value: ConnectionValue) => Promise<void>;
  readonly onClose: () => void;
}

/** "Fill in" from a failed run: some fields of one connection, its vault and name fixed. */
export interface FillInConnectionProps {
  readonly mode: 'fill';
  readonly name: string;
  readonly vaultName: string | undefined;
  /** Its type when known (the Auth picker lists it); else the missing fields are shown. */
  readonly type: string | undefined;
  readonly missing: readonly string[];
  /** Gets the fields typed (the others keep what they hold); rejects with core's error. */
  readonly onFill: (fields: Record<string, ConnectionField>) => Promise<void>;
  readonly onClose: () => void;
}

/**
 * A connection's credentials, typed in a dialog: a new connection ("Add connection", or
 * "Create an empty connection" to fill in later), or the fields a run found empty ("Fill in").
 * Secrets are masked inputs, and what is typed is sent to core only: never shown elsewhere.
 */
export function ConnectionDialog(props: CreateConnectionProps | FillInConnectionProps) {
  // Out of the page's tree: the Auth control that opens it sits inside the editor's form, and a
  // form inside it would submit (and bubble a submit to) that form too.
  // The mode is fixed for a dialog's life (its owner shows another dialog for another use).
  return (
    <Portal>
      {props.mode === 'create' ? <CreateConnection {...props} /> : <FillInConnection {...props} />}
    </Portal>
  );
}

/** The dialog's own error, above its buttons (announced). */
function FormError(props: { message: string | undefined }) {
  return (
    <Show when={props.message}>
      {(message) => (
        <p class="error-text" role="alert">
          {message()}
        </p>
      )}
    </Show>
  );
}

function CreateConnection(props: CreateConnectionProps) {
  const id = `connection-${createUniqueId()}`;
  const firstVault = () =>
    props.vaults.find((vault) => vault.id === props.defaultVault)?.id ?? props.vaults[0]?.id;
  const [vault, setVault] = createSignal<VaultId | undefined>(firstVault());
  const [name, setName] = createSignal('');
  const [type, setType] = createSignal(DEFAULT_CONNECTION_TYPE);
  const [texts, setTexts] = createSignal<Readonly<Record<string, string>>>({});
  const [writeOnly, setWriteOnly] = createSignal<WriteOnlyChoices>({});
  const [errors, setErrors] = createSignal<ConnectionDialogErrors>({});
  const [busy, setBusy] = createSignal(false);

  const create = async (empty: boolean) => {
    if (busy()) return;
    const chosen = vault();
    const trimmed = name().trim();
    if (chosen === undefined) return setErrors({ form: 'There is no vault to add it to.' });
    if (trimmed === '') return setErrors({ name: 'Give the connection a name.' });
    const specs = connectionFieldSpecs(type());
    const value = connectionValueFromForm(type(), specs, empty ? {} : texts(), writeOnly());
    setBusy(true);
    setErrors({});
    try {
      await props.onCreate(chosen, trimmed, value);
    } catch (error) {
      setErrors(connectionDialogErrors(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog open title="New connection" onClose={props.onClose} class="connection-dialog">
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void create(false);
        }}
        noValidate
        data-testid="connection-dialog"
      >
        <div class="field">
          <label for={`${id}-vault`}>Vault</label>
          <select
            id={`${id}-vault`}
            onChange={(event) => {
              const value = event.currentTarget.value;
              setVault(props.vaults.find((candidate) => candidate.id === value)?.id);
            }}
          >
            <For each={props.vaults}>
              {(option) => (
                <option value={option.id} selected={option.id === vault()}>
                  {option.name}
                </option>
              )}
            </For>
          </select>
          <span class="hint">
            The integration uses it only if it may read this vault (Vault permissions).
          </span>
        </div>
        <div class="field">
          <label for={`${id}-name`}>Connection name</label>
          <input
            id={`${id}-name`}
            type="text"
            autocomplete="off"
            spellcheck={false}
            autocapitalize="off"
            value={name()}
            aria-invalid={errors().name ? 'true' : undefined}
            aria-describedby={errors().name ? `${id}-name-error` : undefined}
            onInput={(event) => {
              setName(event.currentTarget.value);
              setErrors(({ name: _gone, ...rest }) => rest);
            }}
            autofocus
          />
          <Show when={errors().name}>
            {(message) => (
              <span id={`${id}-name-error`} class="error-text" role="alert">
                {message()}
              </span>
            )}
          </Show>
        </div>
        <ConnectionFields
          id={id}
          type={type()}
          texts={texts()}
          errors={errors().fields}
          onType={setType}
          onText={(field, value) => setTexts((current) => ({ ...current, [field]: value }))}
          writeOnly={writeOnly()}
          onWriteOnly={(field, value) =>
            setWriteOnly((current) => ({ ...current, [field]: value }))
          }
        />
        <FormError message={errors().form} />
        <div class="dialog-actions">
          <button type="button" class="secondary" onClick={() => props.onClose()}>
            Cancel
          </button>
          <button
            type="button"
            class="secondary"
            disabled={busy()}
            onClick={() => void create(true)}
          >
            Create an empty connection
          </button>
          <button type="submit" disabled={busy()}>
            Add connection
          </button>
        </div>
      </form>
    </Dialog>
  );
}

/** One field of "Fill in": masked when secret, a list when it is a choice, text otherwise. */
function FillInField(props: {
  id: string;
  spec: ConnectionFieldSpec;
  value: string;
  missing: boolean;
  error: string | undefined;
  onInput: (value: string) => void;
}) {
  const hint = () => (props.missing ? 'Missing: the run needs it.' : 'Leave empty to keep it.');
  return (
    <Switch
      fallback={
        <div class="field">
          <label for={props.id}>{props.spec.label}</label>
          <input
            id={props.id}
            type="text"
            autocomplete="off"
            spellcheck={false}
            autocapitalize="off"
            value={props.value}
            aria-invalid={props.error ? 'true' : undefined}
            aria-describedby={`${props.id}-hint${props.error ? ` ${props.id}-error` : ''}`}
            onInput={(event) => props.onInput(event.currentTarget.value)}
          />
          <Show when={props.error}>
            <span id={`${props.id}-error`} class="error-text">
              {props.error}
            </span>
          </Show>
          <span id={`${props.id}-hint`} class="hint">
            {hint()}
          </span>
        </div>
      }
    >
      <Match when={props.spec.secret}>
        <SecretField
          id={props.id}
          label={props.spec.label}
          value={props.value}
          hint={hint()}
          error={props.error}
          onInput={props.onInput}
        />
      </Match>
      <Match when={props.spec.choices}>
        {(choices) => (
          <div class="field">
            <label for={props.id}>{props.spec.label}</label>
            <select id={props.id} onChange={(event) => props.onInput(event.currentTarget.value)}>
              <option value="" selected={props.value === ''}>
                Keep as it is
              </option>
              <For each={choices()}>
                {(choice) => (
                  <option value={choice} selected={choice === props.value}>
                    {connectionChoiceLabel(choice)}
                  </option>
                )}
              </For>
            </select>
          </div>
        )}
      </Match>
    </Switch>
  );
}

function FillInConnection(props: FillInConnectionProps) {
  const id = `connection-${createUniqueId()}`;
  const specs = () => fillInSpecs(props.type, props.missing);
  const [texts, setTexts] = createSignal<Readonly<Record<string, string>>>({});
  const [errors, setErrors] = createSignal<ConnectionDialogErrors>({});
  const [busy, setBusy] = createSignal(false);
  const patch = () => fillInPatch(specs(), texts());
  const labelOf = (field: string) => specs().find((spec) => spec.name === field)?.label ?? field;
  const left = () => stillMissing(props.type, props.missing, patch()).map(labelOf);
  const fieldId = (name: string) => `${id}-field-${name.replace(/[^A-Za-z0-9_-]/g, '_')}`;

  const save = async (event: SubmitEvent) => {
    event.preventDefault();
    if (busy()) return;
    const fields = patch();
    if (Object.keys(fields).length === 0)
      return setErrors({ form: 'Type at least one field to save.' });
    setBusy(true);
    setErrors({});
    try {
      await props.onFill(fields);
    } catch (error) {
      setErrors(connectionDialogErrors(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog open title={`Fill in ${props.name}`} onClose={props.onClose} class="connection-dialog">
      <form onSubmit={save} noValidate data-testid="connection-fill-in-dialog">
        <p class="hint">
          <Show when={props.vaultName}>
            {(vaultName) => (
              <>
                In vault <strong class="vault-name-literal">{vaultName()}</strong>
                {props.type === undefined ? '. ' : ', '}
              </>
            )}
          </Show>
          <Show when={props.type}>{(type) => <>{connectionTypeName(type())}. </>}</Show>
          Only the fields typed here are saved; the others keep what they hold.
        </p>
        <For each={specs()}>
          {(spec) => (
            <FillInField
              id={fieldId(spec.name)}
              spec={spec}
              value={texts()[spec.name] ?? ''}
              missing={props.missing.includes(spec.name)}
              error={errors().fields?.[spec.name]}
              onInput={(value) => setTexts((current) => ({ ...current, [spec.name]: value }))}
            />
          )}
        </For>
        <Show when={left().length > 0 && Object.keys(patch()).length > 0}>
          <p class="hint">
            Still empty: {left().join(', ')}. Runs stop at this connection until{' '}
            {left().length === 1 ? 'it is' : 'they are'} filled in.
          </p>
        </Show>
        <FormError message={errors().form ?? errors().name} />
        <div class="dialog-actions">
          <button type="button" class="secondary" onClick={() => props.onClose()}>
            Cancel
          </button>
          <button type="submit" disabled={busy()}>
            Save
          </button>
        </div>
      </form>
    </Dialog>
  );
}
