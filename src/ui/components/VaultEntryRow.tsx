import { Show } from 'solid-js';
import type { EntrySummary } from '../../core/vault';
import { kindLabel, needsCredentials } from '../state/vault-view';
import { KindIcon } from './KindIcon';

const timeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** One entry in a vault's list: kind, name (opens it), badges, when it last changed. No value. */
export function VaultEntryRow(props: {
  entry: EntrySummary;
  onOpen: (name: string) => void;
  /** Edited on two devices while they were apart: worth a look. */
  review?: boolean;
}) {
  const kind = () => kindLabel(props.entry.kind);
  return (
    <li>
      <span class="kind-icon" role="img" aria-label={kind().label}>
        <KindIcon kind={props.entry.kind} />
      </span>
      <button type="button" class="quiet entry-name" onClick={() => props.onOpen(props.entry.name)}>
        {props.entry.name}
      </button>
      <Show when={props.entry.kind === 'secret' && props.entry.writeOnly}>
        <span class="badge">write-only</span>
      </Show>
      <Show when={props.review}>
        <span class="badge warning" title="Changed on two devices while they were apart">
          review
        </span>
      </Show>
      <Show when={needsCredentials(props.entry)}>
        <span class="badge warning">missing credentials</span>
      </Show>
      <time class="entry-updated muted" datetime={new Date(props.entry.updatedAt).toISOString()}>
        <span class="visually-hidden">Updated </span>
        {timeFormat.format(props.entry.updatedAt)}
      </time>
    </li>
  );
}
