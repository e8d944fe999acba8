import { onCleanup, onMount } from 'solid-js';

/**
 * Calls `refresh` whenever the user comes back to this tab (the window gets the focus, or the
 * page is shown again), while it is mounted; it shows nothing. For lists another tab may change.
 */
export function RefreshOnReturn(props: { refresh: () => void }) {
  const onReturn = () => {
    if (document.visibilityState === 'visible') props.refresh();
  };
  onMount(() => {
    window.addEventListener('focus', onReturn);
    document.addEventListener('visibilitychange', onReturn);
  });
  onCleanup(() => {
    window.removeEventListener('focus', onReturn);
    document.removeEventListener('visibilitychange', onReturn);
  });
  return null;
}
