import { createMasker, MASK, maskVariants } from '../../src/core/masking';
import { median, percentile } from '../stats';
import { type BenchContext, metric, type Workload } from '../types';

const textChars = 1 << 20;
const secretCount = 100;

/** A small seeded generator (xorshift32): the same secrets and text in every run. */
function generator(seed: number): () => number {
  let state = seed;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
}

/**
 * 100 secrets of 32 characters, half like API tokens (base64url) and half like passwords
 * (with punctuation and spaces, which give them more spellings), and 1 MiB of log-like text
 * (JSON lines of a request log) that holds 200-odd of them: raw, URL-encoded, as HTTP Basic
 * credentials (base64 of "user:" + secret, the secret at byte offset 5) and JSON-escaped.
 */
function workloadData(): { secrets: string[]; text: string; embedded: number } {
  const random = generator(0x5eed);
  const token = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const password = `${token.slice(0, 62)}!@#$%^&*()<>"' `;
  const secrets = Array.from({ length: secretCount }, (_, i) => {
    const alphabet = i % 2 === 0 ? token : password;
    return Array.from({ length: 32 }, () => alphabet[Math.floor(random() * alphabet.length)]).join(
      '',
    );
  });
  const paths = ['/api/v1/items', '/oauth/token', '/health', '/users/42/settings', '/search'];
  const lines: string[] = [];
  let length = 0;
  let embedded = 0;
  for (let i = 0; length < textChars; i++) {
    const status = random() < 0.9 ? 200 : 503;
    let extra = `"ms":${Math.floor(random() * 900)},"bytes":${Math.floor(random() * 1e6)}`;
    if (i % 40 === 0) {
      const secret = secrets[embedded % secretCount]!;
      const form = [
        secret,
        encodeURIComponent(`${secret} `),
        `Basic ${Buffer.from(`user:${secret}`).toString('base64')}`,
        JSON.stringify(`${secret}\n`).slice(1, -1),
      ][embedded % 4]!;
      extra += `,"auth":"${form}"`;
      embedded++;
    }
    let line = `{"t":"2026-12-01T17:${String(i % 60).padStart(2, '0')}:00Z","method":"GET","path":"${paths[i % paths.length]}?page=${i}","status":${status},${extra}}\n`;
    // The last line is cut to make the text exactly 1 MiB, and joined, not sliced: a flat
    // string, as a response body or JSON.stringify gives (a slice of a longer string is
    // read through one more indirection).
    if (length + line.length > textChars) line = line.slice(0, textChars - length);
    lines.push(line);
    length += line.length;
  }
  return { secrets, text: lines.join(''), embedded };
}

/**
 * `mask_ms`: `Masker.mask()` of 1 MiB of text against 100 secrets of 32 characters (every
 * spelling of each: raw, JSON, URL, form, HTML, hex, base64 at three alignments; about 970
 * in all, 7 for a token, 12 for a password with punctuation), in Node (the same V8 as
 * Chromium; the masking code touches no browser API), vs `String.prototype.replaceAll` of the
 * 100 raw values only: the least a masker could do, with a tenth of the spellings. The notes
 * add the masker's first call (building the spellings and tables, then a pass not yet
 * optimised by the JIT), a stream fed in 16 KiB chunks, and `replaceAll` of every spelling
 * (the naive way).
 */
export const maskWorkload: Workload = {
  title: 'secret masking of 1 MiB against 100 secrets (Node), beside replaceAll',
  async run({ repeats }: BenchContext) {
    const { secrets, text, embedded } = workloadData();
    const runs = repeats === 1 ? 3 : repeats * 3;
    const warmup = repeats === 1 ? 1 : 10;

    const t0 = performance.now();
    const masker = createMasker(secrets);
    const expected = masker.mask(text);
    const firstCall = performance.now() - t0;
    const masks = expected.split(MASK).length - 1;
    if (masks < embedded) {
      throw new Error(`the masker found ${masks} of the ${embedded} embedded secrets`);
    }

    const replaceAll = (values: readonly string[]) => {
      let out = text;
      for (const value of values) out = out.replaceAll(value, MASK);
      return out;
    };
    const streamed = () => {
      const stream = masker.stream();
      const out: string[] = [];
      for (let at = 0; at < text.length; at += 16_384) {
        out.push(stream.push(text.slice(at, at + 16_384)));
      }
      out.push(stream.end());
      return out.join('');
    };
    if (streamed() !== expected) throw new Error('the stream differs from mask()');

    // Alternate ours and the baseline, so a slow moment of the machine hurts both.
    const ours: number[] = [];
    const baseline: number[] = [];
    const stream: number[] = [];
    let sink = 0;
    for (let i = 0; i < warmup + runs; i++) {
      const a = performance.now();
      sink += masker.mask(text).length;
      const b = performance.now();
      sink += replaceAll(secrets).length;
      const c = performance.now();
      sink += streamed().length;
      const d = performance.now();
      if (i < warmup) continue;
      ours.push(b - a);
      baseline.push(c - b);
      stream.push(d - c);
    }
    const spellings = new Set(secrets.flatMap(maskVariants));
    const naive: number[] = [];
    // Nearly a second a call: once in a smoke run, three times otherwise.
    for (let i = 0; i < (repeats === 1 ? 1 : 3); i++) {
      const a = performance.now();
      sink += replaceAll([...spellings]).length;
      naive.push(performance.now() - a);
    }
    if (sink === 0) throw new Error('unreachable: keeps the results alive');

    const ms = (value: number) => value.toFixed(1);
    return {
      mask_ms: metric(
        median(ours),
        'ms',
        { value: median(baseline), name: 'String.replaceAll of the 100 raw values' },
        `${text.length} chars, ${secretCount} secrets, ${spellings.size} spellings, ${embedded} embedded (${masks} masks); median of ${ours.length} after ${warmup} warm-ups, alternating; p95 ${ms(percentile(ours, 95))} ms vs ${ms(percentile(baseline, 95))} ms; first call (spellings, tables and a not yet optimised pass) ${ms(firstCall)} ms; stream in 16 KiB chunks ${ms(median(stream))} ms; replaceAll of every spelling (the naive way) ${ms(median(naive))} ms; Node ${process.version}`,
      ),
    };
  },
};
