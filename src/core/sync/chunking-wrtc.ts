import { FramingError, frameMessage, kindOf, maxChunkBytes, Reassembler } from './framing';

/**
 * WebRTC with data channels that carry messages of any size, for simple-peer's `wrtc` option
 * (y-webrtc passes `peerOpts` to simple-peer unchanged):
 *
 *   new WebrtcProvider(room, doc, { peerOpts: { wrtc: createChunkingWrtc(globalThis) } })
 *
 * y-webrtc sends each Yjs message as one data-channel message, and a large vault's sync step 2
 * is megabytes, over what a data channel accepts (256 KiB in Chromium). Neither library is
 * modified: the peer connection given to simple-peer hands out wrapped channels
 * (`wrapDataChannel`) that frame each message (framing.ts) and reassemble on the other side.
 * Both peers MUST use the wrapper: an unframed message is a protocol violation.
 *
 * Contract of a wrapped channel, as simple-peer uses it:
 * - `send(bytes)` copies and frames the message and queues the frames; they go to the real
 *   channel while its `bufferedAmount` stays within `highWaterMark`, and resume on its
 *   `bufferedamountlow`. `bufferedAmount` counts the real channel's buffer and the wrapper's
 *   queue, and `onbufferedamountlow` fires when that total falls to `bufferedAmountLowThreshold`.
 *   `send` throws, as the native one does, when the channel is not open.
 * - Each complete message reaches `onmessage` as `{ data: ArrayBuffer }`, whatever
 *   `binaryType` says (the real channel is kept at 'arraybuffer').
 * - A peer that breaks the framing closes the channel: `onerror` gets `{ error, message }`
 *   saying so. Nothing is thrown into the event loop.
 * - A whole message whose handler throws (junk that frames well: y-webrtc and lib0 throw on a
 *   message they cannot decode) is dropped; the channel goes on. Both are told to `onJunk`.
 * - `close()` drops frames not yet handed to the real channel (simple-peer closes the peer
 *   connection at the same moment, which would drop them anyway).
 * - `label`, `readyState`, `onopen`, `onclose` and `onerror` are the real channel's.
 */

/** The wrapper stops handing frames to the real channel once it holds this many bytes. */
export const highWaterMark = 1024 * 1024;
/** ...and resumes when the real channel has drained to this. */
export const lowWaterMark = 256 * 1024;
// Chromium's SCTP maximum message size: a frame (payload and header) must fit in it.
const maxFrameBytes = 256 * 1024;
const maxFrameHeaderBytes = 5;

export interface ChunkingOptions {
  /**
   * Payload bytes per frame. Default: what the connection's SCTP transport accepts (up to
   * 256 KiB, less the frame header) once it is known, `maxChunkBytes` (16 KiB) before.
   */
  readonly chunkBytes?: number | undefined;
  /** The connection's negotiated largest message (`RTCPeerConnection.sctp.maxMessageSize`). */
  readonly maxMessageSize?: (() => number | undefined) | undefined;
  /** The largest message accepted from the peer (default 64 MiB). */
  readonly maxMessageBytes?: number | undefined;
  /**
   * Told of each message from the peer that was dropped as junk: a frame that breaks the
   * framing, or a message whose handler (y-webrtc, lib0, Yjs) threw on it. Never thrown.
   */
  readonly onJunk?: ((error: unknown) => void) | undefined;
}

/** The members of RTCDataChannel that simple-peer and this wrapper use. */
export interface DataChannelLike {
  binaryType: string;
  bufferedAmountLowThreshold: number;
  readonly label: string;
  readonly readyState: string;
  readonly bufferedAmount: number;
  send(data: ArrayBuffer | ArrayBufferView): void;
  close(): void;
  onmessage: ((event: { readonly data: unknown }) => void) | null;
  onbufferedamountlow: ((event: unknown) => void) | null;
  onopen: ((event: unknown) => void) | null;
  onclose: ((event: unknown) => void) | null;
  onerror: ((event: unknown) => void) | null;
}

/** What `onerror` receives when the wrapper itself fails the channel (simple-peer reads `error`). */
export interface ChannelErrorEvent {
  readonly type: 'error';
  readonly error: Error;
  readonly message: string;
}

export interface NativeWebRtc {
  readonly RTCPeerConnection: typeof RTCPeerConnection;
  readonly RTCSessionDescription: typeof RTCSessionDescription;
  readonly RTCIceCandidate: typeof RTCIceCandidate;
}

