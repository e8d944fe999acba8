/**
 * Masking properties, over random secrets (full Unicode, astral planes included) and random
 * text: no spelling survives; a stream equals one `mask` call however the text is cut;
 * text without secrets is returned unchanged; and the one-pass matcher agrees with a naive
 * reference (an `indexOf` per spelling, ranges merged afterwards).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createMasker, MASK, maskVariants } from '../../../src/core/masking';

const secretArb = fc
  .string({ unit: 'binary', minLength: 6, maxLength: 64 })
  // A secret that contains the mask itself could be re-formed around a mask; not a case.
  .filter((s) => !s.includes('•'));
const textArb = fc.string({ unit: 'binary', maxLength: 80 });

/** Naive reference: every occurrence of every spelling, then overlapping/touching merged. */
function reference(text: string, secrets: readonly string[]): string {
  const ranges: Array<[number, number]> = [];
  for (const variant of new Set(secrets.flatMap(maskVariants))) {
    for (let at = text.indexOf(variant); at !== -1; at = text.indexOf(variant, at + 1)) {
      ranges.push([at, at + variant.length]);
    }
  }
  ranges.sort((a, b) => a[0] - b[0]);
  let out = '';
  let written = 0;
  let end = -1;
  for (const [start, stop] of ranges) {
    if (start <= end) {
      end = Math.max(end, stop);
      continue;
    }
    if (end >= 0) written = end;
    out += text.slice(written, start) + MASK;
    end = stop;
  }
  if (end >= 0) written = end;
  return out + text.slice(written);
}

/** The embedded forms of a secret, by Node's encoders, and what must not survive of each. */
type Embedding = (secret: string, before: string, after: string) => { text: string; gone: string };
const byteOffset = (text: string) => Buffer.byteLength(text);
const embeddings: Record<string, Embedding> = {
  raw: (s) => ({ text: s, gone: s }),
  uri: (s) => ({ text: encodeURIComponent(s), gone: encodeURIComponent(s) }),
  form: (s) => {
    const form = new URLSearchParams({ q: s }).toString().slice(2);
    return { text: form, gone: form };
  },
  json: (s) => ({ text: JSON.stringify({ s }), gone: JSON.stringify(s).slice(1, -1) }),
  hex: (s) => ({ text: Buffer.from(s).toString('hex'), gone: Buffer.from(s).toString('hex') }),
  HEX: (s) => {
    const upper = Buffer.from(s).toString('hex').toUpperCase();
    return { text: upper, gone: upper };
  },
  ...Object.fromEntries(
    (['base64', 'base64url'] as const).map((encoding): [string, Embedding] => [
      encoding,
      (s, before, after) => {
        // The secret inside a longer encoded message: the characters its bytes alone decide.
        const full = Buffer.from(before + s + after).toString(encoding);
        const p = byteOffset(before);
        const n = byteOffset(s);
        return {
          text: full,
          gone: full.slice(Math.ceil((8 * p) / 6), Math.floor((8 * (p + n)) / 6)),
        };
      },
    ]),
  ),
};

describe('masking properties', () => {
  it('no embedded spelling of a secret survives masking', () => {
    fc.assert(
      fc.property(
        secretArb,
        textArb,
        textArb,
        fc.constantFrom(...Object.keys(embeddings)),
        fc.string({ unit: 'binary', maxLength: 8 }),
        fc.string({ unit: 'binary', maxLength: 8 }),
        (secret, before, after, kind, inBefore, inAfter) => {
          const { text, gone } = embeddings[kind]!(secret, inBefore, inAfter);
          const masker = createMasker([secret]);
          const masked = masker.mask(before + text + after);
          expect(masked).toContain(MASK);
          expect(masked).not.toContain(gone);
          expect(masked).not.toContain(secret);
          expect(masked).not.toContain(encodeURIComponent(secret));
          expect(masked).not.toContain(Buffer.from(secret).toString('hex'));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('a stream equals one mask() call, however the text is cut', () => {
    // Small alphabets make occurrences dense: overlapping, touching, cut in the middle.
    const small = fc.string({ unit: fc.constantFrom('a', 'b', '\n', '🔑'), maxLength: 200 });
    const smallSecret = fc.string({
      unit: fc.constantFrom('a', 'b', '\n', '🔑'),
      minLength: 6,
      maxLength: 12,
    });
    fc.assert(
      fc.property(
        fc.oneof(
          fc.record({
            secrets: fc.array(smallSecret, { minLength: 1, maxLength: 4 }),
            text: small,
          }),
          fc.record({
            secrets: fc.array(secretArb, { minLength: 1, maxLength: 3 }),
            text: textArb,
          }),
        ),
        fc.array(fc.nat(), { maxLength: 12 }),
        fc.nat(5),
        ({ secrets, text: base }, cuts, repeat) => {
          // Put the secrets into the text, several times.
          const text = [base, ...secrets.map((s, i) => s.repeat(1 + ((repeat + i) % 3)) + base)]
            .join('')
            .slice(0, 2000);
          const masker = createMasker(secrets);
          const whole = masker.mask(text);
          const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
          const stream = masker.stream();
          let out = '';
          let from = 0;
          for (const point of [...points, text.length]) {
            out += stream.push(text.slice(from, point));
            from = point;
          }
          out += stream.end();
          expect(out).toBe(whole);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('text that holds no spelling of any secret is returned as it is', () => {
    fc.assert(
      fc.property(
        fc.array(secretArb, { maxLength: 5 }),
        fc.string({ unit: 'binary', maxLength: 500 }),
        (secrets, text) => {
          fc.pre(!secrets.flatMap(maskVariants).some((variant) => text.includes(variant)));
          expect(createMasker(secrets).mask(text)).toBe(text);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('agrees with a naive reference on dense overlapping matches', () => {
    const unit = fc.constantFrom('a', 'b', 'c', ' ', '=');
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit, minLength: 6, maxLength: 10 }), { minLength: 1, maxLength: 5 }),
        fc.array(fc.string({ unit, maxLength: 12 }), { maxLength: 12 }),
        (secrets, pieces) => {
          // Interleave pieces of noise with the secrets (and their base64), so matches overlap.
          const text = pieces
            .map((piece, i) => {
              const secret = secrets[i % secrets.length]!;
              return piece + (i % 3 === 2 ? Buffer.from(secret).toString('base64') : secret);
            })
            .join('');
          expect(createMasker(secrets).mask(text)).toBe(reference(text, secrets));
        },
      ),
      { numRuns: 400 },
    );
  });
});
