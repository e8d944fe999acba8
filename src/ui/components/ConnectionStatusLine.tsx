import { createSignal, onCleanup } from 'solid-js';
import type { ConnectionValue } from '../../core/vault';
import { connectionStatusLine } from '../state/entry-view';

/** How often the line is re-read, so "valid until" turns into "expired" while it is open. */
const TICK_MS = 30_000;

/**
 * A connection's status in one line ("Ready", "Access token valid until 14:05", "Last token
 * request failed …"), announced politely when it changes. `data-kind` carries the status kind
 * for tests and styles.
 */
export function ConnectionStatusLine(props: { value: ConnectionValue }) {
  const [now, setNow] = createSignal(Date.now());
  const timer = setInterval(() => setNow(Date.now()), TICK_MS);
  onCleanup(() => clearInterval(timer));
  const line = () => connectionStatusLine(props.value, now());
  return (
    <p
      class={`connection-status ${line().tone}`}
      role="status"
      data-testid="connection-status"
      data-kind={line().kind}
    >
      {line().text}
    </p>
  );
}
