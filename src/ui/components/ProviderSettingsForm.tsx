import { createEffect, createSignal, Match, on, onCleanup, Show, Switch } from 'solid-js';
import type { ProviderSettings } from '../../core/providers';
import { useServices } from '../state/context';
import {
  hasSavedSecret,
  type ProviderField,
  type ProviderFieldErrors,
  type ProviderForm,
  type ProviderSecretField,
  providerFormFrom,
  settingsFromProviderForm,
  showsSaved,
} from '../state/provider-form';
import { awsIamPolicy } from '../state/provider-policies';
import {
  createProviderTest,
  providersOf,
  saveFailure,
  saveProviderForm,
} from '../state/provider-settings';
import { mixedContentWarning } from '../state/provider-settings-text';
import '../styles/providers.css';
import { ProviderSecretInput } from './ProviderSecretInput';
import { ProviderSnippet } from './ProviderSnippet';
import { ProviderTestResult } from './ProviderTestResult';
import { ProviderTextField } from './ProviderTextField';

/**
 * The settings of one outside secrets manager: the provider (HashiCorp Vault or AWS Secrets
 * Manager), its address or region, and the credentials, with Test connection, Save and (with
 * `onClear`) Remove. Used for the profile's default and for a vault's own override.
 *
 * Saved credentials never come back into the page: their fields show "Saved" and Replace, and
 * saving keeps them unless replaced. Test connection tests what the form holds now (saved
 * credentials included), without saving it.
 */
