import { Show } from 'solid-js';
import { type BackupProgress, progressLabel } from '../state/backup';

/** Where a backup or restore is: the phase in words and a bar, so a wait never looks like a hang. */
export function BackupProgressBar(props: { progress: BackupProgress | null }) {
  return (
    <Show when={props.progress}>
      {(progress) => (
        <div class="field">
          <progress
            class="progress"
            max="1"
            value={progress().fraction}
            aria-label={progressLabel[progress().phase]}
          />
          <span class="hint">{progressLabel[progress().phase]}…</span>
        </div>
      )}
    </Show>
  );
}
