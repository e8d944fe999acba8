import { createSignal, Show } from 'solid-js';
import { useServices } from '../state/context';
import '../styles/recovery.css';
import { RecoveryKitDialog } from './RecoveryKitDialog';

/**
 * The step after the first run (and after a recovery): save a recovery kit, or skip it. It does
 * not block the workspace; Settings -> Recovery kit makes one at any time.
 */
export function RecoveryKitOffer() {
  const { app } = useServices();
  const [making, setMaking] = createSignal(false);
  return (
    <Show when={app.recovery.offer()}>
      {(offer) => (
        <section class="notice recovery-offer" aria-labelledby="recovery-offer-title">
          <h2 id="recovery-offer-title" class="recovery-offer-title">
            Save your recovery kit
          </h2>
          <p class="settings-last">
            {offer() === 'recovered'
              ? 'You opened Coffer with your recovery code, and it still works. If anyone else may have seen it, make a new one: the old one then stops working.'
              : 'If you forget your passphrase, a recovery code is the only way back in. Make one now and keep it offline, printed or written down.'}
          </p>
          <div class="button-row">
            <button type="button" class="secondary" onClick={() => app.recovery.setOffer(null)}>
              {offer() === 'recovered' ? 'Keep the code I have' : 'Skip for now'}
            </button>
            <button type="button" onClick={() => setMaking(true)}>
              {offer() === 'recovered' ? 'Make a new recovery code' : 'Make my recovery kit'}
            </button>
          </div>
          <RecoveryKitDialog
            open={making()}
            replacing={offer() === 'recovered'}
            onClose={(made) => {
              setMaking(false);
              if (made) app.recovery.setOffer(null);
            }}
          />
        </section>
      )}
    </Show>
  );
}
