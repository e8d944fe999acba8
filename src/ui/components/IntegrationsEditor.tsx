import { createEffect, createUniqueId, For, on, Show } from 'solid-js';
import type { BodyType, HttpMethod, IntegrationField } from '../../core/integrations';
import type { VaultId } from '../../core/profile';
import { useServices } from '../state/context';
import { fieldControlId, problemsAt } from '../state/integration-check';
import { httpMethodChoices, withRequest } from '../state/integration-draft';
import type { IntegrationEditor } from '../state/integration-editor';
import { vaultsFor } from '../state/vaults';
import { useWorkspace } from '../state/workspace';
import '../styles/integrations.css';
import { CodeEditor } from './CodeEditor';
import { IntegrationsAuth } from './IntegrationsAuth';
import { IntegrationsHookHelp } from './IntegrationsHookHelp';
import { IntegrationsPairs } from './IntegrationsPairs';
import { IntegrationsProblems } from './IntegrationsProblems';
import { IntegrationsRunPanel } from './IntegrationsRunPanel';
import { ReferenceInput } from './ReferenceInput';

/** Where to take the user once the editor shows: a hook's line, or a field. */
export type EditorTarget =
  | { readonly kind: 'line'; readonly hook: 'before' | 'after'; readonly line: number }
  | { readonly kind: 'field'; readonly field: IntegrationField };

const bodyTypes: readonly { readonly value: BodyType; readonly label: string }[] = [
  { value: 'none', label: 'None' },
  { value: 'json', label: 'JSON' },
  { value: 'text', label: 'Text' },
];

/**
 * The request tab of an integration: name, default vault, method and URL, auth (a connection),
 * query parameters, headers and body (which may hold references, checked as they are edited),
 * the before and after hooks, Save, and Run with its output.
 */
