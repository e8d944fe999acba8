/**
 * gzip (RFC 1952) through the platform's CompressionStream, in browsers and Node alike. The
 * payload is compressed before it is sealed (ciphertext does not compress), and decompressed
 * with a bound, since a small file may inflate to gigabytes.
 */
import { BackupInvalidError } from './errors';

async function collect(
  stream: ReadableStream<Uint8Array>,
  maxBytes: number,
  tooLarge: () => Error,
): Promise<Uint8Array> {
  const reader = stream.getReader();
  const parts: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    parts.push(value);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

function through(bytes: Uint8Array, transform: TransformStream<BufferSource, Uint8Array>) {
  const source = new ReadableStream<BufferSource>({
    start(controller) {
      // A copy over a plain ArrayBuffer: what BufferSource takes, and ours to hand over.
      controller.enqueue(new Uint8Array(bytes));
      controller.close();
    },
  });
  return source.pipeThrough(transform);
}

/** gzip of `bytes`. */
export function gzip(bytes: Uint8Array): Promise<Uint8Array> {
  return collect(through(bytes, new CompressionStream('gzip')), Number.POSITIVE_INFINITY, () => {
    throw new RangeError('unreachable');
  });
}

/**
 * The bytes `gzipped` inflates to: BackupInvalidError('compression') if it is not one whole
 * gzip member, ('too-large') past `maxBytes`.
 */
export async function gunzip(gzipped: Uint8Array, maxBytes: number): Promise<Uint8Array> {
  try {
    return await collect(
      through(gzipped, new DecompressionStream('gzip')),
      maxBytes,
      () => new BackupInvalidError('too-large'),
    );
  } catch (error) {
    if (error instanceof BackupInvalidError) throw error;
    throw new BackupInvalidError('compression', undefined, { cause: error });
  }
}
