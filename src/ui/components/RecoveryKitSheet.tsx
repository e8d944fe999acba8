import { For } from 'solid-js';
import { codeGroups, kitDate } from '../state/recovery';
import { QrCode } from './QrCode';

/**
 * The recovery kit as it is printed (see recovery.css, `@media print`): the code in its groups,
 * a QR code of it, the date, which profile it opens, and what to do with it. Names no vault.
 */
export function RecoveryKitSheet(props: { code: string; createdAt: number; place: string }) {
  return (
    <section class="recovery-kit" aria-label="Recovery kit">
      <h3 class="recovery-kit-title">Coffer recovery kit</h3>
      <p>
        For the Coffer profile at <strong>{props.place}</strong>, made on {kitDate(props.createdAt)}
        .
      </p>
      <figure class="recovery-code-figure">
        <figcaption class="hint">Recovery code</figcaption>
        <p class="recovery-code">
          <For each={codeGroups(props.code)}>
            {(group) => <span class="recovery-code-group">{group}</span>}
          </For>
        </p>
      </figure>
      <QrCode text={props.code} label="QR code of the recovery code" />
      <ul class="recovery-kit-steps">
        <li>
          If you forget your passphrase, choose “Forgot your passphrase?” on the unlock screen and
          type this code (or scan the QR code). You then choose a new passphrase; nothing is lost.
        </li>
        <li>
          Anyone with this code can open your vaults in this browser. Keep it offline: printed, in a
          safe or a locked drawer, not in a photo, email or note on this device.
        </li>
        <li>Making a new code in Settings stops this one from working: destroy this page then.</li>
      </ul>
    </section>
  );
}