export function ProviderSettingsForm(props: {
  /** What is saved now (undefined: nothing). */
  value: ProviderSettings | undefined;
  onSave: (settings: ProviderSettings) => Promise<void>;
  /** Removes what is saved; without it there is no Remove button. */
  onClear?: () => Promise<void>;
  saveLabel?: string;
  /** The Remove button's words (default "Remove default"). */
  clearLabel?: string;
  /** What removing does, asked before it is done (default: a sentence fit for any settings). */
  clearConfirm?: string;
  /** Prefix of every element id, unique on the page. */
  idPrefix: string;
}) {
  const { app } = useServices();
  const pageOrigin = globalThis.location?.origin ?? '';
  const [form, setForm] = createSignal<ProviderForm>(providerFormFrom(props.value));
  const [errors, setErrors] = createSignal<ProviderFieldErrors>({});
  const [status, setStatus] = createSignal<{ ok: boolean; text: string } | undefined>();
  const [busy, setBusy] = createSignal(false);
  const [confirmClear, setConfirmClear] = createSignal(false);
  const test = createProviderTest(() => providersOf(app.session()));
  onCleanup(() => test.cancel());
  const id = (name: string) => `${props.idPrefix}-${name}`;
  const clearLabel = () => props.clearLabel ?? 'Remove default';
  const confirmLabel = () => `Yes, ${clearLabel().charAt(0).toLowerCase()}${clearLabel().slice(1)}`;

  // What is saved changed (saved here, or loaded late): the form starts again from it.
  createEffect(
    on(
      () => props.value,
      (value) => {
        setForm(providerFormFrom(value));
        setErrors({});
      },
      { defer: true },
    ),
  );

  const update = (patch: Partial<ProviderForm>) => {
    setForm({ ...form(), ...patch });
    const cleared = { ...errors() };
    for (const key of Object.keys(patch)) delete cleared[key as ProviderField];
    setErrors(cleared);
    setStatus(undefined);
    setConfirmClear(false);
    test.clear();
  };
  const text = (field: Exclude<keyof ProviderForm, 'keep' | 'kind' | 'authMethod'>) => ({
    id: id(field),
    value: form()[field],
    error: errors()[field],
    onInput: (value: string) => update({ [field]: value }),
  });
  const secret = (field: ProviderSecretField) => ({
    id: id(field),
    value: form()[field],
    error: errors()[field],
    saved: showsSaved(props.value, field, form()),
    hasSaved: hasSavedSecret(props.value, field, form()),
    onInput: (value: string) => update({ [field]: value }),
    onReplace: () => {
      update({ keep: { ...form().keep, [field]: false }, [field]: '' });
      // The input appears in place of the button: move there so typing can start.
      queueMicrotask(() => document.getElementById(id(field))?.focus());
    },
    onKeep: () => {
      update({ keep: { ...form().keep, [field]: true }, [field]: '' });
      queueMicrotask(() => document.getElementById(`${id(field)}-replace`)?.focus());
    },
  });

  const focusFirst = (found: ProviderFieldErrors) => {
    const first = Object.keys(found)[0];
    if (first) document.getElementById(id(first))?.focus();
  };
  /** The settings the form describes, or undefined after showing what is wrong. */
  const build = (): ProviderSettings | undefined => {
    const built = settingsFromProviderForm(form(), props.value);
    if (built.errors) {
      setErrors(built.errors);
      setStatus({ ok: false, text: 'Check the fields marked above.' });
      focusFirst(built.errors);
      return undefined;
    }
    setErrors({});
    return built.settings;
  };

  const save = async (event: SubmitEvent) => {
    event.preventDefault();
    if (busy()) return;
    setBusy(true);
    try {
      const done = await saveProviderForm(form(), props.value, props.onSave);
      if (done.ok) {
        setStatus({ ok: true, text: 'Saved.' });
        return;
      }
      setErrors(done.errors);
      setStatus({ ok: false, text: done.text });
      focusFirst(done.errors);
    } finally {
      setBusy(false);
    }
  };
  const runTest = () => {
    const settings = build();
    if (settings) void test.run(settings);
  };
  const clear = async () => {
    if (!props.onClear || busy()) return;
    setBusy(true);
    try {
      await props.onClear();
      setConfirmClear(false);
      setStatus({ ok: true, text: 'Removed.' });
    } catch (error) {
      setStatus({ ok: false, text: saveFailure(error).text });
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="provider-form" onSubmit={save}>
      <fieldset class="provider-choice">
        <legend>Provider</legend>
        <label class="checkbox">
          <input
            type="radio"
            name={id('kind')}
            value="hashicorp"
            checked={form().kind === 'hashicorp'}
            onChange={() =>
              update({ kind: 'hashicorp', enginePath: form().enginePath || 'secret' })
            }
          />
          HashiCorp Vault (or OpenBao)
        </label>
        <label class="checkbox">
          <input
            type="radio"
            name={id('kind')}
            value="aws"
            checked={form().kind === 'aws'}
            onChange={() => update({ kind: 'aws' })}
          />
          AWS Secrets Manager
        </label>
      </fieldset>

      <Switch>
        <Match when={form().kind === 'hashicorp'}>
          <ProviderTextField
            {...text('address')}
            label="Address"
            inputMode="url"
            placeholder="https://vault.example.com:8200"
            warning={mixedContentWarning(form().address, pageOrigin)}
            hint="The server's origin, with no path: Coffer adds /v1/…"
          />
          <ProviderTextField
            {...text('namespace')}
            label="Namespace (optional)"
            placeholder="admin/team-a"
            hint="For Vault Enterprise, HCP Vault or OpenBao namespaces. It is sent in the path, so the server needs no extra CORS header."
          />
          <ProviderTextField
            {...text('enginePath')}
            label="Engine path"
            placeholder="secret"
            hint="The KV secrets engine's mount, with folders under it if you like: secret, kv/team. KV version 1 or 2 is detected."
          />
          <fieldset class="provider-choice">
            <legend>Authentication</legend>
            <label class="checkbox">
              <input
                type="radio"
                name={id('auth')}
                value="token"
                checked={form().authMethod === 'token'}
                onChange={() => update({ authMethod: 'token' })}
              />
              Token
            </label>
            <label class="checkbox">
              <input
                type="radio"
                name={id('auth')}
                value="approle"
                checked={form().authMethod === 'approle'}
                onChange={() => update({ authMethod: 'approle' })}
              />
              AppRole
            </label>
            <Show
              when={form().authMethod === 'approle'}
              fallback={
                <ProviderSecretInput
                  {...secret('token')}
                  label="Token"
                  hint="A token whose policy allows the engine path (see Test connection for what it needs)."
                />
              }
            >
              <ProviderTextField {...text('roleId')} label="Role ID" />
              <ProviderSecretInput {...secret('secretId')} label="Secret ID" />
              <ProviderTextField
                {...text('approleMount')}
                label="AppRole mount (optional)"
                placeholder="approle"
                hint="Where AppRole is mounted, if your operator chose another path than approle."
              />
            </Show>
          </fieldset>
        </Match>
        <Match when={form().kind === 'aws'}>
          <ProviderTextField
            {...text('region')}
            label="Region"
            placeholder="eu-west-1"
            hint="The region code, such as us-east-1."
          />
          <ProviderTextField
            {...text('endpoint')}
            label="Endpoint override (optional)"
            inputMode="url"
            placeholder="http://localhost:4566"
            warning={mixedContentWarning(form().endpoint, pageOrigin)}
            hint="For LocalStack or a VPC endpoint. Empty: AWS's own endpoint for the region."
          />
          <ProviderTextField {...text('accessKeyId')} label="Access key ID" />
          <ProviderSecretInput {...secret('secretAccessKey')} label="Secret access key" />
          <ProviderSecretInput
            {...secret('sessionToken')}
            label="Session token (optional)"
            hint="Only for temporary credentials (from STS or SSO). Replace and leave it empty to remove it."
          />
          <div class="notice provider-note">
            <p>
              A browser has no AWS profiles or default credential chain: use an access key, ideally
              of a user whose policy allows only secretsmanager:ListSecrets, GetSecretValue,
              PutSecretValue, CreateSecret, UpdateSecretVersionStage, DescribeSecret, DeleteSecret
              and RestoreSecret on your prefix.
            </p>
            <details>
              <summary>IAM policy to copy</summary>
              <ProviderSnippet
                label="IAM policy (replace <account-id> and <prefix>)"
                text={awsIamPolicy(form().region.trim() || undefined)}
              />
            </details>
          </div>
        </Match>
      </Switch>

      <p class="hint provider-sealed">
        Credentials are sealed with your passphrase like every value, and go only to this provider:
        never through Coffer's server.
      </p>
      <details class="provider-details">
        <summary>Certificates and http</summary>
        <p>
          The browser checks the server's TLS certificate; Coffer cannot skip that. A self-signed
          certificate must be trusted by the system or the browser first: open the address once in
          this browser and accept it, or install your CA.
        </p>
        <p>
          An https page cannot call an http address (mixed content). Use https, or run Coffer over
          http on localhost.
        </p>
      </details>

      <div class="button-row">
        <button
          type="button"
          class="secondary"
          disabled={test.outcome()?.state === 'running'}
          onClick={runTest}
        >
          Test connection
        </button>
        <button type="submit" disabled={busy()}>
          {props.saveLabel ?? 'Save'}
        </button>
        <Show when={props.onClear && props.value}>
          <button
            type="button"
            class="secondary"
            disabled={busy()}
            onClick={() => setConfirmClear(true)}
          >
            {clearLabel()}
          </button>
        </Show>
      </div>
      <Show when={confirmClear()}>
        <div class="notice warning" role="alert">
          <p>
            {props.clearConfirm ??
              'Remove these settings and their saved credentials from Coffer? Nothing is deleted at the provider.'}
          </p>
          <div class="button-row">
            <button type="button" class="danger" disabled={busy()} onClick={() => void clear()}>
              {confirmLabel()}
            </button>
            <button type="button" class="secondary" onClick={() => setConfirmClear(false)}>
              Cancel
            </button>
          </div>
        </div>
      </Show>
      <p
        id={id('status')}
        class={status()?.ok === false ? 'error-text' : 'settings-status'}
        role="status"
      >
        {status()?.text}
      </p>
      <ProviderTestResult
        outcome={test.outcome()}
        pageOrigin={pageOrigin}
        onCancel={() => test.cancel()}
      />
    </form>
  );
}
