import { Match, Show, Switch } from 'solid-js';
import type { IntegrationId } from '../../core/ids';
import { useServices } from '../state/context';
import { integrationsFor } from '../state/integrations';
import { useWorkspace } from '../state/workspace';
import '../styles/integrations.css';
import { IntegrationsPane } from './IntegrationsPane';
import { IntegrationsPermissions } from './IntegrationsPermissions';

/**
 * The integrations area's main pane: the selected integration (its request and its run
 * history), the vault permissions of every integration, or a word on what integrations are.
 */
export function IntegrationsPage() {
  const { app } = useServices();
  const workspace = useWorkspace();
  // Made here too, so the list and grants load whichever pane shows first.
  integrationsFor(workspace, app);
  const view = () => {
    const current = workspace.view();
    return current.name === 'integrations' ? current : undefined;
  };
  const selected = (): IntegrationId | undefined =>
    view()?.tab === 'permissions' ? undefined : view()?.id;

  return (
    <Switch>
      <Match when={view()?.tab === 'permissions'}>
        <IntegrationsPermissions integration={view()?.id} vault={view()?.vault} />
      </Match>
      <Match when={selected()}>
        {(id) => (
          <Show when={id()} keyed>
            {(current) => <IntegrationsPane id={current} tab={view()?.tab ?? 'request'} />}
          </Show>
        )}
      </Match>
      <Match when={true}>
        <div class="empty-state">
          <h2>Choose an integration</h2>
          <p>
            An integration sends an HTTP request from this page. Its URL, headers and body may use
            vault entries such as{' '}
            <code>
              @{'{'}vault.API_KEY{'}'}
            </code>
            , and code can run before and after the request.
          </p>
        </div>
      </Match>
    </Switch>
  );
}
