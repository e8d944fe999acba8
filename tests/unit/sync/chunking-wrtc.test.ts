import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  type ChannelErrorEvent,
  createChunkingWrtc,
  type DataChannelLike,
  highWaterMark,
  type NativeWebRtc,
  wrapDataChannel,
} from '../../../src/core/sync/chunking-wrtc';
import { maxChunkBytes } from '../../../src/core/sync/framing';

// Chromium's SCTP maximum message size: the fake refuses more, as the browser does.
const maxMessageSize = 256 * 1024;

/**
 * One end of an in-memory data channel pair. Sent messages sit in `bufferedAmount` until a
 * later macrotask drains up to `bytesPerTick` of them to the other end; `bufferedamountlow`
 * fires when a drain takes the buffer from above the threshold to at or below it. Exceptions
 * from handlers are recorded, as the browser would report them, instead of thrown.
 */
class FakeChannel implements DataChannelLike {
  binaryType = 'blob';
  bufferedAmountLowThreshold = 0;
  readyState = 'open';
  bufferedAmount = 0;
  peakBufferedAmount = 0;
  onmessage: DataChannelLike['onmessage'] = null;
  onbufferedamountlow: DataChannelLike['onbufferedamountlow'] = null;
  onopen: DataChannelLike['onopen'] = null;
  onclose: DataChannelLike['onclose'] = null;
  onerror: DataChannelLike['onerror'] = null;
  remote!: FakeChannel;
  readonly handlerErrors: unknown[] = [];
  private inFlight: Uint8Array[] = [];
  private draining = false;

  constructor(
    readonly label: string,
    private readonly bytesPerTick: number,
  ) {}

  static pair(label = 'data', bytesPerTick = 200 * 1024): [FakeChannel, FakeChannel] {
    const a = new FakeChannel(label, bytesPerTick);
    const b = new FakeChannel(label, bytesPerTick);
    a.remote = b;
    b.remote = a;
    return [a, b];
  }

  send(data: ArrayBuffer | ArrayBufferView): void {
    if (this.readyState !== 'open') throw new Error(`InvalidStateError: ${this.readyState}`);
    const bytes = ArrayBuffer.isView(data)
      ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
      : new Uint8Array(data);
    if (bytes.length > maxMessageSize) throw new TypeError(`message of ${bytes.length} bytes`);
    this.inFlight.push(bytes.slice());
    this.bufferedAmount += bytes.length;
    this.peakBufferedAmount = Math.max(this.peakBufferedAmount, this.bufferedAmount);
    this.scheduleDrain();
  }

  /** Sends a raw message the way a peer without the wrapper would. */
  sendRaw(data: unknown): void {
    setImmediate(() => this.call(this.remote.onmessage, { data }));
  }

  close(): void {
    if (this.readyState === 'closing' || this.readyState === 'closed') return;
    for (const end of [this, this.remote]) end.readyState = 'closing';
    setImmediate(() => {
      for (const end of [this, this.remote]) {
        end.readyState = 'closed';
        end.inFlight = [];
        end.bufferedAmount = 0;
        end.call(end.onclose, { type: 'close' });
      }
    });
  }

  private scheduleDrain(): void {
    if (this.draining) return;
    this.draining = true;
    setImmediate(() => this.drain());
  }

  private drain(): void {
    this.draining = false;
    if (this.readyState !== 'open') return;
    const before = this.bufferedAmount;
    let budget = this.bytesPerTick;
    while (budget > 0 && this.inFlight.length > 0) {
      const message = this.inFlight.shift()!;
      budget -= message.length;
      this.bufferedAmount -= message.length;
      this.call(this.remote.onmessage, { data: message.buffer });
    }
    const threshold = this.bufferedAmountLowThreshold;
    if (before > threshold && this.bufferedAmount <= threshold)
      this.call(this.onbufferedamountlow, { type: 'bufferedamountlow' });
    if (this.inFlight.length > 0) this.scheduleDrain();
  }

  private call<E>(handler: ((event: E) => void) | null, event: E): void {
    try {
      handler?.(event);
    } catch (error) {
      this.handlerErrors.push(error);
    }
  }
}

function wrappedPair(bytesPerTick?: number) {
  const [realA, realB] = FakeChannel.pair('data', bytesPerTick);
  return { realA, realB, a: wrapDataChannel(realA), b: wrapDataChannel(realB) };
}

