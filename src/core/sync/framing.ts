/**
 * Framing that carries messages of any size over a channel whose messages are small (a WebRTC
 * data channel: Chromium refuses messages over 256 KiB; 16 KiB is safe everywhere).
 *
 * Contract:
 * - `frameMessage(message, chunkBytes)` returns the frames to send, in order. Each frame is a
 *   marker byte and at most `chunkBytes` bytes of the message:
 *
 *     0xC1 payload                    the whole message (1 byte of overhead)
 *     0xC2 u32be(total) payload       the first chunk, announcing the message's total length
 *     0xC3 payload                    a middle chunk
 *     0xC4 payload                    the last chunk
 *
 *   The markers can never start a y-webrtc message (its message types are varuints 0..4), so
 *   an unframed message from a peer that does not chunk is told apart at its first byte.
 * - `Reassembler.push(frame)` returns the message once its last frame has arrived. The channel
 *   MUST be ordered and reliable: frames of two messages never interleave. A frame that breaks
 *   the format throws `FramingError` and the reassembler starts afresh, so the next well-formed
 *   message still works.
 * - Returned messages own their whole buffer (`byteOffset` 0, `length === buffer.byteLength`),
 *   so `message.buffer` is the message. Frames are copies: inputs are never modified or kept.
 * - Arguments are checked at entry: wrong types throw TypeError, bad sizes RangeError, both
 *   saying what arrived.
 */

import { CofferError } from '../errors';

/** Payload bytes per frame: 16 KiB crosses every browser's data channel. */
export const maxChunkBytes = 16 * 1024;
/** What a Reassembler accepts unless told otherwise. */
export const defaultMaxMessageBytes = 64 * 1024 * 1024;

const markerWhole = 0xc1;
const markerFirst = 0xc2;
const markerMiddle = 0xc3;
const markerLast = 0xc4;
const firstHeaderBytes = 5;
const maxTotalBytes = 0xffff_ffff;

export type FramingViolation =
  | 'truncated-frame'
  | 'unknown-marker'
  | 'unexpected-chunk'
  | 'too-large'
  | 'length-mismatch';

/**
 * A frame that breaks the format. Carries the marker and sizes involved, never payload bytes.
 * `expected` and `received` are byte counts: the announced total and what arrived for
 * 'length-mismatch', the limit and the announced total for 'too-large', the header size and
 * the frame's length for 'truncated-frame'.
 */
export class FramingError extends CofferError {
  override readonly name = 'FramingError';
  override readonly code = 'framing-violation' as const;
  constructor(
    readonly reason: FramingViolation,
    message: string,
    readonly marker?: number,
    readonly expected?: number,
    readonly received?: number,
  ) {
    super(message);
  }
}

/** Splits a message into frames; see the file's contract for the format. */
export function frameMessage(
  message: Uint8Array,
  chunkBytes: number = maxChunkBytes,
): Uint8Array[] {
  checkBytes('message', message);
  checkSize('chunkBytes', chunkBytes, 1, maxTotalBytes);
  if (message.length > maxTotalBytes)
    throw new RangeError(`a message can be at most ${maxTotalBytes} bytes, got ${message.length}`);
  if (message.length <= chunkBytes) return [withMarker(markerWhole, message)];

  const first = new Uint8Array(firstHeaderBytes + chunkBytes);
  first[0] = markerFirst;
  new DataView(first.buffer).setUint32(1, message.length);
  first.set(message.subarray(0, chunkBytes), firstHeaderBytes);
  const frames: Uint8Array[] = [first];
  for (let offset = chunkBytes; offset < message.length; offset += chunkBytes) {
    const end = Math.min(offset + chunkBytes, message.length);
    const marker = end === message.length ? markerLast : markerMiddle;
    frames.push(withMarker(marker, message.subarray(offset, end)));
  }
  return frames;
}

/** Turns frames back into messages, one message at a time. */
export class Reassembler {
  readonly maxMessageBytes: number;
  // The message being received: its buffer is allocated at the announced length, which the
  // limit bounds, so each byte is copied once and the result owns its buffer.
  private pending: { readonly buffer: Uint8Array<ArrayBuffer>; received: number } | undefined;

  constructor(options: { readonly maxMessageBytes?: number | undefined } = {}) {
    this.maxMessageBytes = options.maxMessageBytes ?? defaultMaxMessageBytes;
    checkSize('maxMessageBytes', this.maxMessageBytes, 0, maxTotalBytes);
  }