export function IntegrationsEditor(props: {
  editor: IntegrationEditor;
  /** Set (a new object each time) to focus a hook's line or a field; `onTargetShown` clears it. */
  target?: EditorTarget | undefined;
  onTargetShown?: () => void;
  onTarget: (target: EditorTarget) => void;
}) {
  const { app } = useServices();
  const workspace = useWorkspace();
  const vaults = vaultsFor(workspace, () => app.session());
  const prefix = `integration-${createUniqueId()}`;
  const id = (field: IntegrationField) => fieldControlId(prefix, field);
  const problemsId = (field: IntegrationField) => `${id(field)}-problems`;
  const at = (field: IntegrationField) => problemsAt(props.editor.problems(), field);
  const describedBy = (field: IntegrationField) =>
    at(field).length > 0 ? problemsId(field) : undefined;
  const draft = () => props.editor.draft();
  const failure = () => props.editor.progress()?.record?.failure;
  const errorLine = (hook: 'before' | 'after') => {
    const failed = failure();
    return failed?.hook === hook ? failed.line : undefined;
  };
  const jump = (hook: 'before' | 'after') => {
    const target = props.target;
    return target?.kind === 'line' && target.hook === hook ? { line: target.line } : undefined;
  };
  const openPermissions = (vault: VaultId | undefined) =>
    workspace.show(
      vault === undefined
        ? { name: 'integrations', id: props.editor.id, tab: 'permissions' }
        : { name: 'integrations', id: props.editor.id, tab: 'permissions', vault },
    );
  const focusField = (field: IntegrationField) => {
    const element = document.getElementById(id(field));
    element?.focus();
    element?.scrollIntoView?.({ block: 'center' });
  };

  createEffect(
    on(
      () => props.target,
      (target) => {
        if (!target || draft() === undefined) return;
        if (target.kind === 'field') focusField(target.field);
        // A line is shown by its CodeEditor (jumpTo), which is mounted by now.
        queueMicrotask(() => props.onTargetShown?.());
      },
    ),
  );

  const save = (event: SubmitEvent) => {
    event.preventDefault();
    if (props.editor.dirty() && !props.editor.saving()) void props.editor.save();
  };

  return (
    <Show
      when={draft()}
      fallback={
        <Show when={!props.editor.loadError()}>
          <p class="muted">Loading…</p>
        </Show>
      }
    >
      {(current) => (
        <>
          <form class="integration-editor" onSubmit={save} noValidate>
            <div class="field">
              <label for={`${prefix}-name`}>Name</label>
              <input
                id={`${prefix}-name`}
                type="text"
                autocomplete="off"
                spellcheck={false}
                value={current().name}
                onInput={(event) => {
                  const name = event.currentTarget.value;
                  props.editor.update((d) => ({ ...d, name }));
                }}
              />
            </div>
            <div class="field">
              <label for={id({ part: 'default-vault' })}>Default vault</label>
              <select
                id={id({ part: 'default-vault' })}
                aria-describedby={`${prefix}-vault-hint ${describedBy({ part: 'default-vault' }) ?? ''}`.trim()}
                aria-invalid={at({ part: 'default-vault' }).length > 0 ? 'true' : undefined}
                onChange={(event) => {
                  const value = event.currentTarget.value;
                  const chosen = vaults.vaults().find((vault) => vault.id === value)?.id;
                  props.editor.update((d) => ({ ...d, defaultVault: chosen }));
                }}
              >
                <option value="" selected={current().defaultVault === undefined}>
                  No default vault
                </option>
                <For each={vaults.vaults()}>
                  {(vault) => (
                    <option value={vault.id} selected={vault.id === current().defaultVault}>
                      {vault.name}
                    </option>
                  )}
                </For>
                <Show
                  when={
                    current().defaultVault !== undefined &&
                    vaults.nameOf(current().defaultVault as VaultId) === undefined
                  }
                >
                  <option value={current().defaultVault} selected>
                    A vault no longer here
                  </option>
                </Show>
              </select>
              <span id={`${prefix}-vault-hint`} class="hint">
                What{' '}
                <code>
                  @{'{'}vault.KEY{'}'}
                </code>{' '}
                and the hooks' <code>vault</code> read.
              </span>
              <IntegrationsProblems
                id={problemsId({ part: 'default-vault' })}
                problems={at({ part: 'default-vault' })}
                onPermissions={openPermissions}
              />
            </div>

            <fieldset>
              <legend>Request</legend>
              <div class="request-line">
                <div class="field request-method">
                  <label for={`${prefix}-method`}>Method</label>
                  <select
                    id={`${prefix}-method`}
                    onChange={(event) => {
                      const method = event.currentTarget.value as HttpMethod;
                      props.editor.update((d) => withRequest(d, { method }));
                    }}
                  >
                    <For each={httpMethodChoices}>
                      {(method) => (
                        <option value={method} selected={method === current().request.method}>
                          {method}
                        </option>
                      )}
                    </For>
                  </select>
                </div>
                <div class="field request-url">
                  <label for={id({ part: 'url' })}>URL</label>
                  <ReferenceInput
                    id={id({ part: 'url' })}
                    value={current().request.url}
                    placeholder="https://api.example.com/items"
                    invalid={at({ part: 'url' }).length > 0}
                    describedBy={describedBy({ part: 'url' })}
                    suggest={props.editor.suggest}
                    onInput={(url) => props.editor.update((d) => withRequest(d, { url }))}
                  />
                  <IntegrationsProblems
                    id={problemsId({ part: 'url' })}
                    problems={at({ part: 'url' })}
                    onPermissions={openPermissions}
                  />
                </div>
              </div>
              <p class="hint">
                Type <code>@{'{'}</code> to use an entry:{' '}
                <code>
                  @{'{'}vault.API_KEY{'}'}
                </code>
                ,{' '}
                <code>
                  @{'{'}vaults.my-vault.API_KEY{'}'}
                </code>
                ,{' '}
                <code>
                  @{'{'}vault["name with spaces"]{'}'}
                </code>{' '}
                or{' '}
                <code>
                  @{'{'}keep.name{'}'}
                </code>
                . Write <code>@@{'{'}</code> for a literal <code>@{'{'}</code>.
              </p>
              <IntegrationsAuth
                editor={props.editor}
                id={id({ part: 'auth' })}
                problems={at({ part: 'auth' })}
                problemsId={problemsId({ part: 'auth' })}
                vaults={vaults.vaults()}
                onPermissions={openPermissions}
              />
              <IntegrationsPairs
                editor={props.editor}
                list="query"
                noun="Query parameter"
                title="Query parameters"
                idPrefix={prefix}
                onPermissions={openPermissions}
              />
              <IntegrationsPairs
                editor={props.editor}
                list="headers"
                noun="Header"
                title="Headers"
                idPrefix={prefix}
                onPermissions={openPermissions}
              />
              <div class="field">
                <span class="label" id={`${prefix}-body-type`}>
                  Body type
                </span>
                <div class="kind-choice" role="radiogroup" aria-labelledby={`${prefix}-body-type`}>
                  <For each={bodyTypes}>
                    {(choice) => (
                      <label class="checkbox">
                        <input
                          type="radio"
                          name={`${prefix}-body-type`}
                          value={choice.value}
                          checked={current().request.body.type === choice.value}
                          onChange={() =>
                            props.editor.update((d) =>
                              withRequest(d, { body: { ...d.request.body, type: choice.value } }),
                            )
                          }
                        />
                        {choice.label}
                      </label>
                    )}
                  </For>
                </div>
              </div>
              <Show when={current().request.body.type !== 'none'}>
                <div class="field">
                  <label for={id({ part: 'body' })}>Body</label>
                  <ReferenceInput
                    id={id({ part: 'body' })}
                    multiline
                    rows={8}
                    class="mono"
                    value={current().request.body.text}
                    invalid={at({ part: 'body' }).length > 0}
                    describedBy={describedBy({ part: 'body' })}
                    suggest={props.editor.suggest}
                    onInput={(text) =>
                      props.editor.update((d) =>
                        withRequest(d, { body: { ...d.request.body, text } }),
                      )
                    }
                  />
                  <IntegrationsProblems
                    id={problemsId({ part: 'body' })}
                    problems={at({ part: 'body' })}
                    onPermissions={openPermissions}
                  />
                  <Show when={current().request.body.type === 'json'}>
                    <span class="hint">
                      A reference inside a JSON string is escaped for JSON when it is sent.
                    </span>
                  </Show>
                </div>
              </Show>
            </fieldset>

            <fieldset>
              <legend>Hooks</legend>
              <IntegrationsHookHelp />
              <div class="field">
                <label for={id({ part: 'before-hook' })}>Before hook</label>
                <CodeEditor
                  id={id({ part: 'before-hook' })}
                  label="Before hook"
                  value={current().beforeHook}
                  errorLine={errorLine('before')}
                  jumpTo={jump('before')}
                  invalid={at({ part: 'before-hook' }).length > 0}
                  describedBy={`${prefix}-code-hint ${describedBy({ part: 'before-hook' }) ?? ''}`.trim()}
                  onInput={(beforeHook) => props.editor.update((d) => ({ ...d, beforeHook }))}
                />
                <IntegrationsProblems
                  id={problemsId({ part: 'before-hook' })}
                  problems={at({ part: 'before-hook' })}
                  onPermissions={openPermissions}
                />
              </div>
              <div class="field">
                <label for={id({ part: 'after-hook' })}>After hook</label>
                <CodeEditor
                  id={id({ part: 'after-hook' })}
                  label="After hook"
                  value={current().afterHook}
                  errorLine={errorLine('after')}
                  jumpTo={jump('after')}
                  invalid={at({ part: 'after-hook' }).length > 0}
                  describedBy={`${prefix}-code-hint ${describedBy({ part: 'after-hook' }) ?? ''}`.trim()}
                  onInput={(afterHook) => props.editor.update((d) => ({ ...d, afterHook }))}
                />
                <IntegrationsProblems
                  id={problemsId({ part: 'after-hook' })}
                  problems={at({ part: 'after-hook' })}
                  onPermissions={openPermissions}
                />
              </div>
              <p id={`${prefix}-code-hint`} class="hint">
                Tab inserts two spaces; press Escape, then Tab, to move on.
              </p>
            </fieldset>

            <div class="integration-save-bar">
              <button
                type="submit"
                aria-keyshortcuts="Control+S"
                title="Save (Ctrl+S)"
                disabled={!props.editor.dirty() || props.editor.saving()}
              >
                Save
              </button>
              <span class="settings-status integration-save-status" role="status">
                {props.editor.saving()
                  ? 'Saving…'
                  : props.editor.dirty()
                    ? 'Unsaved changes'
                    : 'All changes saved'}
              </span>
              <Show when={props.editor.saveError()}>
                {(message) => (
                  <span class="error-text" role="alert">
                    {message()}
                  </span>
                )}
              </Show>
              <Show when={props.editor.checkError()}>
                {(message) => <span class="error-text">Could not check: {message()}</span>}
              </Show>
            </div>
          </form>
          <IntegrationsRunPanel
            editor={props.editor}
            onJump={(hook, line) => props.onTarget({ kind: 'line', hook, line })}
            onField={(field) => props.onTarget({ kind: 'field', field })}
            onPermissions={openPermissions}
          />
        </>
      )}
    </Show>
  );
}
