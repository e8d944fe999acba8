/** What hook code can use, in a few lines above the hook editors. */
export function IntegrationsHookHelp() {
  return (
    <details class="integration-hook-help" open>
      <summary>What hooks can use</summary>
      <p>
        Hooks are JavaScript, run in a sandbox with a time limit (Settings, "Hook time limit"). The
        before hook runs before the request is sent; the after hook runs with the response.
      </p>
      <dl class="entry-meta integration-hook-api">
        <dt>
          <code>await withVault('my-vault', v =&gt; v.get('my-item'))</code>
        </dt>
        <dd>
          Opens a vault the integration may use, runs the function, and closes it again. Only one
          opener at a time: it waits while the vault is open in another tab.
        </dd>
        <dt>
          <code>v.get(name)</code>, <code>v.set(name, value)</code>, <code>v.delete(name)</code>,{' '}
          <code>v.list()</code>, <code>v.has(name)</code>
        </dt>
        <dd>Read and write entries (writing needs "Read and write" access).</dd>
        <dt>
          <code>vault.KEY</code>
        </dt>
        <dd>An entry of the default vault.</dd>
        <dt>
          <code>
            debug(value, {'{'} label {'}'})
          </code>
        </dt>
        <dd>Shows a value in the run's output, with secrets masked.</dd>
        <dt>
          <code>
            keep({'{'} name: value {'}'})
          </code>
          , <code>kept.name</code>
        </dt>
        <dd>
          Keeps a value for the other hook and for references such as{' '}
          <code>
            @{'{'}keep.name{'}'}
          </code>
          .
        </dd>
        <dt>
          <code>request</code> (before), <code>response</code> (after)
        </dt>
        <dd>The request about to be sent, and the response that arrived.</dd>
      </dl>
      <p class="hint">
        <code>await using</code> is not supported by the hook engine: use <code>withVault</code>.
      </p>
    </details>
  );
}