function collect(channel: DataChannelLike): Uint8Array[] {
  const received: Uint8Array[] = [];
  channel.onmessage = (event) => {
    expect(event.data).toBeInstanceOf(ArrayBuffer);
    received.push(new Uint8Array(event.data as ArrayBuffer));
  };
  return received;
}

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 5000; i++) {
    if (condition()) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error(`timed out waiting for ${what}`);
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.from(a).equals(Buffer.from(b));
}

const frameBytes = (length: number) =>
  length <= maxChunkBytes ? length + 1 : length + Math.ceil(length / maxChunkBytes) + 4;

describe('wrapDataChannel', () => {
  it('delivers a 5 MB message intact and in order among other messages', async () => {
    const { a, b, realA, realB } = wrappedPair();
    const received = collect(b);
    const sent = [
      new Uint8Array([0, 1]),
      new Uint8Array(randomBytes(5 * 1024 * 1024)),
      new Uint8Array([2]),
      new Uint8Array(randomBytes(maxChunkBytes + 1)),
      new Uint8Array(),
    ];
    for (const message of sent) a.send(message);
    await until(() => received.length === sent.length, 'every message');
    for (const [i, message] of sent.entries())
      expect(sameBytes(received[i]!, message), `message ${i}`).toBe(true);
    expect(realA.handlerErrors).toEqual([]);
    expect(realB.handlerErrors).toEqual([]);
  });

  it('never lets the real channel hold more than the high-water mark', async () => {
    const { a, b, realA } = wrappedPair(64 * 1024);
    const received = collect(b);
    const message = new Uint8Array(randomBytes(5 * 1024 * 1024));
    a.send(message);
    expect(realA.bufferedAmount).toBeLessThanOrEqual(highWaterMark);
    expect(realA.bufferedAmount).toBeGreaterThan(highWaterMark - maxChunkBytes - 5);
    expect(a.bufferedAmount).toBe(frameBytes(message.length));
    await until(() => received.length === 1, 'the message');
    expect(realA.peakBufferedAmount).toBeLessThanOrEqual(highWaterMark);
    expect(a.bufferedAmount).toBe(0);
    expect(sameBytes(received[0]!, message)).toBe(true);
  });

  it("fires the user's onbufferedamountlow once the total falls to its threshold", async () => {
    const { a, b } = wrappedPair(64 * 1024);
    const received = collect(b);
    a.bufferedAmountLowThreshold = 64 * 1024; // simple-peer's MAX_BUFFERED_AMOUNT
    expect(a.bufferedAmountLowThreshold).toBe(64 * 1024);
    const seen: number[] = [];
    a.onbufferedamountlow = () => seen.push(a.bufferedAmount);
    a.send(new Uint8Array(3 * 1024 * 1024));
    await until(() => seen.length > 0, 'onbufferedamountlow');
    expect(seen[0]).toBeLessThanOrEqual(64 * 1024);
    await until(() => received.length === 1, 'the message');
    expect(seen).toHaveLength(1);
  });

  it('keeps up with a writer that waits for onbufferedamountlow, as simple-peer does', async () => {
    const { a, b } = wrappedPair(100 * 1024);
    const received = collect(b);
    const limit = 64 * 1024;
    a.bufferedAmountLowThreshold = limit;
    const messages = Array.from({ length: 40 }, (_, i) => new Uint8Array(300 * 1024).fill(i));
    for (const message of messages) {
      a.send(message);
      if (a.bufferedAmount > limit)
        await new Promise<void>((resolve) => {
          a.onbufferedamountlow = () => resolve();
        });
    }
    await until(() => received.length === messages.length, 'every message');
    for (const [i, message] of received.entries())
      expect(sameBytes(message, messages[i]!)).toBe(true);
  });

  it('closes with an error, never an exception, when the peer sends an unframed message', async () => {
    const { b, realA, realB } = wrappedPair();
    const received = collect(b);
    const errors: unknown[] = [];
    let closed = false;
    b.onerror = (event) => errors.push(event);
    b.onclose = () => {
      closed = true;
    };
    realA.sendRaw(new Uint8Array([0, 0, 1, 2]).buffer); // a y-webrtc sync step 1, unframed
    await until(() => closed, 'the channel to close');
    expect(errors).toHaveLength(1);
    const event = errors[0] as ChannelErrorEvent;
    expect(event.error).toBeInstanceOf(Error);
    expect(event.error.message).toBe(
      'the peer broke the framing: expected a frame marker 0xc1..0xc4, got 0x00',
    );
    expect(event.message).toBe(event.error.message);
    expect(b.readyState).toBe('closed');
    expect(received).toEqual([]);
    expect(realB.handlerErrors).toEqual([]);
  });

  it('closes with an error when the peer sends text or announces too large a message', async () => {
    for (const data of ['hello', new Uint8Array([0xc2, 0xff, 0xff, 0xff, 0xff]).buffer]) {
      const [realA, realB] = FakeChannel.pair();
      const b = wrapDataChannel(realB, { maxMessageBytes: 1024 });
      const errors: ChannelErrorEvent[] = [];
      b.onerror = (event) => errors.push(event as ChannelErrorEvent);
      realA.sendRaw(data);
      await until(() => errors.length > 0, 'the error');
      expect(errors[0]!.error.message).toMatch(/^the peer broke the framing: /);
      expect(b.readyState).toBe('closing');
      expect(realB.handlerErrors).toEqual([]);
    }
  });

  it('ignores frames that arrive after it failed the channel', async () => {
    const { a, b, realA } = wrappedPair();
    const received = collect(b);
    const errors: unknown[] = [];
    b.onerror = (event) => errors.push(event);
    realA.sendRaw(new Uint8Array([0xc3, 1]).buffer);
    realA.sendRaw(new Uint8Array([0xc1, 1]).buffer);
    await until(() => errors.length > 0, 'the error');
    await new Promise((resolve) => setImmediate(resolve));
    expect(errors).toHaveLength(1);
    expect(received).toEqual([]);
    expect(() => a.send(new Uint8Array(1))).toThrow('cannot send on a data channel that is c');
  });

  it('keeps the real channel at arraybuffer and forwards label, readyState and events', async () => {
    const { a, realA } = wrappedPair();
    expect(realA.binaryType).toBe('arraybuffer');
    expect(a.binaryType).toBe('blob');
    a.binaryType = 'arraybuffer';
    expect(a.binaryType).toBe('arraybuffer');
    expect(a.label).toBe('data');
    const events: string[] = [];
    a.onopen = () => events.push('open');
    a.onerror = () => events.push('error');
    a.onclose = () => events.push('close');
    realA.onopen?.({});
    realA.onerror?.({});
    expect(a.readyState).toBe('open');
    a.close();
    expect(a.readyState).toBe('closing');
    await until(() => events.includes('close'), 'close');
    expect(events).toEqual(['open', 'error', 'close']);
    expect(a.readyState).toBe('closed');
  });

  it('drops queued frames on close', () => {
    const { a, realA } = wrappedPair();
    a.send(new Uint8Array(3 * 1024 * 1024));
    expect(a.bufferedAmount).toBeGreaterThan(realA.bufferedAmount);
    a.close();
    expect(a.bufferedAmount).toBe(realA.bufferedAmount);
  });

  it('accepts ArrayBuffer and views, copies what it sends, and refuses anything else', async () => {
    const { a, b } = wrappedPair();
    const received = collect(b);
    const bytes = new Uint8Array([1, 2, 3, 4]);
    a.send(bytes.buffer);
    a.send(new DataView(bytes.buffer, 1, 2));
    a.send(bytes);
    bytes.fill(0);
    expect(() => a.send('text' as never)).toThrow(
      'a chunking data channel sends Uint8Array, ArrayBuffer or ArrayBufferView, got string',
    );
    await until(() => received.length === 3, 'the messages');
    expect(received).toEqual([
      new Uint8Array([1, 2, 3, 4]),
      new Uint8Array([2, 3]),
      new Uint8Array([1, 2, 3, 4]),
    ]);
  });

  it('refuses to send before the channel opens, as the native channel does', () => {
    const [realA] = FakeChannel.pair();
    realA.readyState = 'connecting';
    const a = wrapDataChannel(realA);
    expect(() => a.send(new Uint8Array(1))).toThrow(
      'cannot send on a data channel that is connecting',
    );
    expect(a.bufferedAmount).toBe(0);
  });

  it('fails the channel, instead of corrupting the stream, when the real channel refuses a frame', () => {
    const [realA] = FakeChannel.pair();
    const a = wrapDataChannel(realA);
    realA.send = () => {
      throw new Error('send queue is full');
    };
    const errors: ChannelErrorEvent[] = [];
    a.onerror = (event) => errors.push(event as ChannelErrorEvent);
    a.send(new Uint8Array(100_000));
    expect(errors).toHaveLength(1);
    expect(errors[0]!.error.message).toBe('the data channel refused a frame');
    expect(a.bufferedAmount).toBe(0);
    expect(realA.readyState).toBe('closing');
  });

  it('checks its options', () => {
    const [realA] = FakeChannel.pair();
    expect(() => wrapDataChannel(realA, { chunkBytes: 256 * 1024 })).toThrow(
      'chunkBytes must be an integer from 1 to 262139, got 262144',
    );
    expect(() => wrapDataChannel(realA, { maxMessageBytes: -1 })).toThrow(RangeError);
  });
});

