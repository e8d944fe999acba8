import {
  createSignal,
  createUniqueId,
  For,
  Match,
  onCleanup,
  onMount,
  Show,
  Switch,
} from 'solid-js';
import type { IntegrationId } from '../../core/ids';
import { useServices } from '../state/context';
import { describeIntegrationError, integrationsFor } from '../state/integrations';
import { type IntegrationsTab, useWorkspace, type WorkspaceView } from '../state/workspace';
import '../styles/integrations.css';
import { ErrorAlert } from './ErrorAlert';
import { IntegrationsConfirmDialog } from './IntegrationsConfirmDialog';
import { type EditorTarget, IntegrationsEditor } from './IntegrationsEditor';
import { IntegrationsHistory } from './IntegrationsHistory';
import { IntegrationsLeaveDialog } from './IntegrationsLeaveDialog';
import { IntegrationsNameDialog } from './IntegrationsNameDialog';
import { PaneHead } from './PaneHead';

const tabs: readonly { readonly tab: 'request' | 'history'; readonly label: string }[] = [
  { tab: 'request', label: 'Request' },
  { tab: 'history', label: 'History' },
];

/**
 * One integration: its name and actions (rename, duplicate, delete), and two tabs, Request (the
 * editor and the run) and History. Unsaved changes are kept across the tabs; leaving the
 * integration with some asks first, Ctrl+S (Cmd+S) saves them, and closing the tab warns.
 */
