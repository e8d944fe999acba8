import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  FramingError,
  type FramingViolation,
  frameMessage,
  maxChunkBytes,
  Reassembler,
} from '../../../src/core/sync/framing';

function reassemble(frames: Uint8Array[], reassembler = new Reassembler()): Uint8Array {
  const results = frames.map((frame) => reassembler.push(frame));
  const last = results.pop();
  expect(results.every((result) => result === undefined)).toBe(true);
  expect(last).toBeInstanceOf(Uint8Array);
  return last!;
}

function roundTrip(message: Uint8Array, chunkBytes?: number): Uint8Array {
  return reassemble(frameMessage(message, chunkBytes));
}

// Vitest's toEqual walks a typed array element by element: far too slow for megabytes.
function expectSameBytes(actual: Uint8Array, expected: Uint8Array): void {
  expect(actual.length).toBe(expected.length);
  expect(Buffer.from(actual.buffer, actual.byteOffset, actual.length).equals(expected)).toBe(true);
}

function violation(push: () => unknown): FramingError {
  try {
    push();
  } catch (error) {
    expect(error).toBeInstanceOf(FramingError);
    return error as FramingError;
  }
  throw new Error('expected a FramingError, nothing was thrown');
}

const bytes = (...values: number[]) => new Uint8Array(values);
const u32be = (n: number) => [n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];

