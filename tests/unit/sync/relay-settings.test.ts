import { describe, expect, it } from 'vitest';
import type { SyncStatus } from '../../../src/core/sync';
import { defaultSettings, parseRelayUrls, parseSettings } from '../../../src/ui/state/settings';
import { describeRelayProblem, describeRelayState } from '../../../src/ui/state/vault-sync';

/** The relay's settings and the words the sync status uses for it. */

const status = (more: Partial<SyncStatus>): SyncStatus => ({
  state: 'online',
  peers: 0,
  peerDevices: [],
  membership: 'member',
  lastReceivedAt: null,
  refused: 0,
  reviews: 0,
  ...more,
});

describe('relay settings', () => {
  it('default to this server’s relay, turned on', () => {
    expect(defaultSettings.relayUrls).toEqual([]);
    expect(defaultSettings.relayEnabled).toBe(true);
    expect(parseSettings({})).toMatchObject({ relayUrls: [], relayEnabled: true });
  });

  it('keep valid addresses and the switch; drop what is not a relay address', () => {
    expect(
      parseSettings({
        relayUrls: ['wss://a.example/relay', 'ws://10.0.0.2/relay'],
        relayEnabled: false,
      }),
    ).toMatchObject({
      relayUrls: ['wss://a.example/relay', 'ws://10.0.0.2/relay'],
      relayEnabled: false,
    });
    expect(parseSettings({ relayUrls: ['https://a.example/relay'] }).relayUrls).toEqual([]);
    expect(parseSettings({ relayUrls: 'wss://a.example/relay' }).relayUrls).toEqual([]);
    expect(parseSettings({ relayEnabled: 'no' }).relayEnabled).toBe(true);
  });

  it('say which typed line is wrong and why', () => {
    expect(parseRelayUrls('wss://a.example/relay\n\nws://b.example/relay')).toEqual({
      urls: ['wss://a.example/relay', 'ws://b.example/relay'],
    });
    expect(parseRelayUrls('wss://a.example/relay\nhttps://b.example/relay')).toEqual({
      problem: 'Line 2 must start with wss:// (or ws:// on your own network).',
    });
    expect(parseRelayUrls('not a url')).toEqual({ problem: 'Line 1 is not a URL.' });
    expect(parseRelayUrls('wss://user:pw@a.example/relay')).toMatchObject({
      problem: expect.stringContaining('user name or password'),
    });
  });
});

describe('relay words in the sync status', () => {
  it('a full quota, with its size; a refused device; a refused change', () => {
    expect(
      describeRelayProblem(
        status({
          relayProblem: { reason: 'room-quota', quotaBytes: 64 * 1024 * 1024, usedBytes: 1 },
        }),
      ),
    ).toBe(
      "The relay refused this vault's changes: its storage quota is full (64 MiB). Devices open at the same time still sync; nothing is lost.",
    );
    expect(describeRelayProblem(status({ relayProblem: { reason: 'room-quota' } }))).toContain(
      'its storage quota is full.',
    );
    expect(describeRelayProblem(status({ relayProblem: { reason: 'unauthorized' } }))).toContain(
      'The relay refused this device',
    );
    expect(describeRelayProblem(status({ relayProblem: { reason: 'not-a-mailbox' } }))).toContain(
      'nothing is lost',
    );
    expect(describeRelayProblem(status({}))).toBeUndefined();
  });

  it('the relay’s state, only when there is a relay and the device is not offline', () => {
    expect(describeRelayState(status({ relay: 'online' }))).toBe('relay reached');
    expect(describeRelayState(status({ relay: 'connecting' }))).toBe('reaching the relay…');
    expect(describeRelayState(status({ relay: 'offline' }))).toBe('relay not reached');
    expect(describeRelayState(status({}))).toBeUndefined();
    expect(describeRelayState(status({ state: 'offline', relay: 'offline' }))).toBeUndefined();
  });
});