export function IntegrationsPane(props: { id: IntegrationId; tab: IntegrationsTab }) {
  const { app } = useServices();
  const workspace = useWorkspace();
  const integrations = integrationsFor(workspace, app);
  const editor = integrations.editor(props.id);
  const tabIds = { request: createUniqueId(), history: createUniqueId() };
  const panelIds = { request: createUniqueId(), history: createUniqueId() };
  const [asking, setAsking] = createSignal<'rename' | 'delete' | undefined>();
  const [leaving, setLeaving] = createSignal<WorkspaceView | undefined>();
  // A hook line or a field to show in the request tab (from a run's failure, here or in history).
  const [target, setTarget] = createSignal<EditorTarget | undefined>();
  const name = () => editor.saved()?.name ?? integrations.nameOf(props.id) ?? '';
  const tab = () => (props.tab === 'history' ? 'history' : 'request');

  // Leaving this integration (another one, the vaults, settings) with unsaved changes asks.
  const stopGuarding = workspace.guardLeaving((next) => {
    if (!editor.dirty()) return true;
    if (next.name === 'integrations' && next.id === props.id) return true;
    setLeaving(next);
    return false;
  });
  const onBeforeUnload = (event: BeforeUnloadEvent) => {
    if (editor.dirty()) event.preventDefault();
  };
  const onKey = (event: KeyboardEvent) => {
    if ((event.ctrlKey || event.metaKey) && !event.shiftKey && event.key.toLowerCase() === 's') {
      event.preventDefault();
      if (editor.dirty() && !editor.saving()) void editor.save();
    }
  };
  onMount(() => {
    window.addEventListener('beforeunload', onBeforeUnload);
    document.addEventListener('keydown', onKey);
  });
  onCleanup(() => {
    stopGuarding();
    window.removeEventListener('beforeunload', onBeforeUnload);
    document.removeEventListener('keydown', onKey);
  });

  const showTab = (next: IntegrationsTab) =>
    workspace.show({ name: 'integrations', id: props.id, tab: next });
  const onTabKey = (event: KeyboardEvent) => {
    if (!['ArrowLeft', 'ArrowRight', 'Home', 'End'].includes(event.key)) return;
    event.preventDefault();
    const next =
      event.key === 'Home'
        ? 'request'
        : event.key === 'End'
          ? 'history'
          : tab() === 'request'
            ? 'history'
            : 'request';
    showTab(next);
    document.getElementById(tabIds[next])?.focus();
  };

  const duplicate = async () => {
    const copy = await integrations.duplicate(props.id);
    workspace.show({ name: 'integrations', id: copy.id, tab: 'request' });
  };
  const [duplicateError, setDuplicateError] = createSignal<string | undefined>();

  return (
    <section class="integration-pane" aria-labelledby="integration-pane-title">
      <PaneHead
        titleId="integration-pane-title"
        name={name()}
        actionsLabel="Integration actions"
        badge={
          <Show when={editor.dirty()}>
            <span class="badge warning">Unsaved changes</span>
          </Show>
        }
      >
        <div class="button-row">
          <button type="button" class="secondary small" onClick={() => setAsking('rename')}>
            Rename…
          </button>
          <button
            type="button"
            class="secondary small"
            onClick={() => {
              setDuplicateError(undefined);
              duplicate().catch((error: unknown) =>
                setDuplicateError(`Could not duplicate: ${describeIntegrationError(error)}`),
              );
            }}
          >
            Duplicate
          </button>
          <button type="button" class="secondary small" onClick={() => setAsking('delete')}>
            Delete…
          </button>
        </div>
        <ErrorAlert message={duplicateError()} />
      </PaneHead>
      <ErrorAlert message={editor.loadError()} class="notice danger" />

      <div class="integration-tabs" role="tablist" aria-label="Integration">
        <For each={tabs}>
          {(item) => (
            <button
              type="button"
              role="tab"
              id={tabIds[item.tab]}
              class="quiet"
              aria-selected={tab() === item.tab}
              aria-controls={panelIds[item.tab]}
              tabindex={tab() === item.tab ? 0 : -1}
              onClick={() => showTab(item.tab)}
              onKeyDown={onTabKey}
            >
              {item.label}
            </button>
          )}
        </For>
      </div>
      <Switch>
        <Match when={tab() === 'request'}>
          <div role="tabpanel" id={panelIds.request} aria-labelledby={tabIds.request}>
            <IntegrationsEditor
              editor={editor}
              target={target()}
              onTargetShown={() => setTarget(undefined)}
              onTarget={(next) => setTarget({ ...next })}
            />
          </div>
        </Match>
        <Match when={tab() === 'history'}>
          <div role="tabpanel" id={panelIds.history} aria-labelledby={tabIds.history}>
            <IntegrationsHistory
              history={integrations.history(props.id)}
              name={name()}
              onTarget={(next) => {
                setTarget({ ...next });
                showTab('request');
              }}
              onPermissions={(vault) =>
                workspace.show(
                  vault === undefined
                    ? { name: 'integrations', id: props.id, tab: 'permissions' }
                    : { name: 'integrations', id: props.id, tab: 'permissions', vault },
                )
              }
            />
          </div>
        </Match>
      </Switch>

      <Show when={asking() === 'rename'}>
        <IntegrationsNameDialog
          title="Rename integration"
          submitLabel="Rename"
          existing={integrations.list()}
          current={{ id: props.id, name: name() }}
          onClose={() => setAsking(undefined)}
          onSubmit={async (newName) => {
            await integrations.rename(props.id, newName);
            setAsking(undefined);
          }}
        />
      </Show>
      <Show when={asking() === 'delete'}>
        <IntegrationsConfirmDialog
          title="Delete integration"
          confirmLabel="Delete integration"
          onClose={() => setAsking(undefined)}
          onConfirm={async () => {
            await integrations.remove(props.id);
            setAsking(undefined);
            stopGuarding();
            workspace.show({ name: 'integrations' });
          }}
        >
          <p>
            This deletes the integration <strong class="vault-name-literal">{name()}</strong>, with
            its run history and its vault permissions. It cannot be undone. The vaults and their
            entries are not changed.
          </p>
        </IntegrationsConfirmDialog>
      </Show>
      <Show when={leaving()}>
        {(next) => (
          <IntegrationsLeaveDialog
            name={name()}
            saving={editor.saving()}
            error={editor.saveError()}
            onStay={() => setLeaving(undefined)}
            onDiscard={() => {
              const target = next();
              editor.discard();
              setLeaving(undefined);
              workspace.show(target);
            }}
            onSave={async () => {
              const target = next();
              if (await editor.save()) {
                setLeaving(undefined);
                workspace.show(target);
              }
            }}
          />
        )}
      </Show>
    </section>
  );
}