describe('frameMessage and Reassembler', () => {
  it('sends a small message as one 0xC1 frame with 1 byte of overhead', () => {
    const frames = frameMessage(bytes(0, 1, 2));
    expect(frames).toEqual([bytes(0xc1, 0, 1, 2)]);
  });

  it.each([
    ['empty', 0],
    ['1 byte', 1],
    ['exactly one chunk', maxChunkBytes],
    ['one chunk and a byte', maxChunkBytes + 1],
    ['two chunks exactly', 2 * maxChunkBytes],
    ['three chunks and a byte', 3 * maxChunkBytes + 1],
  ])('round-trips a message of %s', (_name, length) => {
    const message = new Uint8Array(randomBytes(length));
    const frames = frameMessage(message);
    expect(frames.length).toBe(Math.max(1, Math.ceil(length / maxChunkBytes)));
    for (const frame of frames) expect(frame.length).toBeLessThanOrEqual(maxChunkBytes + 5);
    expectSameBytes(roundTrip(message), message);
  });

  it('marks chunks first, middle and last, and announces the total length', () => {
    const frames = frameMessage(bytes(1, 2, 3, 4, 5), 2);
    expect(frames).toEqual([bytes(0xc2, ...u32be(5), 1, 2), bytes(0xc3, 3, 4), bytes(0xc4, 5)]);
  });

  it('round-trips a multi-megabyte random message', () => {
    const message = new Uint8Array(randomBytes(5 * 1024 * 1024 + 123));
    const frames = frameMessage(message);
    expect(frames.length).toBe(Math.ceil(message.length / maxChunkBytes));
    expectSameBytes(reassemble(frames), message);
  });

  it('returns messages that own their whole buffer', () => {
    for (const length of [0, 10, 3 * maxChunkBytes]) {
      const result = roundTrip(new Uint8Array(length).fill(7));
      expect(result.byteOffset).toBe(0);
      expect(result.buffer.byteLength).toBe(length);
    }
  });

  it('reassembles messages one after another with one reassembler', () => {
    const reassembler = new Reassembler();
    const messages = [bytes(1), new Uint8Array(randomBytes(40_000)), bytes(), bytes(2, 3)];
    for (const message of messages)
      expectSameBytes(reassemble(frameMessage(message), reassembler), message);
  });

  it('accepts frames that are views into a larger buffer', () => {
    const message = new Uint8Array(randomBytes(100));
    const frames = frameMessage(message, 30).map((frame) => {
      const padded = new Uint8Array(frame.length + 8);
      padded.set(frame, 3);
      return padded.subarray(3, 3 + frame.length);
    });
    expect(reassemble(frames)).toEqual(message);
  });

  it('does not modify its inputs, and keeps no reference to them', () => {
    const message = new Uint8Array(randomBytes(50));
    const copy = message.slice();
    const frames = frameMessage(message, 20);
    expect(message).toEqual(copy);
    message.fill(0);
    const frameCopies = frames.map((frame) => frame.slice());
    const reassembler = new Reassembler();
    const results = frames.map((frame) => reassembler.push(frame));
    expect(frames).toEqual(frameCopies);
    for (const frame of frames) frame.fill(0);
    expect(results.at(-1)).toEqual(copy);
  });

  it('round-trips any message at any chunk size (property)', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 2000 }),
        fc.integer({ min: 1, max: 2100 }),
        (message, chunkBytes) => {
          const frames = frameMessage(message, chunkBytes);
          for (const frame of frames) expect(frame.length).toBeLessThanOrEqual(chunkBytes + 5);
          expect(roundTrip(message, chunkBytes)).toEqual(message);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('Reassembler violations', () => {
  const cases: [string, Uint8Array[], FramingViolation, RegExp][] = [
    ['an empty frame', [bytes()], 'truncated-frame', /at least its marker byte, got 0 bytes/],
    [
      'an unframed y-webrtc message',
      [bytes(0, 1, 2)],
      'unknown-marker',
      /expected .*0xc1\.\.0xc4, got 0x00/,
    ],
    ['a marker out of range', [bytes(0xc5, 1)], 'unknown-marker', /got 0xc5/],
    [
      'a middle chunk with no start',
      [bytes(0xc3, 1)],
      'unexpected-chunk',
      /no message in progress/,
    ],
    ['a last chunk with no start', [bytes(0xc4, 1)], 'unexpected-chunk', /no message in progress/],
    [
      'a whole message inside a chunked one',
      [bytes(0xc2, ...u32be(4), 1, 2), bytes(0xc1, 9)],
      'unexpected-chunk',
      /4-byte message had 2 bytes/,
    ],
    [
      'a second start inside a chunked one',
      [bytes(0xc2, ...u32be(4), 1, 2), bytes(0xc2, ...u32be(4), 1, 2)],
      'unexpected-chunk',
      /expected its next chunk/,
    ],
    [
      'a first chunk cut in its header',
      [bytes(0xc2, 0, 0)],
      'truncated-frame',
      /5-byte header, got 3/,
    ],
    [
      'more bytes than announced in the first chunk',
      [bytes(0xc2, ...u32be(1), 1, 2)],
      'length-mismatch',
      /announced as 1 bytes but 2 arrived/,
    ],
    [
      'more bytes than announced in a middle chunk',
      [bytes(0xc2, ...u32be(3), 1, 2), bytes(0xc3, 3, 4)],
      'length-mismatch',
      /announced as 3 bytes but 4 arrived/,
    ],
    [
      'a last chunk short of the announced length',
      [bytes(0xc2, ...u32be(5), 1, 2), bytes(0xc4, 3)],
      'length-mismatch',
      /announced as 5 bytes but ended after 3/,
    ],
  ];

  it.each(cases)('rejects %s, and still works after', (_name, frames, reason, message) => {
    const reassembler = new Reassembler();
    const error = violation(() => {
      for (const frame of frames) reassembler.push(frame);
    });
    expect(error.reason).toBe(reason);
    expect(error.name).toBe('FramingError');
    expect(error.message).toMatch(message);
    const next = new Uint8Array(randomBytes(100));
    expect(reassemble(frameMessage(next, 30), reassembler)).toEqual(next);
  });

  it('rejects a message over the limit, chunked or whole, with the sizes', () => {
    const reassembler = new Reassembler({ maxMessageBytes: 10 });
    const announced = violation(() => reassembler.push(bytes(0xc2, ...u32be(11), 1)));
    expect(announced).toMatchObject({ reason: 'too-large', expected: 10, received: 11 });
    expect(announced.message).toBe('the message is 11 bytes, over the limit of 10');
    const whole = violation(() => reassembler.push(frameMessage(new Uint8Array(11), 20)[0]!));
    expect(whole).toMatchObject({ reason: 'too-large', expected: 10, received: 11 });
    expect(reassemble(frameMessage(new Uint8Array(10), 3), reassembler)).toEqual(
      new Uint8Array(10),
    );
  });

  it('refuses by default an announced length over 64 MiB before allocating it', () => {
    const error = violation(() => new Reassembler().push(bytes(0xc2, 0xff, 0xff, 0xff, 0xff)));
    expect(error).toMatchObject({ reason: 'too-large', expected: 64 * 1024 * 1024 });
  });

  it('carries sizes, never payload bytes, in its message', () => {
    const secret = [0x5e, 0xc7, 0xe7];
    const error = violation(() => new Reassembler().push(bytes(0xc3, ...secret)));
    expect(error.message).not.toMatch(/5e|c7|e7|94|199|231/);
    expect(error.marker).toBe(0xc3);
  });
});

describe('argument checks', () => {
  it('throws TypeError naming what arrived instead of bytes', () => {
    expect(() => frameMessage('text' as never)).toThrow(
      new TypeError('message must be a Uint8Array, got string'),
    );
    expect(() => frameMessage([1, 2] as never)).toThrow('message must be a Uint8Array, got Array');
    expect(() => frameMessage(new ArrayBuffer(2) as never)).toThrow('got ArrayBuffer');
    expect(() => new Reassembler().push(null as never)).toThrow(
      new TypeError('frame must be a Uint8Array, got null'),
    );
  });

  it('throws RangeError for a chunk size or limit that is not a usable integer', () => {
    for (const chunkBytes of [0, -1, 1.5, Number.NaN])
      expect(() => frameMessage(bytes(1), chunkBytes)).toThrow(RangeError);
    expect(() => frameMessage(bytes(1), '4' as never)).toThrow(TypeError);
    expect(() => new Reassembler({ maxMessageBytes: -1 })).toThrow(
      'maxMessageBytes must be an integer from 0 to 4294967295, got -1',
    );
  });
});
