import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { type DataChannelLike, wrapDataChannel } from '../../../src/core/sync/chunking-wrtc';
import { frameMessage } from '../../../src/core/sync/framing';
import { guardSignalingSocket, signalingProblem } from '../../../src/core/sync/signaling-guard';

/** The real end of a data channel: the test plays the peer by calling its `onmessage`. */
function realChannel(): DataChannelLike & { sent: unknown[] } {
  return {
    binaryType: 'blob',
    bufferedAmountLowThreshold: 0,
    label: 'test',
    readyState: 'open',
    bufferedAmount: 0,
    sent: [],
    send(data) {
      this.sent.push(data);
    },
    close() {
      (this as { readyState: string }).readyState = 'closed';
    },
    onmessage: null,
    onbufferedamountlow: null,
    onopen: null,
    onclose: null,
    onerror: null,
  };
}

/**
 * What y-webrtc does with a message from a peer (its `readPeerMessage`): lib0 decoding, then
 * y-protocols and Yjs. It throws on junk, as y-webrtc's handler does.
 */
function yWebrtcLikeHandler(doc: Y.Doc) {
  return (event: { readonly data: unknown }) => {
    const decoder = decoding.createDecoder(new Uint8Array(event.data as ArrayBuffer));
    const encoder = encoding.createEncoder();
    const type = decoding.readVarUint(decoder);
    if (type !== 0) throw new Error(`unknown message type ${type}`);
    syncProtocol.readSyncMessage(decoder, encoder, doc, null);
  };
}

function genuineUpdate(): Uint8Array {
  const source = new Y.Doc();
  source.getMap('envelopes').set('k', new Uint8Array([1, 2, 3]));
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 0);
  syncProtocol.writeUpdate(encoder, Y.encodeStateAsUpdate(source));
  return encoding.toUint8Array(encoder);
}

describe('junk from a peer, on a framed data channel', () => {
  it('a message whose handler throws is counted and dropped; the channel goes on', () => {
    const real = realChannel();
    const junk: unknown[] = [];
    const channel = wrapDataChannel(real, { onJunk: (error) => junk.push(error) });
    const doc = new Y.Doc();
    channel.onmessage = yWebrtcLikeHandler(doc);
    const errors: unknown[] = [];
    channel.onerror = (event) => errors.push(event);
    // lib0 throws on these, in y-webrtc's handler.
    const junkMessages = [
      new Uint8Array([0]), // a sync message cut short
      new Uint8Array([0, 7]), // an unknown sync message
      new Uint8Array([9, 9, 9]), // an unknown message type
      new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]), // bad varuint
    ];
    // Yjs catches a bad update itself (and logs it): nothing reaches the wrapper.
    const yjsJunk = new Uint8Array([0, 2, 5, 0xff, 0xff, 0xff, 0xff, 0xff]);
    for (const message of [...junkMessages, yjsJunk]) {
      for (const frame of frameMessage(message)) {
        expect(() => real.onmessage!({ data: frame.slice().buffer })).not.toThrow();
      }
    }
    expect(junk).toHaveLength(junkMessages.length);
    expect(errors).toEqual([]);
    expect(real.readyState).toBe('open');
    // A genuine message still goes through after all that.
    for (const frame of frameMessage(genuineUpdate()))
      real.onmessage!({ data: frame.slice().buffer });
    expect(doc.getMap('envelopes').get('k')).toEqual(new Uint8Array([1, 2, 3]));
    expect(junk).toHaveLength(junkMessages.length);
  });

  it('frames that break the framing, or are not binary, are counted, and close the channel without a throw', () => {
    for (const bad of [new Uint8Array([0x07, 1]).buffer, 'text', null, 42, { length: 3 }]) {
      const real = realChannel();
      const junk: unknown[] = [];
      const channel = wrapDataChannel(real, { onJunk: (error) => junk.push(error) });
      channel.onmessage = () => {
        throw new Error('must not be reached');
      };
      const errors: unknown[] = [];
      channel.onerror = (event) => errors.push(event);
      expect(() => real.onmessage!({ data: bad })).not.toThrow();
      expect(junk).toHaveLength(1);
      expect(errors).toHaveLength(1);
      expect(real.readyState).toBe('closed');
    }
  });

  it('a counter that throws does not break the channel', () => {
    const real = realChannel();
    const channel = wrapDataChannel(real, {
      onJunk: () => {
        throw new Error('counter broke');
      },
    });
    channel.onmessage = () => {
      throw new Error('junk');
    };
    expect(() =>
      real.onmessage!({ data: frameMessage(new Uint8Array([1]))[0]!.slice().buffer }),
    ).not.toThrow();
  });
});

describe('junk from the signaling relay', () => {
  /** A socket as lib0 sets it up: JSON.parse, then y-webrtc's handler reading fields. */
  function lib0Socket(seen: unknown[]) {
    return {
      onmessage: (event: { readonly data: unknown }) => {
        const message = typeof event.data === 'string' ? JSON.parse(event.data) : event.data;
        // y-webrtc: `switch (m.type)`, then `m.topic`, `buffer.fromBase64(m.data)`.
        if (message.type === 'publish') atob(message.data);
        seen.push(message);
      },
    } as { onmessage: ((event: { readonly data: unknown }) => void) | null };
  }

  const junk = [
    'not json',
    '{"type":',
    'null',
    '42',
    '"publish"',
    '[]',
    '{}',
    '{"type":null}',
    '{"type":7}',
    '{"type":"publish"}',
    '{"type":"publish","topic":null,"data":"AAAA"}',
    '{"type":"publish","topic":"room","data":null}',
    '{"type":"publish","topic":"room","data":12}',
    '{"type":"publish","topic":"room","data":"%%%%"}',
    '{"type":"publish","topic":"room","data":"AAA"}',
  ];

  it('each kind of junk is counted and dropped before lib0 or y-webrtc sees it', () => {
    for (const data of junk) expect(signalingProblem(data)).toBeDefined();
    expect(signalingProblem(new Uint8Array(3))).toBeDefined();
    const seen: unknown[] = [];
    const socket = lib0Socket(seen);
    const dropped: unknown[] = [];
    expect(guardSignalingSocket(socket, (error) => dropped.push(error))).toBe(true);
    for (const data of junk) expect(() => socket.onmessage!({ data })).not.toThrow();
    expect(() => socket.onmessage!({ data: new ArrayBuffer(4) })).not.toThrow();
    expect(seen).toEqual([]);
    expect(dropped).toHaveLength(junk.length + 1);
    // Well-formed messages pass, as they are.
    socket.onmessage!({ data: '{"type":"pong"}' });
    socket.onmessage!({ data: '{"type":"publish","topic":"room","data":"AAAA"}' });
    expect(seen).toHaveLength(2);
    expect(dropped).toHaveLength(junk.length + 1);
    // Guarding again does not wrap twice.
    expect(guardSignalingSocket(socket, () => undefined)).toBe(false);
  });

  it('a handler that throws anyway is counted, not thrown', () => {
    const dropped: unknown[] = [];
    const socket = {
      onmessage: () => {
        throw new TypeError("Cannot read properties of undefined (reading 'type')");
      },
    } as { onmessage: ((event: { readonly data: unknown }) => void) | null };
    guardSignalingSocket(socket, (error) => dropped.push(error));
    expect(() =>
      socket.onmessage!({ data: '{"type":"publish","topic":"r","data":"AAAA"}' }),
    ).not.toThrow();
    expect(dropped).toHaveLength(1);
  });
});
