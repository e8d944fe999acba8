import jsQR from 'jsqr';
import { describe, expect, it } from 'vitest';
import { type DeviceId, deviceIdOf, inviteIdOf } from '../../../src/core/ids';
import { encodeInviteToken, InviteError } from '../../../src/core/sync';
import { createJoinState } from '../../../src/ui/state/join';
import { qrMatrix, qrPath } from '../../../src/ui/state/qr';
import { parseSettings, parseSignalingUrls } from '../../../src/ui/state/settings';
import {
  connectedMembers,
  describeJoinError,
  describeRefused,
  describeSyncState,
  inviteState,
  refusedExplanation,
  removalConsequences,
  removedDevices,
} from '../../../src/ui/state/vault-sync';

const link = `http://localhost:8080/#join=${encodeInviteToken({
  secret: new Uint8Array(32).fill(7),
  vaultId: 'AAAAAAAAAAAAAAAAAAAAAA',
  keyId: new Uint8Array(16).fill(1),
  expiresAt: Date.now() + 60_000,
})}`;

/** Renders a QR matrix to RGBA pixels, `scale` pixels per module, for a real decoder. */
function pixels(matrix: boolean[][], scale = 4) {
  const size = matrix.length * scale;
  const data = new Uint8ClampedArray(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const dark = matrix[Math.floor(y / scale)]![Math.floor(x / scale)];
      const i = (y * size + x) * 4;
      data[i] = data[i + 1] = data[i + 2] = dark ? 0 : 255;
      data[i + 3] = 255;
    }
  }
  return { data, size };
}

describe('the invitation QR code', () => {
  it('decodes, with an independent decoder, to exactly the link', () => {
    const { data, size } = pixels(qrMatrix(link));
    expect(jsQR(data, size, size)?.data).toBe(link);
  });

  it('is one path of unit squares over a square of the matrix size', () => {
    const { size, d } = qrPath(link);
    expect(size).toBe(qrMatrix(link).length);
    const squares = d.match(/M\d+ \d+h1v1h-1z/g) ?? [];
    expect(squares.join('')).toBe(d);
    expect(squares.length).toBe(qrMatrix(link).flat().filter(Boolean).length);
  });
});

describe('signaling relay settings', () => {
  it('accepts ws and wss URLs, one per line, blank lines ignored', () => {
    expect(
      parseSignalingUrls('wss://relay.example/signal\n\n  ws://10.0.0.2:8080/signal '),
    ).toEqual({
      urls: ['wss://relay.example/signal', 'ws://10.0.0.2:8080/signal'],
    });
    expect(parseSignalingUrls('')).toEqual({ urls: [] });
  });

  it('says which line is wrong and why, and saved settings with bad URLs fall back to the default', () => {
    expect(parseSignalingUrls('wss://ok.example\nhttps://relay.example')).toEqual({
      problem: 'Line 2 must start with wss:// (or ws:// on your own network).',
    });
    expect(parseSignalingUrls('not a url')).toEqual({ problem: 'Line 1 is not a URL.' });
    expect(parseSignalingUrls('wss://user:pw@relay.example')).toMatchObject({
      problem: expect.stringContaining('user name or password'),
    });
    expect(parseSignalingUrls('wss://a\nwss://b\nwss://c\nwss://d\nwss://e\nwss://f')).toEqual({
      problem: 'Give at most 5 relays; there are 6.',
    });
    expect(parseSettings({ signalingUrls: ['javascript:alert(1)'] }).signalingUrls).toEqual([]);
    expect(parseSettings({ signalingUrls: ['wss://relay.example/'] }).signalingUrls).toEqual([
      'wss://relay.example/',
    ]);
  });
});

