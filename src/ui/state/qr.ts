/**
 * QR codes for invitation links, drawn as one SVG path (no inline styles, so the page's
 * Content Security Policy holds). The encoding is uqr's; this only turns its module matrix
 * into a path.
 */
import { encode } from 'uqr';

export interface QrPath {
  /** Modules per side, quiet zone included. */
  readonly size: number;
  /** An SVG path of 1x1 squares, one per dark module. */
  readonly d: string;
}

/** The modules of a QR code for `text` (error correction M: survives a smudged screen). */
export function qrMatrix(text: string): boolean[][] {
  return encode(text, { ecc: 'M', border: 4 }).data;
}

export function qrPath(text: string): QrPath {
  const matrix = qrMatrix(text);
  let d = '';
  matrix.forEach((row, y) => {
    row.forEach((dark, x) => {
      if (dark) d += `M${x} ${y}h1v1h-1z`;
    });
  });
  return { size: matrix.length, d };
}
