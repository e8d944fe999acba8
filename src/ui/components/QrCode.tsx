import { createMemo } from 'solid-js';
import { qrPath } from '../state/qr';

/** A QR code of `text`, dark on light whatever the theme, so phone cameras read it. */
export function QrCode(props: { text: string; label: string }) {
  const qr = createMemo(() => qrPath(props.text));
  return (
    <svg
      class="qr-code"
      role="img"
      aria-label={props.label}
      viewBox={`0 0 ${qr().size} ${qr().size}`}
      shape-rendering="crispEdges"
    >
      <rect width={qr().size} height={qr().size} fill="#fff" />
      <path d={qr().d} fill="#000" />
    </svg>
  );
}