describe('createChunkingWrtc', () => {
  /** Two fake peer connections: a channel created on one is announced on the other. */
  class FakePeerConnection extends EventTarget {
    static last: FakePeerConnection | undefined;
    remote: FakePeerConnection | undefined;

    constructor(readonly configuration?: unknown) {
      super();
      if (FakePeerConnection.last) {
        this.remote = FakePeerConnection.last;
        FakePeerConnection.last.remote = this;
        FakePeerConnection.last = undefined;
      } else FakePeerConnection.last = this;
    }

    createDataChannel(label: string): FakeChannel {
      const [local, remote] = FakeChannel.pair(label);
      setImmediate(() =>
        this.remote?.dispatchEvent(Object.assign(new Event('datachannel'), { channel: remote })),
      );
      return local;
    }
  }
  class FakeSessionDescription {}
  class FakeIceCandidate {}
  const native = {
    RTCPeerConnection: FakePeerConnection,
    RTCSessionDescription: FakeSessionDescription,
    RTCIceCandidate: FakeIceCandidate,
  } as unknown as NativeWebRtc;

  it('hands simple-peer wrapped channels on both sides, and passes the rest through', async () => {
    const wrtc = createChunkingWrtc(native);
    expect(wrtc.RTCSessionDescription).toBe(FakeSessionDescription);
    expect(wrtc.RTCIceCandidate).toBe(FakeIceCandidate);
    const initiator = new wrtc.RTCPeerConnection({ iceServers: [] });
    const answerer = new wrtc.RTCPeerConnection();
    expect(initiator).toBeInstanceOf(FakePeerConnection);
    expect((initiator as unknown as FakePeerConnection).configuration).toEqual({ iceServers: [] });

    const announced: { channel: DataChannelLike }[] = [];
    const handler = (event: { channel: DataChannelLike }) => announced.push(event);
    answerer.ondatachannel = handler as never;
    expect(answerer.ondatachannel).toBe(handler);

    const local = initiator.createDataChannel('sync') as unknown as DataChannelLike;
    expect(local).not.toBeInstanceOf(FakeChannel);
    expect(local.label).toBe('sync');
    await until(() => announced.length === 1, 'the datachannel event');
    const remote = announced[0]!.channel;
    expect(remote).not.toBeInstanceOf(FakeChannel);

    const received = collect(remote);
    const message = new Uint8Array(randomBytes(2 * 1024 * 1024));
    local.send(message);
    await until(() => received.length === 1, 'the message');
    expect(sameBytes(received[0]!, message)).toBe(true);
  });

  it('stops announcing channels once simple-peer clears ondatachannel', async () => {
    const wrtc = createChunkingWrtc(native);
    const initiator = new wrtc.RTCPeerConnection();
    const answerer = new wrtc.RTCPeerConnection();
    let calls = 0;
    answerer.ondatachannel = () => calls++;
    answerer.ondatachannel = null;
    initiator.createDataChannel('sync');
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    expect(calls).toBe(0);
  });

  it('checks its arguments at once', () => {
    expect(() => createChunkingWrtc({} as NativeWebRtc)).toThrow(
      'native.RTCPeerConnection must be a constructor, got undefined',
    );
    expect(() => createChunkingWrtc(native, { chunkBytes: 0 })).toThrow(RangeError);
    expect(() => createChunkingWrtc(native, { maxMessageBytes: 1.5 })).toThrow(RangeError);
  });
});