describe('words for sync', () => {
  const base = {
    state: 'online' as const,
    peers: 0,
    peerDevices: [],
    membership: 'member' as const,
    lastReceivedAt: null,
    refused: 0,
    reviews: 0,
  };
  it('describes each state', () => {
    expect(describeSyncState({ ...base, state: 'offline' })).toBe('Offline');
    expect(describeSyncState({ ...base, state: 'connecting' })).toBe('Connecting…');
    expect(describeSyncState(base)).toBe('Online, no other device connected');
    expect(describeSyncState({ ...base, peers: 1 })).toBe('Connected to 1 device');
    expect(describeSyncState({ ...base, peers: 3 })).toBe('Connected to 3 devices');
    expect(describeSyncState({ ...base, membership: 'removed' })).toBe('Removed from this vault');
  });

  it('tells an invitation’s state', () => {
    const x = deviceIdOf(new Uint8Array(32).fill(2));
    const invite = {
      id: inviteIdOf(new Uint8Array(16)),
      secret: 's',
      createdAt: 0,
      expiresAt: 100,
      singleUse: true,
      createdBy: deviceIdOf(new Uint8Array(32).fill(1)),
      usedBy: [] as DeviceId[],
    };
    expect(inviteState(invite, 50)).toBe('active');
    expect(inviteState(invite, 100)).toBe('expired');
    expect(inviteState({ ...invite, usedBy: [x] }, 50)).toBe('used');
    expect(inviteState({ ...invite, usedBy: [x], singleUse: false }, 50)).toBe('active');
    expect(inviteState({ ...invite, revokedAt: 10 }, 50)).toBe('withdrawn');
  });

  it('explains a failed join as a sentence', () => {
    expect(describeJoinError(new InviteError('used'))).toBe(
      'This invitation was for one device and has been used already; ask for a new one.',
    );
  });
});

describe('an invitation from the address bar', () => {
  const never = () => {
    throw new Error('no transport in this test');
  };
  it('is ready to join when well-formed, and explains itself when not', () => {
    const join = createJoinState(never);
    join.offer(link);
    expect(join.phase()?.step).toBe('ready');
    join.offer('#join=AAAA');
    expect(join.phase()).toEqual({
      step: 'failed',
      message: 'This is not a Coffer invitation, or part of it was lost when it was copied.',
    });
    join.offer(link.slice(0, -10));
    expect(join.phase()?.step).toBe('failed');
    join.dismiss();
    expect(join.phase()).toBeUndefined();
  });

  it('says at once that an expired invitation has expired', () => {
    const join = createJoinState(never);
    const expired = `#join=${encodeInviteToken({
      secret: new Uint8Array(32),
      vaultId: 'AAAAAAAAAAAAAAAAAAAAAA',
      keyId: new Uint8Array(16),
      expiresAt: Date.now() - 1,
    })}`;
    join.offer(expired);
    expect(join.phase()).toEqual({
      step: 'failed',
      message: 'This invitation has expired; ask for a new one.',
    });
  });
});

describe('words for sync after a removal, and for refused changes', () => {
  const base = {
    state: 'online' as const,
    peers: 1,
    peerDevices: ['removed-device'],
    membership: 'member' as const,
    lastReceivedAt: null,
    refused: 0,
    reviews: 0,
  };

  it('does not count a removed device that is still connected', () => {
    expect(describeSyncState(base, 2, ['removed-device'])).toBe(
      'Online, no other device connected',
    );
    expect(describeSyncState(base, 1, ['removed-device'])).toBe(
      'Online · only this device has this vault',
    );
    expect(
      describeSyncState({ ...base, peers: 2, peerDevices: ['removed-device', 'b'] }, 2, [
        'removed-device',
      ]),
    ).toBe('Connected to 1 device');
    expect(describeSyncState(base, 2, [])).toBe('Connected to 1 device');
    expect(
      connectedMembers({ ...base, peers: 2, peerDevices: ['removed-device'] }, ['removed-device']),
    ).toBe(1);
    expect(
      removedDevices([
        { id: 'a', name: 'A', addedAt: 0, addedBy: null },
        { id: 'r', name: 'R', addedAt: 0, addedBy: 'a', revokedAfterSeq: 0 },
      ] as never),
    ).toEqual(['r']);
  });

  it('says how many changes were refused, and why changes are refused', () => {
    expect(describeRefused(base)).toBeUndefined();
    expect(describeRefused({ ...base, refused: 1 })).toBe('1 change refused');
    expect(describeRefused({ ...base, refused: 7 })).toBe('7 changes refused');
    expect(refusedExplanation).toMatch(/not in this vault/);
    expect(refusedExplanation).toMatch(/removed/);
    expect(refusedExplanation).toMatch(/damaged/);
  });

  it('a removal says plainly what the removed device keeps and may still read', () => {
    const words = removalConsequences.join(' ');
    expect(words).toMatch(/refused by every device/);
    expect(words).toMatch(/keeps what it already has/);
    // Key rotation on removal is not wired yet: the words must not promise it.
    expect(words).toMatch(
      /The vault gets a new key: nothing written from now on can be read with the keys it has/,
    );
  });
});