/** Returns `native` with a peer connection whose data channels are wrapped. */
export function createChunkingWrtc(
  native: NativeWebRtc,
  options: ChunkingOptions = {},
): NativeWebRtc {
  if (typeof native?.RTCPeerConnection !== 'function')
    throw new TypeError(
      `native.RTCPeerConnection must be a constructor, got ${kindOf(native?.RTCPeerConnection)}`,
    );
  checkChunkBytes(options.chunkBytes);
  new Reassembler(options); // checks maxMessageBytes now rather than at the first connection

  class ChunkingPeerConnection extends native.RTCPeerConnection {
    constructor(configuration?: RTCConfiguration) {
      super(configuration);
      // simple-peer sets `ondatachannel`; an own accessor shadows the native one so the handler
      // only ever sees wrapped channels.
      let handler: ((event: { channel: DataChannelLike }) => unknown) | null = null;
      Object.defineProperty(this, 'ondatachannel', {
        configurable: true,
        enumerable: true,
        get: () => handler,
        set: (value: typeof handler) => {
          handler = value;
        },
      });
      this.addEventListener('datachannel', (event) => {
        handler?.({ channel: wrapDataChannel(asChannelLike(event.channel), this.#framing()) });
      });
    }

    /**
     * Frames as large as the connection takes: Chromium's SCTP moves a 2.7 MB message in
     * 1.2 s as 16 KiB messages and in 0.5 s as 256 KiB ones (measured on localhost).
     */
    #framing(): ChunkingOptions {
      return { ...options, maxMessageSize: () => this.sctp?.maxMessageSize };
    }

    override createDataChannel(label: string, init?: RTCDataChannelInit): RTCDataChannel {
      const wrapped = wrapDataChannel(
        asChannelLike(super.createDataChannel(label, init)),
        this.#framing(),
      );
      // simple-peer only uses the DataChannelLike members.
      return wrapped as unknown as RTCDataChannel;
    }
  }

  return {
    RTCPeerConnection: ChunkingPeerConnection,
    RTCSessionDescription: native.RTCSessionDescription,
    RTCIceCandidate: native.RTCIceCandidate,
  };
}

/** Wraps a data channel so that it carries messages of any size; see the file's contract. */
export function wrapDataChannel(
  real: DataChannelLike,
  options: ChunkingOptions = {},
): DataChannelLike {
  return new ChunkingDataChannel(real, options);
}

class ChunkingDataChannel implements DataChannelLike {
  onmessage: DataChannelLike['onmessage'] = null;
  onbufferedamountlow: DataChannelLike['onbufferedamountlow'] = null;
  onopen: DataChannelLike['onopen'] = null;
  onclose: DataChannelLike['onclose'] = null;
  onerror: DataChannelLike['onerror'] = null;

  private readonly chunkBytes: number | undefined;
  private readonly maxMessageSize: (() => number | undefined) | undefined;
  private readonly reassembler: Reassembler;
  private readonly onJunk: ((error: unknown) => void) | undefined;
  private queue: Uint8Array[] = [];
  private queuedBytes = 0;
  private userBinaryType: string;
  private userThreshold = 0;
  // Whether the total was last seen above the user's threshold: the event fires on the way down.
  private aboveThreshold = false;
  private failed = false;

  constructor(
    private readonly real: DataChannelLike,
    options: ChunkingOptions,
  ) {
    this.chunkBytes =
      options.chunkBytes === undefined ? undefined : checkChunkBytes(options.chunkBytes);
    this.maxMessageSize = options.maxMessageSize;
    this.reassembler = new Reassembler(options);
    this.onJunk = options.onJunk;
    this.userBinaryType = real.binaryType;
    real.binaryType = 'arraybuffer';
    real.bufferedAmountLowThreshold = this.userThreshold;
    real.onmessage = (event) => this.receive(event.data);
    real.onbufferedamountlow = () => this.drained();
    real.onopen = (event) => this.onopen?.(event);
    real.onclose = (event) => {
      this.discardQueue();
      this.onclose?.(event);
    };
    real.onerror = (event) => this.onerror?.(event);
  }

  get label(): string {
    return this.real.label;
  }

  get readyState(): string {
    return this.real.readyState;
  }

  get binaryType(): string {
    return this.userBinaryType;
  }

  set binaryType(value: string) {
    this.userBinaryType = value;
  }

  get bufferedAmount(): number {
    return this.real.bufferedAmount + this.queuedBytes;
  }

  get bufferedAmountLowThreshold(): number {
    return this.userThreshold;
  }

  set bufferedAmountLowThreshold(value: number) {
    this.userThreshold = value;
    this.aboveThreshold = this.bufferedAmount > value;
    if (this.queue.length === 0) this.real.bufferedAmountLowThreshold = value;
  }

  send(data: ArrayBuffer | ArrayBufferView): void {
    const bytes = toBytes(data);
    if (this.real.readyState !== 'open')
      throw new Error(`cannot send on a data channel that is ${this.real.readyState}`);
    for (const frame of frameMessage(bytes, this.frameBytes())) {
      this.queue.push(frame);
      this.queuedBytes += frame.length;
    }
    this.pump();
    // Only note the rise here: a fall is reported from the real channel's event, never from
    // inside send, so the user's handler is not re-entered by its own send.
    if (this.bufferedAmount > this.userThreshold) this.aboveThreshold = true;
  }

  close(): void {
    this.discardQueue();
    this.real.close();
  }

  /** The payload per frame: as set, else as much as the connection takes, else 16 KiB. */
  private frameBytes(): number {
    if (this.chunkBytes !== undefined) return this.chunkBytes;
    const limit = this.maxMessageSize?.();
    if (limit === undefined || !Number.isFinite(limit) || limit <= maxFrameHeaderBytes)
      return maxChunkBytes;
    return Math.min(maxFrameBytes, limit) - maxFrameHeaderBytes;
  }

  private drained(): void {
    this.pump();
    const above = this.bufferedAmount > this.userThreshold;
    const fell = this.aboveThreshold && !above;
    this.aboveThreshold = above;
    if (fell) this.onbufferedamountlow?.({ type: 'bufferedamountlow' });
  }

  private pump(): void {
    while (this.queue.length > 0 && this.real.readyState === 'open') {
      const frame = this.queue[0]!;
      const buffered = this.real.bufferedAmount;
      if (buffered > 0 && buffered + frame.length > highWaterMark) break;
      this.queue.shift();
      this.queuedBytes -= frame.length;
      try {
        this.real.send(frame);
      } catch (error) {
        // A lost frame corrupts the stream of frames: the channel cannot go on.
        this.fail(new Error('the data channel refused a frame', { cause: error }));
        return;
      }
    }
    // While frames wait, wake at the low-water mark to send more (the real channel holds more
    // than `highWaterMark - maxFrameBytes`, so it will cross it); once none wait, the real
    // channel's event is the user's.
    this.real.bufferedAmountLowThreshold =
      this.queue.length > 0 ? lowWaterMark : this.userThreshold;
  }

  private receive(data: unknown): void {
    if (this.failed) return;
    // binaryType 'arraybuffer' gives ArrayBuffer; text or a Blob never comes from a chunking peer.
    const frame =
      data instanceof ArrayBuffer || ArrayBuffer.isView(data) ? toBytes(data) : undefined;
    if (frame === undefined) {
      this.fail(
        new Error(`the peer broke the framing: expected binary frames, got ${kindOf(data)}`),
      );
      return;
    }
    let message: Uint8Array<ArrayBuffer> | undefined;
    try {
      message = this.reassembler.push(frame);
    } catch (error) {
      this.fail(
        error instanceof FramingError
          ? new Error(`the peer broke the framing: ${error.message}`, { cause: error })
          : new Error(`could not take the peer's message: ${String(error)}`, { cause: error }),
      );
      return;
    }
    if (message === undefined) return;
    try {
      this.onmessage?.({ data: message.buffer });
    } catch (error) {
      // y-webrtc decodes the message in simple-peer's 'data' event, synchronously: junk that
      // framed well but is no y-webrtc message (bad lib0 encoding, a bad Yjs update) throws
      // here. It is dropped and counted, not thrown into the page.
      this.junk(error);
    }
  }

  private junk(error: unknown): void {
    try {
      this.onJunk?.(error);
    } catch {
      // A counter that throws must not take the channel down either.
    }
  }

  private fail(error: Error): void {
    if (this.failed) return;
    this.failed = true;
    this.junk(error);
    this.discardQueue();
    this.real.close();
    const event: ChannelErrorEvent = { type: 'error', error, message: error.message };
    this.onerror?.(event);
  }

  private discardQueue(): void {
    this.queue = [];
    this.queuedBytes = 0;
  }
}

function toBytes(data: unknown): Uint8Array {
  if (data instanceof Uint8Array) return data;
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (ArrayBuffer.isView(data))
    return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  throw new TypeError(
    `a chunking data channel sends Uint8Array, ArrayBuffer or ArrayBufferView, got ${kindOf(data)}`,
  );
}

function checkChunkBytes(chunkBytes: number | undefined): number {
  const value = chunkBytes ?? maxChunkBytes;
  const max = maxFrameBytes - maxFrameHeaderBytes;
  if (!Number.isInteger(value) || value < 1 || value > max)
    throw new RangeError(`chunkBytes must be an integer from 1 to ${max}, got ${value}`);
  return value;
}

// RTCDataChannel's handler types name DOM event classes; the wrapper only assigns handlers
// that read `data`, so the structural subset is safe.
function asChannelLike(channel: RTCDataChannel): DataChannelLike {
  return channel as unknown as DataChannelLike;
}
