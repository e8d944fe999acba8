import { Show } from 'solid-js';
import type { ImportProgress } from '../state/import';
import { progressWords } from '../state/import-words';

/** Where a long import is (reading, deriving the KeePass key, checking, writing), as a bar. */
export function ImportProgressBar(props: { progress: ImportProgress | undefined }) {
  return (
    <Show when={props.progress}>
      {(progress) => (
        <div class="field">
          <progress
            class="progress"
            max={Math.max(1, progress().total)}
            value={progress().done}
            aria-label={progressWords[progress().phase]}
          />
          <span class="hint">
            {progressWords[progress().phase]}…
            {/* The key derivation reports a percentage; the other phases count entries. */}
            {progress().phase === 'checking' || progress().phase === 'writing'
              ? ` ${progress().done} of ${progress().total}`
              : ''}
          </span>
        </div>
      )}
    </Show>
  );
}