  /** Takes the next frame; returns the message it completes, if any. */
  push(frame: Uint8Array): Uint8Array<ArrayBuffer> | undefined {
    checkBytes('frame', frame);
    try {
      return this.accept(frame);
    } catch (error) {
      this.pending = undefined;
      throw error;
    }
  }

  private accept(frame: Uint8Array): Uint8Array<ArrayBuffer> | undefined {
    const marker = frame[0];
    if (marker === undefined)
      throw new FramingError(
        'truncated-frame',
        'a frame needs at least its marker byte, got 0 bytes',
        undefined,
        1,
        0,
      );
    switch (marker) {
      case markerWhole:
        this.expectNoMessage(marker);
        this.checkLimit(marker, frame.length - 1);
        return frame.slice(1);
      case markerFirst: {
        this.expectNoMessage(marker);
        if (frame.length < firstHeaderBytes)
          throw new FramingError(
            'truncated-frame',
            `a first chunk needs a ${firstHeaderBytes}-byte header, got ${frame.length} bytes`,
            marker,
            firstHeaderBytes,
            frame.length,
          );
        const total = new DataView(frame.buffer, frame.byteOffset, frame.byteLength).getUint32(1);
        this.checkLimit(marker, total);
        this.pending = { buffer: new Uint8Array(total), received: 0 };
        this.append(marker, frame.subarray(firstHeaderBytes));
        return undefined;
      }
      case markerMiddle:
        this.append(marker, frame.subarray(1));
        return undefined;
      case markerLast: {
        const pending = this.append(marker, frame.subarray(1));
        if (pending.received !== pending.buffer.length)
          throw new FramingError(
            'length-mismatch',
            `the message was announced as ${pending.buffer.length} bytes but ended after ${pending.received}`,
            marker,
            pending.buffer.length,
            pending.received,
          );
        this.pending = undefined;
        return pending.buffer;
      }
      default:
        throw new FramingError(
          'unknown-marker',
          `expected a frame marker 0xc1..0xc4, got ${hex(marker)}`,
          marker,
        );
    }
  }

  private expectNoMessage(marker: number): void {
    if (this.pending === undefined) return;
    const { buffer, received } = this.pending;
    throw new FramingError(
      'unexpected-chunk',
      `got a new message (${hex(marker)}) while a ${buffer.length}-byte message had ${received} bytes; expected its next chunk (0xc3 or 0xc4)`,
      marker,
      buffer.length,
      received,
    );
  }

  private checkLimit(marker: number, total: number): void {
    if (total > this.maxMessageBytes)
      throw new FramingError(
        'too-large',
        `the message is ${total} bytes, over the limit of ${this.maxMessageBytes}`,
        marker,
        this.maxMessageBytes,
        total,
      );
  }

  private append(marker: number, payload: Uint8Array): NonNullable<Reassembler['pending']> {
    const pending = this.pending;
    if (pending === undefined)
      throw new FramingError(
        'unexpected-chunk',
        `got a continuation chunk (${hex(marker)}) with no message in progress; expected 0xc1 or 0xc2`,
        marker,
      );
    const received = pending.received + payload.length;
    if (received > pending.buffer.length)
      throw new FramingError(
        'length-mismatch',
        `the message was announced as ${pending.buffer.length} bytes but ${received} arrived`,
        marker,
        pending.buffer.length,
        received,
      );
    pending.buffer.set(payload, pending.received);
    pending.received = received;
    return pending;
  }
}

function withMarker(marker: number, payload: Uint8Array): Uint8Array {
  const frame = new Uint8Array(1 + payload.length);
  frame[0] = marker;
  frame.set(payload, 1);
  return frame;
}

function hex(byte: number): string {
  return `0x${byte.toString(16).padStart(2, '0')}`;
}

function checkBytes(name: string, value: unknown): asserts value is Uint8Array {
  if (!(value instanceof Uint8Array))
    throw new TypeError(`${name} must be a Uint8Array, got ${kindOf(value)}`);
}

function checkSize(name: string, value: unknown, min: number, max: number): void {
  if (typeof value !== 'number')
    throw new TypeError(`${name} must be a number, got ${kindOf(value)}`);
  if (!Number.isInteger(value) || value < min || value > max)
    throw new RangeError(`${name} must be an integer from ${min} to ${max}, got ${value}`);
}

/** Names what arrived, without its contents (it may be secret). */
export function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value !== 'object') return typeof value;
  return value.constructor?.name ?? 'object';
}
