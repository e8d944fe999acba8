import {
  type BulkKey,
  concat,
  openBulk,
  readU32be,
  type SealedBulk,
  sealBulk,
  u32be,
} from '../crypto';
import { CofferError } from '../errors';

/**
 * A sync envelope's payload, and the bulk that carries a large one (docs/crypto.md, "Sync
 * envelope"): sealing it ahead of the envelope, opening it, and deflating it.
 *
 * The plaintext of a version 0x04 bulk (docs/crypto.md, "Sync envelope"): the payload
 * compressed with raw DEFLATE (RFC 1951), framed with both lengths and padded with zeros to a
 * multiple of `deflatePadding` bytes.
 *
 *   u32be(len(payload)) || u32be(len(deflated)) || deflated || zeros
 *
 * Why: a vault's Yjs state repeats itself (every version names its author's 43-character device
 * id, every entry its id twice, every item the same field names), and a checkpoint deflates to
 * a fifth of its size or less. It is the one thing every device moves to every other; fewer bytes
 * make a first sync faster over WebRTC and the relay, and the relay's rooms smaller.
 *
 * The padding blurs what the compressed length says about the vault's contents to 4 KiB steps
 * (docs/crypto.md says what is left). Compression is native (`CompressionStream`, zlib in
 * browsers and Node): nothing here is Coffer's own code but the framing and the bounds.
 */
const deflatePadding = 4096;

/**
 * The largest payload a reader inflates: a vault's state is a few MB at 10,000 entries, and
 * this bounds what an authentic but hostile envelope can make a reader allocate.
 */
const maxInflatedBytes = 256 * 1024 * 1024;

/** Raw DEFLATE inflates at most 1032 to 1; a declared length beyond that is a lie. */
const maxDeflateRatio = 1032;

const frameLength = 8;

export type CompressedPayloadProblem =
  | 'short' // shorter than its two lengths, or than the compressed length it names
  | 'too-large' // names a payload larger than a reader inflates, or than its data could hold
  | 'padding' // not padded to a multiple of deflatePadding with zeros
  | 'inflate' // the compressed data is not raw DEFLATE, or ends early
  | 'length'; // inflates to more or fewer bytes than it names

/** A version 0x04 bulk that opened (it is authentic) but does not hold a payload as framed. */
export class CompressedPayloadError extends CofferError {
  override readonly name = 'CompressedPayloadError';
  override readonly code = 'compressed-payload-malformed' as const;
  constructor(readonly problem: CompressedPayloadProblem) {
    super(`the compressed payload of a sync envelope is not well formed (${problem})`);
  }
}

/** An envelope's payload: the author's knowledge before the change, then the Yjs update. */
export const envelopePayload = (knowledge: Uint8Array, update: Uint8Array) =>
  concat(u32be(knowledge.length), knowledge, update);

/** A bulk sealed beforehand, and whether what it encrypts is the payload deflated (0x04). */
export interface SyncBulk extends SealedBulk {
  readonly deflated: boolean;
}

/**
 * Deflates an envelope's payload and seals it as a bulk, for `sealEnvelopeWithId({ ..., bulk })`:
 * worth it from `bulkPayloadFrom` bytes. Asynchronous (CompressionStream, WebCrypto), so done
 * before the envelope takes its place in the chain.
 */
export async function sealBulkPayload(
  update: Uint8Array,
  knowledge?: Uint8Array,
): Promise<SyncBulk> {
  const payload = envelopePayload(knowledge ?? new Uint8Array(0), update);
  return { ...(await sealBulk(await deflateBulkPayload(payload))), deflated: true };
}

/**
 * The payload of an envelope's bulk, opened with its key, and inflated if `deflated` (0x04).
 * Rejects as `openBulk` does, or with CompressedPayloadError.
 */
export async function openBulkPayload(
  key: BulkKey,
  bulk: Uint8Array,
  deflated: boolean,
): Promise<Uint8Array> {
  const plaintext = await openBulk(key, bulk);
  return deflated ? inflateBulkPayload(plaintext) : plaintext;
}

/** What a version 0x04 bulk encrypts, from the envelope's payload. */
async function deflateBulkPayload(payload: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([payload as Uint8Array<ArrayBuffer>])
    .stream()
    .pipeThrough(new CompressionStream('deflate-raw'));
  const deflated = new Uint8Array(await new Response(stream).arrayBuffer());
  const length = frameLength + deflated.length;
  const padded = Math.ceil(length / deflatePadding) * deflatePadding;
  return concat(
    u32be(payload.length),
    u32be(deflated.length),
    deflated,
    new Uint8Array(padded - length),
  );
}

/**
 * The payload a version 0x04 bulk holds. Rejects with CompressedPayloadError if the framing, the
 * padding or the compressed data is wrong, without inflating more than the length it names.
 */
async function inflateBulkPayload(bulk: Uint8Array): Promise<Uint8Array> {
  if (bulk.length < frameLength) throw new CompressedPayloadError('short');
  if (bulk.length % deflatePadding !== 0) throw new CompressedPayloadError('padding');
  const declared = readU32be(bulk, 0);
  const deflatedLength = readU32be(bulk, 4);
  if (frameLength + deflatedLength > bulk.length) throw new CompressedPayloadError('short');
  for (let i = frameLength + deflatedLength; i < bulk.length; i++)
    if (bulk[i] !== 0) throw new CompressedPayloadError('padding');
  if (declared > maxInflatedBytes || declared > deflatedLength * maxDeflateRatio)
    throw new CompressedPayloadError('too-large');
  const deflated = bulk.subarray(frameLength, frameLength + deflatedLength);
  const reader = new Blob([deflated as Uint8Array<ArrayBuffer>])
    .stream()
    .pipeThrough(new DecompressionStream('deflate-raw'))
    .getReader();
  const payload = new Uint8Array(declared);
  let at = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (at + value.length > declared) throw new CompressedPayloadError('length');
      payload.set(value, at);
      at += value.length;
    }
  } catch (error) {
    reader.cancel().catch(() => undefined);
    throw error instanceof CompressedPayloadError ? error : new CompressedPayloadError('inflate');
  }
  if (at !== declared) throw new CompressedPayloadError('length');
  return payload;
}
