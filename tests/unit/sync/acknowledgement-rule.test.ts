/**
 * The pruning rule on its own (docs/sync.md, "Bounded by acknowledgement"): coverage read from
 * Yjs content, and who must have acknowledged what, with devices that lie about their coverage.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { DeviceId } from '../../../src/core/ids';
import {
  covers,
  type KeyVerdict,
  keysToPrune,
  type Standing,
  summarize,
} from '../../../src/core/sync/acknowledgement';

/** A Yjs document of one client, and updates of it. */
function editor(client: number) {
  const doc = new Y.Doc();
  doc.clientID = client;
  const updates: Uint8Array[] = [];
  doc.on('update', (update: Uint8Array) => updates.push(update));
  return { doc, updates };
}

const accepted = (
  author: string,
  envelope: 'update' | 'checkpoint',
  seq: number,
  update: Uint8Array,
): KeyVerdict => ({
  kind: 'accepted',
  author: author as DeviceId,
  envelope,
  seq,
  summary: summarize(update),
});

describe('coverage (pure)', () => {
  const [self, x, v, h, m] = ['self', 'x', 'viewer', 'honest', 'liar'] as [
    DeviceId,
    DeviceId,
    DeviceId,
    DeviceId,
    DeviceId,
  ];
  const e = editor(1);
  e.doc.getMap('entries').set('K', 'v1');
  e.doc.getMap('entries').set('K', 'v2');
  const update = e.updates[1]!;
  const full = Y.encodeStateAsUpdate(e.doc);
  const before = editor(2);
  before.doc.getMap('entries').set('other', 1);
  const stale = Y.encodeStateAsUpdate(before.doc);

  it('a checkpoint covers what its state holds and deletes, not what it lacks', () => {
    expect(covers(summarize(full)!, summarize(update)!)).toBe(true);
    expect(covers(summarize(e.updates[0]!)!, summarize(update)!)).toBe(false);
    expect(covers(summarize(stale)!, summarize(update)!)).toBe(false);
    expect(summarize(new Uint8Array([1, 2, 3]))).toBeUndefined();
  });

  const input = (
    standings: [DeviceId, Standing][],
    keys: [string, KeyVerdict][],
    own: Uint8Array = full,
    mine: Standing = 'carrier',
  ) =>
    keysToPrune({
      self,
      standings: new Map([[self, mine], ...standings]),
      keys: new Map(keys),
      own: new Set([`${self}.c`]),
      ownCheckpoint: () => summarize(own),
    });

  it('a viewer’s checkpoint does not stand in for an editor’s: only a carrier’s own checkpoint does', () => {
    const keys: [string, KeyVerdict][] = [
      [`${x}.5`, accepted(x, 'update', 5, update)],
      [`${v}.c`, accepted(v, 'checkpoint', 9, full)],
    ];
    // X removed; the other active device, a viewer, covers it; this device's checkpoint does not.
    expect(
      input(
        [
          [x, 'removed'],
          [v, 'viewer'],
        ],
        keys,
        stale,
      ),
    ).toEqual([]);
    // A viewer pruning, whatever it holds, takes nothing of another device.
    expect(
      input(
        [
          [x, 'removed'],
          [h, 'carrier'],
        ],
        [...keys, [`${h}.c`, accepted(h, 'checkpoint', 9, full)]],
        full,
        'viewer',
      ),
    ).toEqual([]);
    // This device, an editor, covers it too: it goes.
    expect(
      input(
        [
          [x, 'removed'],
          [v, 'viewer'],
        ],
        keys,
        full,
      ),
    ).toEqual([`${x}.5`]);
  });

  it('a checkpoint with inflated clocks claims to cover all, and takes nothing by that', () => {
    // The liar claims every clock of client 1 and every deletion, in a few bytes.
    const lie = summarize(Y.mergeUpdates([]))!;
    (lie.state as Map<number, number>).set(1, 2 ** 30);
    (lie.deletes as Map<number, number[]>).set(1, [0, 2 ** 30]);
    const lying: KeyVerdict = {
      kind: 'accepted',
      author: m,
      envelope: 'checkpoint',
      seq: 1,
      summary: lie,
    };
    expect(covers(lie, summarize(update)!)).toBe(true);
    const keys: [string, KeyVerdict][] = [
      [`${x}.5`, accepted(x, 'update', 5, update)],
      [`${m}.c`, lying],
      [`${v}.c`, accepted(v, 'checkpoint', 9, full)],
    ];
    // The liar and a viewer cover it, this device's checkpoint does not: it stays.
    expect(
      input(
        [
          [x, 'removed'],
          [m, 'carrier'],
          [v, 'viewer'],
        ],
        keys,
        stale,
      ),
    ).toEqual([]);
    // An honest device whose checkpoint lacks it holds it back, even if this device has it.
    expect(
      input(
        [
          [x, 'removed'],
          [m, 'carrier'],
          [h, 'carrier'],
        ],
        [...keys.slice(0, 2), [`${h}.c`, accepted(h, 'checkpoint', 9, stale)]],
      ),
    ).toEqual([]);
  });

  it('an active author’s checkpoint and its updates after it are never taken', () => {
    const keys: [string, KeyVerdict][] = [
      [`${x}.c`, accepted(x, 'checkpoint', 5, full)],
      [`${x}.4`, accepted(x, 'update', 4, update)],
      [`${x}.6`, accepted(x, 'update', 6, update)],
      [`${h}.c`, accepted(h, 'checkpoint', 9, full)],
    ];
    expect(
      input(
        [
          [x, 'carrier'],
          [h, 'carrier'],
        ],
        keys,
      ),
    ).toEqual([`${x}.4`]);
  });

  it('an active device with no checkpoint here holds everything back but junk', () => {
    const keys: [string, KeyVerdict][] = [
      [`${x}.5`, accepted(x, 'update', 5, update)],
      [`${h}.c`, accepted(h, 'checkpoint', 9, full)],
      ['junk', { kind: 'junk' }],
      [`${self}.3`, { kind: 'pending' }],
    ];
    expect(
      input(
        [
          [x, 'removed'],
          [h, 'carrier'],
          [v, 'viewer'],
        ],
        keys,
      ).sort(),
    ).toEqual(['junk', `${self}.3`].sort());
  });
});
